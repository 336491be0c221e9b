package dev.thaw.core.sample;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A small RGB float image (values 0..255) with the pixel operations the looks need.
 *
 * <p>Backgrounds, blur and noise are computed here in plain Java rather than with Java2D paints or
 * {@link java.awt.image.ConvolveOp}: those may use native or accelerated code paths whose rounding
 * is not specified, while this code gives the same pixels on every JVM. Java2D is used only to
 * rasterise the glyph outlines with antialiasing (the software Marlin renderer).
 */
final class Canvas {

    static final int SIZE = 64;
    private static final int N = SIZE * SIZE;

    final float[] r = new float[N];
    final float[] g = new float[N];
    final float[] b = new float[N];

    // ---------------------------------------------------------------- backgrounds

    /** Fills with a linear blend from c0 to c1 along direction {@code angle} (radians). */
    void gradient(double[] c0, double[] c1, double angle) {
        double dx = StrictMath.cos(angle);
        double dy = StrictMath.sin(angle);
        double half = (SIZE - 1) / 2.0;
        double extent = half * (Math.abs(dx) + Math.abs(dy));
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double t = ((x - half) * dx + (y - half) * dy) / extent * 0.5 + 0.5;
                set(y * SIZE + x, c0, c1, t);
            }
        }
    }

    /** Parallel stripes of two colours with soft edges. */
    void stripes(double[] c0, double[] c1, double angle, double period, double phase) {
        double dx = StrictMath.cos(angle);
        double dy = StrictMath.sin(angle);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double u = (x * dx + y * dy) / period + phase;
                double f = u - StrictMath.floor(u); // position within one period, 0..1
                // a triangle wave pushed towards a square wave: flat stripes, soft borders
                double tri = Math.abs(f - 0.5) * 4 - 1; // -1..1
                set(y * SIZE + x, c0, c1, clamp01(tri * 2.5 * 0.5 + 0.5));
            }
        }
    }

    /** A (possibly rotated) checkerboard of two colours. */
    void checker(double[] c0, double[] c1, double angle, double cell) {
        double dx = StrictMath.cos(angle);
        double dy = StrictMath.sin(angle);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                double u = (x * dx + y * dy) / cell;
                double v = (-x * dy + y * dx) / cell;
                long k = (long) StrictMath.floor(u) + (long) StrictMath.floor(v);
                set(y * SIZE + x, c0, c1, (k & 1) == 0 ? 0 : 1);
            }
        }
    }

    /** Fills with c0, then lays soft round patches of other colours over it. */
    void patches(Rng rng, double[] c0, List<double[]> colors, double rMin, double rMax) {
        fill(c0);
        for (double[] c : colors) {
            double cx = rng.range(0, SIZE);
            double cy = rng.range(0, SIZE);
            double rad = rng.range(rMin, rMax);
            double alpha = rng.range(0.5, 0.9);
            double inv = 1.0 / (2 * rad * rad);
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                    double w = alpha * StrictMath.exp(-d2 * inv);
                    int i = y * SIZE + x;
                    r[i] += (float) ((c[0] - r[i]) * w);
                    g[i] += (float) ((c[1] - g[i]) * w);
                    b[i] += (float) ((c[2] - b[i]) * w);
                }
            }
        }
    }

    void fill(double[] c) {
        for (int i = 0; i < N; i++) {
            r[i] = (float) c[0];
            g[i] = (float) c[1];
            b[i] = (float) c[2];
        }
    }

    /**
     * Adds smooth low-frequency brightness variation: random values on a coarse grid, bilinearly
     * interpolated, in -amplitude..amplitude.
     */
    void cloud(Rng rng, int grid, double amplitude) {
        double[] v = new double[(grid + 1) * (grid + 1)];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.range(-amplitude, amplitude);
        }
        double step = (double) SIZE / grid;
        for (int y = 0; y < SIZE; y++) {
            double gy = y / step;
            int y0 = (int) gy;
            double fy = gy - y0;
            for (int x = 0; x < SIZE; x++) {
                double gx = x / step;
                int x0 = (int) gx;
                double fx = gx - x0;
                int k = y0 * (grid + 1) + x0;
                double top = v[k] + (v[k + 1] - v[k]) * fx;
                double bottom = v[k + grid + 1] + (v[k + grid + 2] - v[k + grid + 1]) * fx;
                float d = (float) (top + (bottom - top) * fy);
                int i = y * SIZE + x;
                r[i] += d;
                g[i] += d;
                b[i] += d;
            }
        }
    }

    private void set(int i, double[] c0, double[] c1, double t) {
        r[i] = (float) (c0[0] + (c1[0] - c0[0]) * t);
        g[i] = (float) (c0[1] + (c1[1] - c0[1]) * t);
        b[i] = (float) (c0[2] + (c1[2] - c0[2]) * t);
    }

    /** Mean luminance (Rec. 601 weights), 0..255. */
    double meanLuminance() {
        double sum = 0;
        for (int i = 0; i < N; i++) {
            sum += luminance(r[i], g[i], b[i]);
        }
        return sum / N;
    }

    // ---------------------------------------------------------------- glyphs

    /**
     * Rasterises the parts with antialiasing: filled parts as areas, the others as round-capped
     * strokes of {@code strokeWidth} pixels. {@code colors[slot]} colours each part.
     */
    void draw(List<Glyphs.Part> parts, AffineTransform toPixels, float strokeWidth, double[][] colors) {
        BufferedImage img = toImage();
        Graphics2D g2 = img.createGraphics();
        try {
            g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g2.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            // PURE: no stroke normalisation, so geometry lands where it was computed
            g2.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            BasicStroke stroke = new BasicStroke(strokeWidth, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
            for (Glyphs.Part p : parts) {
                Shape s = toPixels.createTransformedShape(p.shape());
                double[] c = colors[p.colorSlot()];
                g2.setColor(new Color(to8(c[0]), to8(c[1]), to8(c[2])));
                g2.fill(p.filled() ? s : stroke.createStrokedShape(s));
            }
        } finally {
            g2.dispose();
        }
        fromImage(img);
    }

    // ---------------------------------------------------------------- degradations

    /** Separable Gaussian blur, edges clamped. */
    void blur(double sigma) {
        int rad = (int) StrictMath.ceil(3 * sigma);
        double[] k = new double[2 * rad + 1];
        double sum = 0;
        for (int i = -rad; i <= rad; i++) {
            k[i + rad] = StrictMath.exp(-(i * i) / (2 * sigma * sigma));
            sum += k[i + rad];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        for (float[] ch : new float[][] {r, g, b}) {
            float[] tmp = new float[N];
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    double acc = 0;
                    for (int j = -rad; j <= rad; j++) {
                        int xx = Math.min(SIZE - 1, Math.max(0, x + j));
                        acc += k[j + rad] * ch[y * SIZE + xx];
                    }
                    tmp[y * SIZE + x] = (float) acc;
                }
            }
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    double acc = 0;
                    for (int j = -rad; j <= rad; j++) {
                        int yy = Math.min(SIZE - 1, Math.max(0, y + j));
                        acc += k[j + rad] * tmp[yy * SIZE + x];
                    }
                    ch[y * SIZE + x] = (float) acc;
                }
            }
        }
    }

    /**
     * Per-pixel Gaussian noise of standard deviation {@code sigma}; {@code colorShare} of its
     * variance differs per channel (colour noise), the rest is shared (brightness noise).
     */
    void noise(Rng rng, double sigma, double colorShare) {
        double shared = sigma * Math.sqrt(1 - colorShare);
        double own = sigma * Math.sqrt(colorShare);
        for (int i = 0; i < N; i++) {
            double m = shared * rng.gaussian();
            r[i] += (float) (m + own * rng.gaussian());
            g[i] += (float) (m + own * rng.gaussian());
            b[i] += (float) (m + own * rng.gaussian());
        }
    }

    // ---------------------------------------------------------------- conversion

    BufferedImage toImage() {
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[N];
        for (int i = 0; i < N; i++) {
            px[i] = (to8(r[i]) << 16) | (to8(g[i]) << 8) | to8(b[i]);
        }
        img.setRGB(0, 0, SIZE, SIZE, px, 0, SIZE);
        return img;
    }

    private void fromImage(BufferedImage img) {
        int[] px = img.getRGB(0, 0, SIZE, SIZE, null, 0, SIZE);
        for (int i = 0; i < N; i++) {
            r[i] = (px[i] >> 16) & 0xFF;
            g[i] = (px[i] >> 8) & 0xFF;
            b[i] = px[i] & 0xFF;
        }
    }

    static int to8(double v) {
        return (int) Math.max(0, Math.min(255, StrictMath.floor(v + 0.5)));
    }

    static double luminance(double r, double g, double b) {
        return 0.299 * r + 0.587 * g + 0.114 * b;
    }

    static double clamp01(double v) {
        return Math.max(0, Math.min(1, v));
    }

    /** HSV (all 0..1, hue wrapping) to RGB 0..255. */
    static double[] hsv(double h, double s, double v) {
        h = h - StrictMath.floor(h);
        double h6 = h * 6;
        int sector = Math.min(5, (int) h6);
        double f = h6 - sector;
        double p = v * (1 - s);
        double q = v * (1 - s * f);
        double t = v * (1 - s * (1 - f));
        double[] c = switch (sector) {
            case 0 -> new double[] {v, t, p};
            case 1 -> new double[] {q, v, p};
            case 2 -> new double[] {p, v, t};
            case 3 -> new double[] {p, q, v};
            case 4 -> new double[] {t, p, v};
            default -> new double[] {v, p, q};
        };
        return new double[] {c[0] * 255, c[1] * 255, c[2] * 255};
    }
}
