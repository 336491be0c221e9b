package dev.thaw.core.backbone;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import dev.thaw.core.backbone.arch.BasicBlock;
import dev.thaw.core.backbone.arch.ConvBnRelu;
import dev.thaw.core.backbone.arch.FreezableBatchNorm;
import dev.thaw.core.backbone.arch.ResNetBackbone;
import dev.thaw.core.model.LayerNode;
import dev.thaw.core.model.LayerTree;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Builds {@link LayerTree}s: from DJL blocks (their children, with clean names), from dotted
 * parameter names (TorchScript's {@code layer4.0.conv1.weight}), and for the new head. Parameter
 * counts exclude BatchNorm running statistics, as PyTorch counts them.
 */
public final class LayerTrees {

    private static final Pattern CHILD_PREFIX = Pattern.compile("^\\d{2}");

    private LayerTrees() {
    }

    // DJL blocks ------------------------------------------------------------------------------

    /**
     * Visits {@code block} and its descendants, parents first, with the dotted path each has in
     * the tree. DJL names children {@code 01conv}; the number is dropped ({@code conv}), and the
     * children of a {@link SequentialBlock} are numbered from 0 as in PyTorch.
     */
    public static void visit(Block block, String path, BiConsumer<String, Block> visitor) {
        visitor.accept(path, block);
        List<String> names = childNames(block);
        int i = 0;
        for (Block child : block.getChildren().values()) {
            visit(child, join(path, names.get(i++)), visitor);
        }
    }

    private static List<String> childNames(Block block) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int i = 0;
        for (String raw : block.getChildren().keys()) {
            String name = block instanceof SequentialBlock ? String.valueOf(i) : CHILD_PREFIX.matcher(raw).replaceFirst("");
            if (name.isEmpty() || !seen.add(name)) {
                name = String.valueOf(i);
                seen.add(name);
            }
            out.add(name);
            i++;
        }
        return out;
    }

    /** Every parameter of {@code block} (running statistics included) with its tree path. */
    public static List<NamedParameter> parameters(Block block, String path) {
        List<NamedParameter> out = new ArrayList<>();
        visit(block, path, (p, b) -> {
            for (Parameter param : b.getDirectParameters().values()) {
                out.add(new NamedParameter(join(p, param.getName()), param));
            }
        });
        return out;
    }

    /**
     * The tree of an initialized DJL block. Output shapes are worked out for the block itself and
     * for children run one after another (the stages of a backbone, a sequential block).
     *
     * @param inputShape the shape of one input batch, e.g. {@code (1, 3, 64, 64)}
     */
    public static LayerNode fromBlock(Block block, String path, String name, Shape inputShape, String lockReason) {
        return fromBlock(block, path, name, inputShape, lockReason, true);
    }

    private static LayerNode fromBlock(Block block, String path, String name, Shape inputShape, String lockReason,
            boolean chainsChildren) {
        List<String> names = childNames(block);
        List<LayerNode> children = new ArrayList<>();
        boolean sequential = block instanceof SequentialBlock || block instanceof ResNetBackbone;
        Shape shape = sequential ? inputShape : null;
        int i = 0;
        for (Block child : block.getChildren().values()) {
            Shape childOut = null;
            if (shape != null) {
                try {
                    childOut = child.getOutputShapes(new Shape[] {shape})[0];
                } catch (RuntimeException e) {
                    childOut = null;
                }
            }
            children.add(fromBlock(child, join(path, names.get(i++)), names.get(i - 1), shape, lockReason, sequential));
            shape = childOut;
        }
        long own = 0;
        for (Parameter p : block.getDirectParameters().values()) {
            if (p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR) {
                own += p.isInitialized() ? p.getArray().size() : 0;
            }
        }
        long total = own + children.stream().mapToLong(LayerNode::parameterCount).sum();
        List<Long> out = List.of();
        if (inputShape != null && chainsChildren) {
            try {
                out = perSample(block.getOutputShapes(new Shape[] {inputShape})[0]);
            } catch (RuntimeException e) {
                out = List.of();
            }
        }
        return new LayerNode(path, name, typeOf(block), total, out, block instanceof FreezableBatchNorm, lockReason, children, null);
    }

    private static String typeOf(Block b) {
        if (b instanceof FreezableBatchNorm) {
            return "BatchNorm2d";
        }
        if (b instanceof Conv2d) {
            return "Conv2d";
        }
        if (b instanceof Linear) {
            return "Linear";
        }
        if (b instanceof SequentialBlock) {
            return "Sequential";
        }
        if (b instanceof BasicBlock) {
            return "BasicBlock";
        }
        if (b instanceof ConvBnRelu) {
            return "Conv-BN-ReLU";
        }
        if (b instanceof ResNetBackbone) {
            return "ResNet";
        }
        return b.getClass().getSimpleName();
    }

    // Dotted parameter names ------------------------------------------------------------------

    /**
     * A parameter known by its dotted name and shape.
     *
     * @param name dotted name, last segment the parameter ({@code layer1.0.conv1.weight})
     * @param shape its shape
     * @param typeHint the layer type when the format says it ({@code Conv2d} from an ONNX Conv), or {@code null}
     */
    public record NamedShape(String name, long[] shape, String typeHint) {
        long size() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** Sets notes on nodes of a tree built from names. */
    public interface NoteRule {
        /** The note for a node, or {@code null}. */
        String noteFor(String path, String type, boolean batchNorm);
    }

    /**
     * The tree of a module known by its parameter names, as TorchScript exposes them. Layer types
     * are inferred from shapes (a 4-D weight is a convolution, a 2-D one a linear layer, a 1-D
     * weight with a bias a normalization layer), since the names alone do not say.
     *
     * @param rootPath the path of the root node ({@code backbone})
     * @param outputShape the root's output shape per sample, if known
     * @param lockReason applied to every node, or {@code null}
     */
    public static LayerNode fromParameterNames(List<NamedShape> params, String rootPath, String rootName, String rootType,
            List<Long> outputShape, String lockReason, NoteRule notes) {
        Trie root = new Trie(rootPath, rootName);
        boolean hasConv = params.stream().anyMatch(p -> p.shape().length == 4);
        for (NamedShape p : params) {
            String[] seg = p.name().split("\\.");
            Trie t = root;
            for (int i = 0; i < seg.length - 1; i++) {
                t = t.child(seg[i]);
            }
            t.direct.add(new NamedShape(seg[seg.length - 1], p.shape(), p.typeHint()));
        }
        return root.toNode(rootType, outputShape, lockReason, notes, hasConv, true);
    }

    private static final class Trie {
        final String path;
        final String name;
        final Map<String, Trie> children = new LinkedHashMap<>();
        final List<NamedShape> direct = new ArrayList<>();

        Trie(String path, String name) {
            this.path = path;
            this.name = name;
        }

        Trie child(String seg) {
            return children.computeIfAbsent(seg, s -> new Trie(join(path, s), s));
        }

        LayerNode toNode(String forcedType, List<Long> outputShape, String lockReason, NoteRule notes, boolean hasConv,
                boolean isRoot) {
            List<LayerNode> kids = new ArrayList<>();
            for (Trie c : children.values()) {
                kids.add(c.toNode(null, List.of(), lockReason, notes, hasConv, false));
            }
            if (!children.isEmpty() || isRoot) {
                // A module with both its own parameters and sub-modules: its own parameters become
                // leaves, so every parameter sits in exactly one leaf a plan can tick.
                for (NamedShape p : direct) {
                    String type = "Parameter";
                    boolean bn = false;
                    String note = notes == null ? null : notes.noteFor(join(path, p.name()), type, bn);
                    kids.add(new LayerNode(join(path, p.name()), p.name(), type, p.size(), List.of(), bn, lockReason,
                            List.of(), note));
                }
                long total = kids.stream().mapToLong(LayerNode::parameterCount).sum();
                String type = forcedType != null ? forcedType : containerType();
                String note = notes == null ? null : notes.noteFor(path, type, false);
                return new LayerNode(path, name, type, total, outputShape, false, lockReason, kids, note);
            }
            long total = direct.stream().mapToLong(NamedShape::size).sum();
            String type = leafType(hasConv);
            boolean bn = type.startsWith("BatchNorm");
            String note = notes == null ? null : notes.noteFor(path, type, bn);
            return new LayerNode(path, name, type, total, outputShape, bn, lockReason, List.of(), note);
        }

        private String containerType() {
            boolean numbered = !children.isEmpty() && children.keySet().stream().allMatch(k -> k.chars().allMatch(Character::isDigit));
            if (numbered) {
                return "Sequential";
            }
            if (children.containsKey("conv1") && children.containsKey("conv3")) {
                return "Bottleneck";
            }
            if (children.containsKey("conv1") && children.containsKey("conv2")) {
                return "BasicBlock";
            }
            return "Module";
        }

        private String leafType(boolean hasConv) {
            NamedShape weight = direct.stream().filter(p -> p.name().equals("weight")).findFirst()
                    .orElse(direct.isEmpty() ? null : direct.get(0));
            if (weight == null) {
                return "Module";
            }
            if (weight.typeHint() != null && !weight.typeHint().isEmpty()) {
                return weight.typeHint();
            }
            return switch (weight.shape().length) {
                case 5 -> "Conv3d";
                case 4 -> "Conv2d";
                case 3 -> "Conv1d";
                case 2 -> "Linear";
                case 1 -> hasConv ? "BatchNorm2d" : "LayerNorm";
                default -> "Parameter";
            };
        }
    }

    // Head and model --------------------------------------------------------------------------

    /** The new classifier: one linear layer from the features to the classes. */
    public static LayerNode head(int featureDim, int numClasses) {
        long params = numClasses <= 0 ? 0 : (long) (featureDim + 1) * numClasses;
        return new LayerNode(LayerTree.HEAD, LayerTree.HEAD, "Linear", params,
                numClasses <= 0 ? List.of() : List.of((long) numClasses), false, null, List.of(),
                "New classifier: " + featureDim + " features to " + (numClasses <= 0 ? "the dataset's" : numClasses) + " classes");
    }

    /** The whole model: the backbone and the head under one root. */
    public static LayerTree model(String name, LayerNode backbone, LayerNode head) {
        LayerNode root = new LayerNode("", name, "Model", backbone.parameterCount() + head.parameterCount(), head.outputShape(),
                false, null, List.of(backbone, head), null);
        return new LayerTree(root);
    }

    /** Drops the batch dimension: {@code (1, 64, 16, 16)} becomes {@code [64, 16, 16]}. */
    public static List<Long> perSample(Shape s) {
        List<Long> out = new ArrayList<>();
        for (int i = 1; i < s.dimension(); i++) {
            out.add(s.get(i));
        }
        return out;
    }

    static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
