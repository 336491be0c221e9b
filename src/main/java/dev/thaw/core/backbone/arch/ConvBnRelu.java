package dev.thaw.core.backbone.arch;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** A network's stem: convolution, batch normalization, ReLU, and optionally a 3x3 max-pool with stride 2. */
public final class ConvBnRelu extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Conv2d conv;
    private final FreezableBatchNorm bn;
    private final boolean maxPool;

    public ConvBnRelu(int filters, int kernel, int stride, boolean maxPool) {
        super(VERSION);
        this.maxPool = maxPool;
        conv = addChildBlock("conv", Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(kernel / 2, kernel / 2)).optBias(false).build());
        bn = addChildBlock("bn", new FreezableBatchNorm());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = bn.forward(ps, conv.forward(ps, inputs, training), training);
        NDList y = new NDList(Activation.relu(x.singletonOrThrow()));
        if (maxPool) {
            y = new NDList(Pool.maxPool2d(y.singletonOrThrow(), new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false));
        }
        return y;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = conv.getOutputShapes(inputShapes)[0];
        if (maxPool) {
            s = new Shape(s.get(0), s.get(1), (s.get(2) - 1) / 2 + 1, (s.get(3) - 1) / 2 + 1);
        }
        return new Shape[] {s};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
        bn.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
    }
}
