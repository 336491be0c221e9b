package dev.thaw.cli;

import dev.thaw.core.util.FileTrees;
import dev.thaw.core.backbone.BackboneLoader;
import dev.thaw.core.data.Augmentation;
import dev.thaw.core.model.RunSpec;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runs.RunSummary;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.runtime.EngineRuntime;
import dev.thaw.core.train.EngineBenchmark;
import dev.thaw.core.train.EngineBenchmark.Measurement;
import dev.thaw.core.train.RunHandle;
import dev.thaw.core.train.RunResult;
import dev.thaw.core.train.TrainingService;
import dev.thaw.core.util.JobMonitor;
import dev.thaw.core.util.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code thaw bench}: Thaw against the plain PyTorch way on the same images, backbone and settings
 * (issue 7). Measures Thaw's engine, runs {@code src/bench/python/pytorch_reference.py} for the same
 * jobs, and prints one table with the ratios and the targets.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmark Thaw against the plain PyTorch way (the reference script in src/bench/python) on the same "
                + "images, backbone file and settings: embedding pass (libtorch and ONNX Runtime), head training on cached "
                + "embeddings, fine-tuning steps (head-only, last-stage, full), decode + augment, and whole feature-extraction "
                + "and fine-tuning runs through the same code as `thaw train`. Prints one table: job, Thaw, PyTorch, ratio, "
                + "target, met?.",
            "Without --backbone/--images it generates a ResNet-18 bench backbone and photo-like JPEGs into the work folder "
                + "(needs Debian's python3-torch). Run it from the repository root, on a quiet machine.", ""})
final class BenchCommand implements Callable<Integer> {

    private final AppHome home;

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "A smoke run of a minute or two: few images, few steps, 1-epoch runs. Numbers are not meaningful.")
    boolean quick;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = "bench-out",
            description = "Work folder for the generated backbone, images and scratch files (default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = "--backbone", paramLabel = "FILE.pt",
            description = "TorchScript backbone (its .onnx sibling is used for the ONNX Runtime path). Default: the generated ResNet-18.")
    Path backbone;

    @Option(names = "--images", paramLabel = "DIR", description = "ImageFolder with train/ and val/. Default: generated photo-like JPEGs.")
    Path images;

    @Option(names = "--python", paramLabel = "EXE|none",
            description = "Python with torch and torchvision for the reference (default: /usr/bin/python3, then python3 on the PATH); "
                    + "'none' skips the PyTorch side.")
    String python;

    @Option(names = "--scripts", paramLabel = "DIR", defaultValue = "src/bench/python",
            description = "Where pytorch_reference.py and the generators are (default: ${DEFAULT-VALUE}).")
    Path scripts;

    @Option(names = "--batch", paramLabel = "N", description = "Fine-tuning step batch size (default: 16).")
    Integer ftBatch;

    @Option(names = "--fe-epochs", paramLabel = "N", defaultValue = "50",
            description = "Head epochs of the whole feature-extraction run (default: ${DEFAULT-VALUE}).")
    int feEpochs;

    @Option(names = "--reference-fe-epochs", paramLabel = "N",
            description = "Epochs the reference really runs of its feature-extraction run; the rest is extrapolated from its "
                    + "median epoch and flagged (default: 3, quick 1; set it to --fe-epochs for a full measured run).")
    Integer referenceFeEpochs;

    @Option(names = "--ft-epochs", paramLabel = "N", description = "Epochs of the whole fine-tuning run, both sides (default: 2, quick 1).")
    Integer ftEpochs;

    @Option(names = "--json", paramLabel = "FILE", description = "Write every measurement (both sides) and the table as JSON.")
    Path jsonFile;

    @Option(names = "--out", paramLabel = "FILE.md", description = "Write the table and the settings as Markdown.")
    Path mdFile;

    BenchCommand(AppHome home) {
        this.home = home;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if ((ftBatch != null && ftBatch < 2) || feEpochs < 1 || (ftEpochs != null && ftEpochs < 1)
                || (referenceFeEpochs != null && referenceFeEpochs < 1)) {
            throw new UserException("--batch must be at least 2 (BatchNorm trains on batch statistics); --fe-epochs, --ft-epochs "
                    + "and --reference-fe-epochs at least 1");
        }
        Files.createDirectories(work);
        PythonReference py = PythonReference.find(python, scripts, err);
        Path pt = backbone != null ? backbone : generatedBackbone(py);
        Path imgs = images != null ? images : generatedImages(py);
        if (!Files.isRegularFile(pt)) {
            throw new UserException("Backbone file not found: " + pt);
        }
        if (!Files.isDirectory(imgs)) {
            throw new UserException("Image folder not found: " + imgs);
        }
        int bs = ftBatch != null ? ftBatch : 16;
        int ftE = ftEpochs != null ? ftEpochs : quick ? 1 : 2;
        int refFe = referenceFeEpochs != null ? referenceFeEpochs : quick ? 1 : 3;
        int warmup = quick ? 1 : 2;
        int ftSteps = quick ? 2 : 16;
        int embedBatches = quick ? 2 : 8;
        int headEpochs = quick ? 5 : 50;
        List<String> presets = List.of("head-only", "last:1", "all");

        err.println("Starting the engines…");
        err.flush();
        EngineRuntime.start(home, JobMonitor.NONE);
        int threads = EngineBenchmark.torchThreads();
        List<Measurement> thaw = new ArrayList<>();
        String started = Instant.now().toString();
        double load0 = loadAverage();
        try (LineProgress progress = new LineProgress(err)) {
            EngineBenchmark.convPeak(quick ? 4 : 32, quick ? 1 : 3, pt.toAbsolutePath().getParent(), progress).forEach(thaw::add);
            EngineBenchmark.Settings s = new EngineBenchmark.Settings(imgs, pt, 32, embedBatches, warmup, headEpochs, 32, presets, bs,
                    ftSteps, 0);
            Path scratch = Files.createTempDirectory(work, "thaw-scratch");
            try {
                new EngineBenchmark(new BackboneLoader(home), s, scratch, progress, thaw::add).run();
            } finally {
                FileTrees.deleteTree(scratch);
            }
        }
        wholeRuns(imgs, pt, feEpochs, ftE, thaw, err);

        List<Map<String, Object>> reference = new ArrayList<>();
        if (py.available()) {
            List<String> common = List.of("--images", imgs.toString(), "--backbone", pt.toString(), "--threads", String.valueOf(threads),
                    "--omp-wait-policy", "PASSIVE", "--seed", "0");
            reference.addAll(py.job("peak", common, quick ? List.of("--gemm-sizes", "256,512", "--repeats", "2") : List.of()));
            reference.addAll(py.job("embed", common, List.of("--grad-modes", "inference_mode", "--warmup", String.valueOf(warmup))));
            reference.addAll(py.job("head", common, List.of("--epochs", String.valueOf(headEpochs))));
            reference.addAll(py.job("pipeline", common, List.of("--workers-list", "0,2", "--epochs", "1")));
            reference.addAll(py.job("finetune", common, List.of("--preset", "head,last,full", "--batch-sizes", String.valueOf(bs),
                    "--steps", String.valueOf(ftSteps), "--warmup", String.valueOf(warmup))));
            reference.addAll(py.job("fe-run", common, List.of("--epochs", String.valueOf(Math.min(refFe, feEpochs)), "--target-epochs",
                    String.valueOf(feEpochs))));
            reference.addAll(py.job("ft-run", common, List.of("--epochs", String.valueOf(ftE), "--preset", "last")));
        }

        BenchTable table = BenchTable.of(thaw, reference, List.of("head", "last", "full"), bs, feEpochs);
        double load1 = loadAverage();
        String header = String.format(Locale.ROOT,
                "thaw bench%s: %s, backbone %s, images %s; batch 32 (embed, head, whole runs), %d (fine-tuning steps); "
                        + "libtorch threads %d; %d cores; Java %s; load average %.1f at the start, %.1f at the end%s",
                quick ? " --quick (smoke run, numbers not meaningful)" : "", started, pt, imgs, bs, threads,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), load0, load1,
                py.available() ? "; reference: " + py.describe() : "; PyTorch reference skipped: " + py.whyNot());
        String md = header + "\n\n" + table.markdown();
        out.println();
        out.print(md);
        out.flush();
        if (mdFile != null) {
            Json.writeString(mdFile, md);
        }
        if (jsonFile != null) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("schema", "thaw-bench/1");
            j.put("started", started);
            j.put("quick", quick);
            j.put("backbone", pt.toString());
            j.put("images", imgs.toString());
            j.put("threads", threads);
            j.put("cores", Runtime.getRuntime().availableProcessors());
            j.put("java", System.getProperty("java.version"));
            j.put("load_avg_start", load0);
            j.put("load_avg_end", load1);
            j.put("reference", py.available() ? py.describe() : "skipped: " + py.whyNot());
            j.put("thaw", thaw);
            j.put("pytorch", reference);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (BenchTable.Row r : table.rows()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("job", r.job());
                row.put("what", r.what());
                row.put("thaw", finiteOrNull(r.thaw()));
                row.put("pytorch", finiteOrNull(r.pytorch()));
                row.put("ratio", finiteOrNull(r.ratio()));
                row.put("ratio_cpu_normalized", finiteOrNull(r.normalizedRatio()));
                row.put("target", r.targetText());
                row.put("met", r.met().orElse(null));
                rows.add(row);
            }
            j.put("table", rows);
            Json.write(jsonFile, j);
        }
        return 0;
    }

    private static Double finiteOrNull(double d) {
        return Double.isFinite(d) ? d : null;
    }

    /** (e) a feature-extraction run and a fine-tuning run through the TrainingService, as `thaw train` runs them. */
    private void wholeRuns(Path imgs, Path pt, int fe, int ft, List<Measurement> thaw, PrintWriter err) {
        // A home of its own, so the embedding cache is empty and the backbone really runs.
        AppHome benchHome = AppHome.at(work.resolve("thaw-home").toAbsolutePath());
        try {
            FileTrees.deleteTree(benchHome.embeddings());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RunStore store = new RunStore(work.resolve("runs").toAbsolutePath());
        RunSpec feSpec = RunSpec.builder().setBackbone(pt.toAbsolutePath().toString()).setData(imgs.toAbsolutePath())
                .setStrategy(Strategy.FEATURE_EXTRACTION).optEpochs(fe).optBatchSize(32).optSeed(0).optName("bench-fe").build();
        RunSpec ftSpec = RunSpec.builder().setBackbone(pt.toAbsolutePath().toString()).setData(imgs.toAbsolutePath())
                .setStrategy(Strategy.FINE_TUNING).optFreeze("last:1").optEpochs(ft).optBatchSize(32).optAugmentation(Augmentation.LIGHT)
                .optSeed(0).optName("bench-ft").build();
        // The same feature extraction with BatchNorm statistics re-estimated first (AdaBN, decision 0073).
        RunSpec feAdapted = feSpec.toBuilder().optAdaptBatchNorm(true).optName("bench-fe-adapt-bn").build();
        try (TrainingService service = new TrainingService(benchHome, store, new BackboneLoader(benchHome))) {
            service.addListener(new TrainingPrinter(err));
            for (RunSpec rs : List.of(feSpec, feAdapted, ftSpec)) {
                String job = rs.strategy() == Strategy.FINE_TUNING ? "ft-run" : rs.adaptBatchNorm() ? "fe-run-adapted" : "fe-run";
                EngineBenchmark.CpuClock clock = new EngineBenchmark.CpuClock();
                long t0 = System.nanoTime();
                RunHandle h = service.submit(rs);
                RunResult result = h.result().join();
                double wall = (System.nanoTime() - t0) / 1e9;
                RunSummary s = result.summary();
                if (!result.completed() || s == null) {
                    throw new UserException("The bench " + job + " did not complete; see " + result.folder());
                }
                Map<String, Object> d = new LinkedHashMap<>(Map.of("epochs", s.epochs(), "run_folder", result.folder().toString(),
                        "embedding_engine", String.valueOf(s.embeddingEngine()), "val_accuracy", s.valAcc(), "scope",
                        "TrainingService.submit to the result: dataset scan, backbone load, embeddings or training, "
                                + "validation, checkpoints, run folder (JVM start and engine loading excluded)"));
                thaw.add(new Measurement(job, "wall", "wall_s", wall, "s", clock.addTo(d)));
                thaw.add(new Measurement(job, "val_accuracy", "accuracy", s.valAcc(), "", Map.of("best", s.bestValAcc())));
            }
        }
    }

    private Path generatedBackbone(PythonReference py) {
        Path pt = work.resolve("models").resolve("resnet18-bench.pt");
        if (!Files.isRegularFile(pt) || !Files.isRegularFile(work.resolve("models").resolve("conv3x3x8-256ch-14px.onnx"))) {
            py.require("generate the bench backbone (or pass --backbone FILE.pt)");
            py.script("make_bench_backbone.py", List.of(work.resolve("models").toString()));
        }
        return pt;
    }

    private Path generatedImages(PythonReference py) {
        Path dir = work.resolve(quick ? "images-quick" : "images");
        if (!Files.isDirectory(dir.resolve("val"))) {
            py.require("generate the bench images (or pass --images DIR)");
            py.script("make_bench_images.py", quick ? List.of(dir.toString(), "--classes", "4", "--per-class", "16", "--seed", "1")
                    : List.of(dir.toString(), "--classes", "10", "--per-class", "40", "--seed", "1"));
        }
        return dir;
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Progress as plain lines on stderr (a bench runs for minutes, often with its output in a file). */
    static final class LineProgress implements JobMonitor, AutoCloseable {
        private final PrintWriter err;
        private final long start = System.nanoTime();
        private String last = "";
        private long lastPrint;

        LineProgress(PrintWriter err) {
            this.err = err;
        }

        @Override
        public synchronized void progress(double fraction, String message) {
            long now = System.nanoTime();
            String key = message.length() > 24 ? message.substring(0, 24) : message;
            if (key.equals(last) && now - lastPrint < 10_000_000_000L) {
                return;
            }
            last = key;
            lastPrint = now;
            err.printf(Locale.ROOT, "# %6.1f s  %s%n", (now - start) / 1e9, message);
            err.flush();
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void close() {
            err.flush();
        }
    }
}
