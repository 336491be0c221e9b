package dev.thaw.core.backbone.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * ResNet's basic residual block, laid out as torchvision's ({@code conv1, bn1, conv2, bn2,
 * downsample}) so its layer tree reads like the ResNets users know.
 */
public final class BasicBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Conv2d conv1;
    private final FreezableBatchNorm bn1;
    private final Conv2d conv2;
    private final FreezableBatchNorm bn2;
    private final SequentialBlock downsample;

    /**
     * @param inChannels channels coming in
     * @param filters channels going out
     * @param stride 2 halves the resolution
     */
    public BasicBlock(int inChannels, int filters, int stride) {
        super(VERSION);
        conv1 = addChildBlock("conv1", conv(filters, 3, stride));
        bn1 = addChildBlock("bn1", new FreezableBatchNorm());
        conv2 = addChildBlock("conv2", conv(filters, 3, 1));
        bn2 = addChildBlock("bn2", new FreezableBatchNorm());
        if (stride != 1 || inChannels != filters) {
            downsample = addChildBlock("downsample", new SequentialBlock().add(conv(filters, 1, stride)).add(new FreezableBatchNorm()));
        } else {
            downsample = null;
        }
    }

    private static Conv2d conv(int filters, int kernel, int stride) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel)).optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2)).optBias(false).build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList out = bn1.forward(ps, conv1.forward(ps, inputs, training), training);
        out = new NDList(Activation.relu(out.singletonOrThrow()));
        out = bn2.forward(ps, conv2.forward(ps, out, training), training);
        NDArray identity = downsample == null ? inputs.singletonOrThrow() : downsample.forward(ps, inputs, training).singletonOrThrow();
        return new NDList(Activation.relu(out.singletonOrThrow().add(identity)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv1.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv1.initialize(manager, dataType, inputShapes);
        Shape[] mid = conv1.getOutputShapes(inputShapes);
        bn1.initialize(manager, dataType, mid);
        conv2.initialize(manager, dataType, mid);
        bn2.initialize(manager, dataType, mid);
        if (downsample != null) {
            downsample.initialize(manager, dataType, inputShapes);
        }
    }
}
