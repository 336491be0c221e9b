package dev.thaw.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.thaw.core.util.JobMonitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both engines start offline from the natives on the class path and compute what PyTorch itself
 * computed for the same tiny model (src/test/python/make_test_models.py wrote the expected values).
 */
class EnginesOfflineTest {

    private static final Path MODELS = Path.of("src/test/resources/models");
    private static EngineInfo info;
    private static JsonObject expected;

    @BeforeAll
    static void startEngines() throws Exception {
        List<String> steps = new ArrayList<>();
        info = EngineRuntime.start(AppHome.resolve(), new JobMonitor() {
            @Override
            public void progress(double fraction, String message) {
                steps.add(message);
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        });
        expected = JsonParser.parseString(Files.readString(MODELS.resolve("tiny-resnet.expected.json"))).getAsJsonObject();
    }

    @Test
    void startsOfflineWithPassiveOpenMp() {
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        assertThat(info.pytorchVersion()).startsWith("2.7");
        assertThat(info.hasOnnxRuntime()).as("ONNX Runtime loads: %s", info.onnxRuntimeError()).isTrue();
        assertThat(info.ompWaitPolicy()).isEqualTo("PASSIVE");
    }

    @Test
    void torchScriptForwardMatchesPyTorch() throws Exception {
        assertForwardMatches("tiny-resnet.pt", EngineRuntime.PYTORCH);
    }

    @Test
    void onnxRuntimeForwardMatchesPyTorch() throws Exception {
        assertForwardMatches("tiny-resnet.onnx", EngineRuntime.ONNX_RUNTIME);
    }

    private void assertForwardMatches(String file, String engine) throws Exception {
        Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optModelPath(MODELS.resolve(file)).optEngine(engine).optTranslator(new NoopTranslator()).build();
        try (ZooModel<NDList, NDList> model = criteria.loadModel();
                Predictor<NDList, NDList> predictor = model.newPredictor();
                NDManager manager = NDManager.newBaseManager(engine)) {
            assertThat(model.getNDManager().getEngine().getEngineName()).isEqualTo(engine);
            int s = 32;
            float[] input = new float[2 * 3 * s * s];
            for (int i = 0; i < input.length; i++) {
                input[i] = (i % 97) / 97f;
            }
            NDArray x = manager.create(input, new Shape(2, 3, s, s));
            NDArray y = predictor.predict(new NDList(x)).singletonOrThrow();
            assertThat(y.getShape()).isEqualTo(new Shape(2, 32));
            float[] actual = y.toFloatArray();
            var want = expected.getAsJsonArray("output");
            assertThat(actual).hasSize(want.size());
            for (int i = 0; i < actual.length; i++) {
                assertThat(actual[i]).as("%s output %d", file, i).isCloseTo(want.get(i).getAsFloat(), within(1e-4f));
            }
        }
    }
}
