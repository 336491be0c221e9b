package dev.thaw.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.runtime.EngineRuntime;
import dev.thaw.core.util.JobMonitor;
import java.io.DataInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifierTest {

    @TempDir
    Path dir;

    @Test
    void theSavedHeadTakesRawFeatures() throws Exception {
        EngineRuntime.start(AppHome.resolve(), JobMonitor.NONE);
        int d = 5;
        int c = 3;
        float[] mean = {1, -2, 0.5f, 10, 0};
        float[] std = {2, 0.5f, 1, 4, 3};
        float[] raw = new float[4 * d];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (float) Math.sin(i) * 7;
        }
        float[] standardized = raw.clone();
        for (int i = 0; i < raw.length; i++) {
            standardized[i] = (raw[i] - mean[i % d]) / std[i % d];
        }
        try (NDManager base = NDManager.newBaseManager("PyTorch");
                Classifier model = new Classifier(base, null, d, c)) {
            model.setInputStandardization(mean, std);
            float[] expected = model.logits(base.create(standardized, new Shape(4, d)), false).toFloatArray();
            Path file = dir.resolve("head.params");
            model.saveHead(file);
            Linear head = Linear.builder().setUnits(c).build();
            head.initialize(base, DataType.FLOAT32, new Shape(1, d));
            try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
                head.loadParameters(base, in);
            }
            NDArray out = head.forward(new ParameterStore(base, false), new NDList(base.create(raw, new Shape(4, d))), false)
                    .singletonOrThrow();
            float[] actual = out.toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).isCloseTo(expected[i], within(1e-4f));
            }
        }
    }
}
