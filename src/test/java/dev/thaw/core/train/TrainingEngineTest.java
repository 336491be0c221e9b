package dev.thaw.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thaw.core.backbone.BackboneLoader;
import dev.thaw.core.data.Augmentation;
import dev.thaw.core.data.SplitManifest;
import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.LayerTree;
import dev.thaw.core.model.RunSpec;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.model.TrainingEvent;
import dev.thaw.core.runs.RunFolder;
import dev.thaw.core.runs.RunStatus;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runs.RunSummary;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.util.Json;
import dev.thaw.testing.TestImages;
import dev.thaw.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training engine end to end on tiny models and images: real DJL, real files. */
class TrainingEngineTest {

    @TempDir
    static Path dir;
    private static Path data;
    private static AppHome home;
    private static RunStore store;
    private static TrainingService service;

    @BeforeAll
    static void setUp() {
        data = TestImages.presplit(dir.resolve("data"), 8, 4, 32, 1);
        home = AppHome.at(dir.resolve("home"));
        store = new RunStore(dir.resolve("runs"));
        service = new TrainingService(home, store, new BackboneLoader(home));
    }

    @AfterAll
    static void tearDown() {
        service.close();
    }

    private static RunSpec.Builder fineTuning() {
        return RunSpec.builder().setBackbone(TestModels.TINY_PT.toString()).setData(data).setStrategy(Strategy.FINE_TUNING)
                .optEpochs(2).optBatchSize(8).optSeed(11);
    }

    /** Runs {@code spec} and returns its result and every event it sent. */
    private static RunResult run(RunSpec spec, List<TrainingEvent> events) {
        Consumer<TrainingEvent> l = events::add;
        service.addListener(l);
        try {
            return service.submit(spec).result().join();
        } finally {
            service.removeListener(l);
        }
    }

    private static RunResult run(RunSpec spec) {
        return run(spec, new ArrayList<>());
    }

    private static List<Map<String, Object>> epochLines(RunResult r) {
        return new RunFolder(r.folder()).readMetrics().stream().filter(m -> "epoch".equals(m.get("type"))).toList();
    }

    @Test
    void runFolderHoldsEverythingToReadAndRerunTheRun() throws IOException {
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        RunResult r = run(fineTuning().optFreeze("last:2").build(), events);
        assertThat(r.completed()).as("%s", r.terminal()).isTrue();
        RunFolder f = new RunFolder(r.folder());

        RunSpec saved = f.readSpec();
        assertThat(saved.freezePlan()).isEqualTo(FreezePlan.of("backbone.bn1", "backbone.conv1", "backbone.layer1"));
        assertThat(saved.freeze()).isEqualTo("last:2");
        SplitManifest split = SplitManifest.load(f.file(RunFolder.SPLIT));
        assertThat(split.train()).hasSize(24);
        assertThat(split.val()).hasSize(12);
        assertThat(split.classes()).isEqualTo(TestImages.CLASSES);

        RunStatus status = f.readStatus().orElseThrow();
        assertThat(status.state()).isEqualTo(RunStatus.COMPLETED);
        assertThat(status.epochsCompleted()).isEqualTo(2);
        List<Map<String, Object>> metrics = f.readMetrics();
        assertThat(metrics.stream().filter(m -> "batch".equals(m.get("type")))).hasSize(2 * 3);
        assertThat(epochLines(r)).hasSize(2);
        assertThat(epochLines(r).get(1)).containsKeys("train_loss", "train_acc", "val_loss", "val_acc", "lr", "seconds",
                "images_per_s", "best");

        for (String checkpoint : List.of("checkpoints/last", "checkpoints/best", "model")) {
            Path c = f.dir().resolve(checkpoint);
            assertThat(c.resolve("head.params")).as(checkpoint).isRegularFile();
            assertThat(c.resolve("backbone.pt")).as(checkpoint).isRegularFile();
            assertThat(c.resolve("labels.txt")).as(checkpoint).hasContent("circle\nsquare\nstripes");
            ModelDescriptor d = Json.read(c.resolve("model.json"), ModelDescriptor.class);
            assertThat(d.classes()).isEqualTo(TestImages.CLASSES);
            assertThat(d.backboneWeights()).isEqualTo("backbone.pt");
            assertThat(d.inputSize()).isEqualTo(32);
        }
        assertThat(Files.readAllLines(f.file(RunFolder.PREDICTIONS))).hasSize(1 + 12).first()
                .isEqualTo("file,label,predicted,correct,probability,p:circle,p:square,p:stripes");
        // the final epoch's predictions too, with probabilities that sum to 1 and agree with the accuracy
        dev.thaw.core.runs.ValPredictions last = dev.thaw.core.runs.ValPredictions
                .read(f, dev.thaw.core.runs.ValPredictions.Epoch.LAST).orElseThrow();
        assertThat(last.rows()).hasSize(12);
        assertThat(last.accuracy()).isEqualTo(((Number) epochLines(r).get(1).get("val_acc")).doubleValue());
        for (dev.thaw.core.runs.ValPredictions.Row row : last.rows()) {
            float sum = 0;
            for (float p : row.probabilities()) {
                sum += p;
            }
            assertThat(sum).isCloseTo(1f, org.assertj.core.api.Assertions.within(1e-4f));
            assertThat(row.probability()).isEqualTo(row.probabilities()[row.predicted()], org.assertj.core.api.Assertions.within(1e-6));
        }
        assertThat(dev.thaw.core.runs.RunCurves.read(f).epochs()).hasSize(2)
                .allSatisfy(e -> assertThat(e.elapsedSeconds()).isPositive());
        assertThat(f.file(RunFolder.BACKBONE)).isRegularFile();
        assertThat(Files.readString(f.file(RunFolder.TREE))).contains("\"plan\"").contains("Fine-tuning the last 2 of 5 stages");

        RunSummary s = f.readSummary().orElseThrow();
        assertThat(s.status()).isEqualTo("completed");
        assertThat(s.epochs()).isEqualTo(2);
        assertThat(s.valAcc()).isEqualTo(((Number) epochLines(r).get(1).get("val_acc")).doubleValue());
        assertThat(s.bestValAcc()).isGreaterThanOrEqualTo(s.valAcc());
        assertThat(s.trainableParams()).isLessThan(s.totalParams()).isGreaterThan(99);
        try (Stream<Path> all = Files.walk(f.dir())) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp") || n.endsWith(".tmp")
                    || n.startsWith(".old"));
        }
        assertThat(store.find(r.runId()).orElseThrow().state()).isEqualTo("completed");
        assertThat(store.list()).extracting(RunStore.RunInfo::id).contains(r.runId());

        // events: Started first, then batches and epochs, and exactly one terminal event at the end
        List<TrainingEvent> mine = events.stream().filter(e -> e.runId().equals(r.runId())).toList();
        int started = indexOf(mine, TrainingEvent.Started.class);
        assertThat(started).isLessThan(indexOf(mine, TrainingEvent.BatchEnded.class));
        assertThat(mine.get(mine.size() - 1)).isInstanceOf(TrainingEvent.Completed.class);
        assertThat(mine.stream().filter(e -> e instanceof TrainingEvent.EpochEnded)).hasSize(2);
    }

    private static int indexOf(List<TrainingEvent> events, Class<?> type) {
        for (int i = 0; i < events.size(); i++) {
            if (type.isInstance(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void eachEpochIsOnDiskBeforeItsEventArrives() {
        List<String> problems = new CopyOnWriteArrayList<>();
        AtomicReference<Path> folder = new AtomicReference<>();
        Consumer<TrainingEvent> check = e -> {
            if (e instanceof TrainingEvent.EpochEnded ep) {
                Path runDir = store.root().resolve(ep.runId());
                RunFolder f = new RunFolder(runDir);
                folder.set(runDir);
                long lines = f.readMetrics().stream().filter(m -> "epoch".equals(m.get("type"))).count();
                if (lines != ep.epoch()) {
                    problems.add("epoch " + ep.epoch() + ": " + lines + " epoch lines on disk");
                }
                if (f.readStatus().orElseThrow().epochsCompleted() != ep.epoch()) {
                    problems.add("epoch " + ep.epoch() + ": run.json is behind");
                }
                if (!Files.isRegularFile(runDir.resolve("checkpoints/last/head.params"))) {
                    problems.add("epoch " + ep.epoch() + ": no last checkpoint");
                }
            }
        };
        RunResult r = run(fineTuning().optEpochs(3).build(), new CopyOnWriteArrayList<>() {
            @Override
            public boolean add(TrainingEvent e) {
                check.accept(e);
                return super.add(e);
            }
        });
        assertThat(r.completed()).isTrue();
        assertThat(folder.get()).isNotNull();
        assertThat(problems).isEmpty();
    }

    @Test
    void aTornMetricsLineFromACrashIsSkipped() throws IOException {
        Path runDir = Files.createDirectories(dir.resolve("torn"));
        Files.writeString(runDir.resolve(RunFolder.METRICS), "{\"type\":\"epoch\",\"epoch\":1,\"val_acc\":0.5}\n{\"type\":\"epo");
        Files.writeString(runDir.resolve(RunFolder.STATUS), "{\"run\":\"torn\",\"state\":\"running\",\"epochs_completed\":1}");
        RunFolder f = new RunFolder(runDir);
        assertThat(f.readMetrics()).hasSize(1);
        assertThat(RunStore.read(f).state()).isEqualTo("incomplete");
    }

    @Test
    void featureExtractionCachesEmbeddingsAndTheSecondRunSkipsTheBackbone() {
        AppHome fresh = AppHome.at(dir.resolve("home-fe"));
        try (TrainingService s = new TrainingService(fresh, store, new BackboneLoader(fresh))) {
            RunSpec spec = RunSpec.builder().setBackbone(TestModels.TINY_PT.toString()).setData(data)
                    .setStrategy(Strategy.FEATURE_EXTRACTION).optEpochs(5).optBatchSize(8).build();
            RunSummary first = s.submit(spec).result().join().summary();
            assertThat(first.status()).isEqualTo("completed");
            assertThat(first.embeddingsComputed()).isEqualTo(36);
            assertThat(first.embeddingsCached()).isZero();
            // the .pt has an .onnx sibling that gives the same features: ONNX Runtime computed them
            assertThat(first.embeddingEngine()).isEqualTo("OnnxRuntime");
            assertThat(first.backboneSkipped()).isFalse();
            assertThat(first.trainableParams()).isEqualTo(99);

            List<TrainingEvent> events = new CopyOnWriteArrayList<>();
            s.addListener(events::add);
            RunSummary second = s.submit(spec).result().join().summary();
            assertThat(second.embeddingsComputed()).isZero();
            assertThat(second.embeddingsCached()).isEqualTo(36);
            assertThat(second.backboneSkipped()).isTrue();
            assertThat(second.valAcc()).isEqualTo(first.valAcc());
            assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(TrainingEvent.Progress.class,
                    p -> assertThat(p.phase()).contains("backbone skipped")));

            // another transform is another key: the backbone runs again
            RunSummary resized = s.submit(spec.toBuilder().optImageSize(40).build()).result().join().summary();
            assertThat(resized.embeddingsComputed()).isEqualTo(36);
        }
    }

    @Test
    void onnxBackbonesExtractFeaturesAndRefuseToTrain() {
        RunResult fe = run(RunSpec.builder().setBackbone(TestModels.TINY_ONNX.toString()).setData(data)
                .setStrategy(Strategy.FEATURE_EXTRACTION).optEpochs(3).optBatchSize(8).build());
        assertThat(fe.completed()).isTrue();
        assertThat(fe.summary().embeddingEngine()).isIn("OnnxRuntime", "cache");
        RunResult ft = run(RunSpec.builder().setBackbone(TestModels.TINY_ONNX.toString()).setData(data)
                .setStrategy(Strategy.FINE_TUNING).optEpochs(1).build());
        assertThat(ft.terminal()).isInstanceOfSatisfying(TrainingEvent.Failed.class,
                f -> assertThat(f.message()).contains("ONNX Runtime").contains("--strategy fe"));
        assertThat(new RunFolder(ft.folder()).readStatus().orElseThrow().state()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void cancellingStopsBeforeTheNextBatch() {
        AtomicReference<TrainingService> svc = new AtomicReference<>(service);
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        AtomicReference<dev.thaw.core.train.RunHandle> handle = new AtomicReference<>();
        Consumer<TrainingEvent> l = e -> {
            events.add(e);
            if (e instanceof TrainingEvent.BatchEnded) {
                while (handle.get() == null) {
                    Thread.onSpinWait();
                }
                handle.get().cancel();
            }
        };
        svc.get().addListener(l);
        try {
            handle.set(svc.get().submit(fineTuning().optEpochs(5).build()));
            RunResult r = handle.get().result().join();
            assertThat(r.terminal()).isInstanceOfSatisfying(TrainingEvent.Cancelled.class,
                    c -> assertThat(c.epochsCompleted()).isZero());
            assertThat(events.stream().filter(e -> e instanceof TrainingEvent.BatchEnded && e.runId().equals(r.runId())))
                    .hasSize(1);
            RunFolder f = new RunFolder(r.folder());
            assertThat(f.readStatus().orElseThrow().state()).isEqualTo(RunStatus.CANCELLED);
            assertThat(f.readSummary().orElseThrow().status()).isEqualTo("cancelled");
        } finally {
            svc.get().removeListener(l);
        }
    }

    @Test
    void aRunCancelledAfterAnEpochKeepsThatEpochsAccuracyInItsSummary() {
        List<TrainingEvent> events = new CopyOnWriteArrayList<>();
        AtomicReference<dev.thaw.core.train.RunHandle> handle = new AtomicReference<>();
        Consumer<TrainingEvent> l = e -> {
            events.add(e);
            if (e instanceof TrainingEvent.BatchEnded b && b.epoch() == 3) {
                while (handle.get() == null) {
                    Thread.onSpinWait();
                }
                handle.get().cancel();
            }
        };
        service.addListener(l);
        try {
            handle.set(service.submit(fineTuning().optEpochs(5).build()));
            RunResult r = handle.get().result().join();
            assertThat(r.terminal()).isInstanceOfSatisfying(TrainingEvent.Cancelled.class,
                    c -> assertThat(c.epochsCompleted()).isEqualTo(2));
            List<Map<String, Object>> epochs = new RunFolder(r.folder()).readMetrics().stream()
                    .filter(m -> "epoch".equals(m.get("type"))).toList();
            assertThat(epochs).hasSize(2);
            double last = ((Number) epochs.get(1).get("val_acc")).doubleValue();
            double best = Math.max(((Number) epochs.get(0).get("val_acc")).doubleValue(), last);
            RunSummary s = new RunFolder(r.folder()).readSummary().orElseThrow();
            assertThat(s.status()).isEqualTo("cancelled");
            assertThat(s.epochs()).isEqualTo(2);
            assertThat(s.valAcc()).isEqualTo(last);
            assertThat(s.bestValAcc()).isEqualTo(best);
            assertThat(s.bestEpoch()).isBetween(1, 2);
        } finally {
            service.removeListener(l);
        }
    }

    @Test
    void aDivergingLossStopsTheRunWithAMessage() {
        RunResult r = run(fineTuning().optLearningRate(1e30).optEpochs(3).build());
        assertThat(r.terminal()).isInstanceOfSatisfying(TrainingEvent.Failed.class,
                f -> assertThat(f.message()).containsPattern("The loss became (NaN|infinite) at epoch \\d, batch \\d")
                        .contains("Lower the learning rate"));
        assertThat(r.summary().status()).isEqualTo("failed");
    }

    @Test
    void theSameSeedGivesTheSameMetrics() {
        RunSpec spec = fineTuning().optAugmentation(Augmentation.LIGHT).optSeed(5).build();
        List<Map<String, Object>> a = strip(epochLines(run(spec)));
        List<Map<String, Object>> b = strip(epochLines(run(spec)));
        assertThat(b).isEqualTo(a);
        List<Map<String, Object>> c = strip(epochLines(run(spec.withSeed(6))));
        assertThat(c).isNotEqualTo(a);

        // a Thaw architecture from random weights: the seed decides the initialization too
        RunSpec scratch = RunSpec.builder().setBackbone("arch:mini-resnet").optImageSize(32).setData(data)
                .setStrategy(Strategy.SCRATCH).optEpochs(1).optBatchSize(8).optSeed(5).build();
        assertThat(strip(epochLines(run(scratch)))).isEqualTo(strip(epochLines(run(scratch))));
    }

    /** Epoch metrics without the timings. */
    private static List<Map<String, Object>> strip(List<Map<String, Object>> lines) {
        return lines.stream().map(m -> {
            Map<String, Object> c = new java.util.LinkedHashMap<>(m);
            c.remove("seconds");
            c.remove("images_per_s");
            c.remove("elapsed_s");
            return (Map<String, Object>) c;
        }).toList();
    }

    @Test
    void unreadableImagesAreSkippedAndCounted() throws IOException {
        Path copy = dir.resolve("data-with-a-bad-file");
        TestImages.presplit(copy, 6, 3, 32, 2);
        TestImages.corrupt(copy.resolve("train/circle/broken.png"));
        RunResult r = run(fineTuning().setData(copy).optEpochs(1).build());
        assertThat(r.completed()).isTrue();
        assertThat(r.summary().skippedImages()).isEqualTo(1);
        assertThat(((TrainingEvent.Completed) r.terminal()).skippedImages()).isEqualTo(1);
    }

    @Test
    void warmUpEpochsTrainOnlyTheHead() throws IOException {
        RunResult r = run(fineTuning().optEpochs(1).optWarmupEpochs(1).build());
        assertThat(r.completed()).isTrue();
        // one epoch, all of it warm-up: the saved backbone is the original, byte for byte in its weights
        Path trained = TestModels.copy(r.folder().resolve("model/backbone.pt"), dir.resolve("warm"), "warm.pt");
        TestModels.copy(TestModels.TINY_SIDECAR, dir.resolve("warm"), "warm.json");
        var loader = new BackboneLoader(home);
        try (var a = loader.load(new dev.thaw.core.backbone.BackboneSource.File(TestModels.TINY_PT), null,
                dev.thaw.core.util.JobMonitor.NONE);
                var b = loader.load(new dev.thaw.core.backbone.BackboneSource.File(trained), null, dev.thaw.core.util.JobMonitor.NONE)) {
            var pa = a.trainable().orElseThrow().parameters();
            var pb = b.trainable().orElseThrow().parameters();
            for (int i = 0; i < pa.size(); i++) {
                assertThat(pb.get(i).parameter().getArray().toFloatArray()).as(pa.get(i).path())
                        .isEqualTo(pa.get(i).parameter().getArray().toFloatArray());
            }
        }
    }

    @Test
    void earlyStoppingEndsARunThatStopsImproving() {
        RunResult r = run(fineTuning().optEpochs(6).optLearningRate(1e-12).optEarlyStoppingPatience(2).build());
        assertThat(r.completed()).isTrue();
        assertThat(r.summary().stoppedEarly()).isTrue();
        assertThat(r.summary().epochs()).isEqualTo(3);
        assertThat(r.summary().epochsPlanned()).isEqualTo(6);
    }

    @Test
    void scratchStartsTheSameArchitectureFromRandomWeights() {
        RunResult r = run(RunSpec.builder().setBackbone(TestModels.TINY_PT.toString()).setData(data).setStrategy(Strategy.SCRATCH)
                .optEpochs(1).optBatchSize(8).build());
        assertThat(r.completed()).isTrue();
        assertThat(r.summary().trainableParams()).isEqualTo(r.summary().totalParams());
        assertThat(r.summary().freeze()).isEqualTo("Full fine-tuning (nothing frozen)");
    }

    @Test
    void badSpecsFailWithMessagesThatSayWhatToFix() {
        RunResult missing = run(fineTuning().setData(dir.resolve("no-such-folder")).build());
        assertThat(((TrainingEvent.Failed) missing.terminal()).message()).contains("Dataset folder not found").contains("no-such-folder");
        RunResult headFrozen = run(fineTuning().optFreezePlan(FreezePlan.of(LayerTree.HEAD)).build());
        assertThat(((TrainingEvent.Failed) headFrozen.terminal()).message()).contains("head cannot be frozen");
        RunResult feWithPlan = run(RunSpec.builder().setBackbone(TestModels.TINY_PT.toString()).setData(data)
                .setStrategy(Strategy.FEATURE_EXTRACTION).optFreeze("last:1").build());
        assertThat(((TrainingEvent.Failed) feWithPlan.terminal()).message()).contains("--strategy ft");
    }
}
