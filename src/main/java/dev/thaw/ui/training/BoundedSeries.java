package dev.thaw.ui.training;

import java.util.ArrayList;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * A chart series that never holds more than {@code capacity} points however long the run: when
 * full, neighbouring points are averaged in pairs, so the whole history stays visible at a coarser
 * resolution and the newest points keep arriving at full resolution.
 */
public final class BoundedSeries {

    /** One point: x in epochs (fractional for batches), y the value. */
    public record Point(double x, double y) {
    }

    private final String name;
    private final int capacity;
    private final ObservableList<Point> points = FXCollections.observableArrayList();

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

    /** Adds points in one list change (one chart update for a group of events). */
    public void addAll(List<Point> more) {
        if (more.isEmpty()) {
            return;
        }
        List<Point> all = new ArrayList<>(points.size() + more.size());
        all.addAll(points);
        all.addAll(more);
        boolean decimated = false;
        while (all.size() > capacity) {
            all = halve(all);
            decimated = true;
        }
        if (decimated) {
            points.setAll(all);
        } else {
            points.addAll(more);
        }
    }

    public void add(double x, double y) {
        addAll(List.of(new Point(x, y)));
    }

    public void clear() {
        points.clear();
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
