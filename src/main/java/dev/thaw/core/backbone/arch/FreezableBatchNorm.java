package dev.thaw.core.backbone.arch;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * 2-D batch normalization whose running statistics stay fixed once its scale and shift are frozen.
 *
 * <p>DJL's own {@link BatchNorm} keeps updating its running mean and variance in training mode even
 * when its parameters are frozen, so a "frozen" layer would still drift. Here the layer normalizes
 * with its running statistics, and leaves them alone, whenever neither {@code gamma} nor
 * {@code beta} takes gradients: frozen means frozen. The state is derived from the parameters
 * themselves, so whatever froze them (a freeze plan, a warm-up phase) also fixes the statistics.
 */
public final class FreezableBatchNorm extends AbstractBlock {

    private static final byte VERSION = 1;
    /** DJL's convention: running = running * momentum + batch * (1 - momentum). */
    private static final float MOMENTUM = 0.9f;
    private static final float EPSILON = 1e-5f;

    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private long channels;
    /** Batches seen by an ongoing statistics estimate, or -1 when none is under way. */
    private int estimateBatches = -1;

    public FreezableBatchNorm() {
        super(VERSION);
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).optRequiresGrad(true).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).optRequiresGrad(true).build());
        runningMean = addParameter(Parameter.builder().setName("runningMean").setType(Parameter.Type.RUNNING_MEAN)
                .optRequiresGrad(false).build());
        runningVar = addParameter(Parameter.builder().setName("runningVar").setType(Parameter.Type.RUNNING_VAR)
                .optRequiresGrad(false).build());
    }

    /** True when this layer updates its running statistics in training mode (its scale or shift trains). */
    public boolean learnsStatistics() {
        return gamma.requiresGradient() || beta.requiresGradient();
    }

    /**
     * Starts re-estimating the running statistics: from now on a training-mode forward pass
     * normalizes with the batch's statistics and folds them into a plain average over every batch
     * seen (the first batch replaces the old statistics), whether or not the layer is frozen.
     */
    public void beginStatisticsEstimate() {
        estimateBatches = 0;
    }

    /** Ends the estimate started by {@link #beginStatisticsEstimate()}. */
    public void endStatisticsEstimate() {
        estimateBatches = -1;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Device device = x.getDevice();
        boolean batchStatistics = training && learnsStatistics();
        float momentum = MOMENTUM;
        if (training && estimateBatches >= 0) {
            // running = running * (k-1)/k + batch / k: the mean of the k batches' statistics.
            estimateBatches++;
            momentum = (estimateBatches - 1f) / estimateBatches;
            batchStatistics = true;
        }
        // axis -1 takes libtorch's batch_norm directly (it normalizes dimension 1, the channels).
        return BatchNorm.batchNorm(x, ps.getValue(runningMean, device, training), ps.getValue(runningVar, device, training),
                ps.getValue(gamma, device, training), ps.getValue(beta, device, training), -1, momentum, EPSILON,
                batchStatistics);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        channels = inputShapes[0].get(1);
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        Shape s = new Shape(channels);
        gamma.setShape(s);
        beta.setShape(s);
        runningMean.setShape(s);
        runningVar.setShape(s);
    }
}
