package dev.thaw.core.model;

import dev.thaw.core.data.Augmentation;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything a training run needs, so that the same spec runs the same experiment again. The CLI
 * and the GUI both build one; the engine saves it (with the freeze plan resolved) as
 * {@code spec.json} in the run folder, and {@code thaw train --spec FILE} or {@code thaw rerun RUN}
 * runs it again.
 *
 * <p>Build one with {@link #builder()}: {@code setX} for the values every run needs, {@code optX}
 * for the rest, whose defaults are listed on the builder's methods.
 *
 * @param name a short human label, or {@code null}
 * @param backbone where the backbone comes from: {@code sample}, {@code arch:NAME}, {@code zoo:NAME}
 *     or a file path ({@code .pt}, {@code .onnx}, {@code .params})
 * @param imageSize input size that overrides the backbone's metadata, or {@code null}
 * @param mean per-channel mean that overrides the metadata, or {@code null}
 * @param std per-channel std that overrides the metadata, or {@code null}
 * @param data the dataset folder ({@code DIR/CLASS/*} or {@code DIR/train|val/CLASS/*})
 * @param splitManifest a saved split to use instead of splitting {@code data} (re-runs use the
 *     original run's manifest), or {@code null}
 * @param valFraction share of each class held out for validation when {@code data} is not presplit
 * @param testFraction share of each class held out as a test set when {@code data} is not presplit
 * @param splitSeed seed of the stratified split
 * @param strategy feature extraction, fine-tuning or scratch
 * @param freeze the freeze preset or paths as the user gave them ({@code head-only}, {@code last:2},
 *     {@code bn-only}, {@code all}, or comma-separated node paths), or {@code null} for the
 *     strategy's default
 * @param freezePlan the exact plan; when set it wins over {@code freeze}. The engine fills it in
 *     before saving the spec, so a saved spec always says exactly what was frozen
 * @param epochs epochs to train (at most; early stopping may end sooner)
 * @param batchSize images per batch
 * @param learningRate learning rate of the new head (and of the whole network from scratch)
 * @param backboneLrMultiplier fine-tuning: the backbone's learning rate is the head's times this
 * @param warmupEpochs fine-tuning: epochs that train only the head before the plan's layers unfreeze
 * @param augmentation training-time augmentation (not used by feature extraction, whose
 *     embeddings are computed once)
 * @param seed seeds weight initialization, shuffling and augmentation: same seed, same metrics on CPU
 * @param device {@code auto} (a GPU when present), {@code cpu} or {@code gpu}
 * @param earlyStoppingPatience stop after this many epochs without a better validation accuracy;
 *     0 turns early stopping off
 * @param classWeights weight the loss by inverse class frequency (for imbalanced data)
 * @param weightDecay L2 weight decay
 * @param domainRandomization randomize colors, add texture and noise to training images on top
 *     of {@code augmentation} ({@code thaw pretrain} turns it on, so a backbone learns shapes rather
 *     than the look of its source images)
 * @param adaptBatchNorm feature extraction: before embedding, re-estimate the frozen backbone's
 *     BatchNorm running statistics on the training images (AdaBN; no weight changes), for data whose
 *     statistics differ from what the backbone was trained on. The run keeps the adapted backbone
 */
public record RunSpec(String name, String backbone, Integer imageSize, float[] mean, float[] std, Path data,
        Path splitManifest, double valFraction, double testFraction, long splitSeed, Strategy strategy, String freeze,
        FreezePlan freezePlan, int epochs, int batchSize, double learningRate, double backboneLrMultiplier,
        int warmupEpochs, Augmentation augmentation, long seed, String device, int earlyStoppingPatience,
        boolean classWeights, double weightDecay, boolean domainRandomization, boolean adaptBatchNorm) {

    public static final double DEFAULT_VAL_FRACTION = 0.2;
    public static final double DEFAULT_BACKBONE_LR_MULTIPLIER = 0.1;
    public static final int DEFAULT_BATCH_SIZE = 32;
    public static final long DEFAULT_SEED = 42;

    public RunSpec {
        Objects.requireNonNull(backbone, "backbone");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(strategy, "strategy");
        mean = mean == null ? null : mean.clone();
        std = std == null ? null : std.clone();
        augmentation = augmentation == null ? Augmentation.NONE : augmentation;
        device = device == null ? "auto" : device;
    }

    /** Default epochs per strategy: a head on cached embeddings is cheap, so it gets more. */
    public static int defaultEpochs(Strategy strategy) {
        return switch (strategy) {
            case FEATURE_EXTRACTION -> 40;
            case FINE_TUNING, SCRATCH -> 15;
        };
    }

    /** Default head learning rate per strategy (Adam). */
    public static double defaultLearningRate(Strategy strategy) {
        return switch (strategy) {
            case FEATURE_EXTRACTION -> 3e-3;
            case FINE_TUNING, SCRATCH -> 5e-3;
        };
    }

    /** Default augmentation per strategy (feature extraction embeds each image once, unaugmented). */
    public static Augmentation defaultAugmentation(Strategy strategy) {
        return strategy == Strategy.FEATURE_EXTRACTION ? Augmentation.NONE : Augmentation.LIGHT;
    }

    /** This spec with the freeze plan the engine resolved. */
    public RunSpec withFreezePlan(FreezePlan plan) {
        return new RunSpec(name, backbone, imageSize, mean, std, data, splitManifest, valFraction, testFraction, splitSeed,
                strategy, freeze, plan, epochs, batchSize, learningRate, backboneLrMultiplier, warmupEpochs, augmentation,
                seed, device, earlyStoppingPatience, classWeights, weightDecay, domainRandomization, adaptBatchNorm);
    }

    /** This spec reading its split from {@code manifest} (how a re-run keeps the same images). */
    public RunSpec withSplitManifest(Path manifest) {
        return new RunSpec(name, backbone, imageSize, mean, std, data, manifest, valFraction, testFraction, splitSeed,
                strategy, freeze, freezePlan, epochs, batchSize, learningRate, backboneLrMultiplier, warmupEpochs,
                augmentation, seed, device, earlyStoppingPatience, classWeights, weightDecay, domainRandomization, adaptBatchNorm);
    }

    /** This spec with another seed (for repeated runs). */
    public RunSpec withSeed(long newSeed) {
        return new RunSpec(name, backbone, imageSize, mean, std, data, splitManifest, valFraction, testFraction, splitSeed,
                strategy, freeze, freezePlan, epochs, batchSize, learningRate, backboneLrMultiplier, warmupEpochs,
                augmentation, newSeed, device, earlyStoppingPatience, classWeights, weightDecay, domainRandomization, adaptBatchNorm);
    }

    /** A builder prefilled from this spec. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.backbone = backbone;
        b.imageSize = imageSize;
        b.mean = mean;
        b.std = std;
        b.data = data;
        b.splitManifest = splitManifest;
        b.valFraction = valFraction;
        b.testFraction = testFraction;
        b.splitSeed = splitSeed;
        b.strategy = strategy;
        b.freeze = freeze;
        b.freezePlan = freezePlan;
        b.epochs = epochs;
        b.batchSize = batchSize;
        b.learningRate = learningRate;
        b.backboneLrMultiplier = backboneLrMultiplier;
        b.warmupEpochs = warmupEpochs;
        b.augmentation = augmentation;
        b.seed = seed;
        b.device = device;
        b.earlyStoppingPatience = earlyStoppingPatience;
        b.classWeights = classWeights;
        b.weightDecay = weightDecay;
        b.domainRandomization = domainRandomization;
        b.adaptBatchNorm = adaptBatchNorm;
        return b;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunSpec r && Objects.equals(name, r.name) && backbone.equals(r.backbone)
                && Objects.equals(imageSize, r.imageSize) && Arrays.equals(mean, r.mean) && Arrays.equals(std, r.std)
                && data.equals(r.data) && Objects.equals(splitManifest, r.splitManifest) && valFraction == r.valFraction
                && testFraction == r.testFraction && splitSeed == r.splitSeed && strategy == r.strategy
                && Objects.equals(freeze, r.freeze) && Objects.equals(freezePlan, r.freezePlan) && epochs == r.epochs
                && batchSize == r.batchSize && learningRate == r.learningRate
                && backboneLrMultiplier == r.backboneLrMultiplier && warmupEpochs == r.warmupEpochs
                && augmentation == r.augmentation && seed == r.seed && device.equals(r.device)
                && earlyStoppingPatience == r.earlyStoppingPatience && classWeights == r.classWeights
                && weightDecay == r.weightDecay && domainRandomization == r.domainRandomization
                && adaptBatchNorm == r.adaptBatchNorm;
    }

    @Override
    public int hashCode() {
        return Objects.hash(backbone, data, strategy, freezePlan, epochs, seed);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s on %s (%d epochs, batch %d, lr %g, seed %d)", strategy.cliName(), backbone,
                data, epochs, batchSize, learningRate, seed);
    }

    /** Builds a {@link RunSpec}; {@code setX} for required values, {@code optX} for optional ones. */
    public static final class Builder {
        private String name;
        private String backbone;
        private Integer imageSize;
        private float[] mean;
        private float[] std;
        private Path data;
        private Path splitManifest;
        private double valFraction = DEFAULT_VAL_FRACTION;
        private double testFraction;
        private long splitSeed = DEFAULT_SEED;
        private Strategy strategy;
        private String freeze;
        private FreezePlan freezePlan;
        private Integer epochs;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Double learningRate;
        private double backboneLrMultiplier = DEFAULT_BACKBONE_LR_MULTIPLIER;
        private int warmupEpochs;
        private Augmentation augmentation;
        private long seed = DEFAULT_SEED;
        private String device = "auto";
        private int earlyStoppingPatience;
        private boolean classWeights;
        private double weightDecay = 1e-4;
        private boolean domainRandomization;
        private boolean adaptBatchNorm;

        private Builder() {
        }

        /** Required: {@code sample}, {@code arch:NAME}, {@code zoo:NAME} or a file path. */
        public Builder setBackbone(String source) {
            this.backbone = source;
            return this;
        }

        /** Required: the dataset folder. */
        public Builder setData(Path folder) {
            this.data = folder;
            return this;
        }

        /** Required: how to train. */
        public Builder setStrategy(Strategy s) {
            this.strategy = s;
            return this;
        }

        public Builder optName(String n) {
            this.name = n;
            return this;
        }

        public Builder optImageSize(Integer size) {
            this.imageSize = size;
            return this;
        }

        public Builder optMean(float[] m) {
            this.mean = m;
            return this;
        }

        public Builder optStd(float[] s) {
            this.std = s;
            return this;
        }

        public Builder optSplitManifest(Path manifest) {
            this.splitManifest = manifest;
            return this;
        }

        /** Default 0.2. */
        public Builder optValFraction(double f) {
            this.valFraction = f;
            return this;
        }

        /** Default 0. */
        public Builder optTestFraction(double f) {
            this.testFraction = f;
            return this;
        }

        /** Default {@value RunSpec#DEFAULT_SEED}. */
        public Builder optSplitSeed(long s) {
            this.splitSeed = s;
            return this;
        }

        /** A preset or paths, resolved against the layer tree when the run starts. */
        public Builder optFreeze(String presetOrPaths) {
            this.freeze = presetOrPaths;
            return this;
        }

        /** An exact plan (the GUI's ticks); wins over {@link #optFreeze}. */
        public Builder optFreezePlan(FreezePlan plan) {
            this.freezePlan = plan;
            return this;
        }

        /** Default {@link RunSpec#defaultEpochs(Strategy)}. */
        public Builder optEpochs(int n) {
            this.epochs = n;
            return this;
        }

        /** Default {@value RunSpec#DEFAULT_BATCH_SIZE}. */
        public Builder optBatchSize(int n) {
            this.batchSize = n;
            return this;
        }

        /** Default {@link RunSpec#defaultLearningRate(Strategy)}. */
        public Builder optLearningRate(double lr) {
            this.learningRate = lr;
            return this;
        }

        /** Default {@value RunSpec#DEFAULT_BACKBONE_LR_MULTIPLIER}. */
        public Builder optBackboneLrMultiplier(double m) {
            this.backboneLrMultiplier = m;
            return this;
        }

        /** Default 0. */
        public Builder optWarmupEpochs(int n) {
            this.warmupEpochs = n;
            return this;
        }

        /** Default {@link RunSpec#defaultAugmentation(Strategy)}. */
        public Builder optAugmentation(Augmentation a) {
            this.augmentation = a;
            return this;
        }

        /** Default {@value RunSpec#DEFAULT_SEED}. */
        public Builder optSeed(long s) {
            this.seed = s;
            return this;
        }

        /** {@code auto} (default), {@code cpu} or {@code gpu}. */
        public Builder optDevice(String d) {
            this.device = d;
            return this;
        }

        /** Default 0 (off). */
        public Builder optEarlyStoppingPatience(int epochsWithoutImprovement) {
            this.earlyStoppingPatience = epochsWithoutImprovement;
            return this;
        }

        /** Default false. */
        public Builder optClassWeights(boolean on) {
            this.classWeights = on;
            return this;
        }

        /** Default 1e-4. */
        public Builder optWeightDecay(double wd) {
            this.weightDecay = wd;
            return this;
        }

        /** Default false. */
        public Builder optDomainRandomization(boolean on) {
            this.domainRandomization = on;
            return this;
        }

        /** Default false. Feature extraction only: see {@link RunSpec#adaptBatchNorm()}. */
        public Builder optAdaptBatchNorm(boolean on) {
            this.adaptBatchNorm = on;
            return this;
        }

        /**
         * The spec; throws {@link IllegalArgumentException} naming the value when one is out of range.
         */
        public RunSpec build() {
            if (backbone == null || backbone.isBlank()) {
                throw new IllegalArgumentException("A backbone is needed: sample, arch:NAME, zoo:NAME or a file path");
            }
            if (data == null) {
                throw new IllegalArgumentException("A dataset folder is needed");
            }
            if (strategy == null) {
                throw new IllegalArgumentException("A strategy is needed: fe, ft or scratch");
            }
            int e = epochs == null ? defaultEpochs(strategy) : epochs;
            double lr = learningRate == null ? defaultLearningRate(strategy) : learningRate;
            Augmentation aug = augmentation == null ? defaultAugmentation(strategy) : augmentation;
            require(e >= 1, "epochs must be at least 1, was " + e);
            require(batchSize >= 1, "batch size must be at least 1, was " + batchSize);
            require(lr > 0 && Double.isFinite(lr), "learning rate must be positive, was " + lr);
            require(backboneLrMultiplier >= 0 && Double.isFinite(backboneLrMultiplier),
                    "backbone learning-rate multiplier must be 0 or more, was " + backboneLrMultiplier);
            require(warmupEpochs >= 0, "warm-up epochs must be 0 or more, was " + warmupEpochs);
            require(valFraction > 0 && valFraction < 1, "validation fraction must be between 0 and 1, was " + valFraction);
            require(testFraction >= 0 && valFraction + testFraction < 1,
                    "test fraction must be 0 or more and leave images to train on, was " + testFraction);
            require(earlyStoppingPatience >= 0, "early-stopping patience must be 0 or more, was " + earlyStoppingPatience);
            require(weightDecay >= 0, "weight decay must be 0 or more, was " + weightDecay);
            require(imageSize == null || imageSize >= 8, "image size must be at least 8, was " + imageSize);
            require(mean == null || mean.length == 3, "mean needs 3 values (R,G,B)");
            require(std == null || std.length == 3, "std needs 3 values (R,G,B)");
            require(!adaptBatchNorm || strategy == Strategy.FEATURE_EXTRACTION,
                    "re-estimating BatchNorm statistics (--adapt-bn) is a feature-extraction option; fine-tuning and scratch runs "
                    + "update the statistics of the layers they train");
            String d = device == null ? "auto" : device.toLowerCase(Locale.ROOT);
            require(d.equals("auto") || d.equals("cpu") || d.equals("gpu"), "device must be auto, cpu or gpu, was " + device);
            return new RunSpec(name, backbone, imageSize, mean, std, data, splitManifest, valFraction, testFraction, splitSeed,
                    strategy, freeze, freezePlan, e, batchSize, lr, backboneLrMultiplier, warmupEpochs, aug, seed, d,
                    earlyStoppingPatience, classWeights, weightDecay, domainRandomization, adaptBatchNorm);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
