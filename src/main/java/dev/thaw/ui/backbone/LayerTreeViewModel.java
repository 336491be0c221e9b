package dev.thaw.ui.backbone;

import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.LayerNode;
import dev.thaw.core.model.LayerTree;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;

/**
 * The layer tree with ticks. The {@link FreezePlan} is the single source of truth: ticking a row
 * edits the plan (ticking a parent freezes its whole subtree, unticking one layer inside a frozen
 * stage keeps its siblings frozen), and every row's tick, dash and trainable count are derived
 * from the plan. What the engine receives is exactly {@link #planProperty()}.
 */
public final class LayerTreeViewModel {

    /** The presets of the menu. */
    public enum Preset {
        HEAD_ONLY("Head only (feature extraction)"),
        LAST_STAGE("Last stage + head"),
        LAST_TWO_STAGES("Last 2 stages + head"),
        ALL("All layers trainable"),
        BATCHNORM_ONLY("BatchNorm layers + head");

        private final String label;

        Preset(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final ObjectProperty<LayerTree> tree = new SimpleObjectProperty<>(this, "tree");
    private final ObjectProperty<FreezePlan> plan = new SimpleObjectProperty<>(this, "plan", FreezePlan.NONE);
    private final ObjectProperty<FreezePlan> comparedPlan = new SimpleObjectProperty<>(this, "comparedPlan");
    private final ReadOnlyObjectWrapper<LayerNodeViewModel> root = new ReadOnlyObjectWrapper<>(this, "root");
    private final ReadOnlyLongWrapper trainableParams = new ReadOnlyLongWrapper(this, "trainableParams");
    private final ReadOnlyLongWrapper totalParams = new ReadOnlyLongWrapper(this, "totalParams");
    private final Map<String, LayerNodeViewModel> byPath = new HashMap<>();

    public LayerTreeViewModel() {
        tree.addListener((o, a, t) -> rebuild(t));
        plan.addListener((o, a, p) -> refresh());
        comparedPlan.addListener((o, a, p) -> refresh());
    }

    private void rebuild(LayerTree t) {
        byPath.clear();
        if (t == null) {
            root.set(null);
            totalParams.set(0);
            trainableParams.set(0);
            return;
        }
        LayerNodeViewModel r = new LayerNodeViewModel(t.root(), false);
        index(r);
        root.set(r);
        totalParams.set(t.totalParams());
        FreezePlan honoured = t.withLockedFrozen(plan.get());
        if (!honoured.equals(plan.get())) {
            plan.set(honoured);
        } else {
            refresh();
        }
    }

    private void index(LayerNodeViewModel vm) {
        byPath.put(vm.node().path(), vm);
        for (LayerNodeViewModel c : vm.children()) {
            index(c);
        }
    }

    /** Recomputes every row from the plan. */
    private void refresh() {
        LayerTree t = tree.get();
        LayerNodeViewModel r = root.get();
        if (t == null || r == null) {
            return;
        }
        FreezePlan p = plan.get();
        FreezePlan other = comparedPlan.get();
        update(r, p, other);
        trainableParams.set(t.trainableParams(p));
    }

    /** Returns [frozen leaves, leaves] of the subtree, setting each row on the way. */
    private int[] update(LayerNodeViewModel vm, FreezePlan p, FreezePlan other) {
        LayerNode n = vm.node();
        vm.setChangedFromCompared(other != null && p.isFrozen(n.path()) != other.isFrozen(n.path()));
        if (n.isLeaf()) {
            boolean f = p.isFrozen(n.path());
            vm.set(f, false, LayerTree.trainableParams(n, p));
            return new int[] {f ? 1 : 0, 1};
        }
        int frozenLeaves = 0;
        int leaves = 0;
        for (LayerNodeViewModel c : vm.children()) {
            int[] r = update(c, p, other);
            frozenLeaves += r[0];
            leaves += r[1];
        }
        boolean all = p.isFrozen(n.path()) || (leaves > 0 && frozenLeaves == leaves);
        vm.set(all, !all && frozenLeaves > 0, LayerTree.trainableParams(n, p));
        return new int[] {frozenLeaves, leaves};
    }

    /** Ticks ({@code frozen = true}) or unticks a row; locked rows and the head ignore it. */
    public void setFrozen(String path, boolean frozen) {
        LayerTree t = tree.get();
        LayerNodeViewModel vm = byPath.get(path);
        if (t == null || vm == null || vm.isLocked()) {
            return;
        }
        FreezePlan next = frozen ? t.freeze(plan.get(), path) : t.unfreeze(plan.get(), path);
        if (frozen && path.isEmpty()) {
            // ticking the whole model freezes everything but the head, which always trains
            next = t.unfreeze(next, LayerTree.HEAD);
        }
        plan.set(t.withLockedFrozen(next));
    }

    /** Flips a row (what a click on its box does). */
    public void toggle(String path) {
        LayerNodeViewModel vm = byPath.get(path);
        if (vm != null) {
            setFrozen(path, !(vm.isFrozen()));
        }
    }

    public void applyPreset(Preset preset) {
        LayerTree t = tree.get();
        if (t == null) {
            return;
        }
        FreezePlan p = switch (preset) {
            case HEAD_ONLY -> t.headOnly();
            case LAST_STAGE -> t.lastStages(1);
            case LAST_TWO_STAGES -> t.lastStages(2);
            case ALL -> t.allTrainable();
            case BATCHNORM_ONLY -> t.batchNormOnly();
        };
        plan.set(t.withLockedFrozen(p));
    }

    public Optional<LayerNodeViewModel> row(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    /** The model being shown; setting it rebuilds the rows and keeps the plan where it still applies. */
    public ObjectProperty<LayerTree> treeProperty() {
        return tree;
    }

    /** The freeze plan: what the boxes show and what the engine gets. */
    public ObjectProperty<FreezePlan> planProperty() {
        return plan;
    }

    /** Another run's plan to paint differences against, or {@code null}. */
    public ObjectProperty<FreezePlan> comparedPlanProperty() {
        return comparedPlan;
    }

    public ReadOnlyObjectProperty<LayerNodeViewModel> rootProperty() {
        return root.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty trainableParamsProperty() {
        return trainableParams.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty totalParamsProperty() {
        return totalParams.getReadOnlyProperty();
    }

    /** "Trainable 12.3 k of 1.20 M parameters (1.0 %)". */
    public StringBinding summary() {
        return Bindings.createStringBinding(() -> {
            long total = totalParams.get();
            if (total == 0) {
                return "No backbone loaded";
            }
            long tr = trainableParams.get();
            return String.format(java.util.Locale.ROOT, "Trainable %s of %s parameters (%.1f %%)",
                    LayerNodeViewModel.formatCount(tr), LayerNodeViewModel.formatCount(total), 100.0 * tr / total);
        }, trainableParams, totalParams);
    }

    /** What the plan amounts to, in words ("Feature extraction (backbone frozen)"). */
    public StringBinding planDescription() {
        return Bindings.createStringBinding(() -> tree.get() == null ? "" : tree.get().describe(plan.get()), tree, plan);
    }
}
