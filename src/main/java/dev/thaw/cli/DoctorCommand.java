package dev.thaw.cli;

import dev.thaw.core.data.DataDoctor;
import dev.thaw.core.data.DatasetLayout;
import dev.thaw.core.data.DatasetReport;
import dev.thaw.core.data.Problem;
import dev.thaw.core.data.ProblemKind;
import dev.thaw.core.data.Severity;
import dev.thaw.core.data.Split;
import dev.thaw.core.util.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code thaw doctor DIR}: checks a labeled image folder and says what is wrong with it. */
@Command(name = "doctor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check a labeled image folder before training: reads every image, counts classes per split, "
                + "and names every file that cannot be used, with the reason.",
                "Layouts: DIR/CLASS/*.jpg (Thaw splits it) or DIR/train|val|test/CLASS/*.jpg (kept as given)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the dataset can be trained on (warnings may be listed)",
                "1:the folder could not be checked (it does not exist, a bad value)",
                "2:wrong usage (a missing or unknown option)",
                "3:the dataset has errors that stop training (see the report)"})
final class DoctorCommand implements Callable<Integer> {

    /** Exit status when the report has errors (picocli uses 1 and 2 for failures and usage errors). */
    static final int CANNOT_TRAIN = 3;

    /** Items shown per problem kind unless --all. */
    static final int SHOWN_PER_KIND = 20;

    @Parameters(index = "0", paramLabel = "DIR", description = "The dataset folder.")
    Path dir;

    @Option(names = "--json", description = "Print the full report as JSON (every file, every problem).")
    boolean json;

    @Option(names = "--all", description = "List every problem, not only the first " + SHOWN_PER_KIND + " of each kind.")
    boolean all;

    @Option(names = "--val", paramLabel = "FRACTION", defaultValue = "0.2",
            description = "Validation share of each class when Thaw splits the folder (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--test", paramLabel = "FRACTION", defaultValue = "0",
            description = "Test share of each class when Thaw splits the folder (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--input-size", paramLabel = "PX", defaultValue = "224",
            description = "The model's input size, for advice on small images (default: ${DEFAULT-VALUE}).")
    int inputSize;

    @Option(names = "--threads", description = "Files checked at once (default: all cores).")
    Integer threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DataDoctor.Builder builder = DataDoctor.builder().optInputSize(inputSize);
        try {
            builder.optSplit(valFraction, testFraction, seed);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        if (threads != null) {
            builder.optThreads(threads);
        }
        DatasetReport report;
        try (ConsoleProgress progress = new ConsoleProgress(spec.commandLine().getErr())) {
            report = builder.build().check(dir, progress);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        if (json) {
            out.println(Json.PRETTY.toJson(report));
        } else {
            print(report, out, all);
        }
        out.flush();
        return report.canTrain() ? 0 : CANNOT_TRAIN;
    }

    static void print(DatasetReport r, PrintWriter out, boolean all) {
        Path root = r.root();
        out.println("Dataset   " + root.toAbsolutePath().normalize());
        if (r.layout() == DatasetLayout.CLASS_FOLDERS) {
            out.printf(Locale.ROOT, "Layout    one folder per class; Thaw splits it %.0f / %.0f / %.0f %% (train / val / test), seed %d%n",
                    (1 - r.valFraction() - r.testFraction()) * 100, r.valFraction() * 100, r.testFraction() * 100, r.splitSeed());
        } else {
            out.println("Layout    train / val / test folders, kept as given");
        }
        int skipped = r.skippedFiles().size();
        long ignored = r.problems().stream().filter(p -> p.kind() == ProblemKind.HIDDEN_FILE || p.kind() == ProblemKind.IGNORED_FILE)
                .count();
        int checked = r.usableImages() + skipped;
        out.printf(Locale.ROOT, "Checked   %,d image file%s in %.1f s: %,d readable, %,d skipped (unreadable); %,d other file%s ignored%n",
                checked, plural(checked), r.elapsedMillis() / 1000.0, r.usableImages(), skipped, ignored, plural(ignored));
        out.println();

        if (!r.classes().isEmpty()) {
            int nameWidth = Math.max(5, r.classes().stream().mapToInt(c -> c.name().length()).max().orElse(5));
            String row = "%-" + nameWidth + "s  %7s  %7s  %7s  %7s  %7s  %6s%n";
            out.printf(Locale.ROOT, row, "Class", "Train", "Val", "Test", "Total", "Skipped", "Weight");
            for (DatasetReport.ClassSummary c : r.classes()) {
                out.printf(Locale.ROOT, row, c.name(), c.train(), c.val(), c.test(), c.total(), c.unreadable(),
                        String.format(Locale.ROOT, "%.2f", c.suggestedWeight()));
            }
            out.printf(Locale.ROOT, row, "All", r.total(Split.TRAIN), r.total(Split.VAL), r.total(Split.TEST), r.usableImages(),
                    r.classes().stream().mapToInt(DatasetReport.ClassSummary::unreadable).sum(), "");
            out.println();
        }

        Map<ProblemKind, List<Problem>> byKind = new LinkedHashMap<>();
        for (Problem p : r.problems()) {
            byKind.computeIfAbsent(p.kind(), k -> new ArrayList<>()).add(p);
        }
        if (byKind.isEmpty()) {
            out.println("No problems found.");
        } else {
            out.printf(Locale.ROOT, "%d error%s, %d warning%s, %d note%s%n", r.count(Severity.ERROR), plural(r.count(Severity.ERROR)),
                    r.count(Severity.WARNING), plural(r.count(Severity.WARNING)), r.count(Severity.INFO), plural(r.count(Severity.INFO)));
            for (Map.Entry<ProblemKind, List<Problem>> e : byKind.entrySet()) {
                List<Problem> list = e.getValue();
                out.println();
                out.printf(Locale.ROOT, "%s  %s (%d)%n", e.getKey().severity(), e.getKey().title(), list.size());
                int shown = all ? list.size() : Math.min(list.size(), SHOWN_PER_KIND);
                for (Problem p : list.subList(0, shown)) {
                    String where = p.file() == null || p.file().equals(root) ? "" : relative(root, p.file()) + ": ";
                    out.println("  " + where + p.message());
                    if (!p.related().isEmpty()) {
                        out.println("      also: " + String.join(", ", p.related().stream().limit(5).map(f -> relative(root, f)).toList())
                                + (p.related().size() > 5 ? ", ..." : ""));
                    }
                }
                if (shown < list.size()) {
                    out.printf(Locale.ROOT, "  ... and %d more (--all lists them)%n", list.size() - shown);
                }
            }
        }
        out.println();
        if (r.canTrain()) {
            out.printf(Locale.ROOT, "Ready to train on %,d images in %d classes%s.%n", r.usableImages(), r.classes().size(),
                    skipped == 0 ? "" : String.format(Locale.ROOT, "; %,d file%s will be skipped", skipped, skipped == 1 ? "" : "s"));
        } else {
            out.println("Cannot train on this folder until the errors above are fixed.");
        }
    }

    private static String plural(long n) {
        return n == 1 ? "" : "s";
    }

    private static String relative(Path root, Path file) {
        try {
            return root.relativize(file).toString();
        } catch (IllegalArgumentException e) {
            return file.toString();
        }
    }
}
