package dev.thaw.core.sample;

import java.awt.geom.AffineTransform;
import java.awt.geom.PathIterator;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The three looks: how a class's glyph becomes a 64x64 picture in each domain.
 *
 * <p>All draws come from the one {@link Rng} of the image, in a fixed order, so an image depends
 * only on (seed, dataset, class, index).
 */
final class Looks {

    private Looks() {}

    private static final int MARGIN = 2;

    /**
     * The source look: a dark glyph on a light, muted background: mostly a gentle gradient,
     * sometimes a faint texture; sometimes a slight blur. No per-pixel noise: it would double the
     * size of the PNGs, and the source task is about clean shapes (edges, corners, curves).
     *
     * <p>Colours are muted tints rather than pure grey on purpose: a backbone that only ever saw
     * R = G = B has first-layer filters whose response to colour differences is arbitrary, and then
     * the colourful target look reads as noise to it. A little tint and texture here teach it to
     * look at shape rather than colour or background, which is what makes it transfer.
     */
    static BufferedImage source(Glyphs.Spec spec, Rng r) {
        Canvas c = new Canvas();
        double hue = r.nextDouble();
        double[] c0 = Canvas.hsv(hue, r.range(0.0, 0.3), r.range(0.8, 0.97));
        double step = r.range(0.04, 0.1) * r.sign();
        double[] c1 = Canvas.hsv(hue + r.range(-0.1, 0.1), r.range(0.0, 0.3), Canvas.clamp01(value(c0) + step));
        switch (r.chance(0.55) ? 0 : 1 + r.nextInt(4)) {
            case 0 -> c.gradient(c0, Canvas.hsv(r.nextDouble(), r.range(0.0, 0.3), Canvas.clamp01(value(c0) - r.range(-0.08, 0.12))),
                    r.range(0, 2 * Math.PI));
            case 1 -> c.stripes(c0, c1, r.range(0, Math.PI), r.range(4, 11), r.nextDouble());
            case 2 -> c.checker(c0, c1, r.chance(0.5) ? 0 : r.range(0, Math.PI / 2), r.range(3, 9));
            case 3 -> c.patches(r, c0, List.of(c1, Canvas.hsv(r.nextDouble(), r.range(0.0, 0.3), value(c1))), 6, 16);
            default -> {
                c.fill(c0);
                c.cloud(r, 3 + r.nextInt(4), r.range(6, 16));
            }
        }
        double lum = c.meanLuminance();

        List<Glyphs.Part> parts = spec.builder().build(r);
        float stroke = (float) r.range(1.4, 4.2);
        AffineTransform at = place(r, spec, parts, r.range(17, 28), stroke);
        double[] fg = withLuminance(r.nextDouble(), r.range(0.0, 0.7), lum - r.range(90, 190));
        c.draw(parts, at, stroke, new double[][] {fg, fg});
        if (r.chance(0.3)) {
            c.blur(r.range(0.35, 0.8));
        }
        return c.toImage();
    }

    /**
     * The target look: coloured glyph (one or two colours) darker than a light coloured background
     * that is a gradient, stripes, a checkerboard, soft patches or a cloudy wash; then often a
     * blur, always colour noise (and JPEG compression when written).
     */
    static BufferedImage target(Glyphs.Spec spec, Rng r) {
        return shifted(spec, r, false);
    }

    /**
     * The unlabeled look, shifted further: a light (pastel or neon) glyph on a dark, mostly cool
     * coloured background with the same kinds of texture, smaller glyphs, thinner strokes, blur
     * more often and heavier noise.
     */
    static BufferedImage unlabeled(Glyphs.Spec spec, Rng r) {
        return shifted(spec, r, true);
    }

    private static BufferedImage shifted(Glyphs.Spec spec, Rng r, boolean dark) {
        Canvas c = new Canvas();
        background(c, r, dark);
        double lum = c.meanLuminance();

        List<Glyphs.Part> parts = spec.builder().build(r);
        float stroke = (float) (dark ? r.range(1.3, 3.2) : r.range(1.5, 3.8));
        AffineTransform at = place(r, spec, parts, dark ? r.range(14, 25) : r.range(16, 27), stroke);

        double contrast = r.range(60, 115);
        double hue = dark ? warmHue(r) : r.nextDouble();
        double sat = dark ? r.range(0.2, 0.75) : r.range(0.45, 1.0);
        double[] main = withLuminance(hue, sat, dark ? lum + contrast : lum - contrast);
        double[] second = r.chance(0.35)
                ? withLuminance(hue + r.range(0.2, 0.8), sat, dark ? lum + contrast : lum - contrast)
                : main;
        c.draw(parts, at, stroke, new double[][] {main, second});

        if (r.chance(dark ? 0.75 : 0.55)) {
            c.blur(dark ? r.range(0.5, 1.2) : r.range(0.4, 1.0));
        }
        c.noise(r, dark ? r.range(10, 22) : r.range(4, 11), 0.5);
        return c.toImage();
    }

    private static void background(Canvas c, Rng r, boolean dark) {
        double hue = dark && r.chance(0.7) ? r.range(0.5, 0.85) : r.nextDouble();
        double[] c0 = bgColor(r, hue, dark);
        // the second colour of a texture: same family, brighter or darker by a modest step, so the
        // texture stays weaker than the glyph's contrast
        double step = r.range(0.06, 0.15) * r.sign();
        double[] c1 = Canvas.hsv(hue + r.range(-0.12, 0.12), r.range(0.1, 0.6),
                Canvas.clamp01(value(c0) + step));
        int kind = r.nextInt(5);
        switch (kind) {
            case 0 -> c.gradient(c0, Canvas.hsv(r.nextDouble(), r.range(0.1, 0.5), Canvas.clamp01(value(c0) + step * 1.5)),
                    r.range(0, 2 * Math.PI));
            case 1 -> c.stripes(c0, c1, r.range(0, Math.PI), r.range(4, 11), r.nextDouble());
            case 2 -> c.checker(c0, c1, r.chance(0.5) ? 0 : r.range(0, Math.PI / 2), r.range(3, 9));
            case 3 -> {
                List<double[]> blobs = new ArrayList<>();
                int n = 3 + r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    blobs.add(bgColor(r, r.nextDouble(), dark));
                }
                c.patches(r, c0, blobs, 5, 16);
            }
            default -> {
                c.fill(c0);
                c.cloud(r, 4 + r.nextInt(5), r.range(15, 35));
            }
        }
        if (r.chance(0.4)) {
            c.cloud(r, 2 + r.nextInt(3), r.range(5, 15));
        }
    }

    private static double[] bgColor(Rng r, double hue, boolean dark) {
        return dark
                ? Canvas.hsv(hue, r.range(0.25, 0.7), r.range(0.1, 0.32))
                : Canvas.hsv(hue, r.range(0.08, 0.5), r.range(0.7, 0.95));
    }

    /** Yellows, oranges, pinks and greens: a palette the target look rarely puts together. */
    private static double warmHue(Rng r) {
        return r.chance(0.75) ? r.range(-0.1, 0.35) : r.nextDouble();
    }

    private static double value(double[] c) {
        return Math.max(c[0], Math.max(c[1], c[2])) / 255;
    }

    /**
     * A colour of the given hue and saturation whose luminance is {@code target} (clamped to
     * 6..250); bright targets that the saturation cannot reach are met by mixing towards white.
     */
    private static double[] withLuminance(double hue, double sat, double target) {
        target = Math.max(6, Math.min(250, target));
        double[] full = Canvas.hsv(hue, sat, 1);
        double lumFull = Canvas.luminance(full[0], full[1], full[2]);
        if (target <= lumFull) {
            double k = target / lumFull;
            return new double[] {full[0] * k, full[1] * k, full[2] * k};
        }
        double t = (target - lumFull) / (255 - lumFull);
        return new double[] {full[0] + (255 - full[0]) * t, full[1] + (255 - full[1]) * t, full[2] + (255 - full[2]) * t};
    }

    private static double[] grey(double v) {
        return new double[] {v, v, v};
    }

    /**
     * Rotates, scales (with a little independent stretch per axis), optionally mirrors and then
     * places the glyph at a random position where it fits inside the image. The trigonometry uses
     * StrictMath so the matrix is the same on every platform.
     */
    static AffineTransform place(Rng r, Glyphs.Spec spec, List<Glyphs.Part> parts, double scale, float stroke) {
        double angle = Math.toRadians(spec.baseRotationDeg() + r.range(-1, 1) * spec.rotationJitterDeg());
        double sx = scale * r.range(0.9, 1.1) * (spec.mirror() && r.chance(0.5) ? -1 : 1);
        double sy = scale * r.range(0.9, 1.1);
        double cos = StrictMath.cos(angle);
        double sin = StrictMath.sin(angle);
        AffineTransform at = new AffineTransform(cos * sx, sin * sx, -sin * sy, cos * sy, 0, 0);

        Rectangle2D box = bounds(parts, at, stroke);
        double room = Canvas.SIZE - 2 * MARGIN;
        double big = Math.max(box.getWidth(), box.getHeight());
        if (big > room) {
            // too large for this rotation: shrink about the origin (the glyph's centre)
            double k = (room - stroke - 1) / (big - stroke - 1);
            at.preConcatenate(AffineTransform.getScaleInstance(k, k));
            box = bounds(parts, at, stroke);
        }
        double tx = pick(r, MARGIN - box.getMinX(), Canvas.SIZE - MARGIN - box.getMaxX());
        double ty = pick(r, MARGIN - box.getMinY(), Canvas.SIZE - MARGIN - box.getMaxY());
        at.preConcatenate(AffineTransform.getTranslateInstance(tx, ty));
        return at;
    }

    private static double pick(Rng r, double lo, double hi) {
        double u = r.nextDouble(); // drawn even when unused, to keep later draws aligned
        return lo < hi ? lo + (hi - lo) * u : (lo + hi) / 2;
    }

    /**
     * The box around all segment end and control points, padded by half the stroke. Computed here
     * rather than with {@code Shape.getBounds2D()}, whose result for curves became tighter in JDK 19;
     * that moved every curved glyph, and the committed images must not depend on the JDK.
     */
    private static Rectangle2D bounds(List<Glyphs.Part> parts, AffineTransform at, float stroke) {
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        double[] c = new double[6];
        for (Glyphs.Part p : parts) {
            for (PathIterator it = p.shape().getPathIterator(at); !it.isDone(); it.next()) {
                int points = switch (it.currentSegment(c)) {
                    case PathIterator.SEG_MOVETO, PathIterator.SEG_LINETO -> 1;
                    case PathIterator.SEG_QUADTO -> 2;
                    case PathIterator.SEG_CUBICTO -> 3;
                    default -> 0;
                };
                for (int k = 0; k < points; k++) {
                    minX = Math.min(minX, c[2 * k]);
                    maxX = Math.max(maxX, c[2 * k]);
                    minY = Math.min(minY, c[2 * k + 1]);
                    maxY = Math.max(maxY, c[2 * k + 1]);
                }
            }
        }
        double pad = stroke / 2.0 + 0.5;
        return new Rectangle2D.Double(minX - pad, minY - pad, maxX - minX + 2 * pad, maxY - minY + 2 * pad);
    }
}
