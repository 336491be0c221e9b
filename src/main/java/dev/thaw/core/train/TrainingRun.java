package dev.thaw.core.train;

import dev.thaw.core.util.Csv;
import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.thaw.core.backbone.Backbone;
import dev.thaw.core.backbone.BackboneLoader;
import dev.thaw.core.backbone.BackboneMetadata;
import dev.thaw.core.backbone.BackboneSource;
import dev.thaw.core.backbone.MetadataOverrides;
import dev.thaw.core.backbone.TrainableBackbone;
import dev.thaw.core.data.ImagePipeline;
import dev.thaw.core.data.LabeledImage;
import dev.thaw.core.data.SplitManifest;
import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.FreezePresets;
import dev.thaw.core.model.LayerTree;
import dev.thaw.core.model.RunSpec;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.model.TrainingEvent;
import dev.thaw.core.runs.RunFolder;
import dev.thaw.core.runs.RunStatus;
import dev.thaw.core.runs.RunSummary;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.runtime.EngineRuntime;
import dev.thaw.core.util.JobMonitor;
import dev.thaw.core.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run from its {@link RunSpec} to its folder: reads the split, loads the backbone, resolves the
 * freeze plan, runs the strategy, and writes everything as it goes. Runs on the training thread.
 */
final class TrainingRun {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);
    /** Images per forward pass when computing embeddings. */
    private static final int EMBED_BATCH = 32;

    private final RunFolder folder;
    private final RunSpec spec;
    private final AppHome home;
    private final BackboneLoader loader;
    private final Consumer<TrainingEvent> events;
    private final BooleanSupplier cancelled;
    private final String runId;
    private final String started = Instant.now().toString();
    private int epochsCompleted;
    // What the completed epochs measured, so a cancelled or failed run's summary still says it.
    private double lastValAccuracy = Double.NaN;
    private double lastValLoss = Double.NaN;
    private double bestValAccuracy = Double.NaN;
    private int bestEpoch;

    // filled in as the run proceeds, for the summary
    private BackboneMetadata metadata;
    private String freezeDescription = "";
    private long trainableParams;
    private long totalParams;
    private int classes;
    private String embeddingEngine;
    private int embeddingsCached;
    private int embeddingsComputed;
    private String device = "cpu()";
    private boolean startedSent;
    private String backboneFileSha;
    // Feature extraction with re-estimated BatchNorm statistics: the adapted backbone, saved once
    private Path adaptedBackbone;

    TrainingRun(RunFolder folder, RunSpec spec, AppHome home, BackboneLoader loader, Consumer<TrainingEvent> events,
            BooleanSupplier cancelled) {
        this.folder = folder;
        this.spec = spec;
        this.home = home;
        this.loader = loader;
        this.events = events;
        this.cancelled = cancelled;
        this.runId = folder.id();
    }

    RunResult run() {
        long t0 = System.nanoTime();
        status(RunStatus.RUNNING, null);
        try {
            EngineRuntime.start(home, JobMonitor.NONE);
            // Grad mode is thread-local in libtorch and on for new threads: only the gradient
            // collector turns it on, so validation and embedding passes record nothing.
            JniUtils.setGradMode(false);
            Engine.getEngine(EngineRuntime.PYTORCH).setRandomSeed((int) spec.seed());
            Device dev = Devices.choose(spec.device());
            device = dev.toString();
            return execute(dev, t0);
        } catch (CancellationException e) {
            TrainingEvent.Cancelled c = new TrainingEvent.Cancelled(runId, epochsCompleted);
            RunSummary s = summary(RunStatus.CANCELLED, null, null, t0, "Cancelled after " + epochsCompleted + " epochs");
            folder.writeSummary(s);
            status(RunStatus.CANCELLED, "cancelled by the user");
            events.accept(c);
            return new RunResult(runId, folder.dir(), s, c);
        } catch (TrainingDivergedException | IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            return failed(e.getMessage(), e, t0);
        } catch (RuntimeException e) {
            return failed(e.getMessage() == null ? e.toString() : e.getMessage(), e, t0);
        }
    }

    private RunResult failed(String message, Throwable e, long t0) {
        // The message reaches the user through the Failed event; the stack trace goes to the log file only.
        LOG.warn("Run {} failed: {}", runId, message, e);
        TrainingEvent.Failed f = new TrainingEvent.Failed(runId, message);
        RunSummary s = summary(RunStatus.FAILED, null, null, t0, message);
        try {
            folder.writeSummary(s);
            status(RunStatus.FAILED, message);
        } catch (RuntimeException io) {
            LOG.warn("Cannot record the failure of {}", runId, io);
        }
        events.accept(f);
        return new RunResult(runId, folder.dir(), s, f);
    }

    private RunResult execute(Device dev, long t0) {
        progress("Reading the dataset " + spec.data(), -1);
        SplitManifest manifest = manifest();
        classes = manifest.classes().size();
        manifest.save(folder.file(RunFolder.SPLIT));

        progress("Loading the backbone " + spec.backbone(), -1);
        MetadataOverrides overrides = new MetadataOverrides(spec.imageSize(), spec.mean(), spec.std());
        try (Backbone backbone = loader.load(BackboneSource.parse(spec.backbone()), overrides, dev, progressMonitor())) {
            metadata = backbone.metadata();
            Json.write(folder.file(RunFolder.BACKBONE), metadataJson(metadata));
            progress(String.format(Locale.ROOT, "Backbone: %s (%s%s), %d px input, %d features", metadata.name(),
                    metadata.format().label(), metadata.trainable() ? "" : ", frozen feature extractor", metadata.inputSize(),
                    metadata.featureDim()), -1);
            for (String a : metadata.assumptions()) {
                LOG.info("Run {}: {}", runId, a);
                progress("Note: " + a, -1);
            }
            LayerTree tree = backbone.layerTree(classes);
            FreezePlan plan = resolvePlan(tree, backbone);
            freezeDescription = tree.describe(plan);
            trainableParams = tree.trainableParams(plan);
            totalParams = tree.totalParams();
            RunSpec resolved = spec.withFreezePlan(plan);
            folder.writeSpec(resolved);
            Map<String, Object> treeJson = new LinkedHashMap<>();
            treeJson.put("plan", plan);
            treeJson.put("description", freezeDescription);
            treeJson.put("tree", tree);
            Json.write(folder.file(RunFolder.TREE), treeJson);
            return switch (spec.strategy()) {
                case FEATURE_EXTRACTION -> featureExtraction(backbone, manifest, tree, plan, t0);
                case FINE_TUNING, SCRATCH -> trainNetwork(backbone, manifest, tree, plan, t0);
            };
        }
    }

    private SplitManifest manifest() {
        SplitManifest m;
        if (spec.splitManifest() != null) {
            if (!Files.isRegularFile(spec.splitManifest())) {
                throw new IllegalArgumentException("Split manifest not found: " + spec.splitManifest());
            }
            m = SplitManifest.load(spec.splitManifest());
        } else {
            if (!Files.isDirectory(spec.data())) {
                throw new IllegalArgumentException("Dataset folder not found: " + spec.data());
            }
            m = SplitManifest.of(spec.data(), spec.valFraction(), spec.testFraction(), spec.splitSeed());
        }
        if (m.classes().size() < 2) {
            throw new IllegalArgumentException("The dataset " + spec.data() + " has " + m.classes().size()
                    + " class folder(s); a classifier needs at least 2 (DIR/CLASS/* or DIR/train/CLASS/* + DIR/val/CLASS/*)");
        }
        if (m.train().isEmpty()) {
            throw new IllegalArgumentException("The dataset " + spec.data() + " has no training images");
        }
        if (m.val().isEmpty()) {
            throw new IllegalArgumentException("The dataset " + spec.data() + " has no validation images"
                    + (m.presplit() ? " (its val/ folder is empty or missing)" : ""));
        }
        return m;
    }

    private FreezePlan resolvePlan(LayerTree tree, Backbone backbone) {
        boolean trainable = backbone.trainable().isPresent();
        if (spec.strategy() == Strategy.FEATURE_EXTRACTION) {
            FreezePlan requested = spec.freezePlan() != null ? spec.freezePlan()
                    : spec.freeze() != null ? FreezePresets.parse(spec.freeze(), tree) : tree.headOnly();
            if (!tree.canonical(requested).isFrozen(LayerTree.BACKBONE)) {
                throw new IllegalArgumentException("Feature extraction keeps the whole backbone frozen; to train parts of it use "
                        + "--strategy ft with --freeze " + spec.freeze());
            }
            return tree.headOnly();
        }
        if (!trainable) {
            throw new IllegalArgumentException(backbone.metadata().lockReason() + ". Use --strategy fe with this backbone"
                    + (spec.strategy() == Strategy.SCRATCH ? ", or arch:NAME for a from-scratch baseline" : ""));
        }
        FreezePlan plan;
        if (spec.freezePlan() != null) {
            plan = spec.freezePlan();
        } else if (spec.freeze() != null) {
            plan = FreezePresets.parse(spec.freeze(), tree);
        } else {
            plan = FreezePlan.NONE;
        }
        plan = tree.canonical(plan);
        if (plan.isFrozen(LayerTree.HEAD) || plan.isFrozen("")) {
            throw new IllegalArgumentException("The new head cannot be frozen: it starts from random weights");
        }
        return plan;
    }

    // Feature extraction ------------------------------------------------------------------------

    private RunResult featureExtraction(Backbone backbone, SplitManifest manifest, LayerTree tree, FreezePlan plan, long t0) {
        BackboneMetadata m = backbone.metadata();
        List<LabeledImage> all = new ArrayList<>(manifest.train());
        all.addAll(manifest.val());
        // Started before the embeddings, so listeners see the run begin; the counts are the split's
        // (unreadable images, rare, are dropped later and reported when the run ends).
        started(manifest.train().size(), manifest.val().size(), (manifest.train().size() + spec.batchSize() - 1) / spec.batchSize());
        EmbeddingCache cache = new EmbeddingCache(home.embeddings());
        Embedder embedder = spec.adaptBatchNorm() ? adaptStatistics(backbone, manifest, all, cache)
                : new Embedder(backbone, loader, cache, this::progress, cancelled);
        Embedder.Result e = embedder.embed(all);
        embeddingEngine = e.engine();
        embeddingsCached = e.cached();
        embeddingsComputed = e.computed();
        Map<LabeledImage, String> keys = e.byImage();
        Map<String, float[]> vectors = e.vectors();
        java.util.Set<java.nio.file.Path> unreadable = e.unreadable();
        EmbeddingBatches.Split train = split(manifest.train(), keys, vectors, m.featureDim());
        EmbeddingBatches.Split val = split(manifest.val(), keys, vectors, m.featureDim());
        if (train.labels().length == 0 || val.labels().length == 0) {
            throw new IllegalArgumentException("No readable " + (train.labels().length == 0 ? "training" : "validation")
                    + " images in " + spec.data());
        }
        float[][] standardization = standardize(train.features(), val.features(), m.featureDim());
        // The head trains on the CPU whatever the device: a linear layer on cached features is tiny.
        try (ai.djl.ndarray.NDManager headManager = ai.djl.ndarray.NDManager.newBaseManager(Device.cpu(), EngineRuntime.PYTORCH);
                EmbeddingBatches data = new EmbeddingBatches(train, val, m.featureDim(), spec.batchSize(), spec.seed(),
                        unreadable.size());
                Classifier model = new Classifier(headManager, null, m.featureDim(), classes)) {
            model.setInputStandardization(standardization[0], standardization[1]);
            return train(model, data, manifest, tree, plan, t0, null);
        }
    }

    /**
     * AdaBN (see {@link BatchNormAdaptation}); the adapted backbone is saved with the run's model
     * and kept in the embedding cache beside its embeddings. When an earlier run with the same
     * recipe left both, the backbone is not adapted again. Returns the embedder to use.
     */
    private Embedder adaptStatistics(Backbone backbone, SplitManifest manifest, List<LabeledImage> all, EmbeddingCache cache) {
        TrainableBackbone net = backbone.trainable().orElseThrow(() -> new IllegalArgumentException(
                "Re-estimating BatchNorm statistics (--adapt-bn) runs the backbone in libtorch, which " + backbone.metadata().name()
                        + " cannot: " + backbone.metadata().lockReason() + ". Use its TorchScript form, or train without --adapt-bn"));
        progress("Hashing " + manifest.train().size() + " training images for the BatchNorm statistics", -1);
        Map<LabeledImage, String> keys = new ConcurrentHashMap<>();
        BatchNormAdaptation.Plan plan = BatchNormAdaptation.plan(backbone, net, manifest.train(), keys, spec.splitSeed());
        Embedder embedder = new Embedder(backbone, plan.digest(), loader, cache, this::progress, cancelled, false, keys);
        Path adaptedDir = folder.checkpoints().resolve("adapted");
        Optional<Path> kept = embedder.store().backboneFile();
        try {
            if (kept.isPresent() && embedder.allCached(all)) {
                Files.createDirectories(adaptedDir);
                adaptedBackbone = adaptedDir.resolve(kept.get().getFileName());
                Checkpoints.linkOrCopy(kept.get(), adaptedBackbone);
                freezeDescription = freezeDescription + "; BatchNorm statistics re-estimated on the " + manifest.train().size()
                        + " training images (from the cache)";
                progress("BatchNorm statistics: this recipe's adapted backbone and embeddings are in the cache", 1.0);
                return embedder;
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("Cannot write " + adaptedDir + ": " + ex.getMessage(), ex);
        }
        BatchNormAdaptation.Result r = BatchNormAdaptation.run(plan, net, backbone.metadata(), this::progress, cancelled);
        if (!backbone.weightsDigest().equals(plan.digest())) {
            throw new IllegalStateException("The adapted backbone's digest is not the planned one");
        }
        adaptedBackbone = net.saveWeights(adaptedDir.resolve("backbone"));
        embedder.store().putBackboneFile(adaptedBackbone);
        freezeDescription = freezeDescription + "; " + r.describe();
        LOG.info("Run {}: {} in {} s", runId, r.describe(), String.format(Locale.ROOT, "%.1f", r.seconds()));
        progress(String.format(Locale.ROOT, "%s in %.1f s", r.describe(), r.seconds()), 1.0);
        return embedder;
    }

    /**
     * Standardizes embeddings in place with the training split's per-dimension mean and std, so
     * one learning rate suits every backbone whatever the scale of its features; returns them.
     */
    static float[][] standardize(float[] train, float[] val, int dim) {
        int n = train.length / dim;
        double[] sum = new double[dim];
        double[] sq = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                double v = train[i * dim + j];
                sum[j] += v;
                sq[j] += v * v;
            }
        }
        float[] mean = new float[dim];
        float[] std = new float[dim];
        for (int j = 0; j < dim; j++) {
            double mu = sum[j] / Math.max(1, n);
            double var = Math.max(0, sq[j] / Math.max(1, n) - mu * mu);
            mean[j] = (float) mu;
            // A constant feature (a dead ReLU) keeps scale 1 rather than blowing up.
            std[j] = (float) (Math.sqrt(var) > 1e-6 ? Math.sqrt(var) : 1.0);
        }
        for (float[] a : new float[][] {train, val}) {
            for (int i = 0; i < a.length; i++) {
                int j = i % dim;
                a[i] = (a[i] - mean[j]) / std[j];
            }
        }
        return new float[][] {mean, std};
    }

    static EmbeddingBatches.Split split(List<LabeledImage> items, Map<LabeledImage, String> keys,
            Map<String, float[]> vectors, int dim) {
        List<LabeledImage> kept = new ArrayList<>();
        for (LabeledImage i : items) {
            if (vectors.containsKey(keys.get(i))) {
                kept.add(i);
            }
        }
        float[] f = new float[kept.size() * dim];
        int[] labels = new int[kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            System.arraycopy(vectors.get(keys.get(kept.get(i))), 0, f, i * dim, dim);
            labels[i] = kept.get(i).label();
        }
        return new EmbeddingBatches.Split(f, labels, kept);
    }

    // Fine-tuning and scratch -------------------------------------------------------------------

    private RunResult trainNetwork(Backbone backbone, SplitManifest manifest, LayerTree tree, FreezePlan plan, long t0) {
        TrainableBackbone net = backbone.trainable().orElseThrow();
        if (spec.strategy() == Strategy.SCRATCH) {
            progress("Starting the backbone from random weights (seed " + spec.seed() + ")", -1);
            net.reinitialize();
        }
        net.applyFreezePlan(plan);
        LOG.info("Run {}: {}", runId, net.batchNormPolicy());
        BackboneMetadata m = backbone.metadata();
        ImagePipeline pipeline = new ImagePipeline(m.transform(), ImagePipeline.defaultThreads());
        try (ImageBatches data = new ImageBatches(manifest.train(), manifest.val(), pipeline, spec.batchSize(),
                spec.augmentation(), spec.seed(), spec.domainRandomization());
                Classifier model = new Classifier(net.manager(), net, m.featureDim(), classes)) {
            return train(model, data, manifest, tree, plan, t0, net);
        }
    }

    // The loop and what it leaves on disk -------------------------------------------------------

    private RunResult train(Classifier model, BatchSource data, SplitManifest manifest, LayerTree tree, FreezePlan plan, long t0,
            TrainableBackbone trainedBackbone) {
        boolean fineTuning = spec.strategy() == Strategy.FINE_TUNING;
        double backboneLr = spec.strategy() == Strategy.SCRATCH ? spec.learningRate()
                : spec.learningRate() * spec.backboneLrMultiplier();
        TrainingLoop.Settings settings = new TrainingLoop.Settings(spec.epochs(), spec.earlyStoppingPatience(),
                spec.learningRate(), backboneLr, spec.weightDecay(), fineTuning ? spec.warmupEpochs() : 0, plan,
                spec.classWeights() ? dev.thaw.core.data.ClassWeights.balanced(manifest) : null);
        started(data.trainCount(), data.valCount(), data.batchesPerEpoch());
        Checkpoints checkpoints = new Checkpoints(folder.checkpoints());
        TrainingLoop.Outcome outcome;
        try (RunFolder.MetricsLog metrics = folder.openMetrics()) {
            TrainingLoop loop = new TrainingLoop(runId, model, data, settings, events, metrics, cancelled, (epoch, val, best) -> {
                checkpoints.writeLast(dir -> writeModelFiles(dir, model, trainedBackbone, manifest, epoch, val.accuracy()));
                if (best) {
                    checkpoints.promoteLastToBest();
                    writePredictions(val, manifest, RunFolder.PREDICTIONS);
                    bestValAccuracy = val.accuracy();
                    bestEpoch = epoch;
                }
                // Rewritten every epoch: the file left at the end is the final epoch's.
                writePredictions(val, manifest, RunFolder.PREDICTIONS_LAST);
                lastValAccuracy = val.accuracy();
                lastValLoss = val.loss();
                epochsCompleted = epoch;
                status(RunStatus.RUNNING, null);
            });
            outcome = loop.run();
        }
        // The final model is the best epoch's: what a user wants to predict with.
        Path tmp = folder.dir().resolve(".tmp-" + RunFolder.MODEL);
        Checkpoints.deleteTree(tmp);
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Checkpoints.copyFiles(checkpoints.folder(Checkpoints.BEST), tmp);
        Checkpoints.swapIn(tmp, folder.model());

        double wall = (System.nanoTime() - t0) / 1e9;
        RunSummary s = summary(RunStatus.COMPLETED, outcome, data, t0, null);
        folder.writeSummary(s);
        status(RunStatus.COMPLETED, null);
        TrainingEvent.Completed c = new TrainingEvent.Completed(runId, outcome.epochsRun(), outcome.finalValAccuracy(),
                outcome.bestValAccuracy(), outcome.bestEpoch(), wall, outcome.stoppedEarly(), data.skippedCount());
        events.accept(c);
        return new RunResult(runId, folder.dir(), s, c);
    }

    private void writeModelFiles(Path dir, Classifier model, TrainableBackbone trainedBackbone, SplitManifest manifest, int epoch,
            double valAcc) {
        model.saveHead(dir.resolve(ModelDescriptor.HEAD));
        String backboneWeights = null;
        if (trainedBackbone != null) {
            backboneWeights = trainedBackbone.saveWeights(dir.resolve("backbone")).getFileName().toString();
        } else if (adaptedBackbone != null) {
            String ext = adaptedBackbone.getFileName().toString().substring(adaptedBackbone.getFileName().toString().lastIndexOf('.'));
            backboneWeights = "backbone" + ext;
            try {
                Checkpoints.linkOrCopy(adaptedBackbone, dir.resolve(backboneWeights));
            } catch (IOException ex) {
                throw new UncheckedIOException("Cannot write " + dir.resolve(backboneWeights) + ": " + ex.getMessage(), ex);
            }
        }
        BackboneMetadata m = metadata;
        if (backboneFileSha == null && m.file() != null) {
            backboneFileSha = dev.thaw.core.util.Digests.sha256(m.file());
        }
        String sha = backboneFileSha;
        ModelDescriptor d = new ModelDescriptor(ModelDescriptor.FORMAT, manifest.classes(), m.source(), m.format().name(),
                m.architecture(), backboneWeights, m.file() == null ? null : m.file().toAbsolutePath().toString(), sha,
                m.inputSize(), m.mean(), m.std(), m.featureDim(), ModelDescriptor.HEAD, epoch, valAcc);
        Json.write(dir.resolve(ModelDescriptor.FILE), d);
        try {
            Files.writeString(dir.resolve(ModelDescriptor.LABELS), String.join("\n", manifest.classes()) + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + dir.resolve(ModelDescriptor.LABELS) + ": " + e.getMessage(), e);
        }
    }

    /**
     * One row per validation image: {@code file,label,predicted,correct,probability} (the predicted
     * class's probability) and then one {@code p:CLASS} column per class (see {@code ValPredictions}).
     */
    private void writePredictions(TrainingLoop.Validation val, SplitManifest manifest, String name) {
        StringBuilder sb = new StringBuilder("file,label,predicted,correct,probability");
        for (String c : manifest.classes()) {
            sb.append(',').append(Csv.cell("p:" + c));
        }
        sb.append('\n');
        for (int i = 0; i < val.predicted().length && i < val.files().size(); i++) {
            String file = manifest.root().relativize(val.files().get(i).file()).toString().replace('\\', '/');
            String label = manifest.classes().get(val.labels()[i]);
            String pred = manifest.classes().get(val.predicted()[i]);
            float[] p = val.probabilities() == null ? null : val.probabilities()[i];
            sb.append(Csv.cell(file)).append(',').append(Csv.cell(label)).append(',').append(Csv.cell(pred)).append(',')
                    .append(label.equals(pred)).append(',');
            sb.append(p == null ? "" : Float.toString(p[val.predicted()[i]]));
            for (int c = 0; c < manifest.classes().size(); c++) {
                sb.append(',').append(p == null || c >= p.length ? "" : Float.toString(p[c]));
            }
            sb.append('\n');
        }
        Json.writeString(folder.file(name), sb.toString());
    }

    private RunSummary summary(String status, TrainingLoop.Outcome o, BatchSource data, long t0, String message) {
        double wall = (System.nanoTime() - t0) / 1e9;
        boolean fe = spec.strategy() == Strategy.FEATURE_EXTRACTION;
        // Without an outcome (cancelled, failed) the accuracies are those of the last completed epoch.
        return new RunSummary(runId, status, spec.strategy().cliName(), o == null ? lastValAccuracy : o.finalValAccuracy(),
                o == null ? bestValAccuracy : o.bestValAccuracy(), o == null ? bestEpoch : o.bestEpoch(),
                o == null ? epochsCompleted : o.epochsRun(),
                spec.epochs(), wall, o == null ? Double.NaN : o.trainImagesPerSecond(), trainableParams, totalParams,
                o == null ? lastValLoss : o.finalValLoss(), o == null ? Double.NaN : o.finalTrainAccuracy(),
                o == null ? Double.NaN : o.finalTrainLoss(), data == null ? 0 : data.trainCount(), data == null ? 0 : data.valCount(),
                classes, data == null ? 0 : data.skippedCount(), o != null && o.stoppedEarly(), spec.backbone(),
                metadata == null ? null : metadata.name(), freezeDescription, fe ? embeddingEngine : null, embeddingsCached,
                embeddingsComputed, fe && "cache".equals(embeddingEngine), device, spec.seed(), message,
                folder.dir().toString());
    }

    private static Map<String, Object> metadataJson(BackboneMetadata m) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("name", m.name());
        j.put("source", m.source());
        j.put("format", m.format().name());
        j.put("file", m.file() == null ? null : m.file().toAbsolutePath().toString());
        j.put("onnxFile", m.onnxFile() == null ? null : m.onnxFile().toAbsolutePath().toString());
        j.put("architecture", m.architecture());
        j.put("inputSize", m.inputSize());
        j.put("mean", m.mean());
        j.put("std", m.std());
        j.put("featureDim", m.featureDim());
        j.put("trainable", m.trainable());
        j.put("lockReason", m.lockReason());
        j.put("assumptions", m.assumptions());
        return j;
    }

    private void started(int trainImages, int valImages, int batchesPerEpoch) {
        if (!startedSent) {
            startedSent = true;
            events.accept(new TrainingEvent.Started(runId, spec.strategy(), spec.epochs(), batchesPerEpoch, trainImages, valImages,
                    trainableParams, totalParams, device));
        }
    }

    private void status(String state, String message) {
        folder.writeStatus(new RunStatus(runId, state, started, Instant.now().toString(), epochsCompleted, message));
    }

    private void progress(String phase, double fraction) {
        events.accept(new TrainingEvent.Progress(runId, phase, fraction));
    }

    private JobMonitor progressMonitor() {
        return new JobMonitor() {
            @Override
            public void progress(double fraction, String message) {
                TrainingRun.this.progress(message, fraction);
            }

            @Override
            public boolean isCancelled() {
                return cancelled.getAsBoolean();
            }
        };
    }

    private void checkCancelled() {
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("Cancelled");
        }
    }
}
