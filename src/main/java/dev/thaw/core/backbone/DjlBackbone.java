package dev.thaw.core.backbone;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.thaw.core.backbone.arch.FreezableBatchNorm;
import dev.thaw.core.backbone.arch.ResNetBackbone;
import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.LayerNode;
import dev.thaw.core.model.LayerTree;
import dev.thaw.core.runtime.EngineRuntime;
import dev.thaw.core.util.Digests;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
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
 * A Thaw architecture built from DJL blocks, with random weights or weights from a {@code .params}
 * file written by {@code thaw pretrain}. Every BatchNorm is a
 * {@link dev.thaw.core.backbone.arch.FreezableBatchNorm}, so frozen layers keep their statistics.
 */
final class DjlBackbone implements Backbone, TrainableBackbone {

    private final Architectures.Spec spec;
    private final NDManager manager;
    private final Device device;
    private BackboneMetadata metadata;
    private NDManager weights;
    private ResNetBackbone block;
    private final ParameterStore inferenceStore;
    /** Set once BatchNorm statistics were re-estimated: the digest then names the recipe (see {@link #estimateStatistics()}). */
    private String adaptedDigest;

    /**
     * @param weightsFile a {@code .params} file for this architecture, or {@code null} for random weights
     */
    DjlBackbone(Architectures.Spec spec, BackboneMetadata metadata, Path weightsFile, Device device) {
        this.spec = spec;
        this.metadata = metadata;
        this.device = device;
        this.manager = NDManager.newBaseManager(device, EngineRuntime.PYTORCH);
        this.inferenceStore = new ParameterStore(manager, false);
        try {
            build();
            if (weightsFile != null) {
                load(weightsFile);
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private void build() {
        NDManager old = weights;
        weights = manager.newSubManager();
        block = spec.factory().get();
        block.initialize(weights, DataType.FLOAT32, new Shape(1, 3, metadata.inputSize(), metadata.inputSize()));
        if (old != null) {
            old.close();
        }
    }

    private void load(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            block.loadParameters(weights, in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the weights " + file + ": " + e.getMessage(), e);
        } catch (MalformedModelException | RuntimeException e) {
            throw new IllegalArgumentException("The weights " + file + " do not fit the architecture '" + spec.name()
                    + "' named in its sidecar (" + e.getMessage() + ")", e);
        }
    }

    ResNetBackbone block() {
        return block;
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
        LayerNode n = LayerTrees.fromBlock(block, LayerTree.BACKBONE, metadata.name(),
                new Shape(1, 3, metadata.inputSize(), metadata.inputSize()), null);
        return new LayerNode(n.path(), n.name(), n.type(), n.parameterCount(), n.outputShape(), n.batchNorm(), n.lockReason(),
                n.children(), "BatchNorm layers whose scale and shift are frozen normalize with fixed running statistics");
    }

    @Override
    public String weightsDigest() {
        if (adaptedDigest != null) {
            return adaptedDigest;
        }
        Digests.DigestOutputStream digest = new Digests.DigestOutputStream();
        try (DataOutputStream out = new DataOutputStream(digest)) {
            out.writeUTF(spec.name());
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return digest.hex();
    }

    @Override
    public float[] embed(float[] chw, int count) {
        int s = metadata.inputSize();
        try (NDManager batch = manager.newSubManager()) {
            NDArray x = ChannelsLast.create(batch, chw, new Shape(count, 3, s, s));
            NDArray y = block.forward(inferenceStore, new NDList(x), false).singletonOrThrow();
            return y.toFloatArray();
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

    // TrainableBackbone ------------------------------------------------------------------------

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray images, boolean training) {
        return block.forward(ps, new NDList(images), training).singletonOrThrow();
    }

    @Override
    public List<NamedParameter> parameters() {
        return LayerTrees.parameters(block, LayerTree.BACKBONE).stream().filter(p -> !p.isRunningStatistic()).toList();
    }

    @Override
    public void applyFreezePlan(FreezePlan plan) {
        for (NamedParameter p : parameters()) {
            // Only gradient parameters: running statistics never take gradients, and freezing
            // them through freezeParameters(false) would mark them as trainable.
            p.parameter().freeze(plan.isFrozen(p.path()));
        }
    }

    @Override
    public void reinitialize() {
        adaptedDigest = null;
        build();
    }

    @Override
    public String batchNormPolicy() {
        return "BatchNorm layers of frozen parts normalize with their running statistics and leave them unchanged; "
                + "trainable ones use batch statistics and update them";
    }

    @Override
    public Path saveWeights(Path fileWithoutExtension) {
        Path file = fileWithoutExtension.resolveSibling(fileWithoutExtension.getFileName() + ".params");
        writeParams(block, file);
        return file;
    }

    /** Writes {@code block}'s parameters to {@code file} atomically. */
    static void writeParams(ResNetBackbone block, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
            try {
                try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp));
                        DataOutputStream out = new DataOutputStream(os)) {
                    block.saveParameters(out);
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every BatchNorm layer of a Thaw architecture is a {@link FreezableBatchNorm}: one pass gives the exact average. */
    @Override
    public int statisticsEstimateBatches() {
        return 0;
    }

    @Override
    public StatisticsEstimate estimateStatistics() {
        String before = weightsDigest();
        List<FreezableBatchNorm> layers = new ArrayList<>();
        collectBatchNorms(block, layers);
        layers.forEach(FreezableBatchNorm::beginStatisticsEstimate);
        ParameterStore store = new ParameterStore(manager, false);
        return new StatisticsEstimate() {
            @Override
            public void observe(NDArray images) {
                if (images.getShape().get(0) < 2) {
                    throw new IllegalArgumentException("BatchNorm statistics need batches of 2 or more images");
                }
                block.forward(store, new NDList(images), true).close();
            }

            @Override
            public void finish(String recipe) {
                layers.forEach(FreezableBatchNorm::endStatisticsEstimate);
                adaptedDigest = TrainableBackbone.adaptedDigest(before, recipe);
            }
        };
    }

    private static void collectBatchNorms(Block b, List<FreezableBatchNorm> out) {
        if (b instanceof FreezableBatchNorm bn) {
            out.add(bn);
        }
        for (Block child : b.getChildren().values()) {
            collectBatchNorms(child, out);
        }
    }

    Device device() {
        return device;
    }

    @Override
    public void close() {
        manager.close();
    }
}
