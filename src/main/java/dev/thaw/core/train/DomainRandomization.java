package dev.thaw.core.train;

import java.util.SplittableRandom;

/**
 * Randomizes how images look, on top of the data pipeline's augmentation, so a backbone pretrained
 * on one look learns shapes rather than colors and paper: per image, a random gain and offset per
 * color channel (which recolors foreground and background independently, grey images included,
 * and sometimes inverts a channel), a faint random stripe texture, and Gaussian noise.
 *
 * <p>Works on normalized CHW floats in place: it undoes the normalization, changes the pixel
 * values in [0, 1], and normalizes again. Seeded: the same seed gives the same images.
 */
final class DomainRandomization {

    /** Share of images that are changed; the rest keep their original look. */
    private static final double PROBABILITY = 0.8;

    private DomainRandomization() {
    }

    static void apply(float[] data, int count, int size, float[] mean, float[] std, long seed) {
        int plane = size * size;
        for (int n = 0; n < count; n++) {
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + n);
            if (r.nextDouble() >= PROBABILITY) {
                continue;
            }
            double[] gain = new double[3];
            double[] offset = new double[3];
            for (int c = 0; c < 3; c++) {
                gain[c] = (r.nextDouble() < 0.2 ? -1 : 1) * (0.3 + 1.0 * r.nextDouble());
                offset[c] = -0.3 + 0.6 * r.nextDouble();
            }
            double noise = 0.12 * r.nextDouble();
            double texture = r.nextDouble() < 0.5 ? 0.12 * r.nextDouble() : 0;
            double angle = Math.PI * r.nextDouble();
            double freq = 2 * Math.PI / (3 + 9 * r.nextDouble());
            double fx = Math.cos(angle) * freq;
            double fy = Math.sin(angle) * freq;
            double phase = 2 * Math.PI * r.nextDouble();
            double[] textureColor = {r.nextDouble() - 0.5, r.nextDouble() - 0.5, r.nextDouble() - 0.5};
            int base = n * 3 * plane;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double stripe = texture == 0 ? 0 : texture * Math.sin(fx * x + fy * y + phase);
                    int o = y * size + x;
                    for (int c = 0; c < 3; c++) {
                        int i = base + c * plane + o;
                        double v = data[i] * std[c] + mean[c];
                        v = gain[c] * (v - 0.5) + 0.5 + offset[c] + stripe * textureColor[c] * 2;
                        if (noise > 0) {
                            v += noise * r.nextGaussian();
                        }
                        v = Math.max(0, Math.min(1, v));
                        data[i] = (float) ((v - mean[c]) / std[c]);
                    }
                }
            }
        }
    }
}
