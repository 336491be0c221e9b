package dev.thaw.cli;

import dev.thaw.core.backbone.BackboneSource;
import dev.thaw.core.data.Augmentation;
import dev.thaw.core.model.RunSpec;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code thaw train}: one training run from the command line. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a classifier on a labeled image folder with a pretrained backbone.",
            "DIR is DIR/CLASS/* (a seeded stratified split is made) or DIR/train/CLASS/* + DIR/val/CLASS/* (kept as given).",
            "Progress prints one line per epoch; the run's folder keeps its spec, split, metrics, checkpoints and model."})
final class TrainCommand implements Callable<Integer> {

    private final AppHome home;

    @Spec
    CommandSpec spec;

    @Option(names = "--backbone", paramLabel = "SOURCE",
            description = "sample | arch:NAME | zoo:NAME | a .pt (TorchScript), .onnx or .params file")
    String backbone;

    @Option(names = "--data", paramLabel = "DIR", description = "The labeled image folder.")
    Path data;

    @Option(names = "--strategy", paramLabel = "fe|ft|scratch",
            description = "fe: feature extraction (frozen backbone, cached embeddings); ft: fine-tuning; scratch: same architecture from random weights.")
    String strategy;

    @Option(names = "--freeze", paramLabel = "PRESET|PATHS",
            description = "head-only, last:N, bn-only, all, or comma-separated layer paths to freeze (fine-tuning; default: all trainable).")
    String freeze;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default: fe 40, ft and scratch 15).")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "N", description = "Batch size (default: ${DEFAULT-VALUE}).", defaultValue = "32")
    int batch;

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate of the head (default: fe 0.003, ft and scratch 0.005).")
    Double lr;

    @Option(names = "--backbone-lr", paramLabel = "X", defaultValue = "0.1",
            description = "Fine-tuning: the backbone's learning rate as a multiple of --lr (default: ${DEFAULT-VALUE}).")
    double backboneLrMultiplier;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "0",
            description = "Fine-tuning: epochs that train only the head before the backbone unfreezes (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--augment", paramLabel = "none|light|strong", description = "Training augmentation (default: none for fe, light otherwise).")
    String augment;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "0",
            description = "Stop after N epochs without a better validation accuracy (default: 0, off).")
    int patience;

    @Option(names = "--class-weights", description = "Weight the loss by inverse class frequency.")
    boolean classWeights;

    @Option(names = "--adapt-bn", description = "Feature extraction: re-estimate the frozen backbone's BatchNorm statistics on the "
            + "training images before embedding them (AdaBN; no weight changes; for images unlike the backbone's own data). "
            + "Needs a TorchScript or Thaw-architecture backbone; embeds with libtorch.")
    boolean adaptBatchNorm;

    @Option(names = "--image-size", paramLabel = "N", description = "Input size; overrides the backbone's sidecar.")
    Integer imageSize;

    @Option(names = "--mean", paramLabel = "R,G,B", split = ",", description = "Normalization mean; overrides the sidecar.")
    float[] mean;

    @Option(names = "--std", paramLabel = "R,G,B", split = ",", description = "Normalization std; overrides the sidecar.")
    float[] std;

    @Option(names = "--val-fraction", paramLabel = "F", defaultValue = "0.2",
            description = "Share of each class held out for validation when DIR is not split (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed for the split, initialization, shuffling and augmentation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--device", paramLabel = "auto|cpu|gpu", defaultValue = "auto", description = "Where to train (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--name", paramLabel = "NAME", description = "A short label for the run (used in its folder name).")
    String name;

    @Option(names = "--spec", paramLabel = "FILE", description = "Run a saved RunSpec (a run's spec.json) instead of the options above.")
    Path specFile;

    @Mixin

    RunsDirOption runsDir;

    @Option(names = "--json", description = "Print only one JSON line with the results on stdout (progress goes to stderr).")
    boolean json;

    TrainCommand(AppHome home) {
        this.home = home;
    }

    @Override
    public Integer call() {
        RunSpec runSpec = specFile != null ? readSpec(specFile) : buildSpec();
        return Training.run(home, runsDir.store(home), runSpec, json,
                spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    static RunSpec readSpec(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserException("Spec file not found: " + file);
        }
        try {
            return Json.read(file, RunSpec.class);
        } catch (RuntimeException e) {
            throw new UserException(e.getMessage(), e);
        }
    }

    private RunSpec buildSpec() {
        if (backbone == null || data == null || strategy == null) {
            throw new UserException("train needs --backbone, --data and --strategy (or --spec FILE); see thaw train --help");
        }
        try {
            // Absolute paths, so the saved spec re-runs from any folder.
            RunSpec.Builder b = RunSpec.builder().setBackbone(absoluteIfFile(backbone)).setData(data.toAbsolutePath().normalize()).setStrategy(Strategy.parse(strategy))
                    .optFreeze(freeze).optBatchSize(batch).optBackboneLrMultiplier(backboneLrMultiplier).optWarmupEpochs(warmup)
                    .optEarlyStoppingPatience(patience).optClassWeights(classWeights).optAdaptBatchNorm(adaptBatchNorm).optImageSize(imageSize).optMean(mean)
                    .optStd(std).optValFraction(valFraction).optSeed(seed).optSplitSeed(seed).optDevice(device).optName(name);
            if (epochs != null) {
                b.optEpochs(epochs);
            }
            if (lr != null) {
                b.optLearningRate(lr);
            }
            if (augment != null) {
                b.optAugmentation(parseAugmentation(augment));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), e);
        }
    }

    private static String absoluteIfFile(String source) {
        BackboneSource parsed = BackboneSource.parse(source);
        return parsed instanceof BackboneSource.File f ? f.path().toAbsolutePath().normalize().toString() : parsed.text();
    }

    private static Augmentation parseAugmentation(String text) {
        try {
            return Augmentation.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown augmentation '" + text + "': use none, light or strong");
        }
    }
}
