package dev.thaw.cli;

import dev.thaw.core.eval.ConfusionMatrix;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runs.ValPredictions;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.util.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code thaw evaluate RUN}: confusion matrix, per-class precision/recall/F1, misclassified images. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a run on its validation images: confusion matrix, per-class precision, recall and F1, and the misclassified files.")
final class EvaluateCommand implements Callable<Integer> {

    private final AppHome home;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "A run id (or unique prefix, or run folder).")
    String run;

    @Option(names = "--epoch", paramLabel = "best|last", defaultValue = "best",
            description = "The best epoch's predictions (the saved model) or the last epoch's (default: ${DEFAULT-VALUE}).")
    String epoch;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Misclassified files to list (default: ${DEFAULT-VALUE}).")
    int limit;

    @Mixin

    RunsDirOption runsDir;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    EvaluateCommand(AppHome home) {
        this.home = home;
    }

    @Override
    public Integer call() {
        RunStore.RunInfo info = RunArgs.find(runsDir.store(home), run);
        ValPredictions.Epoch which = "last".equalsIgnoreCase(epoch) || "final".equalsIgnoreCase(epoch) ? ValPredictions.Epoch.LAST
                : "best".equalsIgnoreCase(epoch) ? ValPredictions.Epoch.BEST : null;
        if (which == null) {
            throw new UserException("--epoch must be best or last, was '" + epoch + "'");
        }
        ValPredictions p = ValPredictions.read(info.folder(), which).orElseThrow(() -> new UserException("The run " + info.id()
                + " has no " + which.name().toLowerCase(Locale.ROOT) + "-epoch validation predictions (it stopped before its first epoch ended"
                + (which == ValPredictions.Epoch.LAST ? ", or was made before they were kept" : "") + ")"));
        ConfusionMatrix cm = p.confusion();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("run", info.id());
            j.put("epoch", which.name().toLowerCase(Locale.ROOT));
            j.put("images", cm.total());
            j.put("accuracy", cm.accuracy());
            j.put("macro_f1", cm.macroF1());
            j.put("classes", cm.classes());
            j.put("confusion", cm.counts());
            j.put("per_class", cm.perClass());
            List<Map<String, Object>> wrong = new ArrayList<>();
            for (ValPredictions.Row r : p.misclassified()) {
                Map<String, Object> w = new LinkedHashMap<>();
                w.put("file", r.file());
                w.put("label", p.classes().get(r.truth()));
                w.put("predicted", p.classes().get(r.predicted()));
                w.put("probability", Double.isNaN(r.probability()) ? null : r.probability());
                wrong.add(w);
            }
            j.put("misclassified", wrong);
            out.println(Json.COMPACT.toJson(j));
            out.flush();
            return 0;
        }
        out.printf(Locale.ROOT, "%s (%s epoch): %d validation images, accuracy %s, macro F1 %.3f%n", info.displayName(),
                which.name().toLowerCase(Locale.ROOT), cm.total(), RunArgs.pct(cm.accuracy()), cm.macroF1());
        out.println();
        out.println("Confusion matrix (rows: true class, columns: predicted):");
        int w = Math.max(6, cm.classes().stream().mapToInt(String::length).max().orElse(6) + 1);
        w = Math.min(w, 16);
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-" + w + "s", ""));
        for (String c : cm.classes()) {
            head.append(String.format(Locale.ROOT, " %" + w + "s", RunArgs.shorten(c, w)));
        }
        out.println(head);
        for (int i = 0; i < cm.classes().size(); i++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-" + w + "s", RunArgs.shorten(cm.classes().get(i), w)));
            for (int k = 0; k < cm.classes().size(); k++) {
                row.append(String.format(Locale.ROOT, " %" + w + "d", cm.count(i, k)));
            }
            out.println(row);
        }
        out.println();
        out.printf(Locale.ROOT, "%-20s %8s %10s %8s %8s%n", "CLASS", "IMAGES", "PRECISION", "RECALL", "F1");
        for (ConfusionMatrix.ClassMetrics c : cm.perClass()) {
            out.printf(Locale.ROOT, "%-20s %8d %10s %8s %8s%n", RunArgs.shorten(c.name(), 20), c.support(), f3(c.precision()), f3(c.recall()),
                    f3(c.f1()));
        }
        List<ValPredictions.Row> wrong = p.misclassified();
        out.println();
        out.println(wrong.isEmpty() ? "No misclassified images." : wrong.size() + " misclassified image(s)"
                + (p.dataRoot() != null ? " under " + p.dataRoot() : "") + ":");
        for (ValPredictions.Row r : wrong.subList(0, Math.min(limit, wrong.size()))) {
            out.printf(Locale.ROOT, "  %s  true %s, predicted %s%s%n", r.file(), p.classes().get(r.truth()), p.classes().get(r.predicted()),
                    Double.isNaN(r.probability()) ? "" : String.format(Locale.ROOT, " (%.0f%%)", 100 * r.probability()));
        }
        if (wrong.size() > limit) {
            out.println("  … " + (wrong.size() - limit) + " more (--limit N)");
        }
        out.flush();
        return 0;
    }

    private static String f3(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
}
