package dev.thaw.core.runs;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.thaw.core.eval.ConfusionMatrix;
import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.RunSpec;
import dev.thaw.core.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Two or more runs side by side, read from their folders: metrics, the settings that differ, the
 * layers frozen in one and not another, per-class accuracy, confusion matrices, and paired tests
 * on the validation images they share.
 *
 * <p>Predictions are the best epoch's by default (the saved model's); {@link #of(List, ValPredictions.Epoch)}
 * takes the final epoch's instead. Best-epoch numbers are chosen on the validation set, so they
 * flatter every run a little.
 */
public final class RunComparison {

    /**
     * One run's numbers (NaN or 0 where the run did not record them).
     *
     * @param run the run id
     * @param displayName its display name
     * @param strategy {@code fe}, {@code ft} or {@code scratch}
     * @param state completed, cancelled, failed or incomplete
     * @param finalValAccuracy validation accuracy after the last epoch
     * @param bestValAccuracy best epoch's validation accuracy
     * @param bestEpoch the best epoch
     * @param valLoss validation loss after the last epoch
     * @param wallSeconds the run's wall time
     * @param imagesPerSecond training images per second
     * @param trainableParams trainable parameters
     * @param totalParams all parameters
     */
    public record Metrics(String run, String displayName, String strategy, String state, double finalValAccuracy,
            double bestValAccuracy, int bestEpoch, double valLoss, double wallSeconds, double imagesPerSecond,
            long trainableParams, long totalParams) {
    }

    /**
     * A layer-tree node frozen in some runs and trainable in others.
     *
     * @param path the node path ({@code backbone.layer4.0})
     * @param frozen per run, whether the node is frozen (null when that run's tree lacks it)
     */
    public record FreezeRow(String path, List<Boolean> frozen) {
    }

    /**
     * Per-class accuracy (recall) of each run and its difference from the first run.
     *
     * @param className the class
     * @param support validation images of this class in the first run that has predictions
     * @param accuracy per run (NaN when the run has no predictions or no image of the class)
     * @param deltaVsFirst per run, its accuracy minus the first run's (0 for the first)
     */
    public record ClassRow(String className, int support, List<Double> accuracy, List<Double> deltaVsFirst) {
    }

    /**
     * McNemar's test of two runs on the validation images both have.
     *
     * @param test the test (aOnly: right in A and wrong in B)
     * @param shared images both runs were validated on
     * @param onlyA images only A was validated on
     * @param onlyB images only B was validated on
     * @param accuracyA A's accuracy on the shared images
     * @param accuracyB B's accuracy on the shared images
     */
    public record PairedTest(McNemar test, int shared, int onlyA, int onlyB, double accuracyA, double accuracyB) {
    }

    /**
     * An image right in one run and wrong in the other.
     *
     * @param file the path relative to the dataset folder
     * @param image the image file, or {@code null} when the dataset folder is unknown
     * @param truth the true class
     * @param predictedA what A predicted (its true class)
     * @param probabilityA A's probability for its prediction (NaN if not recorded)
     * @param predictedB what B predicted
     * @param probabilityB B's probability for its prediction
     */
    public record Flip(String file, Path image, String truth, String predictedA, double probabilityA, String predictedB,
            double probabilityB) {
    }

    private final List<RunStore.RunInfo> runs;
    private final List<ValPredictions> predictions;
    private final ValPredictions.Epoch epoch;
    // Read once, when the comparison is made (in the background): each run's freeze plan (null when
    // unknown) and the node paths of its layer tree.
    private final List<FreezePlan> plans = new ArrayList<>();
    private final List<Set<String>> treePaths = new ArrayList<>();

    private RunComparison(List<RunStore.RunInfo> runs, List<ValPredictions> predictions, ValPredictions.Epoch epoch) {
        this.runs = List.copyOf(runs);
        this.predictions = predictions;
        this.epoch = epoch;
        for (RunStore.RunInfo r : this.runs) {
            readTree(r);
        }
    }

    /** Compares the runs' best-epoch (saved model) predictions. */
    public static RunComparison of(List<RunStore.RunInfo> runs) {
        return of(runs, ValPredictions.Epoch.BEST);
    }

    /**
     * Compares {@code runs} (at least 2) on {@code which} epoch's predictions (the final epoch's
     * fall back to the best epoch's for runs made before both were kept).
     */
    public static RunComparison of(List<RunStore.RunInfo> runs, ValPredictions.Epoch which) {
        if (runs == null || runs.size() < 2) {
            throw new IllegalArgumentException("A comparison needs at least 2 runs");
        }
        List<ValPredictions> preds = new ArrayList<>();
        for (RunStore.RunInfo r : runs) {
            Optional<ValPredictions> p = ValPredictions.read(r.folder(), which);
            if (p.isEmpty() && which == ValPredictions.Epoch.LAST) {
                p = ValPredictions.read(r.folder(), ValPredictions.Epoch.BEST);
            }
            preds.add(p.orElse(null));
        }
        return new RunComparison(runs, preds, which);
    }

    public List<RunStore.RunInfo> runs() {
        return runs;
    }

    public ValPredictions.Epoch epoch() {
        return epoch;
    }

    /** Run {@code i}'s predictions, empty when it has none (it failed before its first epoch). */
    public Optional<ValPredictions> predictions(int i) {
        return Optional.ofNullable(predictions.get(i));
    }

    /** One row per run. */
    public List<Metrics> metrics() {
        List<Metrics> out = new ArrayList<>();
        for (RunStore.RunInfo r : runs) {
            RunSummary s = r.summary();
            String strategy = s != null ? s.strategy() : r.spec() != null ? r.spec().strategy().cliName() : null;
            if (s == null) {
                out.add(new Metrics(r.id(), r.displayName(), strategy, r.state(), Double.NaN, Double.NaN, 0, Double.NaN, Double.NaN,
                        Double.NaN, 0, 0));
            } else {
                out.add(new Metrics(r.id(), r.displayName(), strategy, r.state(), s.valAcc(), s.bestValAcc(), s.bestEpoch(),
                        s.valLoss(), s.wallSeconds(), s.trainImagesPerSecond(), s.trainableParams(), s.totalParams()));
            }
        }
        return out;
    }

    /** The settings that differ between the runs' specs (only those). */
    public List<ConfigDiff.Row> configDiff() {
        List<Object> specs = new ArrayList<>();
        for (RunStore.RunInfo r : runs) {
            specs.add(r.spec() == null ? new JsonObject() : Json.COMPACT.toJsonTree(r.spec()));
        }
        return ConfigDiff.of(specs);
    }

    /** The nodes frozen in some runs and not in others, in tree order. */
    public List<FreezeRow> freezeDiff() {
        Set<String> all = new LinkedHashSet<>();
        treePaths.forEach(all::addAll);
        List<FreezeRow> out = new ArrayList<>();
        for (String path : all) {
            List<Boolean> frozen = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                FreezePlan p = plans.get(i);
                frozen.add(!treePaths.get(i).contains(path) || p == null ? null : p.isFrozen(path));
            }
            if (frozen.stream().filter(Objects::nonNull).distinct().count() > 1) {
                out.add(new FreezeRow(path, frozen));
            }
        }
        return out;
    }

    /** How a node trains in one run. */
    public enum FreezeState {
        /** The node and everything under it is frozen. */
        FROZEN,
        /** Some of the nodes under it are frozen, others train. */
        PARTLY,
        /** Nothing in it is frozen. */
        TRAINABLE
    }

    /** How node {@code path} trains in run {@code run} (TRAINABLE when the run's plan is unknown). */
    public FreezeState freezeState(int run, String path) {
        FreezePlan p = plans.get(run);
        if (p == null) {
            return FreezeState.TRAINABLE;
        }
        if (p.isFrozen(path)) {
            return FreezeState.FROZEN;
        }
        for (String f : p.frozen()) {
            if (FreezePlan.covers(path, f)) {
                return FreezeState.PARTLY;
            }
        }
        return FreezeState.TRAINABLE;
    }

    /**
     * {@link #freezeDiff()} without the rows that add nothing to their parent's row: a child is left
     * out when its parent's row has the same values and the parent is wholly frozen or wholly
     * trainable in every run (the short list to print).
     */
    public List<FreezeRow> freezeDiffTopmost() {
        List<FreezeRow> rows = freezeDiff();
        Map<String, List<Boolean>> byPath = new LinkedHashMap<>();
        rows.forEach(r -> byPath.put(r.path(), r.frozen()));
        List<FreezeRow> out = new ArrayList<>();
        for (FreezeRow r : rows) {
            int dot = r.path().lastIndexOf('.');
            String parent = dot < 0 ? null : r.path().substring(0, dot);
            boolean parentSays = parent != null && r.frozen().equals(byPath.get(parent));
            if (parentSays) {
                for (int i = 0; i < runs.size(); i++) {
                    if (freezeState(i, parent) == FreezeState.PARTLY) {
                        parentSays = false;
                        break;
                    }
                }
            }
            if (!parentSays) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * Reads run {@code r}'s freeze plan (from its spec, else its {@code tree.json}) and its tree's node
     * paths (the plan's own paths when the tree is missing or unreadable) into the fields.
     */
    private void readTree(RunStore.RunInfo r) {
        RunSpec spec = r.spec();
        FreezePlan plan = spec != null ? spec.freezePlan() : null;
        Set<String> paths = new LinkedHashSet<>();
        Path tree = r.folder().file(RunFolder.TREE);
        if (Files.isRegularFile(tree)) {
            try {
                JsonObject o = Json.read(tree, JsonObject.class);
                if (plan == null && o.has("plan")) {
                    plan = Json.COMPACT.fromJson(o.get("plan"), FreezePlan.class);
                }
                JsonElement t = o.get("tree");
                if (t != null && t.isJsonObject() && t.getAsJsonObject().has("root")) {
                    walk(t.getAsJsonObject().get("root"), paths);
                }
            } catch (RuntimeException e) {
                // an unreadable tree: the plan's own paths are used
            }
        }
        if (paths.isEmpty() && plan != null) {
            paths.addAll(plan.frozen());
        }
        plans.add(plan);
        treePaths.add(paths);
    }

    private static void walk(JsonElement node, Set<String> out) {
        if (node == null || !node.isJsonObject()) {
            return;
        }
        JsonObject n = node.getAsJsonObject();
        if (n.has("path") && !n.get("path").getAsString().isEmpty()) {
            out.add(n.get("path").getAsString());
        }
        if (n.has("children") && n.get("children").isJsonArray()) {
            JsonArray children = n.getAsJsonArray("children");
            for (JsonElement c : children) {
                walk(c, out);
            }
        }
    }

    /** Per class, each run's accuracy on it and the difference from the first run. */
    public List<ClassRow> perClassAccuracy() {
        List<String> classes = new ArrayList<>();
        for (ValPredictions p : predictions) {
            if (p != null) {
                for (String c : p.classes()) {
                    if (!classes.contains(c)) {
                        classes.add(c);
                    }
                }
            }
        }
        List<ConfusionMatrix> matrices = confusions();
        List<ClassRow> out = new ArrayList<>();
        for (String c : classes) {
            List<Double> acc = new ArrayList<>();
            int support = -1;
            for (int r = 0; r < predictions.size(); r++) {
                ValPredictions p = predictions.get(r);
                int idx = p == null ? -1 : p.classes().indexOf(c);
                if (idx < 0) {
                    acc.add(Double.NaN);
                    continue;
                }
                ConfusionMatrix m = matrices.get(r);
                if (support < 0) {
                    support = m.support(idx);
                }
                acc.add(m.recall(idx));
            }
            List<Double> delta = new ArrayList<>();
            for (Double a : acc) {
                delta.add(a - acc.get(0));
            }
            out.add(new ClassRow(c, Math.max(0, support), acc, delta));
        }
        return out;
    }

    /** One confusion matrix per run, in run order; an entry is {@code null} for a run without predictions. */
    public List<ConfusionMatrix> confusions() {
        List<ConfusionMatrix> out = new ArrayList<>();
        for (ValPredictions p : predictions) {
            out.add(p == null ? null : p.confusion());
        }
        return out;
    }

    /** True when every run was validated on the same images (same files, same labels). */
    public boolean sameSplit() {
        Map<String, String> first = null;
        for (ValPredictions p : predictions) {
            if (p == null) {
                return false;
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (ValPredictions.Row r : p.rows()) {
                m.put(r.file(), p.classes().get(r.truth()));
            }
            if (first == null) {
                first = m;
            } else if (!first.equals(m)) {
                return false;
            }
        }
        return true;
    }

    /** A sentence saying whether the runs share a validation set, and what that means. */
    public String splitNote() {
        if (sameSplit()) {
            return "All runs were validated on the same " + predictions.get(0).rows().size() + " images.";
        }
        for (int i = 0; i < predictions.size(); i++) {
            if (predictions.get(i) == null) {
                return "Run " + runs.get(i).displayName() + " has no validation predictions; paired tests leave it out.";
            }
        }
        return "The runs were NOT validated on the same images: their accuracies are not directly comparable; "
                + "paired tests use only the images they share.";
    }

    /**
     * McNemar's test of runs {@code a} and {@code b} on the validation images both have (matched
     * by file; an image whose true label differs between them is left out).
     *
     * @throws IllegalArgumentException when a run has no predictions
     */
    public PairedTest mcnemar(int a, int b) {
        ValPredictions pa = require(a);
        ValPredictions pb = require(b);
        Map<String, ValPredictions.Row> rb = pb.byFile();
        int aOnly = 0;
        int bOnly = 0;
        int shared = 0;
        int rightA = 0;
        int rightB = 0;
        for (ValPredictions.Row r : pa.rows()) {
            ValPredictions.Row o = rb.get(r.file());
            if (o == null || !pa.classes().get(r.truth()).equals(pb.classes().get(o.truth()))) {
                continue;
            }
            shared++;
            rightA += r.correct() ? 1 : 0;
            rightB += o.correct() ? 1 : 0;
            if (r.correct() && !o.correct()) {
                aOnly++;
            } else if (!r.correct() && o.correct()) {
                bOnly++;
            }
        }
        Set<String> fa = pa.byFile().keySet();
        int onlyA = (int) fa.stream().filter(f -> !rb.containsKey(f)).count();
        int onlyB = (int) rb.keySet().stream().filter(f -> !fa.contains(f)).count();
        return new PairedTest(McNemar.of(aOnly, bOnly), shared, onlyA, onlyB, shared == 0 ? Double.NaN : (double) rightA / shared,
                shared == 0 ? Double.NaN : (double) rightB / shared);
    }

    /** The images run {@code a} got right and run {@code b} got wrong, in {@code a}'s validation order. */
    public List<Flip> flipped(int a, int b) {
        ValPredictions pa = require(a);
        ValPredictions pb = require(b);
        Map<String, ValPredictions.Row> rb = pb.byFile();
        List<Flip> out = new ArrayList<>();
        for (ValPredictions.Row r : pa.rows()) {
            ValPredictions.Row o = rb.get(r.file());
            if (o != null && r.correct() && !o.correct()) {
                Path root = pa.dataRoot();
                out.add(new Flip(r.file(), root == null ? null : r.resolve(root), pa.classes().get(r.truth()),
                        pa.classes().get(r.predicted()), r.probability(), pb.classes().get(o.predicted()), o.probability()));
            }
        }
        return out;
    }

    private ValPredictions require(int i) {
        if (i < 0 || i >= runs.size()) {
            throw new IllegalArgumentException("No run " + i + " in this comparison of " + runs.size());
        }
        ValPredictions p = predictions.get(i);
        if (p == null) {
            throw new IllegalArgumentException("The run " + runs.get(i).id() + " has no validation predictions ("
                    + RunFolder.PREDICTIONS + "): it stopped before its first epoch ended");
        }
        return p;
    }
}
