package dev.thaw.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    private final ConfusionMatrix m = ConfusionMatrix.of(List.of("cat", "dog", "fox"),
            new int[] {0, 0, 0, 0, 1, 1, 1, 2, 2, 2},
            new int[] {0, 0, 0, 1, 1, 1, 0, 2, 2, 1});

    @Test
    void countsAndAccuracy() {
        assertThat(m.total()).isEqualTo(10);
        assertThat(m.correct()).isEqualTo(7);
        assertThat(m.accuracy()).isEqualTo(0.7);
        assertThat(m.count(0, 1)).isEqualTo(1);
        assertThat(m.count(2, 1)).isEqualTo(1);
    }

    @Test
    void perClassPrecisionRecallF1() {
        // cat: predicted 4 (3 right) -> P 3/4; 4 cats, 3 found -> R 3/4
        assertThat(m.precision(0)).isEqualTo(0.75);
        assertThat(m.recall(0)).isEqualTo(0.75);
        // dog: predicted 4 (2 right) -> P 1/2; 3 dogs, 2 found -> R 2/3; F1 = 2*(1/2*2/3)/(1/2+2/3) = 4/7
        assertThat(m.precision(1)).isEqualTo(0.5);
        assertThat(m.recall(1)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(m.f1(1)).isCloseTo(4.0 / 7, within(1e-12));
        // fox: predicted 2 (both right), 3 foxes
        assertThat(m.precision(2)).isEqualTo(1.0);
        assertThat(m.perClass()).extracting(ConfusionMatrix.ClassMetrics::support).containsExactly(4, 3, 3);
    }

    @Test
    void aClassNeverPredictedHasNoPrecisionButCountsAsZeroInMacroF1() {
        ConfusionMatrix never = ConfusionMatrix.of(List.of("a", "b"), new int[] {0, 1}, new int[] {0, 0});
        assertThat(never.precision(1)).isNaN();
        assertThat(never.macroF1()).isCloseTo((2 * 0.5 * 1 / 1.5 + 0) / 2, within(1e-12));
    }
}
