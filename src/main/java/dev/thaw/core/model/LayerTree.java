package dev.thaw.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A model's layer tree: a root whose children are {@value #BACKBONE} (its children are the
 * backbone's stages, in order) and {@value #HEAD} (the new classifier). Answers the questions the
 * tree view and the engine ask of a {@link FreezePlan}, and makes the presets.
 */
public record LayerTree(LayerNode root) {

    public static final String BACKBONE = "backbone";
    public static final String HEAD = "head";

    /** The node at {@code path}, if any. */
    public Optional<LayerNode> find(String path) {
        return find(root, path);
    }

    private static Optional<LayerNode> find(LayerNode node, String path) {
        if (node.path().equals(path)) {
            return Optional.of(node);
        }
        for (LayerNode c : node.children()) {
            if (FreezePlan.covers(c.path(), path)) {
                return find(c, path);
            }
        }
        return Optional.empty();
    }

    public Optional<LayerNode> backbone() {
        return find(BACKBONE);
    }

    /** The backbone's stages (its direct children), in model order. */
    public List<LayerNode> stages() {
        return backbone().map(LayerNode::children).orElse(List.of());
    }

    public long totalParams() {
        return root.parameterCount();
    }

    /** Parameters that train under {@code plan}: leaves not frozen and not locked by the format. */
    public long trainableParams(FreezePlan plan) {
        return trainableParams(root, plan);
    }

    /** As {@link #trainableParams(FreezePlan)} for the subtree at {@code node}. */
    public static long trainableParams(LayerNode node, FreezePlan plan) {
        if (plan.isFrozen(node.path()) || !node.trainable()) {
            return 0;
        }
        if (node.isLeaf()) {
            return node.parameterCount();
        }
        long own = node.parameterCount() - node.children().stream().mapToLong(LayerNode::parameterCount).sum();
        return Math.max(0, own) + node.children().stream().mapToLong(c -> trainableParams(c, plan)).sum();
    }

    /** Every node, depth first, parents before children. */
    public void forEach(Consumer<LayerNode> action) {
        walk(root, action);
    }

    private static void walk(LayerNode n, Consumer<LayerNode> action) {
        action.accept(n);
        n.children().forEach(c -> walk(c, action));
    }

    /** Leaves under the backbone. */
    public List<LayerNode> backboneLeaves() {
        List<LayerNode> out = new ArrayList<>();
        backbone().ifPresent(b -> walk(b, n -> {
            if (n.isLeaf()) {
                out.add(n);
            }
        }));
        return out;
    }

    // Editing a plan ---------------------------------------------------------------------------

    /** {@code plan} with the subtree at {@code path} frozen as well. */
    public FreezePlan freeze(FreezePlan plan, String path) {
        TreeSet<String> frozen = new TreeSet<>(plan.frozen());
        frozen.add(path);
        return canonical(new FreezePlan(frozen));
    }

    /**
     * The same plan written the one way the tree allows: a node whose children are all frozen
     * (and which has no parameters of its own) is named instead of its children. Two plans that
     * freeze the same parameters are then equal.
     */
    public FreezePlan canonical(FreezePlan plan) {
        TreeSet<String> out = new TreeSet<>();
        collect(root, plan, out);
        return new FreezePlan(out);
    }

    /** Adds the canonical frozen paths of the subtree; returns true if the whole subtree is frozen. */
    private static boolean collect(LayerNode node, FreezePlan plan, TreeSet<String> out) {
        if (plan.isFrozen(node.path())) {
            out.add(node.path());
            return true;
        }
        if (node.isLeaf()) {
            return false;
        }
        TreeSet<String> inner = new TreeSet<>();
        boolean all = true;
        for (LayerNode c : node.children()) {
            all &= collect(c, plan, inner);
        }
        long childParams = node.children().stream().mapToLong(LayerNode::parameterCount).sum();
        if (all && childParams == node.parameterCount() && !node.path().isEmpty()) {
            out.add(node.path());
            return true;
        }
        out.addAll(inner);
        return false;
    }

    /**
     * {@code plan} with the subtree at {@code path} trainable. A frozen ancestor is split into its
     * other children, so everything else stays as it was.
     */
    public FreezePlan unfreeze(FreezePlan plan, String path) {
        TreeSet<String> frozen = new TreeSet<>();
        for (String f : plan.frozen()) {
            if (FreezePlan.covers(path, f)) {
                continue; // path itself or inside it: now trainable
            }
            if (FreezePlan.covers(f, path)) {
                find(f).ifPresent(node -> splitAround(node, path, frozen));
            } else {
                frozen.add(f);
            }
        }
        return canonical(new FreezePlan(frozen));
    }

    private static void splitAround(LayerNode node, String path, TreeSet<String> out) {
        for (LayerNode c : node.children()) {
            if (c.path().equals(path)) {
                continue;
            }
            if (FreezePlan.covers(c.path(), path)) {
                splitAround(c, path, out);
            } else {
                out.add(c.path());
            }
        }
    }

    /**
     * The plan the tree can actually honour: nodes the format cannot train (an ONNX backbone) are
     * always frozen.
     */
    public FreezePlan withLockedFrozen(FreezePlan plan) {
        TreeSet<String> frozen = new TreeSet<>(plan.frozen());
        forEach(n -> {
            if (!n.trainable() && (n.parent() == null || find(n.parent()).map(LayerNode::trainable).orElse(true))) {
                frozen.add(n.path());
            }
        });
        return canonical(new FreezePlan(frozen));
    }

    // Presets ---------------------------------------------------------------------------------

    /** Feature extraction: the whole backbone frozen, only the head trains. */
    public FreezePlan headOnly() {
        return FreezePlan.of(BACKBONE);
    }

    /** Everything trains. */
    public FreezePlan allTrainable() {
        return FreezePlan.NONE;
    }

    /** The last {@code n} backbone stages and the head train; earlier stages are frozen. */
    public FreezePlan lastStages(int n) {
        List<LayerNode> stages = stages().stream().filter(s -> s.parameterCount() > 0).toList();
        TreeSet<String> frozen = new TreeSet<>();
        for (int i = 0; i < stages.size() - Math.max(0, n); i++) {
            frozen.add(stages.get(i).path());
        }
        return canonical(new FreezePlan(frozen));
    }

    /** Only BatchNorm layers (their scale and shift) and the head train; all other backbone layers are frozen. */
    public FreezePlan batchNormOnly() {
        TreeSet<String> frozen = new TreeSet<>();
        for (LayerNode leaf : backboneLeaves()) {
            if (!leaf.batchNorm() && leaf.parameterCount() > 0) {
                frozen.add(leaf.path());
            }
        }
        return canonical(new FreezePlan(frozen));
    }

    /**
     * A short description of what {@code plan} does to this model: "feature extraction (backbone
     * frozen)", "full fine-tuning", "fine-tuning the last 2 of 4 stages", and so on.
     */
    public String describe(FreezePlan plan) {
        plan = canonical(plan);
        if (plan.isFrozen(BACKBONE)) {
            return "Feature extraction (backbone frozen)";
        }
        if (plan.frozen().isEmpty()) {
            return "Full fine-tuning (nothing frozen)";
        }
        if (plan.equals(batchNormOnly())) {
            return "BatchNorm-only fine-tuning";
        }
        List<LayerNode> stages = stages().stream().filter(s -> s.parameterCount() > 0).toList();
        for (int n = 1; n < stages.size(); n++) {
            if (plan.equals(lastStages(n))) {
                return "Fine-tuning the last " + n + " of " + stages.size() + " stages";
            }
        }
        return "Custom fine-tuning (" + plan.frozen().size() + " frozen " + (plan.frozen().size() == 1 ? "node" : "nodes") + ")";
    }
}
