package dev.thaw.core.train;

import dev.thaw.core.backbone.Backbone;
import dev.thaw.core.backbone.BackboneFormat;
import dev.thaw.core.backbone.BackboneLoader;
import dev.thaw.core.data.Augmentation;
import dev.thaw.core.data.BatchIterator;
import dev.thaw.core.data.ImagePipeline;
import dev.thaw.core.data.LabeledImage;
import dev.thaw.core.data.LoadedBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feature extraction's first step: the embedding of every image, from the {@link EmbeddingCache}
 * where it is there and from one forward pass of the backbone where it is not (with ONNX Runtime
 * when the backbone has an ONNX form that gives the same numbers). What was computed goes into the
 * cache, so the next run on the same images, backbone and transform skips the backbone.
 */
final class Embedder {

    private static final Logger LOG = LoggerFactory.getLogger(Embedder.class);
    /** Images per forward pass. */
    static final int BATCH = 32;

    /**
     * Embeddings of a set of images.
     *
     * @param byImage content hash of each image that was read
     * @param vectors embedding by content hash
     * @param cached images whose embedding came from the cache
     * @param computed embeddings the backbone computed this time
     * @param engine {@code OnnxRuntime} or {@code PyTorch}, or {@code cache} when the backbone did not run
     * @param unreadable files that could not be decoded
     */
    record Result(Map<LabeledImage, String> byImage, Map<String, float[]> vectors, int cached, int computed, String engine,
            Set<Path> unreadable) {
    }

    private final Backbone backbone;
    private final BackboneLoader loader;
    private final EmbeddingCache.Store store;
    private final BiConsumer<String, Double> progress;
    private final BooleanSupplier cancelled;
    private final boolean allowOnnx;
    /** Content hash by image, filled as images are hashed (each file is read for its hash once). */
    private final Map<LabeledImage, String> keys;

    Embedder(Backbone backbone, BackboneLoader loader, EmbeddingCache cache, BiConsumer<String, Double> progress,
            BooleanSupplier cancelled) {
        this(backbone, backbone.weightsDigest(), loader, cache, progress, cancelled, true, new ConcurrentHashMap<>());
    }

    /**
     * @param digest the cache key of the backbone's weights: its {@code weightsDigest()}, or what
     *     that will be once its BatchNorm statistics are re-estimated (to look for embeddings first)
     * @param allowOnnx false when the backbone's ONNX form no longer gives its numbers (its
     *     BatchNorm statistics were re-estimated in libtorch)
     * @param keys content hashes already computed (see {@link #hash}), reused rather than read again
     */
    Embedder(Backbone backbone, String digest, BackboneLoader loader, EmbeddingCache cache, BiConsumer<String, Double> progress,
            BooleanSupplier cancelled, boolean allowOnnx, Map<LabeledImage, String> keys) {
        this.allowOnnx = allowOnnx;
        this.keys = keys;
        this.backbone = backbone;
        this.loader = loader;
        this.store = cache.open(digest, backbone.metadata().transform(), backbone.metadata().featureDim());
        this.progress = progress;
        this.cancelled = cancelled;
    }

    /** The store this embedder reads and fills. */
    EmbeddingCache.Store store() {
        return store;
    }

    /** Adds the content hash of each of {@code images} that {@code keys} lacks, on all cores. */
    static void hash(List<LabeledImage> images, Map<LabeledImage, String> keys) {
        images.parallelStream().filter(i -> !keys.containsKey(i)).forEach(i -> keys.put(i, EmbeddingCache.imageKey(i.file())));
    }

    /** The distinct content hashes of {@code images}, hashing those not hashed yet. */
    private Set<String> keysOf(List<LabeledImage> images) {
        hash(images, keys);
        Set<String> out = new HashSet<>();
        images.forEach(i -> out.add(keys.get(i)));
        return out;
    }

    /** True when every one of {@code images} has its embedding in the cache (the backbone would not run). */
    boolean allCached(List<LabeledImage> images) {
        Set<String> wanted = keysOf(images);
        return store.get(wanted).size() == wanted.size();
    }

    Result embed(List<LabeledImage> images) {
        progress.accept("Hashing " + images.size() + " images for the embedding cache", -1.0);
        Map<String, float[]> found = store.get(keysOf(images));
        List<LabeledImage> missing = new ArrayList<>();
        Set<String> queued = new HashSet<>();
        for (LabeledImage img : images) {
            String k = keys.get(img);
            if (!found.containsKey(k) && queued.add(k)) {
                missing.add(img);
            }
        }
        int cached = (int) images.stream().filter(i -> found.containsKey(keys.get(i))).count();
        if (missing.isEmpty()) {
            progress.accept("Embeddings: all " + images.size() + " from the cache; backbone skipped", 1.0);
            return new Result(new HashMap<>(keys), found, cached, 0, "cache", Set.of());
        }
        Map<String, float[]> computed = new LinkedHashMap<>();
        Set<Path> unreadable = new HashSet<>();
        String engine;
        int dim = backbone.metadata().featureDim();
        try (ImagePipeline pipeline = new ImagePipeline(backbone.metadata().transform(), ImagePipeline.defaultThreads())) {
            Backbone forward = chooseEngine(pipeline, missing);
            engine = forward.embeddingEngine();
            try (BatchIterator it = pipeline.batches(missing, BATCH, Augmentation.NONE, 0)) {
                long t0 = System.nanoTime();
                int done = 0;
                while (it.hasNext()) {
                    if (cancelled.getAsBoolean()) {
                        throw new CancellationException("Cancelled");
                    }
                    LoadedBatch b = it.next();
                    b.skipped().forEach(s -> unreadable.add(s.file()));
                    if (b.count() > 0) {
                        float[] f = forward.embed(b.data(), b.count());
                        for (int i = 0; i < b.count(); i++) {
                            computed.put(keys.get(b.files().get(i)), Arrays.copyOfRange(f, i * dim, (i + 1) * dim));
                        }
                    }
                    done += b.count() + b.skipped().size();
                    double ips = done / ((System.nanoTime() - t0) / 1e9);
                    progress.accept(String.format(Locale.ROOT, "Computing embeddings with %s: %d of %d (%.0f img/s)%s", engine,
                            done, missing.size(), ips, cached > 0 ? "; " + cached + " from the cache" : ""),
                            (double) done / missing.size());
                }
            } finally {
                if (forward != backbone) {
                    forward.close();
                }
            }
        }
        // Stored even when cancelled later: every embedding written is right.
        store.put(computed);
        Map<String, float[]> vectors = new HashMap<>(found);
        vectors.putAll(computed);
        return new Result(new HashMap<>(keys), vectors, cached, computed.size(), engine, unreadable);
    }

    /** The ONNX form when there is one that agrees with the backbone on a few of these images, else the backbone. */
    private Backbone chooseEngine(ImagePipeline pipeline, List<LabeledImage> missing) {
        if (!allowOnnx || backbone.metadata().format() == BackboneFormat.ONNX || backbone.metadata().onnxFile() == null) {
            return backbone;
        }
        LoadedBatch probe = pipeline.load(missing.subList(0, Math.min(4, missing.size())), Augmentation.NONE, 0);
        if (probe.count() == 0) {
            return backbone;
        }
        Optional<Backbone> onnx = loader.onnxForm(backbone, probe.data(), probe.count());
        onnx.ifPresent(o -> LOG.info("Embeddings by ONNX Runtime from {}", backbone.metadata().onnxFile()));
        return onnx.orElse(backbone);
    }
}
