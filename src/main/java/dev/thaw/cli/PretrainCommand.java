package dev.thaw.cli;

import dev.thaw.core.backbone.Architectures;
import dev.thaw.core.backbone.BackboneLoader;
import dev.thaw.core.data.Augmentation;
import dev.thaw.core.model.RunSpec;
import dev.thaw.core.model.TrainingEvent;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.runtime.EngineRuntime;
import dev.thaw.core.train.Pretrainer;
import dev.thaw.core.train.RunHandle;
import dev.thaw.core.train.RunResult;
import dev.thaw.core.train.TrainingService;
import dev.thaw.core.util.JobMonitor;
import dev.thaw.core.util.Json;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code thaw pretrain}: trains one of Thaw's architectures on a labeled folder and saves it as a backbone. */
@Command(name = "pretrain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Pretrain a backbone on a big labeled folder of your own, for later transfer with --backbone FILE.",
            "Writes FILE (.params weights) and FILE's sidecar .json (architecture, input size, normalization, feature size, "
                    + "what it was trained on and its validation accuracy)."})
final class PretrainCommand implements Callable<Integer> {

    private final AppHome home;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "Labeled folder: DIR/CLASS/* or DIR/train|val/CLASS/*.")
    Path data;

    @Option(names = "--arch", paramLabel = "NAME", defaultValue = Architectures.MINI_RESNET,
            description = "Architecture (default: ${DEFAULT-VALUE}); one of: mini-resnet, resnet18.")
    String arch;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "12", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "The .params file to write (its sidecar .json goes next to it).")
    Path out;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", paramLabel = "X", defaultValue = "0.003", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--augment", paramLabel = "none|light|strong", defaultValue = "light",
            description = "Augmentation (default: ${DEFAULT-VALUE}).")
    String augment;

    @Option(names = "--domain-randomization", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Randomize colors, add texture and noise, so the backbone learns shapes rather than the look of "
                    + "its source images (default: on; --no-domain-randomization turns it off).")
    boolean domainRandomization;

    @Option(names = "--image-size", paramLabel = "N", description = "Input size (default: the architecture's).")
    Integer imageSize;

    @Option(names = "--val-fraction", paramLabel = "F", defaultValue = "0.2", description = "Held out per class for validation (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin

    RunsDirOption runsDir;

    PretrainCommand(AppHome home) {
        this.home = home;
    }

    @Override
    public Integer call() {
        if (!Files.isDirectory(data)) {
            throw new UserException("Dataset folder not found: " + data);
        }
        if (!out.getFileName().toString().endsWith(".params")) {
            throw new UserException("--out must name a .params file, was " + out);
        }
        RunSpec runSpec;
        try {
            Augmentation aug = Augmentation.valueOf(augment.trim().toUpperCase(Locale.ROOT));
            runSpec = Pretrainer.spec(arch, data, RunSpec.builder().optEpochs(epochs).optBatchSize(batch).optLearningRate(lr)
                    .optAugmentation(aug).optDomainRandomization(domainRandomization).optImageSize(imageSize).optValFraction(valFraction).optSeed(seed).optSplitSeed(seed));
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), e);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.println("Starting the engines…");
        o.flush();
        EngineRuntime.start(home, JobMonitor.NONE);
        RunStore store = runsDir.store(home);
        try (TrainingService service = new TrainingService(home, store, new BackboneLoader(home))) {
            service.addListener(new TrainingPrinter(o));
            RunHandle handle = service.submit(runSpec);
            o.println("Pretraining run " + handle.runId() + " in " + handle.folder());
            o.flush();
            RunResult result = handle.result().join();
            if (result.terminal() instanceof TrainingEvent.Failed f) {
                throw new UserException(f.message());
            }
            if (!result.completed()) {
                return 130;
            }
            Map<String, Object> sidecar = Pretrainer.export(result, arch, out);
            o.printf(Locale.ROOT, "Wrote %s (%.1f MB) and %s: %s, validation accuracy %.1f%%%n", out,
                    sizeMb(out), out.resolveSibling(out.getFileName().toString().replace(".params", ".json")).getFileName(),
                    sidecar.get("name"), 100 * result.summary().bestValAcc());
            o.println(Json.COMPACT.toJson(Map.of("out", out.toString(), "val_acc", result.summary().bestValAcc(), "run", result.runId())));
            o.flush();
            return 0;
        }
    }

    private static double sizeMb(Path p) {
        try {
            return Files.size(p) / 1e6;
        } catch (java.io.IOException e) {
            return Double.NaN;
        }
    }
}
