package dev.thaw.core.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import dev.thaw.core.model.LayerNode;
import dev.thaw.core.model.LayerTree;
import dev.thaw.core.runtime.EngineRuntime;
import dev.thaw.core.util.Digests;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An ONNX backbone run by ONNX Runtime: a frozen feature extractor. ONNX Runtime from Maven Central
 * has no training build and DJL cannot train ONNX graphs, so the whole tree is locked with that
 * reason; feature extraction is what it does (and does fast).
 */
final class OnnxBackbone implements Backbone {

    static final String LOCK_REASON = "ONNX models run in ONNX Runtime, which cannot train them here: "
            + "this backbone is a frozen feature extractor (fine-tune its TorchScript form instead)";

    private final ZooModel<NDList, NDList> model;
    private final Path file;
    private final OnnxModelInfo info;
    private BackboneMetadata metadata;
    private String digest;
    private final ParameterStore store;
    private final int fixedBatch;

    /**
     * @param fixedBatch the batch size the graph was exported with when it is fixed (often 1), else 0
     */
    OnnxBackbone(ZooModel<NDList, NDList> model, Path file, OnnxModelInfo info, BackboneMetadata metadata, int fixedBatch) {
        this.model = model;
        this.fixedBatch = fixedBatch;
        this.file = file;
        this.info = info;
        this.metadata = metadata;
        this.store = new ParameterStore(model.getNDManager(), false);
    }

    void setMetadata(BackboneMetadata m) {
        this.metadata = m;
    }

    @Override
    public BackboneMetadata metadata() {
        return metadata;
    }

    @Override
    public LayerNode backboneNode() {
        return tree(info, metadata.name(), metadata.featureDim());
    }

    /** The layer tree of an ONNX graph, grouped by the module scopes PyTorch writes into node names. */
    static LayerNode tree(OnnxModelInfo info, String name, int featureDim) {
        List<LayerTrees.NamedShape> params = new ArrayList<>();
        int unnamed = 0;
        for (OnnxModelInfo.Initializer i : info.initializers()) {
            String module = modulePath(i.nodeName());
            String role = i.dims().length > 1 ? "weight" : "bias";
            if (module == null && i.name().contains(".")) {
                params.add(new LayerTrees.NamedShape(i.name(), i.dims(), typeOf(i.opType())));
                continue;
            }
            if (module == null) {
                module = (i.opType().isEmpty() ? "tensor" : i.opType()) + "_" + unnamed++;
            }
            params.add(new LayerTrees.NamedShape(module + "." + role, i.dims(), typeOf(i.opType())));
        }
        return LayerTrees.fromParameterNames(params, LayerTree.BACKBONE, name, "ONNX",
                featureDim > 0 ? List.of((long) featureDim) : List.of(), LOCK_REASON,
                (path, type, bn) -> type.equals("Conv2d") ? "BatchNorm may be folded into this convolution by the exporter" : null);
    }

    /**
     * {@code /layer1/layer1.0/conv1/Conv} becomes {@code layer1.0.conv1}, and
     * {@code /layer2/layer2.0/downsample/downsample.0/Conv} becomes {@code layer2.0.downsample.0}:
     * PyTorch names a scope by its attribute, and a container's numbered child by the container's
     * scope name, a dot and the number; the last segment is the operator.
     */
    static String modulePath(String nodeName) {
        if (nodeName == null || !nodeName.startsWith("/")) {
            return null;
        }
        String[] seg = nodeName.substring(1).split("/");
        if (seg.length < 2) {
            return null;
        }
        String path = "";
        String previous = null;
        for (int i = 0; i < seg.length - 1; i++) {
            String s = seg[i];
            if (s.isEmpty()) {
                continue;
            }
            if (previous != null && s.startsWith(previous + ".")) {
                path = path + s.substring(previous.length());
            } else {
                path = path.isEmpty() ? s : path + "." + s;
            }
            previous = s;
        }
        return path.isEmpty() ? null : path;
    }

    private static String typeOf(String op) {
        return switch (op) {
            case "Conv" -> "Conv2d";
            case "Gemm", "MatMul" -> "Linear";
            case "BatchNormalization" -> "BatchNorm2d";
            default -> op.isEmpty() ? null : op;
        };
    }

    OnnxModelInfo info() {
        return info;
    }

    @Override
    public synchronized String weightsDigest() {
        if (digest == null) {
            digest = Digests.sha256(file);
        }
        return digest;
    }

    @Override
    public float[] embed(float[] chw, int count) {
        if (fixedBatch <= 0 || fixedBatch == count) {
            return embedBatch(chw, count);
        }
        // A graph exported without a dynamic batch axis: feed it its own batch size, padding the last chunk.
        int per = chw.length / count;
        float[] out = null;
        int dim = 0;
        for (int from = 0; from < count; from += fixedBatch) {
            int n = Math.min(fixedBatch, count - from);
            float[] chunk = new float[fixedBatch * per];
            System.arraycopy(chw, from * per, chunk, 0, n * per);
            float[] f = embedBatch(chunk, fixedBatch);
            if (out == null) {
                dim = f.length / fixedBatch;
                out = new float[count * dim];
            }
            System.arraycopy(f, 0, out, from * dim, n * dim);
        }
        return out;
    }

    private float[] embedBatch(float[] chw, int count) {
        int s = metadata.inputSize();
        try (NDManager batch = model.getNDManager().newSubManager()) {
            NDArray x = batch.create(chw, new Shape(count, 3, s, s));
            NDList out = model.getBlock().forward(store, new NDList(x), false);
            NDArray y = out.get(0);
            long[] shape = y.getShape().getShape();
            float[] v = y.toFloatArray();
            if (shape.length == 4) {
                return averageMaps(v, (int) shape[0], (int) shape[1], (int) (shape[2] * shape[3]));
            }
            return v;
        }
    }

    static float[] averageMaps(float[] v, int n, int c, int hw) {
        float[] out = new float[n * c];
        for (int i = 0; i < n * c; i++) {
            double sum = 0;
            for (int j = 0; j < hw; j++) {
                sum += v[i * hw + j];
            }
            out[i] = (float) (sum / hw);
        }
        return out;
    }

    @Override
    public Optional<TrainableBackbone> trainable() {
        return Optional.empty();
    }

    @Override
    public String embeddingEngine() {
        return EngineRuntime.ONNX_RUNTIME;
    }

    @Override
    public void close() {
        model.close();
    }
}
