package dev.thaw.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassWeightsAndHashTest {

    @TempDir
    Path dir;

    @Test
    void balancedWeightsGiveEveryClassTheSameTotalAndAverageOne() {
        float[] w = ClassWeights.balanced(new int[] {10, 30, 0});
        assertThat(w[0]).isCloseTo(2f, within(1e-6f));
        assertThat(w[1]).isCloseTo(2f / 3, within(1e-6f));
        assertThat(w[2]).isEqualTo(1f);
        assertThat(10 * w[0]).isCloseTo(30 * w[1], within(1e-4f));
        assertThat((10 * w[0] + 30 * w[1]) / 40).isCloseTo(1f, within(1e-6f));
        assertThat(ClassWeights.imbalanceRatio(new int[] {10, 30, 0})).isEqualTo(3.0);
        assertThatThrownBy(() -> ClassWeights.balanced(new int[] {-1})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void contentHashIsTheSha256OfTheBytes() throws IOException {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        ContentHash h = ContentHash.of(abc);
        assertThat(h.hex()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ContentHash.of(TestImages.write(dir.resolve("abc.bin"), abc))).isEqualTo(h);
        assertThat(h.shortHex()).hasSize(12);
        assertThatThrownBy(() -> new ContentHash("xyz")).isInstanceOf(IllegalArgumentException.class);
    }
}
