package dev.thaw.ui.backbone;

import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.LayerNode;
import dev.thaw.core.model.LayerTree;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;

/**
 * One row of the layer tree: the node, and its tick state under the current freeze plan. The state
 * is set by {@link LayerTreeViewModel} whenever the plan changes; a row never changes it itself.
 */
public final class LayerNodeViewModel {

    private final LayerNode node;
    private final List<LayerNodeViewModel> children;
    private final boolean head;
    private final ReadOnlyBooleanWrapper frozen = new ReadOnlyBooleanWrapper(this, "frozen");
    private final ReadOnlyBooleanWrapper partlyFrozen = new ReadOnlyBooleanWrapper(this, "partlyFrozen");
    private final ReadOnlyLongWrapper trainableParams = new ReadOnlyLongWrapper(this, "trainableParams");
    private final ReadOnlyBooleanWrapper changedFromCompared = new ReadOnlyBooleanWrapper(this, "changedFromCompared");

    LayerNodeViewModel(LayerNode node, boolean head) {
        this.node = node;
        this.head = head;
        List<LayerNodeViewModel> kids = new ArrayList<>();
        for (LayerNode c : node.children()) {
            kids.add(new LayerNodeViewModel(c, head || FreezePlan.covers(LayerTree.HEAD, c.path())));
        }
        this.children = Collections.unmodifiableList(kids);
    }

    public LayerNode node() {
        return node;
    }

    public List<LayerNodeViewModel> children() {
        return children;
    }

    /** The display name: the last path segment, or the model's name at the root. */
    public String name() {
        return node.name();
    }

    /** True for the new head (and its layers): it always trains, so its box cannot be ticked. */
    public boolean isHead() {
        return head;
    }

    /** True when the box cannot change: the format cannot train the node, or it is the head. */
    public boolean isLocked() {
        return !node.trainable() || head;
    }

    /** Why the box cannot change, for its tooltip, or {@code null}. */
    public String lockReason() {
        if (!node.trainable()) {
            return node.lockReason();
        }
        return head ? "The new head always trains" : null;
    }

    /** Ticked: this node and everything under it is frozen. */
    public ReadOnlyBooleanProperty frozenProperty() {
        return frozen.getReadOnlyProperty();
    }

    public boolean isFrozen() {
        return frozen.get();
    }

    /** Some, not all, of the subtree is frozen (the box shows a dash). */
    public ReadOnlyBooleanProperty partlyFrozenProperty() {
        return partlyFrozen.getReadOnlyProperty();
    }

    public boolean isPartlyFrozen() {
        return partlyFrozen.get();
    }

    public ReadOnlyLongProperty trainableParamsProperty() {
        return trainableParams.getReadOnlyProperty();
    }

    /** True when a compared run freezes this node differently (painted on the tree when comparing). */
    public ReadOnlyBooleanProperty changedFromComparedProperty() {
        return changedFromCompared.getReadOnlyProperty();
    }

    void set(boolean frozenNow, boolean partly, long trainable) {
        frozen.set(frozenNow);
        partlyFrozen.set(partly);
        trainableParams.set(trainable);
    }

    void setChangedFromCompared(boolean changed) {
        changedFromCompared.set(changed);
    }

    /** "1.2 M", "48.3 k", "512". */
    public static String formatCount(long n) {
        return dev.thaw.ui.common.Format.count(n);
    }

    /** "[64, 16, 16]" or "" when unknown. */
    public String shapeText() {
        return node.outputShape().isEmpty() ? "" : node.outputShape().toString();
    }
}
