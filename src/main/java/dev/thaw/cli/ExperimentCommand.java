package dev.thaw.cli;

import dev.thaw.core.backbone.BackboneLoader;
import dev.thaw.core.backbone.BackboneSource;
import dev.thaw.core.experiment.Experiment;
import dev.thaw.core.experiment.ExperimentReport;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.runtime.EngineRuntime;
import dev.thaw.core.train.RunResult;
import dev.thaw.core.train.TrainingService;
import dev.thaw.core.util.JobMonitor;
import dev.thaw.core.util.Json;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
import picocli.CommandLine.Spec;

/** {@code thaw experiment}: feature extraction vs fine-tuning vs scratch, several seeds, one split, and a verdict. */
@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run feature extraction, fine-tuning (last stage, backbone at 0.1x the head's learning rate) and training from scratch,",
            "each with several seeds, all on one split; then report mean and spread per arm and a paired test (McNemar on each",
            "image's majority vote across seeds, final-epoch predictions) with a plain verdict per pair."})
final class ExperimentCommand implements Callable<Integer> {

    private final AppHome home;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "The labeled image folder.")
    Path data;

    @Option(names = "--backbone", paramLabel = "SOURCE", required = true,
            description = "sample | arch:NAME | zoo:NAME | a .pt, .onnx or .params file")
    String backbone;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "3", description = "Runs per arm (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--arms", paramLabel = "LIST", split = ",", defaultValue = "fe,ft,scratch",
            description = "Which arms (default: ${DEFAULT-VALUE}).")
    List<String> arms;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs for every arm (default: fe 30, ft and scratch 15).")
    Integer epochs;

    @Option(names = "--fe-epochs", paramLabel = "N", description = "Epochs for feature extraction.")
    Integer feEpochs;

    @Option(names = "--ft-epochs", paramLabel = "N", description = "Epochs for fine-tuning.")
    Integer ftEpochs;

    @Option(names = "--scratch-epochs", paramLabel = "N", description = "Epochs for scratch.")
    Integer scratchEpochs;

    @Option(names = "--adapt-bn", description = "Feature-extraction arm: re-estimate the backbone's BatchNorm statistics on the "
            + "training images first (as thaw train --adapt-bn; done once, shared by the seeds).")
    boolean adaptBatchNorm;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--split", paramLabel = "FILE", description = "A saved split manifest to use (default: split DIR once, seed 42).")
    Path split;

    @Option(names = "--device", paramLabel = "auto|cpu|gpu", defaultValue = "auto", description = "Where to train (default: ${DEFAULT-VALUE}).")
    String device;

    @Mixin

    RunsDirOption runsDir;

    @Option(names = "--json", description = "Progress to stderr; the report as one JSON line on stdout.")
    boolean json;

    ExperimentCommand(AppHome home) {
        this.home = home;
    }

    @Override
    public Integer call() {
        if (!Files.isDirectory(data)) {
            throw new UserException("Dataset folder not found: " + data);
        }
        if (split != null && !Files.isRegularFile(split)) {
            throw new UserException("Split manifest not found: " + split);
        }
        if (seeds < 1) {
            throw new UserException("--seeds must be at least 1, was " + seeds);
        }
        Experiment.Settings settings = settings();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = json ? spec.commandLine().getErr() : out;
        progress.println("Starting the engines…");
        progress.flush();
        EngineRuntime.start(home, JobMonitor.NONE);
        RunStore store = runsDir.store(home);
        try (TrainingService service = new TrainingService(home, store, new BackboneLoader(home))) {
            Experiment e;
            try {
                e = Experiment.start(service, settings, p -> {
                    progress.printf(Locale.ROOT, "[%3.0f%%] %s%n", 100 * p.fraction(), p.message());
                    progress.flush();
                });
            } catch (IllegalArgumentException ex) {
                throw new UserException(ex.getMessage(), ex);
            }
            progress.printf(Locale.ROOT, "Experiment %s: %d runs (%s x %d seeds) on one split (%s)%n", e.id(), e.runs().size(),
                    String.join(", ", settings.arms().stream().map(a -> a.strategy().cliName()).toList()), seeds, e.splitManifest());
            progress.flush();
            Thread hook = new Thread(() -> {
                e.cancel();
                e.done().join();
            }, "thaw-cancel");
            Runtime.getRuntime().addShutdownHook(hook);
            List<RunResult> results = e.done().join();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ex) {
                // shutting down
            }
            ExperimentReport report = e.report();
            if (json) {
                out.println(Json.COMPACT.toJson(toJson(e, report)));
            } else {
                print(out, e, report);
            }
            out.flush();
            return results.stream().allMatch(RunResult::completed) ? 0 : 1;
        }
    }

    private Experiment.Settings settings() {
        List<Experiment.ArmSettings> list = new ArrayList<>();
        for (String a : arms) {
            Strategy s;
            try {
                s = Strategy.parse(a);
            } catch (IllegalArgumentException e) {
                throw new UserException("--arms: " + e.getMessage(), e);
            }
            Experiment.ArmSettings arm = Experiment.ArmSettings.defaults(s).withAdaptBatchNorm(adaptBatchNorm);
            Integer n = switch (s) {
                case FEATURE_EXTRACTION -> feEpochs;
                case FINE_TUNING -> ftEpochs;
                case SCRATCH -> scratchEpochs;
            };
            n = n != null ? n : epochs;
            if (n != null) {
                if (n < 1) {
                    throw new UserException("epochs must be at least 1, was " + n);
                }
                arm = arm.withEpochs(n);
            }
            list.add(arm);
        }
        BackboneSource src;
        try {
            src = BackboneSource.parse(backbone);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), e);
        }
        String source = src instanceof BackboneSource.File f ? f.path().toAbsolutePath().normalize().toString() : src.text();
        Experiment.Settings s = Experiment.Settings.defaults(data.toAbsolutePath().normalize(), source).withSeeds(seeds).withArms(list)
                .withBatchSize(batch).withDevice(device);
        return split == null ? s : s.withSplitManifest(split.toAbsolutePath());
    }

    private static void print(PrintWriter out, Experiment e, ExperimentReport r) {
        out.println();
        out.println("Experiment " + e.id() + " (runs tagged with it; thaw runs lists them)");
        out.printf(Locale.ROOT, "%-24s %4s %18s %18s %9s %9s%n", "ARM", "RUNS", "FINAL VAL ACC", "BEST VAL ACC", "VOTE ACC", "MEAN TIME");
        for (ExperimentReport.Arm a : r.arms()) {
            out.printf(Locale.ROOT, "%-24s %4d %18s %18s %9s %8.1fs%n", a.label(), a.runs(), meanSd(a.meanFinal(), a.sdFinal()),
                    meanSd(a.meanBest(), a.sdBest()), RunArgs.pct(a.voteAccuracy()), a.meanWallSeconds());
        }
        out.println();
        for (ExperimentReport.Pair p : r.pairs()) {
            out.println("- " + p.verdict());
        }
        out.println();
        for (String n : r.notes()) {
            out.println("Note: " + n);
        }
    }

    private static String meanSd(double mean, double sd) {
        return Double.isNaN(sd) ? RunArgs.pct(mean) : String.format(Locale.ROOT, "%.1f%% ± %.1f", 100 * mean, 100 * sd);
    }

    private static Map<String, Object> toJson(Experiment e, ExperimentReport r) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("experiment", e.id());
        j.put("split", e.splitManifest().toString());
        j.put("runs", e.runs().stream().map(h -> h.runId()).toList());
        j.put("arms", r.arms());
        List<Map<String, Object>> pairs = new ArrayList<>();
        for (ExperimentReport.Pair p : r.pairs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("a", p.a());
            m.put("b", p.b());
            m.put("shared", p.shared());
            m.put("a_only", p.test().aOnly());
            m.put("b_only", p.test().bOnly());
            m.put("p_value", p.test().pValue());
            m.put("mean_final_difference", p.meanFinalDifference());
            m.put("significant", p.significant());
            m.put("verdict", p.verdict());
            pairs.add(m);
        }
        j.put("pairs", pairs);
        j.put("notes", r.notes());
        return j;
    }
}
