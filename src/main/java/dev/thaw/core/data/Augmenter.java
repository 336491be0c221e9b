package dev.thaw.core.data;

import java.util.SplittableRandom;

/**
 * The image geometry and colour steps between a decoded file and the model's input.
 *
 * <p>Every file is first turned into a <em>base image</em> whose shorter side is
 * {@code round(size / 0.875)} (256 for 224), the classic ImageNet evaluation resize. The base is what
 * the pipeline caches, so that later epochs skip decoding but still get fresh augmentation:
 *
 * <ul>
 *   <li>{@link Augmentation#NONE}: the centered {@code size x size} square of the base, copied as is
 *       (Resize(256) + CenterCrop(224) in torchvision terms);
 *   <li>{@link Augmentation#LIGHT}: random resized crop (area 50-100 %, aspect 3:4-4:3), horizontal flip;
 *   <li>{@link Augmentation#STRONG}: random resized crop (area 20-100 %), flip, rotation up to 15
 *       degrees either way, and brightness, contrast and saturation jitter of up to 30 %.
 * </ul>
 *
 * <p>All randomness comes from the {@link SplittableRandom} passed in, so a seed fixes the result.
 */
final class Augmenter {

    /** Base shorter side = size / this, as in the usual 224-of-256 center crop. */
    static final double CENTER_CROP_FRACTION = 0.875;
    /** Longer sides beyond this many times the shorter one are cut (centered) so a panorama cannot fill the cache. */
    static final double MAX_BASE_ASPECT = 2.0;

    private static final double[] LIGHT_AREA = {0.5, 1.0};
    private static final double[] STRONG_AREA = {0.2, 1.0};
    private static final double MIN_RATIO = 3.0 / 4.0;
    private static final double MAX_RATIO = 4.0 / 3.0;
    private static final double MAX_ROTATION_DEGREES = 15;
    private static final double JITTER = 0.3;

    private static final ThreadLocal<byte[]> ROTATION_SCRATCH = ThreadLocal.withInitial(() -> new byte[0]);

    private Augmenter() {
    }

    /** The shorter side of base images for {@code size} px model input. */
    static int baseShortSide(int size) {
        return (int) Math.round(size / CENTER_CROP_FRACTION);
    }

    /** Resizes a decoded picture to the base image for {@code size} px input. */
    static RgbImage base(RgbImage src, int size) {
        int target = baseShortSide(size);
        int w = src.width();
        int h = src.height();
        // Cut extreme aspect ratios to MAX_BASE_ASPECT, centered.
        double bw = Math.min(w, h * MAX_BASE_ASPECT);
        double bh = Math.min(h, w * MAX_BASE_ASPECT);
        double bx = (w - bw) / 2;
        double by = (h - bh) / 2;
        double scale = target / Math.min(bw, bh);
        int outW = Math.max(1, (int) Math.round(bw * scale));
        int outH = Math.max(1, (int) Math.round(bh * scale));
        if (bw <= bh) {
            outW = target;
        } else {
            outH = target;
        }
        // Shrinking a lot: average whole blocks first, leaving at most a 2-4x filtered resize.
        int factor = (int) Math.floor(1 / scale / 2);
        RgbImage from = src;
        if (factor >= 2) {
            from = Resampler.boxReduce(src, factor, factor);
            bx /= factor;
            by /= factor;
            bw /= factor;
            bh /= factor;
        }
        return Resampler.resize(from, bx, by, bx + bw, by + bh, outW, outH);
    }

    /** Renders the {@code size x size} model input from a base image into {@code out} (RGB bytes). */
    static void render(RgbImage base, int size, Augmentation augmentation, SplittableRandom random, byte[] out) {
        if (augmentation == Augmentation.NONE) {
            centerCrop(base, size, out);
            return;
        }
        boolean strong = augmentation == Augmentation.STRONG;
        double[] box = randomResizedCrop(base.width(), base.height(), strong ? STRONG_AREA : LIGHT_AREA, random);
        boolean flip = random.nextBoolean();
        double degrees = strong ? random.nextDouble(-MAX_ROTATION_DEGREES, MAX_ROTATION_DEGREES) : 0;
        if (degrees == 0) {
            Resampler.resize(base, box[0], box[1], box[0] + box[2], box[1] + box[3], out, size, size);
        } else {
            rotatedCrop(base, box, Math.toRadians(degrees), size, out);
        }
        if (flip) {
            flipHorizontally(out, size, size);
        }
        if (strong) {
            jitter(out, 1 + random.nextDouble(-JITTER, JITTER), 1 + random.nextDouble(-JITTER, JITTER),
                    1 + random.nextDouble(-JITTER, JITTER));
        }
    }

    static void centerCrop(RgbImage base, int size, byte[] out) {
        int w = base.width();
        int h = base.height();
        if (w < size || h < size) {
            Resampler.resize(base, 0, 0, w, h, out, size, size);
            return;
        }
        int x0 = (w - size) / 2;
        int y0 = (h - size) / 2;
        byte[] src = base.rgb();
        for (int y = 0; y < size; y++) {
            System.arraycopy(src, ((y0 + y) * w + x0) * 3, out, y * size * 3, size * 3);
        }
    }

    /**
     * A box {x, y, w, h} covering a random share of the area with a random aspect ratio, as
     * torchvision's RandomResizedCrop (10 tries, then the whole image at the closest allowed ratio).
     */
    static double[] randomResizedCrop(int w, int h, double[] areaRange, SplittableRandom random) {
        double area = (double) w * h;
        double logMin = Math.log(MIN_RATIO);
        double logMax = Math.log(MAX_RATIO);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * random.nextDouble(areaRange[0], areaRange[1]);
            double ratio = Math.exp(random.nextDouble(logMin, logMax));
            double cw = Math.sqrt(target * ratio);
            double ch = Math.sqrt(target / ratio);
            if (cw <= w && ch <= h) {
                double x = random.nextDouble() * (w - cw);
                double y = random.nextDouble() * (h - ch);
                return new double[] {x, y, cw, ch};
            }
        }
        double ratio = (double) w / h;
        double cw = w;
        double ch = h;
        if (ratio < MIN_RATIO) {
            ch = w / MIN_RATIO;
        } else if (ratio > MAX_RATIO) {
            cw = h * MAX_RATIO;
        }
        return new double[] {(w - cw) / 2, (h - ch) / 2, cw, ch};
    }

    /**
     * The crop {@code box} turned by {@code radians} about its center. The box is first resampled,
     * enlarged by the rotation's margin, at the output's scale (antialiased), then turned with bilinear
     * sampling at 1:1, where bilinear does not alias; the margin means no empty corners.
     */
    private static void rotatedCrop(RgbImage base, double[] box, double radians, int size, byte[] out) {
        double cos = Math.cos(radians);
        double sin = Math.sin(radians);
        double margin = Math.abs(cos) + Math.abs(sin);
        int m = (int) Math.ceil(size * margin) + 2;
        if (((m - size) & 1) == 1) {
            m++;
        }
        double grow = (double) m / size;
        double cx = box[0] + box[2] / 2;
        double cy = box[1] + box[3] / 2;
        double hw = box[2] * grow / 2;
        double hh = box[3] * grow / 2;
        byte[] mid = ROTATION_SCRATCH.get();
        if (mid.length < m * m * 3) {
            mid = new byte[m * m * 3];
            ROTATION_SCRATCH.set(mid);
        }
        Resampler.resize(base, cx - hw, cy - hh, cx + hw, cy + hh, mid, m, m);
        double half = size / 2.0;
        double midHalf = m / 2.0;
        int o = 0;
        for (int v = 0; v < size; v++) {
            double dy = v + 0.5 - half;
            for (int u = 0; u < size; u++) {
                double dx = u + 0.5 - half;
                double sx = cos * dx + sin * dy + midHalf - 0.5;
                double sy = -sin * dx + cos * dy + midHalf - 0.5;
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                float fx = (float) (sx - x0);
                float fy = (float) (sy - y0);
                int xa = clamp(x0, m);
                int xb = clamp(x0 + 1, m);
                int ya = clamp(y0, m);
                int yb = clamp(y0 + 1, m);
                int p00 = (ya * m + xa) * 3;
                int p01 = (ya * m + xb) * 3;
                int p10 = (yb * m + xa) * 3;
                int p11 = (yb * m + xb) * 3;
                for (int c = 0; c < 3; c++) {
                    float top = (mid[p00 + c] & 0xFF) + fx * ((mid[p01 + c] & 0xFF) - (mid[p00 + c] & 0xFF));
                    float bottom = (mid[p10 + c] & 0xFF) + fx * ((mid[p11 + c] & 0xFF) - (mid[p10 + c] & 0xFF));
                    out[o++] = (byte) (int) (top + fy * (bottom - top) + 0.5f);
                }
            }
        }
    }

    private static int clamp(int v, int n) {
        return v < 0 ? 0 : Math.min(v, n - 1);
    }

    static void flipHorizontally(byte[] rgb, int w, int h) {
        for (int y = 0; y < h; y++) {
            int left = y * w * 3;
            int right = left + (w - 1) * 3;
            while (left < right) {
                for (int c = 0; c < 3; c++) {
                    byte t = rgb[left + c];
                    rgb[left + c] = rgb[right + c];
                    rgb[right + c] = t;
                }
                left += 3;
                right -= 3;
            }
        }
    }

    /**
     * Brightness, then contrast (around the mean gray), then saturation (around each pixel's gray), each
     * clamped to 0..255 like torchvision's ColorJitter on 8-bit images. The order is fixed, not shuffled.
     */
    static void jitter(byte[] rgb, double brightness, double contrast, double saturation) {
        // Brightness and contrast act on each value alone, so they become one 256-entry table;
        // only saturation needs the whole pixel.
        float b = (float) brightness;
        float[] bright = new float[256];
        for (int v = 0; v < 256; v++) {
            bright[v] = clamp255(v * b);
        }
        double graySum = 0;
        for (int p = 0; p < rgb.length; p += 3) {
            graySum += gray(bright[rgb[p] & 0xFF], bright[rgb[p + 1] & 0xFF], bright[rgb[p + 2] & 0xFF]);
        }
        float mean = (float) (graySum / (rgb.length / 3));
        float c = (float) contrast;
        float[] lut = new float[256];
        for (int v = 0; v < 256; v++) {
            lut[v] = clamp255((bright[v] - mean) * c + mean);
        }
        float s = (float) saturation;
        for (int p = 0; p < rgb.length; p += 3) {
            float r = lut[rgb[p] & 0xFF];
            float g = lut[rgb[p + 1] & 0xFF];
            float bl = lut[rgb[p + 2] & 0xFF];
            float gr = gray(r, g, bl);
            rgb[p] = (byte) (int) (clamp255((r - gr) * s + gr) + 0.5f);
            rgb[p + 1] = (byte) (int) (clamp255((g - gr) * s + gr) + 0.5f);
            rgb[p + 2] = (byte) (int) (clamp255((bl - gr) * s + gr) + 0.5f);
        }
    }

    private static float gray(float r, float g, float b) {
        return 0.299f * r + 0.587f * g + 0.114f * b;
    }

    private static float clamp255(float v) {
        return v < 0 ? 0 : Math.min(v, 255f);
    }
}
