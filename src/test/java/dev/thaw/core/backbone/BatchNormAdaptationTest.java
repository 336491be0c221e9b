package dev.thaw.core.backbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.thaw.core.data.Augmentation;
import dev.thaw.core.data.ImagePipeline;
import dev.thaw.core.data.LoadedBatch;
import dev.thaw.core.data.SplitManifest;
import dev.thaw.core.eval.Predictor;
import dev.thaw.core.model.RunSpec;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.model.TrainingEvent;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runs.RunSummary;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.train.RunResult;
import dev.thaw.core.train.TrainingService;
import dev.thaw.core.util.Digests;
import dev.thaw.core.util.JobMonitor;
import dev.thaw.testing.TestImages;
import dev.thaw.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feature extraction with re-estimated BatchNorm statistics ({@code --adapt-bn}, AdaBN): the
 * statistics become those of the training images, no weight moves, the original file stays as it
 * was, the run keeps the adapted backbone and predicts with it, and cached embeddings of the
 * original statistics are never mixed with adapted ones.
 */
class BatchNormAdaptationTest {

    @TempDir
    static Path dir;
    private static AppHome home;
    private static Path data;
    private static BackboneLoader loader;

    @BeforeAll
    static void setUp() {
        home = AppHome.at(dir.resolve("home"));
        data = TestImages.presplit(dir.resolve("data"), 8, 4, 32, 1);
        loader = new BackboneLoader(home);
    }

    private static RunResult featureExtraction(String backbone, boolean adapt) {
        RunSpec spec = RunSpec.builder().setBackbone(backbone).setData(data).setStrategy(Strategy.FEATURE_EXTRACTION)
                .optAdaptBatchNorm(adapt).optEpochs(3).optBatchSize(8).optSeed(5).build();
        try (TrainingService service = new TrainingService(home, new RunStore(dir.resolve("runs")), loader)) {
            return service.submit(spec).result().join();
        }
    }

    /** The training images as one batch of model input. */
    private static LoadedBatch trainingImages(Backbone b) {
        SplitManifest m = SplitManifest.of(data, 0.2, 0, 1);
        try (ImagePipeline p = new ImagePipeline(b.metadata().transform(), 1)) {
            return p.load(m.train(), Augmentation.NONE, 0);
        }
    }

    private static List<float[]> statistics(TorchScriptBackbone ts) {
        List<float[]> out = new ArrayList<>();
        try (NDManager m = ts.manager().newSubManager(); IValue list = IValueUtils.runMethod(ts.module(), "batch_norm_statistics")) {
            for (PtNDArray a : list.toTensorArray((PtNDManager) m)) {
                out.add(a.toFloatArray());
            }
        }
        return out;
    }

    /** Features of the batch with every BatchNorm normalizing by this batch's own statistics (training mode, no gradients). */
    private static float[] withBatchStatistics(TorchScriptBackbone ts, LoadedBatch batch) {
        int s = ts.metadata().inputSize();
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager m = ts.manager().newSubManager()) {
            JniUtils.enableTrainingMode(ts.module());
            NDList out = IValueUtils.forward(ts.module(), new NDList(m.create(batch.data(), new Shape(batch.count(), 3, s, s))), false);
            return TorchScriptBackbone.toFeatures(out.get(0)).toFloatArray();
        } finally {
            JniUtils.enableInferenceMode(ts.module());
            JniUtils.setGradMode(grad);
        }
    }

    private static double rmsDifference(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return Math.sqrt(sum / a.length);
    }

    @Test
    void torchScriptRunAdaptsStatisticsToTheTrainingImagesWithoutMovingAWeight() throws Exception {
        String sha = Digests.sha256(TestModels.TINY_BN_PT);
        RunResult plain = featureExtraction(TestModels.TINY_BN_PT.toString(), false);
        assertThat(plain.completed()).as("%s", plain.terminal()).isTrue();

        List<TrainingEvent> events = new ArrayList<>();
        RunResult adapted;
        RunSpec spec = RunSpec.builder().setBackbone(TestModels.TINY_BN_PT.toString()).setData(data)
                .setStrategy(Strategy.FEATURE_EXTRACTION).optAdaptBatchNorm(true).optEpochs(3).optBatchSize(8).optSeed(5).build();
        try (TrainingService service = new TrainingService(home, new RunStore(dir.resolve("runs")), loader)) {
            service.addListener(events::add);
            adapted = service.submit(spec).result().join();
        }
        assertThat(adapted.completed()).as("%s", adapted.terminal()).isTrue();
        RunSummary s = adapted.summary();
        // The ONNX form (if any) has the old statistics, and the plain run's cached embeddings too.
        assertThat(s.embeddingEngine()).isEqualTo("PyTorch");
        assertThat(s.embeddingsComputed()).isEqualTo(36);
        assertThat(s.freeze()).contains("BatchNorm statistics re-estimated on 24 training images");
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(TrainingEvent.Progress.class,
                p -> assertThat(p.phase()).startsWith("Re-estimating BatchNorm statistics")));
        assertThat(Digests.sha256(TestModels.TINY_BN_PT)).as("the user's file is never written").isEqualTo(sha);

        Path saved = adapted.folder().resolve("model/backbone.pt");
        assertThat(saved).isRegularFile();
        TestModels.copy(TestModels.DIR.resolve("tiny-resnet-bn.json"), dir.resolve("adapted"), "tiny-resnet-bn.json");
        try (TorchScriptBackbone original = (TorchScriptBackbone) loader.load(new BackboneSource.File(TestModels.TINY_BN_PT),
                MetadataOverrides.NONE, JobMonitor.NONE);
                TorchScriptBackbone after = (TorchScriptBackbone) loader.load(new BackboneSource.File(
                        TestModels.copy(saved, dir.resolve("adapted"), "tiny-resnet-bn.pt")), MetadataOverrides.NONE, JobMonitor.NONE)) {
            List<NamedParameter> before = original.parameters();
            List<NamedParameter> now = after.parameters();
            assertThat(now).hasSameSizeAs(before);
            for (int i = 0; i < before.size(); i++) {
                assertThat(now.get(i).path()).isEqualTo(before.get(i).path());
                assertThat(now.get(i).parameter().getArray().toFloatArray()).as(now.get(i).path())
                        .containsExactly(before.get(i).parameter().getArray().toFloatArray());
            }
            List<float[]> statsBefore = statistics(original);
            List<float[]> statsAfter = statistics(after);
            for (int i = 0; i < statsBefore.size(); i++) {
                assertThat(rmsDifference(statsAfter.get(i), statsBefore.get(i))).as("statistic %d moved", i).isGreaterThan(1e-4);
            }

            // The point of it: in eval mode the adapted backbone normalizes the training images
            // (nearly) as their own batch statistics would. Its momentum is fixed at 0.1, so 66
            // batches leave 0.1 % of the old statistics; running variances are unbiased.
            LoadedBatch train = trainingImages(original);
            float[] plainFeatures = original.embed(train.data(), train.count());
            float[] target = withBatchStatistics(original, train);
            double beforeError = rmsDifference(plainFeatures, target);
            double afterError = rmsDifference(after.embed(train.data(), train.count()), target);
            assertThat(afterError).as("error before %s, after %s", beforeError, afterError).isLessThan(0.05 * beforeError);
        }

        // The run predicts with the backbone it embedded with: the same class as the run's own
        // validation predictions (made with the adapted statistics) for every image.
        dev.thaw.core.runs.ValPredictions val = dev.thaw.core.runs.ValPredictions.read(new dev.thaw.core.runs.RunFolder(
                adapted.folder()), dev.thaw.core.runs.ValPredictions.Epoch.BEST).orElseThrow();
        try (Predictor p = Predictor.open(adapted.folder(), home)) {
            assertThat(p.descriptor().backboneWeights()).isEqualTo("backbone.pt");
            assertThat(val.rows()).hasSize(12).allSatisfy(r -> assertThat(p.predict(r.resolve(val.dataRoot()), 1).get(0).label())
                    .as(r.file()).isEqualTo(val.classes().get(r.predicted())));
        }

        // Same images, same recipe, another seed: the adapted backbone and its embeddings come from
        // the cache, so the backbone is not adapted again, and the run keeps the same adapted file.
        List<TrainingEvent> againEvents = new ArrayList<>();
        RunResult again;
        try (TrainingService service = new TrainingService(home, new RunStore(dir.resolve("runs")), loader)) {
            service.addListener(againEvents::add);
            again = service.submit(spec.withSeed(6)).result().join();
        }
        assertThat(again.completed()).as("%s", again.terminal()).isTrue();
        assertThat(again.summary().embeddingsCached()).isEqualTo(36);
        assertThat(again.summary().backboneSkipped()).isTrue();
        assertThat(again.summary().freeze()).contains("(from the cache)");
        assertThat(againEvents).noneSatisfy(e -> assertThat(e).isInstanceOfSatisfying(TrainingEvent.Progress.class,
                p -> assertThat(p.phase()).startsWith("Re-estimating")));
        assertThat(Files.mismatch(again.folder().resolve("model/backbone.pt"), saved)).isEqualTo(-1L);
    }

    @Test
    void thawArchitectureStatisticsBecomeTheExactStatisticsOfTheImages() {
        try (DjlBackbone b = (DjlBackbone) loader.load(new BackboneSource.Architecture(Architectures.MINI_RESNET),
                new MetadataOverrides(32, null, null), JobMonitor.NONE)) {
            LoadedBatch train = trainingImages(b);
            int s = b.metadata().inputSize();
            float[] before = b.embed(train.data(), train.count());
            boolean grad = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try (NDManager m = b.manager().newSubManager()) {
                assertThat(b.statisticsEstimateBatches()).as("one pass is exact").isZero();
                String digest = b.weightsDigest();
                TrainableBackbone.StatisticsEstimate estimate = b.estimateStatistics();
                NDArray x = m.create(train.data(), new Shape(train.count(), 3, s, s));
                estimate.observe(x);
                estimate.finish("test");
                // The digest names the recipe, so a later run can find this backbone's embeddings before adapting.
                assertThat(b.weightsDigest()).isEqualTo(TrainableBackbone.adaptedDigest(digest, "test")).isNotEqualTo(digest);
                float[] after = b.embed(train.data(), train.count());
                // Batch statistics, as a training-mode pass over the same batch computes them.
                float[] target = b.block().forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow().toFloatArray();
                double beforeError = rmsDifference(before, target);
                double afterError = rmsDifference(after, target);
                // Exact up to the unbiased running variance (24 images: a factor 24/23 per layer).
                assertThat(afterError).as("error before %s, after %s", beforeError, afterError).isLessThan(0.1 * beforeError);
            } finally {
                JniUtils.setGradMode(grad);
            }
        }
    }

    @Test
    void onnxBackboneRefusesWithTheReasonAndHowToGoOn() {
        RunResult r = featureExtraction(TestModels.TINY_ONNX.toString(), true);
        assertThat(r.terminal()).isInstanceOfSatisfying(TrainingEvent.Failed.class,
                f -> assertThat(f.message()).contains("--adapt-bn").contains("TorchScript"));
    }

    @Test
    void onlyFeatureExtractionTakesTheOption() {
        assertThatThrownBy(() -> RunSpec.builder().setBackbone("sample").setData(data).setStrategy(Strategy.FINE_TUNING)
                .optAdaptBatchNorm(true).build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--adapt-bn");
    }

    @Test
    void theOptionIsSavedWithTheSpec() throws Exception {
        RunResult r = featureExtraction(TestModels.TINY_BN_PT.toString(), true);
        assertThat(r.completed()).isTrue();
        String json = Files.readString(r.folder().resolve("spec.json"));
        assertThat(json).contains("\"adaptBatchNorm\": true");
    }
}
