package dev.thaw.core.model;

import java.util.List;

/**
 * One node of a model's layer tree: the whole model, a stage, a block or a single layer.
 *
 * <p>Paths are dotted and start at the model: {@code backbone.layer4.0.conv1}, {@code head}. A
 * parameter named {@code layer4.0.conv1.weight} in a TorchScript backbone belongs to the node
 * {@code backbone.layer4.0.conv1}. Whether a node is frozen is not stored here: it follows from a
 * {@link FreezePlan} (see {@link LayerTree}).
 *
 * @param path dotted path, unique in the tree; {@code ""} for the root
 * @param name the last path segment, or the model name for the root
 * @param type what the node is ({@code Conv2d}, {@code BatchNorm2d}, {@code Linear}, {@code Sequential}, {@code stage} …)
 * @param parameterCount parameters in this node and its subtree
 * @param outputShape output shape per sample where known (e.g. {@code [64, 16, 16]}), else empty
 * @param batchNorm true for a BatchNorm layer (it has running statistics besides its parameters)
 * @param lockReason why this node cannot be trained (an ONNX backbone, say), or {@code null} if it can
 * @param children sub-nodes in model order
 * @param note what a user should know about how this node trains, beyond frozen or not (for
 *     example that a TorchScript backbone's BatchNorm statistics stay fixed while any of it is
 *     frozen), or {@code null}
 */
public record LayerNode(String path, String name, String type, long parameterCount, List<Long> outputShape,
        boolean batchNorm, String lockReason, List<LayerNode> children, String note) {

    public LayerNode {
        outputShape = outputShape == null ? List.of() : List.copyOf(outputShape);
        children = children == null ? List.of() : List.copyOf(children);
    }

    /** A node without a note (the original shape of this record). */
    public LayerNode(String path, String name, String type, long parameterCount, List<Long> outputShape,
            boolean batchNorm, String lockReason, List<LayerNode> children) {
        this(path, name, type, parameterCount, outputShape, batchNorm, lockReason, children, null);
    }

    /** True if the format allows training this node. */
    public boolean trainable() {
        return lockReason == null;
    }

    public boolean isLeaf() {
        return children.isEmpty();
    }

    /** The parent's path, or {@code null} for the root. */
    public String parent() {
        if (path.isEmpty()) {
            return null;
        }
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }
}
