package dev.thaw.core.backbone;

import dev.thaw.core.model.LayerNode;
import dev.thaw.core.model.LayerTree;
import java.util.Optional;

/**
 * A loaded backbone: its metadata, its layer tree, a forward pass that turns images into feature
 * vectors (inference mode), and, when the format allows it, a {@link TrainableBackbone} view.
 * Owns native memory: close it.
 */
public interface Backbone extends AutoCloseable {

    BackboneMetadata metadata();

    /** The backbone's part of the layer tree, rooted at {@value LayerTree#BACKBONE}. */
    LayerNode backboneNode();

    /** The model's tree: this backbone plus a new head for {@code numClasses} classes (0 if not known yet). */
    default LayerTree layerTree(int numClasses) {
        return LayerTrees.model(metadata().name(), backboneNode(), LayerTrees.head(metadata().featureDim(), numClasses));
    }

    /** A SHA-256 that changes whenever the weights do: the backbone part of embedding-cache keys. */
    String weightsDigest();

    /**
     * Features of {@code count} images in inference mode (BatchNorm uses its running statistics,
     * nothing records gradients).
     *
     * @param chw {@code count} normalized CHW images, one after another
     * @return {@code count * featureDim} floats
     */
    float[] embed(float[] chw, int count);

    /** The view the training loop uses, or empty when the format cannot train (ONNX). */
    Optional<TrainableBackbone> trainable();

    /** Which engine computes {@link #embed}: {@code PyTorch} or {@code OnnxRuntime}. */
    String embeddingEngine();

    @Override
    void close();
}
