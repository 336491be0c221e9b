package dev.thaw.ui.training;

import java.util.ArrayList;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * A chart series that never holds more than {@code capacity} points however long the run: when
 * full, neighbouring points are averaged in pairs and from then on new points arrive averaged in
 * the same number, so the whole history stays visible at one, coarser, resolution.
 */
public final class BoundedSeries {

    /** One point: x in epochs (fractional for batches), y the value. */
    public record Point(double x, double y) {
    }

    private final String name;
    private final int capacity;
    private final ObservableList<Point> points = FXCollections.observableArrayList();
    /** Raw points per shown point (a power of two). */
    private int stride = 1;
    private int pending;
    private double sumX;
    private double sumY;

    public BoundedSeries(String name, int capacity) {
        if (capacity < 4) {
            throw new IllegalArgumentException("capacity must be at least 4");
        }
        this.name = name;
        this.capacity = capacity;
    }

    public String name() {
        return name;
    }

    public ObservableList<Point> points() {
        return points;
    }

    /**
     * Adds points in one list change (one chart update for a group of events). Once the series has
     * been thinned, incoming points are averaged {@code stride} at a time too, so every point of the
     * curve stands for the same number of raw points.
     */
    public void addAll(List<Point> more) {
        if (more.isEmpty()) {
            return;
        }
        List<Point> emitted = new ArrayList<>();
        for (Point p : more) {
            sumX += p.x();
            sumY += p.y();
            pending++;
            if (pending == stride) {
                emitted.add(new Point(sumX / pending, sumY / pending));
                sumX = 0;
                sumY = 0;
                pending = 0;
            }
        }
        if (emitted.isEmpty()) {
            return;
        }
        if (points.size() + emitted.size() <= capacity) {
            points.addAll(emitted);
            return;
        }
        List<Point> all = new ArrayList<>(points.size() + emitted.size());
        all.addAll(points);
        all.addAll(emitted);
        while (all.size() > capacity) {
            all = halve(all);
            stride *= 2;
        }
        points.setAll(all);
    }

    public void add(double x, double y) {
        addAll(List.of(new Point(x, y)));
    }

    public void clear() {
        points.clear();
        stride = 1;
        pending = 0;
        sumX = 0;
        sumY = 0;
    }

    private static List<Point> halve(List<Point> in) {
        List<Point> out = new ArrayList<>(in.size() / 2 + 1);
        int i = 0;
        for (; i + 1 < in.size(); i += 2) {
            Point a = in.get(i);
            Point b = in.get(i + 1);
            out.add(new Point((a.x() + b.x()) / 2, (a.y() + b.y()) / 2));
        }
        if (i < in.size()) {
            out.add(in.get(i));
        }
        return out;
    }
}
