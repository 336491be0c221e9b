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
 * <p>Boxes may reach past the image: taps outside it are dropped and the others renormalized, which
 * extends the edge pixels outward.
 */
final class Resampler {

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[1 << 16]);
    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[1 << 12]);

    private Resampler() {
    }

    /**
     * Filter taps for one axis: output pixel {@code i} reads {@code count[i]} consecutive source pixels
     * from {@code start[i]}, with weights {@code weight[i * maxTaps + k]}.
     */
    private record Taps(int maxTaps, int[] start, int[] count, float[] weight, int first, int last) {
    }

    private static Taps taps(int inSize, double from, double to, int outSize) {
        double scale = (to - from) / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = filterScale; // triangle filter: support 1, stretched when shrinking
        int maxTaps = (int) Math.ceil(support) * 2 + 1;
        int[] start = new int[outSize];
        int[] count = new int[outSize];
        float[] weight = new float[outSize * maxTaps];
        int first = Integer.MAX_VALUE;
        int last = Integer.MIN_VALUE;
        for (int i = 0; i < outSize; i++) {
            double center = from + (i + 0.5) * scale;
            // Taps outside the image are dropped and the rest renormalized (Pillow's rule), which
            // extends the edge; an output pixel with no tap inside takes the nearest edge pixel.
            int lo = Math.max((int) Math.floor(center - support), 0);
            int hi = Math.min((int) Math.ceil(center + support), inSize);
            double sum = 0;
            int n = 0;
            for (int x = lo; x < hi && n < maxTaps; x++) {
                double t = Math.abs((x + 0.5 - center) / filterScale);
                double w = t < 1 ? 1 - t : 0;
                weight[i * maxTaps + n++] = (float) w;
                sum += w;
            }
            if (sum <= 0) {
                lo = Math.min(Math.max((int) Math.floor(center), 0), inSize - 1);
                n = 1;
                weight[i * maxTaps] = 1f;
            } else {
                float inv = (float) (1 / sum);
                for (int k = 0; k < n; k++) {
                    weight[i * maxTaps + k] *= inv;
                }
            }
            start[i] = lo;
            count[i] = n;
            first = Math.min(first, lo);
            last = Math.max(last, lo + n - 1);
        }
        return new Taps(maxTaps, start, count, weight, first, last);
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

    /**
     * As {@link #resize(RgbImage, double, double, double, double, int, int)}, into {@code dst}. The
     * vertical pass runs first, as row-times-weight sums over whole rows (loops the JIT can vectorize),
     * and only over the columns the horizontal pass reads; the horizontal pass then works on output
     * rows only.
     */
    static void resize(RgbImage src, double x0, double y0, double x1, double y1, byte[] dst, int outW, int outH) {
        int sw = src.width();
        int sh = src.height();
        byte[] s = src.rgb();
        Taps h = taps(sw, x0, x1, outW);
        Taps v = taps(sh, y0, y1, outH);
        int colFrom = h.first();
        int rowLen = (h.last() - colFrom + 1) * 3;
        float[] tmp = scratch(SCRATCH, outH * rowLen);
        float[] acc = scratch(ROW, rowLen);

        // Vertical pass: output row y = sum of weighted source rows.
        int vt = v.maxTaps();
        for (int y = 0; y < outH; y++) {
            java.util.Arrays.fill(acc, 0, rowLen, 0f);
            for (int k = 0; k < v.count()[y]; k++) {
                float w = v.weight()[y * vt + k];
                int p = ((v.start()[y] + k) * sw + colFrom) * 3;
                for (int i = 0; i < rowLen; i++) {
                    acc[i] += w * (s[p + i] & 0xFF);
                }
            }
            System.arraycopy(acc, 0, tmp, y * rowLen, rowLen);
        }

        // Horizontal pass.
        int ht = h.maxTaps();
        int[] hStart = h.start();
        int[] hCount = h.count();
        float[] hWeight = h.weight();
        int o = 0;
        for (int y = 0; y < outH; y++) {
            int row = y * rowLen;
            for (int x = 0; x < outW; x++) {
                float cr = 0;
                float cg = 0;
                float cb = 0;
                int p = row + (hStart[x] - colFrom) * 3;
                int base = x * ht;
                for (int k = 0, n = hCount[x]; k < n; k++, p += 3) {
                    float w = hWeight[base + k];
                    cr += w * tmp[p];
                    cg += w * tmp[p + 1];
                    cb += w * tmp[p + 2];
                }
                dst[o++] = toByte(cr);
                dst[o++] = toByte(cg);
                dst[o++] = toByte(cb);
            }
        }
    }

    private static byte toByte(float v) {
        int q = (int) (v + 0.5f);
        return (byte) (q < 0 ? 0 : Math.min(q, 255));
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

    private static float[] scratch(ThreadLocal<float[]> holder, int n) {
        float[] a = holder.get();
        if (a.length < n) {
            a = new float[Math.max(n, a.length * 2)];
            holder.set(a);
        }
        return a;
    }
}
