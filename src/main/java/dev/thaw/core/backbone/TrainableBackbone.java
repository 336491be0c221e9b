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

    /**
     * Batches of images a re-estimation of BatchNorm statistics must observe at least (repeating
     * passes over the images) so that the statistics the backbone came with no longer count: 0 when
     * one pass gives the exact average over the images.
     */
    int statisticsEstimateBatches();

    /**
     * Starts re-estimating every BatchNorm layer's running statistics from images (AdaBN: the
     * statistics of the new data replace those of the data the backbone was trained on; no weight
     * changes). Feed it whole passes over the images with {@link StatisticsEstimate#observe}, then
     * {@link StatisticsEstimate#finish}. Gradient mode must be off.
     */
    StatisticsEstimate estimateStatistics();

    /** An ongoing re-estimation of BatchNorm running statistics (see {@link #estimateStatistics()}). */
    interface StatisticsEstimate {

        /** A training-mode forward pass of a batch of 2 or more images; its batch statistics go into the running ones. */
        void observe(NDArray images);

        /**
         * Ends the estimate and returns the backbone to inference. {@code recipe} says which images
         * were observed and how; the backbone's {@link Backbone#weightsDigest()} becomes
         * {@link #adaptedDigest}{@code (digest before, recipe)}, so embeddings cached for the
         * original statistics are not reused, and the same recipe finds its own again.
         */
        void finish(String recipe);
    }

    /** The weights digest of a backbone with digest {@code before} after an estimate with {@code recipe}. */
    static String adaptedDigest(String before, String recipe) {
        return dev.thaw.core.util.Digests.sha256(before + "\n" + recipe);
    }
}
