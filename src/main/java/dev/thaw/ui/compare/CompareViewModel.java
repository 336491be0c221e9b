package dev.thaw.ui.compare;

import com.google.gson.JsonObject;
import dev.thaw.core.eval.ConfusionMatrix;
import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.LayerNode;
import dev.thaw.core.model.LayerTree;
import dev.thaw.core.runs.ConfigDiff;
import dev.thaw.core.runs.RunComparison;
import dev.thaw.core.runs.RunCurves;
import dev.thaw.core.runs.RunFolder;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.util.Json;
import dev.thaw.ui.common.BackgroundTask;
import dev.thaw.ui.common.Format;
import dev.thaw.ui.common.RunColors;
import dev.thaw.ui.common.TaskExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Two or more runs side by side, read from their folders in the background: overlaid curves (per
 * epoch or per wall-clock second), a metrics table, the settings that differ, the freeze masks on
 * the first run's layer tree, per-class accuracy deltas, confusion matrices, McNemar's test for a
 * pair of runs (A and B) in plain words, and the images that flipped between A and B.
 */
public final class CompareViewModel {

    /** What the curves' x axis counts. */
    public enum XAxis {
        EPOCH("epoch"), SECONDS("seconds since training began");

        private final String label;

        XAxis(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A run in the comparison: its id, name and colour. */
    public record RunRef(String id, String name, String color) {
        @Override
        public String toString() {
            return name;
        }

        /**
         * A name that fits a column header: the user's name if given, else strategy and start time
         * from the id ({@code 20261124-085200-fe-sample} becomes {@code fe 08:52:00}).
         */
        public String shortName() {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\d{8}-(\\d{2})(\\d{2})(\\d{2})-([a-z]+)(?:-.*)?$").matcher(name);
            return m.matches() ? m.group(4) + " " + m.group(1) + ":" + m.group(2) + ":" + m.group(3) : name;
        }
    }

    /** One line of a chart: x and y values, the run's colour, dashed for training curves. */
    public record Series(String name, String color, boolean dashed, double[] x, double[] y) {
    }

    /** A row of the metrics table: the metric and its value per run. */
    public record MetricRow(String metric, List<String> values) {
    }

    /**
     * A node of the first run's layer tree with, per run, whether it is frozen there.
     *
     * @param differs true when the runs do not all freeze this node alike
     */
    public record FreezeNode(String path, String name, String type, long params, List<Boolean> frozen, boolean differs,
            List<FreezeNode> children) {
    }

    private final TaskExecutor executor;
    private final RunColors colors;
    private final ObservableList<RunRef> runs = FXCollections.observableArrayList();
    private final ObjectProperty<RunComparison> comparison = new SimpleObjectProperty<>(this, "comparison");
    private final List<RunCurves> curves = new ArrayList<>();
    private final ObjectProperty<XAxis> xAxis = new SimpleObjectProperty<>(this, "xAxis", XAxis.EPOCH);
    private final ObservableList<Series> lossSeries = FXCollections.observableArrayList();
    private final ObservableList<Series> accuracySeries = FXCollections.observableArrayList();
    private final ObservableList<MetricRow> metrics = FXCollections.observableArrayList();
    private final ObservableList<ConfigDiff.Row> configDiff = FXCollections.observableArrayList();
    private final ObjectProperty<FreezeNode> freezeTree = new SimpleObjectProperty<>(this, "freezeTree");
    private final StringProperty freezeSummary = new SimpleStringProperty(this, "freezeSummary", "");
    private final ObservableList<RunComparison.ClassRow> perClass = FXCollections.observableArrayList();
    private final ObservableList<ConfusionMatrix> confusions = FXCollections.observableArrayList();
    private final IntegerProperty a = new SimpleIntegerProperty(this, "a", 0);
    private final IntegerProperty b = new SimpleIntegerProperty(this, "b", 1);
    private final StringProperty pairVerdict = new SimpleStringProperty(this, "pairVerdict", "");
    private final ObservableList<RunComparison.Flip> rightInAOnly = FXCollections.observableArrayList();
    private final ObservableList<RunComparison.Flip> rightInBOnly = FXCollections.observableArrayList();
    private final StringProperty splitWarning = new SimpleStringProperty(this, "splitWarning");
    private final StringProperty error = new SimpleStringProperty(this, "error");
    private final BooleanProperty loading = new SimpleBooleanProperty(this, "loading");

    public CompareViewModel(TaskExecutor executor, RunColors colors) {
        this.executor = executor;
        this.colors = colors;
        xAxis.addListener((o, x, y) -> rebuildSeries());
        a.addListener((o, x, y) -> updatePair());
        b.addListener((o, x, y) -> updatePair());
    }

    /** Reads the runs (at least two) in the background and fills every part of the view. */
    public void load(List<RunStore.RunInfo> infos) {
        if (infos.size() < 2) {
            error.set("Select at least two runs to compare");
            return;
        }
        loading.set(true);
        error.set(null);
        record Loaded(RunComparison comparison, List<RunCurves> curves, FreezeNode tree) {
        }
        executor.execute(BackgroundTask.of("Comparing " + infos.size() + " runs", m -> {
            RunComparison c = RunComparison.of(infos);
            List<RunCurves> cs = new ArrayList<>();
            for (RunStore.RunInfo r : infos) {
                m.checkCancelled();
                try {
                    cs.add(RunCurves.read(r.folder()));
                } catch (RuntimeException e) {
                    throw new IllegalStateException("Cannot read the metrics of run " + r.id() + " (" + r.folder().file(RunFolder.METRICS)
                            + "): " + e.getMessage(), e);
                }
            }
            return new Loaded(c, cs, freezeTree(c));
        }).onSuccess(l -> apply(l.comparison(), l.curves(), l.tree()))
                .onFailure(e -> error.set(e.getMessage()))
                .onFinished(() -> loading.set(false)));
    }

    void apply(RunComparison c, List<RunCurves> cs, FreezeNode tree) {
        List<RunRef> refs = new ArrayList<>();
        for (RunStore.RunInfo r : c.runs()) {
            refs.add(new RunRef(r.id(), r.displayName(), colors.of(r.id())));
        }
        runs.setAll(refs);
        curves.clear();
        curves.addAll(cs);
        comparison.set(c);
        rebuildSeries();
        metrics.setAll(metricRows(c));
        configDiff.setAll(c.configDiff());
        freezeTree.set(tree);
        int differing = c.freezeDiffTopmost().size();
        freezeSummary.set(differing == 0 ? "All runs freeze the same layers."
                : "Highlighted: layers frozen in some runs and trained in others (" + differing + (differing == 1 ? " subtree" : " subtrees")
                        + "): snowflake = frozen, flame = trains.");
        perClass.setAll(c.perClassAccuracy());
        confusions.setAll(c.confusions());
        splitWarning.set(c.sameSplit() ? null : c.splitNote());
        if (a.get() == 0 && b.get() == 1) {
            updatePair();
        } else {
            a.set(0);
            b.set(1);
        }
    }

    private static List<MetricRow> metricRows(RunComparison c) {
        List<RunComparison.Metrics> m = c.metrics();
        List<MetricRow> rows = new ArrayList<>();
        rows.add(row("Strategy", m, x -> x.strategy() == null ? "" : x.strategy()));
        rows.add(row("Status", m, RunComparison.Metrics::state));
        rows.add(row("Final val accuracy", m, x -> Format.percent(x.finalValAccuracy())));
        rows.add(row("Best val accuracy (epoch)", m, x -> Double.isNaN(x.bestValAccuracy()) ? "–"
                : Format.percent(x.bestValAccuracy()) + " (" + x.bestEpoch() + ")"));
        rows.add(row("Final val loss", m, x -> number(x.valLoss(), "%.4f")));
        rows.add(row("Wall time", m, x -> Double.isNaN(x.wallSeconds()) ? "–" : Format.duration(x.wallSeconds())));
        rows.add(row("Training images/s", m, x -> number(x.imagesPerSecond(), "%.1f")));
        rows.add(row("Trainable / total params", m, x -> x.totalParams() == 0 ? "–"
                : Format.count(x.trainableParams()) + " / " + Format.count(x.totalParams())));
        return rows;
    }

    private static MetricRow row(String name, List<RunComparison.Metrics> m, java.util.function.Function<RunComparison.Metrics, String> f) {
        return new MetricRow(name, m.stream().map(f).toList());
    }

    private static String number(double v, String fmt) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, fmt, v);
    }

    private void rebuildSeries() {
        List<Series> loss = new ArrayList<>();
        List<Series> acc = new ArrayList<>();
        boolean seconds = xAxis.get() == XAxis.SECONDS;
        for (int i = 0; i < curves.size() && i < runs.size(); i++) {
            RunRef r = runs.get(i);
            List<RunCurves.EpochPoint> e = curves.get(i).epochs();
            ToDoubleFunction<RunCurves.EpochPoint> x = seconds ? RunCurves.EpochPoint::elapsedSeconds : p -> p.epoch();
            loss.add(series(r.name() + " · val", r.color(), false, e, x, RunCurves.EpochPoint::valLoss));
            loss.add(series(r.name() + " · train", r.color(), true, e, x, RunCurves.EpochPoint::trainLoss));
            acc.add(series(r.name() + " · val", r.color(), false, e, x, RunCurves.EpochPoint::valAccuracy));
            acc.add(series(r.name() + " · train", r.color(), true, e, x, RunCurves.EpochPoint::trainAccuracy));
        }
        lossSeries.setAll(loss);
        accuracySeries.setAll(acc);
    }

    private static Series series(String name, String color, boolean dashed, List<RunCurves.EpochPoint> points,
            ToDoubleFunction<RunCurves.EpochPoint> x, ToDoubleFunction<RunCurves.EpochPoint> y) {
        List<double[]> xy = new ArrayList<>();
        for (RunCurves.EpochPoint p : points) {
            double xv = x.applyAsDouble(p);
            double yv = y.applyAsDouble(p);
            if (Double.isFinite(xv) && Double.isFinite(yv)) {
                xy.add(new double[] {xv, yv});
            }
        }
        return new Series(name, color, dashed, xy.stream().mapToDouble(v -> v[0]).toArray(), xy.stream().mapToDouble(v -> v[1]).toArray());
    }

    /** Each list changes once (a change rebuilds its gallery when shown). */
    private void updatePair() {
        RunComparison c = comparison.get();
        int ia = a.get();
        int ib = b.get();
        String verdictText;
        List<RunComparison.Flip> aOnly = List.of();
        List<RunComparison.Flip> bOnly = List.of();
        if (c == null) {
            verdictText = "";
        } else if (ia == ib || ia < 0 || ib < 0 || ia >= runs.size() || ib >= runs.size()) {
            verdictText = "Pick two different runs as A and B.";
        } else {
            try {
                verdictText = verdict(runs.get(ia).name(), runs.get(ib).name(), c.mcnemar(ia, ib));
                aOnly = c.flipped(ia, ib);
                bOnly = c.flipped(ib, ia);
            } catch (IllegalArgumentException e) {
                verdictText = e.getMessage();
            }
        }
        pairVerdict.set(verdictText);
        rightInAOnly.setAll(aOnly);
        rightInBOnly.setAll(bOnly);
    }

    /** McNemar's test of A against B in one plain paragraph. */
    static String verdict(String nameA, String nameB, RunComparison.PairedTest t) {
        if (t.shared() == 0) {
            return nameA + " and " + nameB + " share no validation image, so they cannot be compared image by image.";
        }
        int aOnly = t.test().aOnly();
        int bOnly = t.test().bOnly();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "On the %d validation images both saw, A (%s) scored %s and B (%s) %s. ", t.shared(), nameA,
                Format.percent(t.accuracyA()), nameB, Format.percent(t.accuracyB())));
        if (aOnly + bOnly == 0) {
            s.append("They got exactly the same images right: no difference at all.");
            return s.toString();
        }
        s.append(String.format(Locale.ROOT, "A got %d %s right that B got wrong; B got %d right that A got wrong. ", aOnly,
                aOnly == 1 ? "image" : "images", bOnly));
        String better = aOnly > bOnly ? "A" : "B";
        int diff = Math.abs(aOnly - bOnly);
        if (t.test().significant(0.05)) {
            s.append(String.format(Locale.ROOT, "McNemar's test: %s, so %s is better, and a gap of %d %s this lopsided is unlikely "
                    + "to be chance.", p(t.test().pValue()), better, diff, diff == 1 ? "image" : "images"));
        } else {
            s.append(String.format(Locale.ROOT, "McNemar's test: %s, so the difference (%d %s) is within noise: "
                    + "these images cannot tell the two apart.", p(t.test().pValue()), diff, diff == 1 ? "image" : "images"));
        }
        return s.toString();
    }

    private static String p(double p) {
        return p < 0.001 ? "p < 0.001" : String.format(Locale.ROOT, "p = %.3f", p);
    }

    /** The first run's layer tree (from its tree.json) with every run's freeze mask. */
    static FreezeNode freezeTree(RunComparison c) {
        List<RunStore.RunInfo> infos = c.runs();
        LayerTree tree = readTree(infos.get(0).folder());
        if (tree == null) {
            return null;
        }
        List<FreezePlan> plans = new ArrayList<>();
        for (RunStore.RunInfo r : infos) {
            FreezePlan p = r.spec() == null ? null : r.spec().freezePlan();
            if (p == null) {
                p = readPlan(r.folder());
            }
            plans.add(p);
        }
        Set<String> differing = new HashSet<>();
        for (RunComparison.FreezeRow r : c.freezeDiff()) {
            differing.add(r.path());
        }
        return node(tree.root(), plans, differing);
    }

    private static FreezeNode node(LayerNode n, List<FreezePlan> plans, Set<String> differing) {
        List<Boolean> frozen = new ArrayList<>();
        for (FreezePlan p : plans) {
            frozen.add(p == null ? null : !n.path().isEmpty() && p.isFrozen(n.path()));
        }
        List<FreezeNode> kids = new ArrayList<>();
        for (LayerNode k : n.children()) {
            kids.add(node(k, plans, differing));
        }
        boolean differs = differing.contains(n.path()) || kids.stream().anyMatch(FreezeNode::differs);
        return new FreezeNode(n.path(), n.name(), n.type(), n.parameterCount(), frozen, differs, kids);
    }

    private static LayerTree readTree(RunFolder f) {
        Path file = f.file(RunFolder.TREE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonObject o = Json.read(file, JsonObject.class);
        return o.has("tree") ? Json.COMPACT.fromJson(o.get("tree"), LayerTree.class) : null;
    }

    private static FreezePlan readPlan(RunFolder f) {
        Path file = f.file(RunFolder.TREE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        JsonObject o = Json.read(file, JsonObject.class);
        return o.has("plan") ? Json.COMPACT.fromJson(o.get("plan"), FreezePlan.class) : null;
    }

    /** The runs, in comparison order (the first is the baseline of the deltas). */
    public ObservableList<RunRef> runs() {
        return runs;
    }

    public ObjectProperty<RunComparison> comparisonProperty() {
        return comparison;
    }

    public ObjectProperty<XAxis> xAxisProperty() {
        return xAxis;
    }

    /** Val (solid) and train (dashed) loss per run, on the chosen x axis. */
    public ObservableList<Series> lossSeries() {
        return lossSeries;
    }

    /** Val (solid) and train (dashed) accuracy per run. */
    public ObservableList<Series> accuracySeries() {
        return accuracySeries;
    }

    public ObservableList<MetricRow> metrics() {
        return metrics;
    }

    /** Only the settings that differ. */
    public ObservableList<ConfigDiff.Row> configDiff() {
        return configDiff;
    }

    public ObjectProperty<FreezeNode> freezeTreeProperty() {
        return freezeTree;
    }

    public StringProperty freezeSummaryProperty() {
        return freezeSummary;
    }

    public ObservableList<RunComparison.ClassRow> perClass() {
        return perClass;
    }

    /** One matrix per run (null for a run without predictions). */
    public ObservableList<ConfusionMatrix> confusions() {
        return confusions;
    }

    /** Index of run A (in {@link #runs()}). */
    public IntegerProperty aProperty() {
        return a;
    }

    public IntegerProperty bProperty() {
        return b;
    }

    /** McNemar's test of A and B in plain words. */
    public StringProperty pairVerdictProperty() {
        return pairVerdict;
    }

    /** Images right in A and wrong in B. */
    public ObservableList<RunComparison.Flip> rightInAOnly() {
        return rightInAOnly;
    }

    /** Images right in B and wrong in A. */
    public ObservableList<RunComparison.Flip> rightInBOnly() {
        return rightInBOnly;
    }

    /** A warning when the runs were not validated on the same images; null when they were. */
    public StringProperty splitWarningProperty() {
        return splitWarning;
    }

    public StringProperty errorProperty() {
        return error;
    }

    public BooleanProperty loadingProperty() {
        return loading;
    }

    /** A short title for the tab: the runs' names. */
    public String title() {
        return runs.size() == 2 ? runs.get(0).name() + " vs " + runs.get(1).name() : "Compare " + runs.size() + " runs";
    }
}
