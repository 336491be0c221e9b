package dev.thaw.core.backbone.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A ResNet without its classifier, built from DJL blocks with {@link FreezableBatchNorm}: a stem,
 * then stages of {@link BasicBlock}s (the first of each stage after the first halves the
 * resolution), then global average pooling to one feature vector per image.
 *
 * <p>Its direct children are the stages a freeze preset counts: {@code stem}, {@code layer1} …
 */
public final class ResNetBackbone extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int featureDim;

    /**
     * @param stemFilters channels of the stem convolution
     * @param stemKernel stem kernel (3 for small images, 7 with stride 2 and a max-pool for 224 px)
     * @param stemStride stem stride
     * @param stemMaxPool whether the stem ends in a 3x3/2 max-pool
     * @param widths channels per stage
     * @param blocks residual blocks per stage
     * @param firstStride stride of the first stage's first block
     */
    public ResNetBackbone(int stemFilters, int stemKernel, int stemStride, boolean stemMaxPool, int[] widths, int[] blocks,
            int firstStride) {
        super(VERSION);
        addChildBlock("stem", new ConvBnRelu(stemFilters, stemKernel, stemStride, stemMaxPool));
        int in = stemFilters;
        for (int s = 0; s < widths.length; s++) {
            SequentialBlock stage = new SequentialBlock();
            for (int b = 0; b < blocks[s]; b++) {
                int stride = b > 0 ? 1 : s == 0 ? firstStride : 2;
                stage.add(new BasicBlock(in, widths[s], stride));
                in = widths[s];
            }
            addChildBlock("layer" + (s + 1), stage);
        }
        featureDim = in;
    }

    /** Length of the pooled feature vector. */
    public int featureDim() {
        return featureDim;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = inputs;
        for (Block child : children.values()) {
            x = child.forward(ps, x, training);
        }
        NDArray maps = x.singletonOrThrow();
        // Global average pooling; libtorch's mean in DJL takes one axis, so flatten H and W first.
        return new NDList(maps.reshape(maps.getShape().get(0), maps.getShape().get(1), -1).mean(new int[] {2}));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), featureDim)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block child : children.values()) {
            child.initialize(manager, dataType, shapes);
            shapes = child.getOutputShapes(shapes);
        }
    }
}
