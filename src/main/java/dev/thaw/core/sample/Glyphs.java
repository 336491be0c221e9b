package dev.thaw.core.sample;

import java.awt.Shape;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;

/**
 * The geometry of every class, in unit coordinates: the glyph lies within roughly [-1, 1] on both
 * axes, y pointing down as in the image. The renderer rotates, scales, places and strokes it.
 *
 * <p>Each builder draws its own small variations (fill or outline, proportions, vertex jitter) from
 * the image's {@link Rng}, so one class does not collapse onto a single template.
 */
final class Glyphs {

    private Glyphs() {}

    /**
     * One piece of a glyph.
     *
     * @param shape the outline in unit coordinates
     * @param filled filled as an area; otherwise stroked with the image's stroke width
     * @param colorSlot 0 for the main colour, 1 for the part that compositions may colour
     *     differently (the target looks use it; the source look is one grey)
     */
    record Part(Shape shape, boolean filled, int colorSlot) {}

    /** How a class builds its parts. */
    interface Builder {
        List<Part> build(Rng r);
    }

    /**
     * A class: its name (the folder name), its orientation range and its builder.
     *
     * @param baseRotationDeg the upright orientation
     * @param rotationJitterDeg the random rotation either side of it; 180 means any orientation.
     *     Orientation-bound classes (plus vs cross, the upright heart) keep a small range, so
     *     that rotation cannot turn one class into another.
     * @param mirror whether a random left-right flip is allowed
     */
    record Spec(String name, double baseRotationDeg, double rotationJitterDeg, boolean mirror, Builder builder) {}

    // ---------------------------------------------------------------- source: single primitives

    static final List<Spec> SOURCE = List.of(
            new Spec("arrow", 0, 180, false, Glyphs::arrow),
            new Spec("chevron", 0, 180, false, Glyphs::chevron),
            new Spec("circle", 0, 180, false, r -> List.of(new Part(ellipse(r, 0, 0, 0.8), true, 0))),
            new Spec("crescent", 0, 180, true, Glyphs::crescent),
            new Spec("cross", 45, 15, false, Glyphs::cross),
            new Spec("diamond", 0, 20, false, Glyphs::diamond),
            new Spec("heart", 0, 20, false, Glyphs::heart),
            new Spec("hexagon", 0, 180, false, Glyphs::hexagon),
            new Spec("lightning", 0, 20, true, Glyphs::lightning),
            new Spec("plus", 0, 15, false, Glyphs::plus),
            new Spec("ring", 0, 180, false, r -> List.of(new Part(ellipse(r, 0, 0, 0.8), false, 0))),
            new Spec("spiral", 0, 180, true, Glyphs::spiral),
            new Spec("square", 0, 20, false, Glyphs::square),
            new Spec("star", 0, 180, false, Glyphs::star),
            new Spec("triangle", 0, 180, false, Glyphs::triangle),
            new Spec("zigzag", 0, 30, false, Glyphs::zigzag));

    private static List<Part> arrow(Rng r) {
        List<Part> parts = new ArrayList<>();
        double tail = -0.88 + r.range(-0.04, 0.04);
        double tip = 0.9;
        double headLen = r.range(0.32, 0.45);
        double headHalf = r.range(0.28, 0.4);
        if (r.chance(0.5)) {
            parts.add(new Part(polygon(r, 0.02, tip, 0, tip - headLen, -headHalf, tip - headLen, headHalf), true, 0));
            parts.add(new Part(new Line2D.Double(tail, 0, tip - headLen + 0.05, 0), false, 0));
        } else {
            parts.add(new Part(new Line2D.Double(tail, 0, tip, 0), false, 0));
            parts.add(new Part(polyline(r, 0.02, tip - headLen, -headHalf, tip, 0, tip - headLen, headHalf), false, 0));
        }
        return parts;
    }

    private static List<Part> chevron(Rng r) {
        double open = r.range(0.6, 0.8);
        double depth = r.range(0.75, 0.95);
        return List.of(new Part(polyline(r, 0.03, -depth / 2, -open, depth / 2, 0, -depth / 2, open), false, 0));
    }

    private static List<Part> crescent(Rng r) {
        double outer = 0.82;
        double inner = r.range(0.62, 0.78);
        double shift = r.range(0.32, 0.5);
        Area a = new Area(ellipse(r, 0, 0, outer));
        a.subtract(new Area(ellipse(r, shift, r.range(-0.1, 0.1), inner)));
        return List.of(new Part(a, r.chance(0.75), 0));
    }

    private static List<Part> cross(Rng r) {
        // An X (the spec's base rotation turns this plus-shaped pair of bars by 45 degrees).
        double a = r.range(0.78, 0.9);
        return List.of(
                new Part(line(r, 0.03, -a, 0, a, 0), false, 0),
                new Part(line(r, 0.03, 0, -a, 0, a), false, 0));
    }

    private static List<Part> diamond(Rng r) {
        double w = r.range(0.42, 0.58);
        double h = r.range(0.85, 0.95);
        return List.of(new Part(polygon(r, 0.03, 0, -h, w, 0, 0, h, -w, 0), r.chance(0.45), 0));
    }

    private static List<Part> heart(Rng r) {
        double lobe = r.range(-0.06, 0.06);
        Path2D.Double p = new Path2D.Double();
        p.moveTo(0, 0.85);
        p.curveTo(-0.3, 0.55, -0.95 - lobe, 0.15, -0.9 - lobe, -0.3);
        p.curveTo(-0.85 - lobe, -0.82, -0.2, -0.92, 0, -0.42 + lobe);
        p.curveTo(0.2, -0.92, 0.85 + lobe, -0.82, 0.9 + lobe, -0.3);
        p.curveTo(0.95 + lobe, 0.15, 0.3, 0.55, 0, 0.85);
        p.closePath();
        return List.of(new Part(p, r.chance(0.5), 0));
    }

    private static List<Part> hexagon(Rng r) {
        return List.of(new Part(regular(r, 6, 0.85, 0), r.chance(0.45), 0));
    }

    private static List<Part> lightning(Rng r) {
        double k = r.range(-0.05, 0.05);
        return List.of(new Part(polygon(r, 0.03,
                0.22 + k, -0.95, -0.5, 0.1, -0.04, 0.1, -0.24 - k, 0.95, 0.5, -0.14, 0.05, -0.14), r.chance(0.75), 0));
    }

    private static List<Part> plus(Rng r) {
        double w = r.range(0.17, 0.27);
        double a = r.range(0.8, 0.9);
        return List.of(new Part(polygon(r, 0.02,
                -w, -a, w, -a, w, -w, a, -w, a, w, w, w,
                w, a, -w, a, -w, w, -a, w, -a, -w, -w, -w), r.chance(0.75), 0));
    }

    private static List<Part> spiral(Rng r) {
        double turns = r.range(2.0, 3.0);
        double end = turns * 2 * Math.PI;
        double rMax = 0.88;
        double rMin = r.range(0.0, 0.08);
        Path2D.Double p = new Path2D.Double();
        int steps = (int) (turns * 40);
        for (int i = 0; i <= steps; i++) {
            double t = end * i / steps;
            double rad = rMin + (rMax - rMin) * t / end;
            double x = rad * StrictMath.cos(t);
            double y = rad * StrictMath.sin(t);
            if (i == 0) {
                p.moveTo(x, y);
            } else {
                p.lineTo(x, y);
            }
        }
        return List.of(new Part(p, false, 0));
    }

    private static List<Part> square(Rng r) {
        double a = r.range(0.66, 0.76);
        return List.of(new Part(polygon(r, 0.035, -a, -a, a, -a, a, a, -a, a), r.chance(0.4), 0));
    }

    private static List<Part> star(Rng r) {
        double inner = r.range(0.34, 0.46);
        double[] xy = new double[20];
        for (int i = 0; i < 10; i++) {
            double rad = i % 2 == 0 ? 0.92 : inner;
            double t = -Math.PI / 2 + i * Math.PI / 5;
            xy[2 * i] = rad * StrictMath.cos(t);
            xy[2 * i + 1] = rad * StrictMath.sin(t);
        }
        return List.of(new Part(polygon(r, 0.025, xy), r.chance(0.5), 0));
    }

    private static List<Part> triangle(Rng r) {
        return List.of(new Part(regular(r, 3, 0.92, -Math.PI / 2), r.chance(0.4), 0));
    }

    private static List<Part> zigzag(Rng r) {
        int segments = 4 + r.nextInt(3);
        double amp = r.range(0.22, 0.42);
        double phase = r.sign();
        double[] xy = new double[2 * (segments + 1)];
        for (int i = 0; i <= segments; i++) {
            xy[2 * i] = -0.9 + 1.8 * i / segments;
            xy[2 * i + 1] = (i % 2 == 0 ? amp : -amp) * phase;
        }
        return List.of(new Part(polyline(r, 0.03, xy), false, 0));
    }

    // ---------------------------------------------------------------- target: compositions

    static final List<Spec> TARGET = List.of(
            new Spec("asterisk", 0, 180, false, Glyphs::asterisk),
            new Spec("circle_in_square", 0, 15, false, Glyphs::circleInSquare),
            new Spec("concentric_rings", 0, 180, false, Glyphs::concentricRings),
            new Spec("cross_in_circle", 0, 180, false, Glyphs::crossInCircle),
            new Spec("double_arrow", 0, 180, false, Glyphs::doubleArrow),
            new Spec("hourglass", 0, 25, false, Glyphs::hourglass),
            new Spec("keyhole", 0, 25, false, Glyphs::keyhole),
            new Spec("three_dots", 0, 180, false, Glyphs::threeDots));

    private static List<Part> asterisk(Rng r) {
        int lines = 3 + r.nextInt(2);
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            double t = i * Math.PI / lines;
            double a = r.range(0.78, 0.9);
            double c = StrictMath.cos(t) * a;
            double s = StrictMath.sin(t) * a;
            parts.add(new Part(line(r, 0.03, -c, -s, c, s), false, 0));
        }
        return parts;
    }

    private static List<Part> circleInSquare(Rng r) {
        double a = r.range(0.76, 0.86);
        double c = a * r.range(0.5, 0.7);
        return List.of(
                new Part(polygon(r, 0.03, -a, -a, a, -a, a, a, -a, a), false, 0),
                new Part(ellipse(r, 0, 0, c), r.chance(0.3), 1));
    }

    private static List<Part> concentricRings(Rng r) {
        double outer = r.range(0.78, 0.88);
        return List.of(
                new Part(ellipse(r, 0, 0, outer), false, 0),
                new Part(ellipse(r, 0, 0, outer * r.range(0.38, 0.6)), false, 1));
    }

    private static List<Part> crossInCircle(Rng r) {
        double rad = r.range(0.78, 0.88);
        return List.of(
                new Part(ellipse(r, 0, 0, rad), false, 0),
                new Part(line(r, 0.02, -rad, 0, rad, 0), false, 1),
                new Part(line(r, 0.02, 0, -rad, 0, rad), false, 1));
    }

    private static List<Part> doubleArrow(Rng r) {
        List<Part> parts = new ArrayList<>();
        double tip = 0.9;
        double headLen = r.range(0.3, 0.4);
        double headHalf = r.range(0.26, 0.36);
        boolean filled = r.chance(0.5);
        for (int side = -1; side <= 1; side += 2) {
            double t = tip * side;
            double b = (tip - headLen) * side;
            if (filled) {
                parts.add(new Part(polygon(r, 0.02, t, 0, b, -headHalf, b, headHalf), true, 1));
            } else {
                parts.add(new Part(polyline(r, 0.02, b, -headHalf, t, 0, b, headHalf), false, 1));
            }
        }
        double shaft = filled ? tip - headLen + 0.05 : tip;
        parts.add(new Part(new Line2D.Double(-shaft, 0, shaft, 0), false, 0));
        return parts;
    }

    private static List<Part> hourglass(Rng r) {
        double w = r.range(0.5, 0.66);
        double h = r.range(0.82, 0.92);
        double neck = r.range(0.03, 0.08);
        Shape s = polygon(r, 0.03, -w, -h, w, -h, neck, 0, w, h, -w, h, -neck, 0);
        return List.of(new Part(s, r.chance(0.5), 0));
    }

    private static List<Part> keyhole(Rng r) {
        double rad = r.range(0.34, 0.44);
        double cy = -0.42;
        double top = r.range(0.1, 0.16);
        double bottom = r.range(0.26, 0.36);
        Area a = new Area(ellipse(r, 0, cy, rad));
        a.add(new Area(polygon(r, 0.02, -top, cy, top, cy, bottom, 0.88, -bottom, 0.88)));
        return List.of(new Part(a, r.chance(0.7), 0));
    }

    private static List<Part> threeDots(Rng r) {
        double rad = r.range(0.15, 0.22);
        double[] centers = r.chance(0.5)
                ? new double[] {-0.62, 0, 0, 0, 0.62, 0}
                : new double[] {0, -0.52, 0.58, 0.4, -0.58, 0.4};
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            parts.add(new Part(ellipse(r, centers[2 * i] + r.range(-0.06, 0.06),
                    centers[2 * i + 1] + r.range(-0.06, 0.06), rad), true, i == 1 ? 1 : 0));
        }
        return parts;
    }

    // ---------------------------------------------------------------- geometry helpers

    /** A slightly elliptical circle, so circles are not all perfect. */
    private static Shape ellipse(Rng r, double cx, double cy, double rad) {
        double rx = rad * r.range(0.94, 1.06);
        double ry = rad * r.range(0.94, 1.06);
        return new Ellipse2D.Double(cx - rx, cy - ry, 2 * rx, 2 * ry);
    }

    private static Shape regular(Rng r, int n, double rad, double start) {
        double[] xy = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double t = start + i * 2 * Math.PI / n;
            xy[2 * i] = rad * StrictMath.cos(t);
            xy[2 * i + 1] = rad * StrictMath.sin(t);
        }
        return polygon(r, 0.03, xy);
    }

    private static Shape line(Rng r, double jitter, double x1, double y1, double x2, double y2) {
        return new Line2D.Double(x1 + r.range(-jitter, jitter), y1 + r.range(-jitter, jitter),
                x2 + r.range(-jitter, jitter), y2 + r.range(-jitter, jitter));
    }

    private static Shape polygon(Rng r, double jitter, double... xy) {
        Path2D.Double p = path(r, jitter, xy);
        p.closePath();
        return p;
    }

    private static Path2D.Double polyline(Rng r, double jitter, double... xy) {
        return path(r, jitter, xy);
    }

    private static Path2D.Double path(Rng r, double jitter, double... xy) {
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i < xy.length; i += 2) {
            double x = xy[i] + r.range(-jitter, jitter);
            double y = xy[i + 1] + r.range(-jitter, jitter);
            if (i == 0) {
                p.moveTo(x, y);
            } else {
                p.lineTo(x, y);
            }
        }
        return p;
    }
}
