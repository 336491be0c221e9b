package dev.thaw.core.backbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.util.JobMonitor;
import dev.thaw.testing.TestModels;
import java.nio.file.Files;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Training through libtorch gives PyTorch's own gradients. This caught a real fault: libtorch
 * 2.7.1's oneDNN AVX-512 kernels return wrong, sometimes NaN, input gradients for convolutions
 * whose channel count is not a multiple of 16 (the tiny model has 8 and 16 channels); the engine
 * start-up limits oneDNN to AVX2, and this test keeps it honest. Repeated, because the fault was
 * intermittent.
 */
class TorchScriptGradientsTest {

    @RepeatedTest(3)
    void gradientsMatchPyTorch() throws Exception {
        gradientsMatchPyTorch(false);
    }

    /** The training loop feeds images channels-last (other oneDNN kernels): same gradients. */
    @RepeatedTest(3)
    void gradientsMatchPyTorchWithChannelsLastInput() throws Exception {
        gradientsMatchPyTorch(true);
    }

    private static void gradientsMatchPyTorch(boolean channelsLast) throws Exception {
        JsonObject expected = JsonParser.parseString(Files.readString(TestModels.EXPECTED)).getAsJsonObject()
                .getAsJsonObject("trainingGradientSums");
        BackboneLoader loader = new BackboneLoader(AppHome.resolve());
        try (Backbone b = loader.load(new BackboneSource.File(TestModels.TINY_PT), MetadataOverrides.NONE, JobMonitor.NONE)) {
            TrainableBackbone t = b.trainable().orElseThrow();
            t.applyFreezePlan(FreezePlan.NONE);
            try (NDManager m = t.manager().newSubManager()) {
                int s = 32;
                float[] input = new float[2 * 3 * s * s];
                for (int i = 0; i < input.length; i++) {
                    input[i] = (i % 97) / 97f;
                }
                Shape shape = new Shape(2, 3, s, s);
                NDArray x = channelsLast ? ChannelsLast.create(m, input, shape) : m.create(input, shape);
                if (channelsLast) {
                    // the same values in the same logical order
                    assertThat(x.getShape()).isEqualTo(shape);
                    assertThat(x.toFloatArray()).containsExactly(input);
                }
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    gc.backward(t.forward(new ParameterStore(m, false), x, true).sum());
                }
                for (NamedParameter p : t.parameters()) {
                    String name = p.path().substring("backbone.".length());
                    double want = expected.get(name).getAsDouble();
                    try (NDArray g = p.parameter().getArray().getGradient()) {
                        double got = g.sum().getFloat();
                        assertThat(got).as(name + (channelsLast ? " (channels-last input)" : "")).isCloseTo(want,
                                within(1e-3 + 1e-3 * Math.abs(want)));
                    }
                }
            }
        }
    }
}
