package dev.thaw.core.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.thaw.core.model.FreezePlan;
import java.nio.file.Path;
import java.util.List;

/**
 * A backbone the PyTorch engine can train: its forward pass with gradients, its parameters by tree
 * path, and how a {@link FreezePlan} is applied, BatchNorm statistics included.
 */
public interface TrainableBackbone {

    /** The manager that owns the weights (sub-managers of it hold per-batch arrays). */
    NDManager manager();

    /**
     * Features of a batch, shape {@code (N, featureDim)}.
     *
     * @param training true in the training loop (gradients recorded for trainable weights, and
     *     BatchNorm layers that may learn use batch statistics); false for validation
     */
    NDArray forward(ParameterStore ps, NDArray images, boolean training);

    /** Parameters that can take gradients (running statistics excluded), with their tree paths. */
    List<NamedParameter> parameters();

    /**
     * Freezes exactly the parameters {@code plan} covers and unfreezes the others, and sets how
     * BatchNorm statistics behave (see {@link #batchNormPolicy()}).
     */
    void applyFreezePlan(FreezePlan plan);

    /** Replaces every weight with a fresh random one (the engine's seed decides which): the scratch baseline. */
    void reinitialize();

    /** What happens to BatchNorm running statistics under the current plan, in one sentence. */
    String batchNormPolicy();

    /**
     * Writes the current weights in this backbone's own format ({@code .params} for a Thaw
     * architecture, TorchScript {@code .pt} for a TorchScript backbone); returns the file written.
     *
     * @param fileWithoutExtension where to write, the format's extension is appended
     */
    Path saveWeights(Path fileWithoutExtension);
}
