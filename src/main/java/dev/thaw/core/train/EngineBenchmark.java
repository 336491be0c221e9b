package dev.thaw.core.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.jni.JniUtils;
import dev.thaw.core.backbone.Backbone;
import dev.thaw.core.backbone.BackboneLoader;
import dev.thaw.core.backbone.BackboneSource;
import dev.thaw.core.backbone.MetadataOverrides;
import dev.thaw.core.backbone.TrainableBackbone;
import dev.thaw.core.data.Augmentation;
import dev.thaw.core.data.ImagePipeline;
import dev.thaw.core.data.LabeledImage;
import dev.thaw.core.data.LoadedBatch;
import dev.thaw.core.data.PipelineBenchmark;
import dev.thaw.core.data.SplitManifest;
import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.FreezePresets;
import dev.thaw.core.model.LayerTree;
import dev.thaw.core.model.TrainingEvent;
import dev.thaw.core.runs.RunFolder;
import dev.thaw.core.runtime.EngineRuntime;
import dev.thaw.core.util.JobMonitor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The Thaw side of {@code thaw bench}: measures the engine's own code paths on a backbone file and an
 * image folder, with the same batch sizes, threads and images as the PyTorch reference script.
 *
 * <ul>
 *   <li>{@code embed}: the frozen forward pass on pre-decoded images, by libtorch and by ONNX
 *       Runtime (compute only), and the {@link Embedder} end to end (hashing, decoding, forward
 *       passes, the embedding cache written), which is what a feature-extraction run does first;</li>
 *   <li>{@code head}: the {@link TrainingLoop} training a linear head on those embeddings;</li>
 *   <li>{@code finetune}: {@link TrainingLoop} steps on a trainable backbone under a freeze preset,
 *       on pre-augmented batches (compute) and fed by the image pipeline (end to end);</li>
 *   <li>{@code peak}: 3x3 convolutions in libtorch at ResNet-18's stage shapes, the FLOP/s
 *       Thaw's own libtorch build reaches on this CPU.</li>
 * </ul>
 *
 * Whole runs are not measured here: {@code thaw bench} submits them to the {@link TrainingService}
 * like {@code thaw train} does. Nothing here is timed against a threshold; it reports what it saw.
 */
public final class EngineBenchmark {

    /**
     * One result: {@code (job, variant)} names it, as in the reference script's JSON.
     *
     * @param details settings and side figures (batch size, images, seconds, ...)
     */
    public record Measurement(String job, String variant, String metric, double value, String unit, Map<String, Object> details) {
    }

    /**
     * What to measure.
     *
     * @param images ImageFolder root with {@code train/} and {@code val/} (or one folder, split 80/20)
     * @param backbone TorchScript backbone file (its {@code .onnx} sibling is used for the ONNX path)
     * @param embedBatch images per forward pass
     * @param embedBatches timed forward passes (compute only), after {@code warmupBatches}
     * @param warmupBatches forward passes / steps run first and not timed
     * @param headEpochs epochs of head training on the embeddings
     * @param headBatch head batch size
     * @param presets fine-tuning freeze presets ({@code head-only}, {@code last:1}, {@code all})
     * @param ftBatch fine-tuning batch size
     * @param ftSteps timed fine-tuning steps, after {@code warmupBatches}
     * @param seed seed for shuffling and augmentation
     */
    public record Settings(Path images, Path backbone, int embedBatch, int embedBatches, int warmupBatches, int headEpochs,
            int headBatch, List<String> presets, int ftBatch, int ftSteps, long seed) {
    }

    private final BackboneLoader loader;
    private final Settings settings;
    private final Path workDir;
    private final JobMonitor monitor;
    private final Consumer<Measurement> sink;

    /**
     * @param workDir scratch space (a fresh embedding cache, metrics of the measured loops)
     * @param sink receives each measurement as soon as it is made
     */
    public EngineBenchmark(BackboneLoader loader, Settings settings, Path workDir, JobMonitor monitor, Consumer<Measurement> sink) {
        this.loader = loader;
        this.settings = settings;
        this.workDir = workDir;
        this.monitor = monitor;
        this.sink = sink;
    }

    /** Runs {@code embed}, {@code head} and {@code finetune}, in that order, on the calling thread. */
    public void run() {
        JniUtils.setGradMode(false);
        Engine.getEngine(EngineRuntime.PYTORCH).setRandomSeed((int) settings.seed());
        SplitManifest manifest = manifest();
        try (Backbone backbone = loader.load(new BackboneSource.File(settings.backbone()), MetadataOverrides.NONE, Device.cpu(),
                monitor)) {
            Embedder.Result embeddings = embed(backbone, manifest);
            head(backbone, manifest, embeddings);
            fineTune(backbone, manifest);
            pipeline(backbone, manifest);
        }
    }

    /** The dataset as a run would read it (a pre-split folder is kept as given). */
    SplitManifest manifest() {
        SplitManifest m = SplitManifest.of(settings.images(), 0.2, 0.0, settings.seed());
        if (m.classes().size() < 2 || m.train().isEmpty() || m.val().isEmpty()) {
            throw new IllegalArgumentException("The bench images " + settings.images()
                    + " need at least 2 class folders with training and validation images");
        }
        return m;
    }

    // (a) the embedding pass --------------------------------------------------------------------

    private Embedder.Result embed(Backbone backbone, SplitManifest manifest) {
        int bs = settings.embedBatch();
        int wanted = bs * (settings.warmupBatches() + settings.embedBatches());
        List<LabeledImage> items = repeatTo(manifest.train(), wanted);
        List<float[]> batches = new ArrayList<>();
        monitor.progress(-1, "embed: decoding " + wanted + " images once (not timed)");
        try (ImagePipeline pipeline = new ImagePipeline(backbone.metadata().transform(), ImagePipeline.defaultThreads(), 0)) {
            for (int from = 0; from < items.size(); from += bs) {
                LoadedBatch b = pipeline.load(items.subList(from, from + bs), Augmentation.NONE, 0);
                if (b.count() != bs) {
                    throw new IllegalArgumentException("Unreadable bench images in " + settings.images() + ": "
                            + b.skipped().get(0).file());
                }
                batches.add(b.data());
            }
        }
        forwardRate("compute/libtorch", backbone, batches);
        Optional<Backbone> onnx = loader.onnxForm(backbone, batches.get(0), bs);
        if (onnx.isPresent()) {
            try (Backbone o = onnx.get()) {
                forwardRate("compute/onnxruntime", o, batches);
            }
        } else {
            monitor.progress(-1, "embed: no usable ONNX form next to " + settings.backbone() + "; ONNX Runtime not measured");
        }

        // End to end: what a feature-extraction run does first, with an empty cache.
        List<LabeledImage> all = new ArrayList<>(manifest.train());
        all.addAll(manifest.val());
        Path cacheDir = workDir.resolve("embedding-cache-" + System.nanoTime());
        CpuClock clock = new CpuClock();
        long t0 = System.nanoTime();
        Embedder.Result r = new Embedder(backbone, loader, new EmbeddingCache(cacheDir), (msg, f) -> monitor.progress(f, "embed: " + msg),
                monitor::isCancelled).embed(all);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> d = clock.addTo(details("batch_size", Embedder.BATCH, "images", r.computed(), "seconds", seconds, "engine", r.engine(),
                "decoder_threads", ImagePipeline.defaultThreads(),
                "scope", "Embedder.embed over train+val: hashing, decoding, ONNX check, forward passes, cache write"));
        sink.accept(new Measurement("embed", "e2e/embedder", "images_per_s", r.computed() / seconds, "images/s", d));
        return r;
    }

    private void forwardRate(String variant, Backbone b, List<float[]> batches) {
        int bs = settings.embedBatch();
        monitor.progress(-1, "embed: " + variant);
        for (int i = 0; i < settings.warmupBatches(); i++) {
            monitor.checkCancelled();
            b.embed(batches.get(i), bs);
        }
        CpuClock clock = new CpuClock();
        long t0 = System.nanoTime();
        for (int i = settings.warmupBatches(); i < batches.size(); i++) {
            monitor.checkCancelled();
            b.embed(batches.get(i), bs);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int n = settings.embedBatches() * bs;
        sink.accept(new Measurement("embed", variant, "images_per_s", n / seconds, "images/s",
                clock.addTo(details("batch_size", bs, "images", n, "seconds", seconds, "engine", b.embeddingEngine(), "warmup",
                        settings.warmupBatches() + " batches discarded, then " + settings.embedBatches() + " timed"))));
    }

    // (b) the head on cached embeddings ---------------------------------------------------------

    private void head(Backbone backbone, SplitManifest manifest, Embedder.Result e) {
        monitor.progress(-1, "head: " + settings.headEpochs() + " epochs on the embeddings");
        int dim = backbone.metadata().featureDim();
        EmbeddingBatches.Split train = TrainingRun.split(manifest.train(), e.byImage(), e.vectors(), dim);
        EmbeddingBatches.Split val = TrainingRun.split(manifest.val(), e.byImage(), e.vectors(), dim);
        float[][] standardization = TrainingRun.standardize(train.features(), val.features(), dim);
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), EngineRuntime.PYTORCH);
                EmbeddingBatches data = new EmbeddingBatches(train, val, dim, settings.headBatch(), settings.seed(), 0);
                Classifier model = new Classifier(m, null, dim, manifest.classes().size())) {
            model.setInputStandardization(standardization[0], standardization[1]);
            // Warm-up, as the reference does: one epoch on a throwaway head (the JIT's first calls).
            try (Classifier throwaway = new Classifier(m, null, dim, manifest.classes().size())) {
                loop(throwaway, data, new TrainingLoop.Settings(1, 0, 0.003, 0.003, 0, 0, FreezePlan.NONE, null), null);
            }
            TrainingLoop.Settings ls = new TrainingLoop.Settings(settings.headEpochs(), 0, 0.003, 0.003, 0, 0, FreezePlan.NONE, null);
            CpuClock clock = new CpuClock();
            long t0 = System.nanoTime();
            TrainingLoop.Outcome o = loop(model, data, ls, null);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long samples = (long) train.labels().length * o.epochsRun();
            sink.accept(new Measurement("head", "training-loop", "samples_per_s", samples / seconds, "samples/s",
                    clock.addTo(details("batch_size", settings.headBatch(), "epochs", o.epochsRun(), "samples", train.labels().length, "seconds",
                            seconds, "steps_only_samples_per_s", o.trainImagesPerSecond(), "val_accuracy", o.finalValAccuracy(),
                            "optimizer", "adam lr 0.003", "scope",
                            "TrainingLoop.run: batches, steps, a validation pass and a metrics line every epoch", "warmup",
                            "1 epoch on a throwaway head, then a fresh head timed"))));
        }
    }

    // (c) fine-tuning steps ---------------------------------------------------------------------

    private void fineTune(Backbone backbone, SplitManifest manifest) {
        TrainableBackbone net = backbone.trainable()
                .orElseThrow(() -> new IllegalArgumentException(settings.backbone() + " cannot train: " + backbone.metadata().lockReason()));
        int bs = settings.ftBatch();
        int steps = settings.warmupBatches() + settings.ftSteps();
        int classes = manifest.classes().size();
        LayerTree tree = backbone.layerTree(classes);
        List<float[]> pool = new ArrayList<>();
        int[] poolLabels;
        // Two different pre-augmented batches, alternated (the reference does the same).
        try (ImagePipeline pipeline = new ImagePipeline(backbone.metadata().transform(), ImagePipeline.defaultThreads(), 0)) {
            List<LabeledImage> items = repeatTo(manifest.train(), 2 * bs);
            LoadedBatch a = pipeline.load(items.subList(0, bs), Augmentation.LIGHT, settings.seed());
            LoadedBatch b = pipeline.load(items.subList(bs, 2 * bs), Augmentation.LIGHT, settings.seed() + 1);
            pool.add(a.data());
            pool.add(b.data());
            poolLabels = new int[2 * bs];
            System.arraycopy(a.labels(), 0, poolLabels, 0, a.count());
            System.arraycopy(b.labels(), 0, poolLabels, bs, b.count());
        }
        long size = backbone.metadata().inputSize();
        for (String preset : settings.presets()) {
            FreezePlan plan = tree.canonical(FreezePresets.parse(preset, tree));
            for (String mode : List.of("compute", "e2e")) {
                monitor.checkCancelled();
                monitor.progress(-1, "finetune: " + preset + ", " + mode + ", batch " + bs);
                net.applyFreezePlan(plan);
                BatchSource data;
                if (mode.equals("compute")) {
                    data = new FixedBatches(pool, poolLabels, bs, steps, new long[] {3, size, size});
                } else {
                    List<LabeledImage> order = repeatTo(shuffled(manifest.train()), steps * bs);
                    ImagePipeline p = new ImagePipeline(backbone.metadata().transform(), ImagePipeline.defaultThreads());
                    data = new ImageBatches(order, List.of(), p, bs, Augmentation.LIGHT, settings.seed(), false);
                }
                List<long[]> ends = new ArrayList<>();
                try (data; Classifier model = new Classifier(net.manager(), net, backbone.metadata().featureDim(), classes)) {
                    TrainingLoop.Settings ls = new TrainingLoop.Settings(1, 0, 0.005, 0.0005, 0, 0, plan, null);
                    loop(model, data, ls, ends);
                }
                int timed = ends.size() - settings.warmupBatches();
                long[] first = ends.get(settings.warmupBatches() - 1);
                long[] last = ends.get(ends.size() - 1);
                double seconds = (last[0] - first[0]) / 1e9;
                double cpu = (last[1] - first[1]) / 1e9;
                sink.accept(new Measurement("finetune", presetName(preset) + "/" + mode + "/bs" + bs, "images_per_s",
                        timed * bs / seconds, "images/s",
                        details("preset", preset, "mode", mode, "batch_size", bs, "steps", timed, "seconds", seconds,
                                "trainable_params", tree.trainableParams(plan), "optimizer", "adam (TrainingLoop)",
                                "batchnorm", net.batchNormPolicy(), "warmup",
                                settings.warmupBatches() + " steps discarded, then " + timed + " timed", "cpu_s", cpu,
                                "cpu_utilization", cpu / (seconds * Math.max(1, torchThreads())))));
            }
        }
        net.applyFreezePlan(FreezePlan.NONE);
    }

    // (d) decode + augment -----------------------------------------------------------------------

    /** Decode + strong augmentation on the training images: no cache at 1 and 2 threads, then from the cache. */
    private void pipeline(Backbone backbone, SplitManifest manifest) {
        for (int threads : List.of(1, 2)) {
            monitor.progress(-1, "pipeline: decode + strong augmentation, " + threads + " thread(s)");
            CpuClock clock = new CpuClock();
            PipelineBenchmark.Result r = PipelineBenchmark.measure(manifest.train(), backbone.metadata().transform(), threads,
                    Augmentation.STRONG, false, 32, 1, settings.seed());
            sink.accept(new Measurement("pipeline", "threads" + threads + "/no-cache", "images_per_s", r.imagesPerSecond(), "images/s",
                    clock.addTo(details("images", r.images(), "seconds", r.seconds(), "augmentation",
                            "strong (crop, flip, rotation, colour jitter)", "warmup", "1 untimed pass, then 1 timed pass"))));
        }
        monitor.progress(-1, "pipeline: later epochs from the decoded-image cache, 1 thread");
        PipelineBenchmark.Result r = PipelineBenchmark.measure(manifest.train(), backbone.metadata().transform(), 1,
                Augmentation.STRONG, true, 32, 1, settings.seed());
        sink.accept(new Measurement("pipeline", "threads1/cache", "images_per_s", r.imagesPerSecond(), "images/s",
                details("images", r.images(), "seconds", r.seconds(), "augmentation", "strong, from the decoded-image cache")));
    }

    /** libtorch's intra-op thread count (what the reference is given as {@code --threads}). */
    public static int torchThreads() {
        return JniUtils.getNumThreads();
    }

    /** The reference script's preset names: head, last, full. */
    public static String presetName(String thawPreset) {
        String p = thawPreset.toLowerCase(Locale.ROOT);
        if (p.startsWith("head")) {
            return "head";
        }
        if (p.startsWith("last")) {
            return "last";
        }
        if (p.equals("all") || p.equals("none")) {
            return "full";
        }
        return p;
    }

    private TrainingLoop.Outcome loop(Classifier model, BatchSource data, TrainingLoop.Settings ls, List<long[]> batchEnds) {
        Path dir = workDir.resolve("loop-" + System.nanoTime());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Consumer<TrainingEvent> events = ev -> {
            if (batchEnds != null && ev instanceof TrainingEvent.BatchEnded) {
                batchEnds.add(new long[] {System.nanoTime(), CpuClock.processCpuNanos()});
            }
        };
        try (RunFolder.MetricsLog metrics = new RunFolder(dir).openMetrics()) {
            return new TrainingLoop("bench", model, data, ls, events, metrics, monitor::isCancelled, (epoch, val, best) -> {
            }).run();
        }
    }

    // peak --------------------------------------------------------------------------------------

    /**
     * 3x3 stride-1 convolutions at ResNet-18's four stage shapes ({@code (channels, pixels)}: (64, 56),
     * (128, 28), (256, 14), (512, 7)), best of {@code repeats} after one warm-up each: in libtorch
     * (Thaw's build, as configured: oneDNN limited to AVX2, decision 0025) and, when {@code onnxDir}
     * holds {@code conv3x3x8-<C>ch-<P>px.onnx} (written by {@code make_bench_backbone.py}, 8 chained), in ONNX
     * Runtime, the engine of Thaw's embedding pass. Emits FLOP/s per engine and shape, and the best.
     */
    public static List<Measurement> convPeak(int batch, int repeats, Path onnxDir, JobMonitor monitor) {
        JniUtils.setGradMode(false);
        List<Measurement> out = new ArrayList<>();
        double best = 0;
        String bestWhat = "";
        int[][] shapes = {{64, 56}, {128, 28}, {256, 14}, {512, 7}};
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), EngineRuntime.PYTORCH)) {
            for (int[] s : shapes) {
                monitor.checkCancelled();
                monitor.progress(-1, "peak: conv3x3 " + s[0] + " channels, " + s[1] + " px");
                double flops = 2.0 * batch * s[0] * s[0] * 9.0 * s[1] * s[1];
                try (NDManager sub = m.newSubManager()) {
                    NDArray x = sub.randomNormal(new Shape(batch, s[0], s[1], s[1]));
                    NDArray w = sub.randomNormal(new Shape(s[0], s[0], 3, 3)).mul(0.05f);
                    NDArray bias = sub.zeros(new Shape(s[0]));
                    double sec = bestOf(repeats, () -> {
                        NDArray y = Conv2d.conv2d(x, w, bias, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow();
                        y.getFloat(0, 0, 0, 0); // forces the computation
                        y.close();
                    });
                    double rate = flops / sec;
                    if (rate > best) {
                        best = rate;
                        bestWhat = "libtorch " + s[0] + " channels, " + s[1] + " px";
                    }
                    out.add(new Measurement("peak", "conv3x3/libtorch/" + s[0] + "ch/" + s[1] + "px", "flops_per_s", rate, "FLOP/s",
                            details("batch_size", batch, "seconds", sec, "repeats", repeats)));
                }
                Path onnx = onnxDir == null ? null : onnxDir.resolve("conv3x3x" + ONNX_PEAK_DEPTH + "-" + s[0] + "ch-" + s[1] + "px.onnx");
                if (onnx != null && Files.isRegularFile(onnx)) {
                    double sec = onnxConvSeconds(onnx, batch, s[0], s[1], repeats);
                    double rate = ONNX_PEAK_DEPTH * flops / sec;
                    if (rate > best) {
                        best = rate;
                        bestWhat = "ONNX Runtime " + s[0] + " channels, " + s[1] + " px";
                    }
                    out.add(new Measurement("peak", "conv3x3/onnxruntime/" + s[0] + "ch/" + s[1] + "px", "flops_per_s", rate, "FLOP/s",
                            details("batch_size", batch, "seconds", sec, "repeats", repeats, "convolutions_chained", ONNX_PEAK_DEPTH)));
                }
            }
        }
        out.add(new Measurement("peak", "measured_peak", "flops_per_s", best, "FLOP/s",
                details("what", "best 3x3 convolution measured from Java: " + bestWhat)));
        return out;
    }

    /** Convolutions chained in each {@code conv3x3x8-*.onnx} file (make_bench_backbone.py's PEAK_DEPTH). */
    static final int ONNX_PEAK_DEPTH = 8;

    private static double onnxConvSeconds(Path file, int batch, int channels, int pixels, int repeats) {
        ai.djl.repository.zoo.Criteria<ai.djl.ndarray.NDList, ai.djl.ndarray.NDList> criteria = ai.djl.repository.zoo.Criteria.builder()
                .setTypes(ai.djl.ndarray.NDList.class, ai.djl.ndarray.NDList.class).optModelPath(file)
                .optEngine(EngineRuntime.ONNX_RUNTIME).optDevice(Device.cpu()).build();
        try (ai.djl.repository.zoo.ZooModel<ai.djl.ndarray.NDList, ai.djl.ndarray.NDList> model = criteria.loadModel();
                NDManager m = model.getNDManager().newSubManager()) {
            ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(m, false);
            // ONNX Runtime's manager creates arrays from data only.
            float[] data = new float[batch * channels * pixels * pixels];
            Random r = new Random(0);
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) r.nextGaussian();
            }
            NDArray x = m.create(data, new Shape(batch, channels, pixels, pixels));
            return bestOf(repeats, () -> {
                try (NDManager step = m.newSubManager()) {
                    ai.djl.ndarray.NDList y = model.getBlock().forward(ps, new ai.djl.ndarray.NDList(x), false);
                    y.attach(step);
                    y.get(0).toFloatArray();
                }
            });
        } catch (IOException | ai.djl.ModelException e) {
            throw new IllegalArgumentException("Cannot load " + file + ": " + e.getMessage(), e);
        }
    }

    /** The fastest of {@code repeats} timed calls, after one untimed call. */
    private static double bestOf(int repeats, Runnable r) {
        r.run();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < Math.max(1, repeats); i++) {
            long t0 = System.nanoTime();
            r.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    // helpers ---------------------------------------------------------------------------------

    /**
     * Wall and process CPU time from its creation: {@code cpu_utilization} = CPU time / (wall x
     * libtorch threads), as the reference script reports it. Well below 1 means the process was
     * starved by others (or waited); {@code value / utilization} is then a guide to the rate on a
     * quiet machine, never a substitute for measuring on one.
     */
    public static final class CpuClock {
        private final long wall0 = System.nanoTime();
        private final long cpu0 = processCpuNanos();

        public static long processCpuNanos() {
            if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getProcessCpuTime();
            }
            return -1;
        }

        /** {@code cpu_s} and {@code cpu_utilization} since creation, added to {@code details}. */
        public Map<String, Object> addTo(Map<String, Object> details) {
            double wall = (System.nanoTime() - wall0) / 1e9;
            long cpu1 = processCpuNanos();
            if (cpu0 >= 0 && cpu1 >= 0 && wall > 0) {
                double cpu = (cpu1 - cpu0) / 1e9;
                details.put("cpu_s", cpu);
                details.put("cpu_utilization", cpu / (wall * Math.max(1, torchThreads())));
            }
            return details;
        }
    }

    /** {@code items} repeated (in order) until there are {@code n}. */
    static List<LabeledImage> repeatTo(List<LabeledImage> items, int n) {
        List<LabeledImage> out = new ArrayList<>(n);
        while (out.size() < n) {
            out.addAll(items.subList(0, Math.min(items.size(), n - out.size())));
        }
        return out;
    }

    private List<LabeledImage> shuffled(List<LabeledImage> items) {
        List<LabeledImage> copy = new ArrayList<>(items);
        Collections.shuffle(copy, new Random(settings.seed()));
        return copy;
    }

    static Map<String, Object> details(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Pre-decoded batches served in turn: the steps without decoding. */
    private static final class FixedBatches implements BatchSource {
        private final List<float[]> pool;
        private final int[] labels;
        private final int batchSize;
        private final int count;
        private final long[] shape;

        FixedBatches(List<float[]> pool, int[] labels, int batchSize, int count, long[] shape) {
            this.pool = pool;
            this.labels = labels;
            this.batchSize = batchSize;
            this.count = count;
            this.shape = shape;
        }

        @Override
        public Batches trainEpoch(int epoch) {
            return new Batches() {
                int i;

                @Override
                public boolean hasNext() {
                    return i < count;
                }

                @Override
                public HostBatch next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    int k = i++ % pool.size();
                    int[] l = new int[batchSize];
                    System.arraycopy(labels, k * batchSize, l, 0, batchSize);
                    return new HostBatch(pool.get(k), l, null);
                }
            };
        }

        @Override
        public Batches validation() {
            return new Batches() {
                @Override
                public boolean hasNext() {
                    return false;
                }

                @Override
                public HostBatch next() {
                    throw new NoSuchElementException();
                }
            };
        }

        @Override
        public int batchesPerEpoch() {
            return count;
        }

        @Override
        public int trainCount() {
            return count * batchSize;
        }

        @Override
        public int valCount() {
            return 0;
        }

        @Override
        public long[] sampleShape() {
            return shape;
        }

        @Override
        public int skippedCount() {
            return 0;
        }

        @Override
        public void close() {
        }
    }
}
