package dev.thaw.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DomainRandomizationTest {

    private static float[] image(int n, int size) {
        float[] x = new float[n * 3 * size * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = ((i * 7919) % 255) / 255f * 4 - 2;
        }
        return x;
    }

    @Test
    void sameSeedSameImagesAndValuesStayInRange() {
        float[] mean = {0.5f, 0.5f, 0.5f};
        float[] std = {0.25f, 0.25f, 0.25f};
        float[] a = image(4, 16);
        float[] b = image(4, 16);
        DomainRandomization.apply(a, 4, 16, mean, std, 9);
        DomainRandomization.apply(b, 4, 16, mean, std, 9);
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(image(4, 16));
        for (float v : a) {
            assertThat(v).isBetween(-2f - 1e-5f, 2f + 1e-5f); // pixel values stay in [0, 1]
        }
        float[] c = image(4, 16);
        DomainRandomization.apply(c, 4, 16, mean, std, 10);
        assertThat(c).isNotEqualTo(a);
    }
}
