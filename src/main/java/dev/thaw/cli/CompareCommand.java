package dev.thaw.cli;

import dev.thaw.core.runs.ConfigDiff;
import dev.thaw.core.runs.RunComparison;
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

/** {@code thaw compare RUN RUN...}: runs side by side, with paired tests against the first. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare two or more runs: metrics, the settings and frozen layers that differ, per-class accuracy,",
            "and McNemar's test of each run against the first on the validation images they share (with the images that flipped)."})
final class CompareCommand implements Callable<Integer> {

    private final AppHome home;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "2..*", paramLabel = "RUN", description = "Run ids (or unique prefixes, or run folders); the first is the reference.")
    List<String> runs;

    @Option(names = "--epoch", paramLabel = "best|last", defaultValue = "best",
            description = "Whose predictions: the best epoch's (the saved model) or the last epoch's (default: ${DEFAULT-VALUE}).")
    String epoch;

    @Option(names = "--flips", paramLabel = "N", defaultValue = "10", description = "Flipped images to list per pair (default: ${DEFAULT-VALUE}).")
    int flips;

    @Mixin

    RunsDirOption runsDir;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    CompareCommand(AppHome home) {
        this.home = home;
    }

    @Override
    public Integer call() {
        RunStore store = runsDir.store(home);
        List<RunStore.RunInfo> infos = new ArrayList<>();
        for (String r : runs) {
            infos.add(RunArgs.find(store, r));
        }
        ValPredictions.Epoch which = switch (epoch.toLowerCase(Locale.ROOT)) {
            case "best" -> ValPredictions.Epoch.BEST;
            case "last", "final" -> ValPredictions.Epoch.LAST;
            default -> throw new UserException("--epoch must be best or last, was '" + epoch + "'");
        };
        RunComparison c = RunComparison.of(infos, which);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.COMPACT.toJson(toJson(c)));
            out.flush();
            return 0;
        }
        out.println(c.splitNote());
        out.println();
        out.printf(Locale.ROOT, "%-3s %-44s %-7s %-10s %7s %7s %5s %8s %8s %8s %12s%n", "#", "RUN", "STRAT", "STATE", "FINAL", "BEST",
                "EPOCH", "VAL LOSS", "TIME", "IMG/S", "TRAINABLE");
        List<RunComparison.Metrics> metrics = c.metrics();
        for (int i = 0; i < metrics.size(); i++) {
            RunComparison.Metrics m = metrics.get(i);
            out.printf(Locale.ROOT, "%-3d %-44s %-7s %-10s %7s %7s %5d %8.4f %7.1fs %8.0f %,12d%n", i + 1, RunArgs.shorten(m.displayName(), 44),
                    m.strategy(), m.state(), RunArgs.pct(m.finalValAccuracy()), RunArgs.pct(m.bestValAccuracy()), m.bestEpoch(), m.valLoss(),
                    m.wallSeconds(), m.imagesPerSecond(), m.trainableParams());
        }
        out.println("(BEST is chosen on the validation set itself, so it is optimistic; FINAL is the last epoch.)");
        List<ConfigDiff.Row> diff = c.configDiff();
        out.println();
        out.println(diff.isEmpty() ? "Settings: identical" : "Settings that differ:");
        for (ConfigDiff.Row r : diff) {
            out.printf(Locale.ROOT, "  %-28s %s%n", r.key(), String.join("  |  ", r.values().stream().map(v -> v == null ? "-" : v).toList()));
        }
        List<RunComparison.FreezeRow> freeze = c.freezeDiffTopmost();
        out.println();
        out.println(freeze.isEmpty() ? "Frozen layers: the same" : "Frozen layers that differ (F frozen, T trains, P partly frozen):");
        for (RunComparison.FreezeRow r : freeze) {
            List<String> marks = new ArrayList<>();
            for (int i = 0; i < r.frozen().size(); i++) {
                marks.add(r.frozen().get(i) == null ? "-" : switch (c.freezeState(i, r.path())) {
                    case FROZEN -> "F";
                    case PARTLY -> "P";
                    case TRAINABLE -> "T";
                });
            }
            out.printf(Locale.ROOT, "  %-36s %s%n", r.path(), String.join(" ", marks));
        }
        List<RunComparison.ClassRow> classes = c.perClassAccuracy();
        if (!classes.isEmpty()) {
            out.println();
            out.println("Per-class accuracy (change vs run 1):");
            for (RunComparison.ClassRow r : classes) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < r.accuracy().size(); i++) {
                    sb.append(String.format(Locale.ROOT, "  %7s", RunArgs.pct(r.accuracy().get(i))));
                    if (i > 0) {
                        sb.append(" (").append(RunArgs.points(r.deltaVsFirst().get(i))).append(")");
                    }
                }
                out.printf(Locale.ROOT, "  %-20s n=%-4d%s%n", RunArgs.shorten(r.className(), 20), r.support(), sb);
            }
        }
        for (int b = 1; b < infos.size(); b++) {
            if (c.predictions(0).isEmpty() || c.predictions(b).isEmpty()) {
                continue;
            }
            RunComparison.PairedTest t = c.mcnemar(0, b);
            out.println();
            out.printf(Locale.ROOT, "Run 1 vs run %d on %d shared images: %d right only in 1, %d right only in %d; McNemar p%s%s%n", b + 1,
                    t.shared(), t.test().aOnly(), t.test().bOnly(), b + 1, dev.thaw.core.experiment.ExperimentReport.pText(t.test().pValue()),
                    t.test().significant(0.05) ? " (a real difference)" : " (within noise)");
            printFlips(out, c.flipped(0, b), "right in 1, wrong in " + (b + 1));
            printFlips(out, c.flipped(b, 0), "right in " + (b + 1) + ", wrong in 1");
        }
        out.flush();
        return 0;
    }

    private void printFlips(PrintWriter out, List<RunComparison.Flip> list, String what) {
        if (list.isEmpty()) {
            return;
        }
        out.println("  " + list.size() + " image(s) " + what + ":");
        for (RunComparison.Flip f : list.subList(0, Math.min(flips, list.size()))) {
            out.printf(Locale.ROOT, "    %s  true %s; predicted %s vs %s%n", f.file(), f.truth(), f.predictedA(), f.predictedB());
        }
        if (list.size() > flips) {
            out.println("    … " + (list.size() - flips) + " more (--flips N)");
        }
    }

    private static Map<String, Object> toJson(RunComparison c) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("same_split", c.sameSplit());
        j.put("split_note", c.splitNote());
        j.put("epoch", c.epoch().name().toLowerCase(Locale.ROOT));
        j.put("metrics", c.metrics());
        j.put("config_diff", c.configDiff());
        j.put("freeze_diff", c.freezeDiff());
        j.put("per_class", c.perClassAccuracy());
        List<Map<String, Object>> pairs = new ArrayList<>();
        for (int b = 1; b < c.runs().size(); b++) {
            if (c.predictions(0).isEmpty() || c.predictions(b).isEmpty()) {
                continue;
            }
            RunComparison.PairedTest t = c.mcnemar(0, b);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("a", c.runs().get(0).id());
            p.put("b", c.runs().get(b).id());
            p.put("shared", t.shared());
            p.put("a_only", t.test().aOnly());
            p.put("b_only", t.test().bOnly());
            p.put("p_value", t.test().pValue());
            p.put("flipped_a_to_b", c.flipped(0, b).stream().map(RunComparison.Flip::file).toList());
            p.put("flipped_b_to_a", c.flipped(b, 0).stream().map(RunComparison.Flip::file).toList());
            pairs.add(p);
        }
        j.put("pairs", pairs);
        return j;
    }
}
