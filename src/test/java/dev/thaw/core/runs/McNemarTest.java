package dev.thaw.core.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class McNemarTest {

    @Test
    void exactPValueOfAKnownTable() {
        // 12 disagreements split 10:2 -> p = 2 * (C(12,0)+C(12,1)+C(12,2)) / 2^12 = 158/4096
        McNemar t = McNemar.of(10, 2);
        assertThat(t.pValue()).isCloseTo(158.0 / 4096, within(1e-12));
        assertThat(t.chiSquare()).isCloseTo(49.0 / 12, within(1e-12));
        assertThat(t.significant(0.05)).isTrue();
    }

    @Test
    void symmetricAndNeverAboveOne() {
        assertThat(McNemar.of(5, 15).pValue()).isCloseTo(2 * 21700.0 / 1048576, within(1e-12));
        assertThat(McNemar.of(15, 5).pValue()).isEqualTo(McNemar.of(5, 15).pValue());
        assertThat(McNemar.of(7, 7).pValue()).isEqualTo(1.0);
        assertThat(McNemar.of(0, 0).pValue()).isEqualTo(1.0);
    }

    @Test
    void aFewImagesOfDifferenceIsNoise() {
        // 3 vs 1 disagreement: p = 2 * (1 + 4) / 16 = 0.625
        McNemar t = McNemar.of(3, 1);
        assertThat(t.pValue()).isCloseTo(0.625, within(1e-12));
        assertThat(t.significant(0.05)).isFalse();
    }

    @Test
    void countsDisagreementsFromPerImageCorrectness() {
        boolean[] a = {true, true, true, false, false, true};
        boolean[] b = {true, false, false, true, false, true};
        McNemar t = McNemar.of(a, b);
        assertThat(t.aOnly()).isEqualTo(2);
        assertThat(t.bOnly()).isEqualTo(1);
        assertThat(t.disagreements()).isEqualTo(3);
    }
}
