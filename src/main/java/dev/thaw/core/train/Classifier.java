package dev.thaw.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import dev.thaw.core.backbone.LayerTrees;
import dev.thaw.core.backbone.NamedParameter;
import dev.thaw.core.backbone.TrainableBackbone;
import dev.thaw.core.model.LayerTree;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The model being trained: a new linear head, on top of a trainable backbone (fine-tuning,
 * scratch) or of precomputed features (feature extraction, where the backbone is absent).
 */
final class Classifier implements AutoCloseable {

    private final NDManager manager;
    private final Linear head;
    private final TrainableBackbone backbone;
    private final ParameterStore store;
    private float[] inputMean;
    private float[] inputStd;

    /**
     * @param parent the manager the head's weights live under (the backbone's, or a run manager)
     * @param backbone the trainable backbone, or {@code null} when inputs are features already
     */
    Classifier(NDManager parent, TrainableBackbone backbone, int featureDim, int numClasses) {
        this.manager = parent.newSubManager();
        this.backbone = backbone;
        this.head = Linear.builder().setUnits(numClasses).build();
        head.initialize(manager, DataType.FLOAT32, new Shape(1, featureDim));
        this.store = new ParameterStore(manager, false);
    }

    NDManager manager() {
        return manager;
    }

    /** Class scores {@code (N, classes)} for a batch of images (or of features, without a backbone). */
    NDArray logits(NDArray input, boolean training) {
        NDArray features = backbone == null ? input : backbone.forward(store, input, training);
        return head.forward(store, new NDList(features), training).singletonOrThrow();
    }

    List<NamedParameter> headParameters() {
        return LayerTrees.parameters(head, LayerTree.HEAD);
    }

    /** Parameters that take gradients now: the head and the unfrozen backbone parameters. */
    List<NamedParameter> trainableParameters() {
        List<NamedParameter> out = new ArrayList<>(headParameters());
        if (backbone != null) {
            for (NamedParameter p : backbone.parameters()) {
                if (p.parameter().requiresGradient()) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    TrainableBackbone backbone() {
        return backbone;
    }

    /**
     * Says the head is trained on standardized inputs {@code (x - mean) / std} (feature
     * extraction standardizes embeddings, whose scale differs wildly between backbones). The
     * saved head has the standardization folded into its weights, so it takes raw features.
     */
    void setInputStandardization(float[] mean, float[] std) {
        this.inputMean = mean.clone();
        this.inputStd = std.clone();
    }

    /** Writes the head's weights (a DJL Linear block) to {@code file}, taking raw features. */
    void saveHead(Path file) {
        Linear toSave = head;
        NDManager tmp = null;
        if (inputMean != null) {
            // W' = W / std (per input), b' = b - W' . mean: the same scores on raw features.
            float[] w = head.getParameters().get("weight").getArray().toFloatArray();
            float[] b = head.getParameters().get("bias").getArray().toFloatArray();
            int d = inputMean.length;
            int c = b.length;
            float[] w2 = new float[w.length];
            float[] b2 = b.clone();
            for (int i = 0; i < c; i++) {
                for (int j = 0; j < d; j++) {
                    w2[i * d + j] = w[i * d + j] / inputStd[j];
                    b2[i] -= w2[i * d + j] * inputMean[j];
                }
            }
            tmp = manager.newSubManager();
            toSave = Linear.builder().setUnits(c).build();
            // The folded values come in through initializers, so no existing tensor is overwritten.
            toSave.setInitializer((m, shape, type) -> m.create(w2, shape), Parameter.Type.WEIGHT);
            toSave.setInitializer((m, shape, type) -> m.create(b2, shape), Parameter.Type.BIAS);
            toSave.initialize(tmp, DataType.FLOAT32, new Shape(1, d));
        }
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            toSave.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                tmp.close();
            }
        }
    }

    void loadHead(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            head.loadParameters(manager, in);
        } catch (IOException | ai.djl.MalformedModelException e) {
            throw new IllegalArgumentException("Cannot read the head weights " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
