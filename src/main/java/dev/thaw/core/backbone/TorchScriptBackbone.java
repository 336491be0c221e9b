package dev.thaw.core.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.LayerNode;
import dev.thaw.core.model.LayerTree;
import dev.thaw.core.runtime.EngineRuntime;
import dev.thaw.core.util.Digests;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A TorchScript module the user owns, run and trained by libtorch.
 *
 * <p><b>BatchNorm policy.</b> DJL can only switch a TorchScript module between training and eval
 * mode as a whole; it cannot put one submodule in eval mode. So whenever any backbone parameter is
 * frozen, the whole module runs in eval mode: every BatchNorm normalizes with its running
 * statistics and none of them moves, while gradients still flow and trainable layers (BatchNorm
 * scale and shift included) learn. Only with nothing frozen does the module train in training
 * mode, updating its statistics. Frozen layers are therefore exactly frozen; the price is that
 * trainable BatchNorm layers do not re-estimate their statistics during partial fine-tuning.
 */
final class TorchScriptBackbone implements Backbone, TrainableBackbone {

    static final String STATISTICS_NOTE = "Running statistics stay fixed while any backbone layer is frozen: "
            + "a TorchScript module switches train/eval as a whole, so it runs in eval mode; scale and shift still train";

    private final ZooModel<NDList, NDList> model;
    private final PtSymbolBlock module;
    private final Path file;
    private BackboneMetadata metadata;
    private boolean statisticsFixed;
    private String digest;

    TorchScriptBackbone(ZooModel<NDList, NDList> model, Path file, BackboneMetadata metadata) {
        this.model = model;
        this.module = (PtSymbolBlock) model.getBlock();
        this.file = file;
        this.metadata = metadata;
    }

    void setMetadata(BackboneMetadata m) {
        this.metadata = m;
    }

    @Override
    public BackboneMetadata metadata() {
        return metadata;
    }

    /** Parameter names and shapes as the module reports them ({@code layer1.0.conv1.weight}). */
    List<LayerTrees.NamedShape> parameterShapes() {
        List<LayerTrees.NamedShape> out = new ArrayList<>();
        for (var e : module.getDirectParameters()) {
            out.add(new LayerTrees.NamedShape(e.getKey(), e.getValue().getArray().getShape().getShape(), null));
        }
        return out;
    }

    @Override
    public LayerNode backboneNode() {
        return LayerTrees.fromParameterNames(parameterShapes(), LayerTree.BACKBONE, metadata.name(), "TorchScript",
                List.of((long) metadata.featureDim()), null,
                (path, type, bn) -> bn ? STATISTICS_NOTE : path.equals(LayerTree.BACKBONE) ? batchNormPolicy() : null);
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
        int s = metadata.inputSize();
        try (NDManager batch = model.getNDManager().newSubManager()) {
            NDArray x = ChannelsLast.create(batch, chw, new Shape(count, 3, s, s));
            return forward(null, x, false).toFloatArray();
        }
    }

    @Override
    public Optional<TrainableBackbone> trainable() {
        return Optional.of(this);
    }

    @Override
    public String embeddingEngine() {
        return EngineRuntime.PYTORCH;
    }

    @Override
    public NDManager manager() {
        return model.getNDManager();
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray images, boolean training) {
        // The module's mode decides BatchNorm's behaviour; "training" here decides gradients.
        // Set the mode every call: it is a cheap flag walk, and the block's own cached mode
        // would not know about calls made elsewhere.
        // The JIT's graph optimizations rewrite training graphs with its own symbolic autodiff;
        // plain interpretation runs the same ATen kernels as eager PyTorch, whose gradients
        // are the ones the tests compare against. The setting is per thread.
        JniUtils.setGraphExecutorOptimize(false);
        if (training && !statisticsFixed) {
            JniUtils.enableTrainingMode(module);
        } else {
            JniUtils.enableInferenceMode(module);
        }
        NDList out = IValueUtils.forward(module, new NDList(images), training);
        NDArray y = out.get(0);
        for (int i = 1; i < out.size(); i++) {
            out.get(i).close();
        }
        return toFeatures(y);
    }

    /** Feature maps {@code (N, C, H, W)} are averaged to {@code (N, C)}; other shapes are flattened. */
    static NDArray toFeatures(NDArray y) {
        if (y.getShape().dimension() == 4) {
            return y.reshape(y.getShape().get(0), y.getShape().get(1), -1).mean(new int[] {2});
        }
        if (y.getShape().dimension() != 2) {
            return y.reshape(y.getShape().get(0), -1);
        }
        return y;
    }

    @Override
    public List<NamedParameter> parameters() {
        List<NamedParameter> out = new ArrayList<>();
        for (var e : module.getDirectParameters()) {
            out.add(new NamedParameter(LayerTree.BACKBONE + "." + e.getKey(), e.getValue()));
        }
        return out;
    }

    @Override
    public void applyFreezePlan(FreezePlan plan) {
        boolean anyFrozen = false;
        for (NamedParameter p : parameters()) {
            boolean frozen = plan.isFrozen(p.path());
            p.parameter().freeze(frozen);
            anyFrozen |= frozen;
        }
        statisticsFixed = anyFrozen;
    }

    /** True when the module runs in eval mode during training (see the class comment). */
    boolean statisticsFixed() {
        return statisticsFixed;
    }

    @Override
    public void reinitialize() {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager scratch = model.getNDManager().newSubManager()) {
            for (NamedParameter p : parameters()) {
                Parameter param = p.parameter();
                NDArray w = param.getArray();
                Shape shape = w.getShape();
                String leaf = p.path().substring(p.path().lastIndexOf('.') + 1);
                NDArray fresh;
                if (shape.dimension() >= 2) {
                    // He initialization (fan-in), suited to ReLU networks.
                    long fanIn = shape.size() / shape.get(0);
                    fresh = scratch.randomNormal(0, (float) Math.sqrt(2.0 / fanIn), shape, w.getDataType());
                } else if (leaf.equals("weight")) {
                    fresh = scratch.ones(shape, w.getDataType());
                } else {
                    fresh = scratch.zeros(shape, w.getDataType());
                }
                // In place, under no-grad: the module keeps using this very tensor.
                w.muli(0).addi(fresh);
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        digest = "reinitialized-" + System.nanoTime();
    }

    @Override
    public String batchNormPolicy() {
        return statisticsFixed
                ? "Some backbone layers are frozen, so the TorchScript module runs in eval mode: no BatchNorm statistic moves "
                        + "(DJL switches TorchScript train/eval for the whole module); BatchNorm scale and shift still train where trainable"
                : "Nothing is frozen: the module trains in training mode and BatchNorm statistics update";
    }

    @Override
    public Path saveWeights(Path fileWithoutExtension) {
        Path out = fileWithoutExtension.resolveSibling(fileWithoutExtension.getFileName() + ".pt");
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), "." + out.getFileName(), ".tmp");
            try {
                try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                    JniUtils.writeModule(module, os, false);
                }
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + out + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * A TorchScript module's BatchNorm layers keep their momentum (PyTorch's default 0.1) and their
     * buffers are not reachable from DJL, so the estimate is the exponential average that training
     * mode computes: after 66 batches the statistics the module came with weigh 0.9^66 = 0.1 %.
     * Fewer do not do: a channel whose variance on the new images is far below its old one is
     * normalized wrongly until the old variance has all but gone (measured on the tiny test
     * ResNet: the distance of the eval-mode features to the batch-statistics ones was still 14 %
     * of the unadapted distance after 44 batches, 1.7 % after 66; decision 0073).
     */
    @Override
    public int statisticsEstimateBatches() {
        return 66;
    }

    @Override
    public StatisticsEstimate estimateStatistics() {
        if (JniUtils.isGradMode()) {
            throw new IllegalStateException("BatchNorm statistics are re-estimated with gradient mode off");
        }
        String before = weightsDigest();
        return new StatisticsEstimate() {
            @Override
            public void observe(NDArray images) {
                if (images.getShape().get(0) < 2) {
                    throw new IllegalArgumentException("BatchNorm statistics need batches of 2 or more images");
                }
                JniUtils.setGraphExecutorOptimize(false);
                JniUtils.enableTrainingMode(module);
                try {
                    IValueUtils.forward(module, new NDList(images), false).close();
                } finally {
                    JniUtils.enableInferenceMode(module);
                }
            }

            @Override
            public void finish(String recipe) {
                JniUtils.enableInferenceMode(module);
                synchronized (TorchScriptBackbone.this) {
                    digest = TrainableBackbone.adaptedDigest(before, recipe);
                }
            }
        };
    }

    PtSymbolBlock module() {
        return module;
    }

    @Override
    public void close() {
        model.close();
    }
}
