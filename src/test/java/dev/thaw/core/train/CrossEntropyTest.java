package dev.thaw.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.runtime.EngineRuntime;
import dev.thaw.core.util.JobMonitor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The training loss, checked against cross-entropy worked out by hand in double precision. */
class CrossEntropyTest {

    private static final float[] LOGITS = {2.0f, -1.0f, 0.5f, 0.0f, 3.0f, -2.0f, 1.5f, 1.5f, 1.5f, -0.5f, 0.25f, 4.0f};
    private static final int[] LABELS = {0, 1, 2, 0};

    @BeforeAll
    static void engines() {
        EngineRuntime.start(AppHome.resolve(), JobMonitor.NONE);
    }

    /** -log softmax(row)[label] for each row. */
    private static double[] nll() {
        double[] out = new double[LABELS.length];
        for (int r = 0; r < LABELS.length; r++) {
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                sum += Math.exp(LOGITS[r * 3 + c]);
            }
            out[r] = Math.log(sum) - LOGITS[r * 3 + LABELS[r]];
        }
        return out;
    }

    @Test
    void meanOverTheBatchWithoutWeights() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), EngineRuntime.PYTORCH)) {
            NDArray logits = m.create(LOGITS, new Shape(4, 3));
            double expected = 0;
            for (double v : nll()) {
                expected += v / LABELS.length;
            }
            assertThat(TrainingLoop.crossEntropy(m, logits, LABELS, null).getFloat()).isCloseTo((float) expected, within(1e-5f));
        }
    }

    @Test
    void classWeightsWeighEachSampleAndNormalizeByTheirSum() {
        float[] weights = {0.5f, 2.0f, 1.0f};
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), EngineRuntime.PYTORCH)) {
            NDArray logits = m.create(LOGITS, new Shape(4, 3));
            double[] nll = nll();
            double num = 0;
            double den = 0;
            for (int i = 0; i < LABELS.length; i++) {
                num += weights[LABELS[i]] * nll[i];
                den += weights[LABELS[i]];
            }
            assertThat(TrainingLoop.crossEntropy(m, logits, LABELS, weights).getFloat()).isCloseTo((float) (num / den), within(1e-5f));
        }
    }

    @Test
    void gradientIsSoftmaxMinusOneHotOverN() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), EngineRuntime.PYTORCH)) {
            NDArray logits = m.create(LOGITS, new Shape(4, 3));
            logits.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine(EngineRuntime.PYTORCH).newGradientCollector()) {
                gc.backward(TrainingLoop.crossEntropy(m, logits, LABELS, null));
            }
            float[] grad = logits.getGradient().toFloatArray();
            for (int r = 0; r < 4; r++) {
                double sum = 0;
                for (int c = 0; c < 3; c++) {
                    sum += Math.exp(LOGITS[r * 3 + c]);
                }
                for (int c = 0; c < 3; c++) {
                    double p = Math.exp(LOGITS[r * 3 + c]) / sum;
                    double expected = (p - (c == LABELS[r] ? 1 : 0)) / 4;
                    assertThat(grad[r * 3 + c]).as("d loss / d logit[%d][%d]", r, c).isCloseTo((float) expected, within(1e-5f));
                }
            }
        }
    }
}
