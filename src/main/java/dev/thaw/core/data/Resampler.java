package dev.thaw.core.data;

/**
 * Antialiased resizing of {@link RgbImage}s: a separable triangle (bilinear) filter whose support
 * widens with the downscale factor, the way Pillow resizes. Plain bilinear sampling (what
 * {@code Graphics2D.drawImage} does) reads only the 4 nearest pixels, so shrinking a 2000 px photo to
 * 224 px would skip most pixels and alias; here every source pixel under an output pixel counts.
 *
 * <p>Shrinking by more than 4x first averages whole blocks ({@link #boxReduce}), which costs one
 * add per pixel, so the filter only ever works on a nearly-final size (Pillow's "reducing gap").
 *
 * <p>Boxes may reach past the image: taps outside it repeat the edge pixel.
 */
final class Resampler {

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[1 << 16]);

    private Resampler() {
    }

    /** Filter taps for one axis: output pixel {@code i} reads {@code index[i*taps+k]} with {@code weight[i*taps+k]}. */
    private record Taps(int taps, int[] index, float[] weight, int minIndex, int maxIndex) {
    }

    private static Taps taps(int inSize, double from, double to, int outSize) {
        double scale = (to - from) / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = filterScale; // triangle filter: support 1, stretched when shrinking
        int taps = (int) Math.ceil(support) * 2 + 1;
        int[] index = new int[outSize * taps];
        float[] weight = new float[outSize * taps];
        int minIndex = Integer.MAX_VALUE;
        int maxIndex = Integer.MIN_VALUE;
        for (int i = 0; i < outSize; i++) {
            double center = from + (i + 0.5) * scale;
            int first = (int) Math.floor(center - support);
            double sum = 0;
            for (int k = 0; k < taps; k++) {
                int x = first + k;
                double t = Math.abs((x + 0.5 - center) / filterScale);
                double w = t < 1 ? 1 - t : 0;
                int clamped = Math.min(Math.max(x, 0), inSize - 1);
                index[i * taps + k] = clamped;
                weight[i * taps + k] = (float) w;
                sum += w;
                // every tap is read (zero weights too), so every index counts for the row range
                minIndex = Math.min(minIndex, clamped);
                maxIndex = Math.max(maxIndex, clamped);
            }
            if (sum <= 0) {
                // A box entirely outside the image: repeat the nearest edge pixel.
                int nearest = Math.min(Math.max((int) Math.floor(center), 0), inSize - 1);
                for (int k = 0; k < taps; k++) {
                    index[i * taps + k] = nearest;
                    weight[i * taps + k] = k == 0 ? 1f : 0f;
                }
                minIndex = Math.min(minIndex, nearest);
                maxIndex = Math.max(maxIndex, nearest);
            } else {
                float inv = (float) (1 / sum);
                for (int k = 0; k < taps; k++) {
                    weight[i * taps + k] *= inv;
                }
            }
        }
        return new Taps(taps, index, weight, minIndex, maxIndex);
    }

    /** Resizes all of {@code src} to {@code outW x outH}. */
    static RgbImage resize(RgbImage src, int outW, int outH) {
        return resize(src, 0, 0, src.width(), src.height(), outW, outH);
    }

    /** Resamples the box {@code [x0,x1) x [y0,y1)} (source pixel units) to {@code outW x outH}. */
    static RgbImage resize(RgbImage src, double x0, double y0, double x1, double y1, int outW, int outH) {
        byte[] out = new byte[outW * outH * 3];
        resize(src, x0, y0, x1, y1, out, outW, outH);
        return new RgbImage(outW, outH, out);
    }

    /** As {@link #resize(RgbImage, double, double, double, double, int, int)}, into {@code dst}. */
    static void resize(RgbImage src, double x0, double y0, double x1, double y1, byte[] dst, int outW, int outH) {
        int sw = src.width();
        int sh = src.height();
        byte[] s = src.rgb();
        Taps h = taps(sw, x0, x1, outW);
        Taps v = taps(sh, y0, y1, outH);
        int rowFrom = v.minIndex();
        int rows = v.maxIndex() - rowFrom + 1;
        int rowLen = outW * 3;
        float[] tmp = scratch(rows * rowLen);

        // Horizontal pass, only over the rows the vertical pass will read.
        int ht = h.taps();
        int[] hIndex = h.index();
        float[] hWeight = h.weight();
        for (int r = 0; r < rows; r++) {
            int srcRow = (rowFrom + r) * sw * 3;
            int t = r * rowLen;
            for (int x = 0; x < outW; x++) {
                float cr = 0;
                float cg = 0;
                float cb = 0;
                int base = x * ht;
                for (int k = 0; k < ht; k++) {
                    float w = hWeight[base + k];
                    int p = srcRow + hIndex[base + k] * 3;
                    cr += w * (s[p] & 0xFF);
                    cg += w * (s[p + 1] & 0xFF);
                    cb += w * (s[p + 2] & 0xFF);
                }
                tmp[t++] = cr;
                tmp[t++] = cg;
                tmp[t++] = cb;
            }
        }

        // Vertical pass.
        int vt = v.taps();
        int[] vIndex = v.index();
        float[] vWeight = v.weight();
        for (int y = 0; y < outH; y++) {
            int o = y * rowLen;
            int base = y * vt;
            for (int i = 0; i < rowLen; i++) {
                float acc = 0;
                for (int k = 0; k < vt; k++) {
                    acc += vWeight[base + k] * tmp[(vIndex[base + k] - rowFrom) * rowLen + i];
                }
                int q = Math.round(acc);
                dst[o + i] = (byte) (q < 0 ? 0 : Math.min(q, 255));
            }
        }
    }

    /** Averages {@code fx x fy} blocks (partial blocks at the right and bottom edges average what they have). */
    static RgbImage boxReduce(RgbImage src, int fx, int fy) {
        if (fx <= 1 && fy <= 1) {
            return src;
        }
        int sw = src.width();
        int sh = src.height();
        int ow = (sw + fx - 1) / fx;
        int oh = (sh + fy - 1) / fy;
        byte[] s = src.rgb();
        byte[] out = new byte[ow * oh * 3];
        int[] acc = new int[ow * 3];
        for (int oy = 0; oy < oh; oy++) {
            java.util.Arrays.fill(acc, 0);
            int yStart = oy * fy;
            int yEnd = Math.min(sh, yStart + fy);
            for (int y = yStart; y < yEnd; y++) {
                int p = y * sw * 3;
                for (int ox = 0, a = 0; ox < ow; ox++, a += 3) {
                    int xEnd = Math.min(sw, (ox + 1) * fx);
                    int r = 0;
                    int g = 0;
                    int b = 0;
                    for (int x = ox * fx; x < xEnd; x++, p += 3) {
                        r += s[p] & 0xFF;
                        g += s[p + 1] & 0xFF;
                        b += s[p + 2] & 0xFF;
                    }
                    acc[a] += r;
                    acc[a + 1] += g;
                    acc[a + 2] += b;
                }
            }
            int o = oy * ow * 3;
            int rowsHere = yEnd - yStart;
            for (int ox = 0, a = 0; ox < ow; ox++, a += 3) {
                int n = rowsHere * (Math.min(sw, (ox + 1) * fx) - ox * fx);
                out[o++] = (byte) ((acc[a] + n / 2) / n);
                out[o++] = (byte) ((acc[a + 1] + n / 2) / n);
                out[o++] = (byte) ((acc[a + 2] + n / 2) / n);
            }
        }
        return new RgbImage(ow, oh, out);
    }

    private static float[] scratch(int n) {
        float[] a = SCRATCH.get();
        if (a.length < n) {
            a = new float[Math.max(n, a.length * 2)];
            SCRATCH.set(a);
        }
        return a;
    }
}
