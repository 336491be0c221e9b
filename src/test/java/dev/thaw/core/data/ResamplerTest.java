package dev.thaw.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResamplerTest {

    private static RgbImage solid(int w, int h, int r, int g, int b) {
        byte[] px = new byte[w * h * 3];
        for (int i = 0; i < px.length; i += 3) {
            px[i] = (byte) r;
            px[i + 1] = (byte) g;
            px[i + 2] = (byte) b;
        }
        return new RgbImage(w, h, px);
    }

    /** One-pixel black and white columns: the worst case for aliasing. */
    private static RgbImage stripes(int w, int h) {
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                byte v = (byte) (x % 2 == 0 ? 0 : 255);
                int p = 3 * (y * w + x);
                px[p] = v;
                px[p + 1] = v;
                px[p + 2] = v;
            }
        }
        return new RgbImage(w, h, px);
    }

    @Test
    void aSolidColourStaysExactlyTheSameAtAnySize() {
        RgbImage src = solid(37, 23, 200, 100, 7);
        for (int[] size : new int[][] {{10, 5}, {37, 23}, {100, 80}, {1, 1}}) {
            RgbImage out = Resampler.resize(src, size[0], size[1]);
            for (int i = 0; i < out.rgb().length; i += 3) {
                assertThat(out.rgb()[i] & 0xFF).isEqualTo(200);
                assertThat(out.rgb()[i + 1] & 0xFF).isEqualTo(100);
                assertThat(out.rgb()[i + 2] & 0xFF).isEqualTo(7);
            }
        }
    }

    @Test
    void sameSizeResizeKeepsEveryPixel() {
        RgbImage src = stripes(16, 8);
        assertThat(Resampler.resize(src, 16, 8).rgb()).isEqualTo(src.rgb());
    }

    @Test
    void shrinkingFineDetailAveragesInsteadOfAliasing() {
        // 1-pixel stripes shrunk 7.3x: nearest or 4-tap bilinear sampling would give black and white
        // (aliasing); a filter as wide as the shrink factor gives near mid gray everywhere.
        RgbImage out = Resampler.resize(stripes(1024, 64), 140, 9);
        for (byte b : out.rgb()) {
            assertThat(b & 0xFF).isBetween(100, 155);
        }
    }

    @Test
    void boxReduceAveragesBlocksIncludingPartialOnes() {
        RgbImage src = stripes(5, 4);
        RgbImage out = Resampler.boxReduce(src, 2, 2);
        assertThat(out.width()).isEqualTo(3);
        assertThat(out.height()).isEqualTo(2);
        assertThat(out.rgb()[0] & 0xFF).isEqualTo(128); // (0 + 255) / 2 rounded
        assertThat(out.rgb()[6] & 0xFF).isEqualTo(0); // the last column holds only black
    }

    @Test
    void aBoxReachingPastTheImageRepeatsTheEdge() {
        RgbImage src = solid(10, 10, 50, 60, 70);
        RgbImage out = Resampler.resize(src, -5, -5, 15, 15, 8, 8);
        assertThat(out.rgb()[0] & 0xFF).isEqualTo(50);
    }

    @Test
    void baseImageHasTheEvaluationShorterSideAndBoundedAspect() {
        RgbImage base = Augmenter.base(solid(500, 375, 1, 2, 3), 224);
        assertThat(base.height()).isEqualTo(256);
        assertThat(base.width()).isEqualTo(341);
        RgbImage panorama = Augmenter.base(solid(3000, 300, 1, 2, 3), 224);
        assertThat(panorama.height()).isEqualTo(256);
        assertThat(panorama.width()).isEqualTo(512);
        RgbImage tiny = Augmenter.base(solid(8, 8, 1, 2, 3), 224);
        assertThat(tiny.width()).isEqualTo(256);
    }
}
