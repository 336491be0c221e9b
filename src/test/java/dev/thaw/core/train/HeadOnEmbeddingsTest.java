package dev.thaw.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.thaw.core.data.LabeledImage;
import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.runs.RunFolder;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.runtime.EngineRuntime;
import dev.thaw.core.util.JobMonitor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop on cached embeddings (feature extraction's head), on the calling thread. */
class HeadOnEmbeddingsTest {

    @TempDir
    Path dir;

    /** {@code n} samples of {@code dim} Gaussian features, class k shifted by +3 on feature k. */
    private static EmbeddingBatches.Split split(int n, int dim, int classes, long seed) {
        Random r = new Random(seed);
        float[] f = new float[n * dim];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            for (int j = 0; j < dim; j++) {
                f[i * dim + j] = (float) r.nextGaussian();
            }
            f[i * dim + labels[i]] += 3;
        }
        List<LabeledImage> files = new ArrayList<>(Collections.nCopies(n, null));
        return new EmbeddingBatches.Split(f, labels, files);
    }

    @Test
    void theHeadLearnsAndLibtorchKeepsItsThreadCount() {
        EngineRuntime.start(AppHome.resolve(), JobMonitor.NONE);
        int dim = 16;
        int classes = 4;
        int threadsBefore = JniUtils.getNumThreads();
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), EngineRuntime.PYTORCH);
                EmbeddingBatches data = new EmbeddingBatches(split(160, dim, classes, 1), split(600, dim, classes, 2), dim, 16, 3, 0);
                Classifier model = new Classifier(m, null, dim, classes);
                RunFolder.MetricsLog metrics = new RunFolder(dir).openMetrics()) {
            TrainingLoop.Settings settings = new TrainingLoop.Settings(15, 0, 0.05, 0.05, 0, 0, FreezePlan.NONE, null);
            List<Integer> valSizes = new ArrayList<>();
            TrainingLoop.Outcome o = new TrainingLoop("t", model, data, settings, e -> {
            }, metrics, () -> false, (epoch, val, best) -> valSizes.add(val.predicted().length)).run();
            // the best possible accuracy here is about 0.95; chance is 0.25
            assertThat(o.finalValAccuracy()).isGreaterThan(0.75);
            // validation covers every sample, in large batches (600 > 512 needs two)
            assertThat(valSizes).hasSize(15).containsOnly(600);
        }
        // one thread for the tiny head operations, and back afterwards (a later fine-tuning run needs them all)
        assertThat(JniUtils.getNumThreads()).isEqualTo(threadsBefore);
    }
}
