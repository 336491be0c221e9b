package dev.thaw.core.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns image files into normalized CHW float arrays for one {@link ImageTransform}, decoding in
 * parallel on a pool sized to the cores and preparing the next batches while the model works on the
 * current one. A file that cannot be read is skipped, logged once with its name and the reason, and
 * reported in the batch; it is never thrown out of a batch.
 *
 * <p>Each file is decoded once per pipeline: its <em>base image</em> (upright, RGB, shorter side
 * {@code size / 0.875}, before augmentation; see {@link Augmenter}) is kept in a bounded cache as
 * bytes, so later epochs only crop, flip, rotate and jitter. One pipeline per run; {@link #close()}
 * frees the threads and the cache.
 */
public final class ImagePipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ImagePipeline.class);
    /** Batches prepared ahead of the one being used. */
    private static final int PREFETCH_BATCHES = 2;

    private final ImageTransform transform;
    private final int threads;
    private final ExecutorService pool;
    private final ImageDecoder decoder = new ImageDecoder();
    private final BaseImageCache cache;
    private final float[][] normalization;
    private final ThreadLocal<byte[]> pixels;

    /** A pipeline with {@link #defaultCacheBytes()} of cache. */
    public ImagePipeline(ImageTransform transform, int threads) {
        this(transform, threads, defaultCacheBytes());
    }

    /**
     * @param threads decoder threads ({@link #defaultThreads()} is sized to the machine)
     * @param cacheBytes the most the decoded-image cache may hold; 0 turns it off
     */
    public ImagePipeline(ImageTransform transform, int threads, long cacheBytes) {
        this.transform = transform;
        this.threads = Math.max(1, threads);
        this.cache = new BaseImageCache(cacheBytes);
        this.normalization = lookupTables(transform);
        int s = transform.size();
        this.pixels = ThreadLocal.withInitial(() -> new byte[s * s * 3]);
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(this.threads, r -> {
            Thread t = new Thread(r, "thaw-decode-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((thread, e) -> LOG.error("Uncaught in {}", thread.getName(), e));
            return t;
        });
    }

    /**
     * Decoder threads sized to the machine: all cores but the one the model uses most (at least 1).
     * While a model trains, the cache makes decoding cheap after the first epoch.
     */
    public static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }

    /**
     * A quarter of the maximum heap, at most 1 GiB. At 224 px input a 4:3 photo's base image takes
     * 256 x 341 x 3 = 262 kB, so 1 GiB holds about 4,000 images.
     */
    public static long defaultCacheBytes() {
        return Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4);
    }

    public ImageTransform transform() {
        return transform;
    }

    public int threads() {
        return threads;
    }

    /** Hits, misses and size of the decoded-image cache. */
    public CacheStats cacheStats() {
        return cache.stats();
    }

    /** Decodes (or takes from the cache), resizes, augments (seeded) and normalizes one file. */
    public float[] load(Path file, Augmentation augmentation, long seed) throws ImageLoadException {
        float[] out = new float[transform.floatsPerImage()];
        loadInto(file, augmentation, seed, out, 0);
        return out;
    }

    /**
     * The model input for {@code file} as an image, before normalization: {@code size x size}, augmented
     * with {@code seed}. For previews; the same pixels {@link #load(Path, Augmentation, long)} normalizes.
     */
    public RgbImage augmented(Path file, Augmentation augmentation, long seed) throws ImageLoadException {
        int s = transform.size();
        byte[] out = new byte[s * s * 3];
        Augmenter.render(base(file), s, augmentation, new SplittableRandom(seed), out);
        return new RgbImage(s, s, out);
    }

    /**
     * Loads {@code items} in parallel; unreadable files are listed in {@link LoadedBatch#skipped()}.
     * Image {@code i} is augmented with a seed derived from {@code seed} and {@code i}.
     */
    public LoadedBatch load(List<LabeledImage> items, Augmentation augmentation, long seed) {
        return submit(items, 0, items.size(), augmentation, seed, new AtomicBoolean()).join();
    }

    /**
     * Iterates over {@code items} in order, {@code batchSize} at a time, preparing the next batches in
     * the background while the caller uses the current one. The images and their augmentation are the
     * same as {@code load(items, augmentation, seed)} would give, whatever the batch size. Close the
     * iterator to drop work that is no longer wanted (a cancelled epoch).
     */
    public BatchIterator batches(List<LabeledImage> items, int batchSize, Augmentation augmentation, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
        }
        List<LabeledImage> snapshot = List.copyOf(items);
        return new BatchIterator(snapshot.size(), batchSize, PREFETCH_BATCHES,
                (from, to, cancelled) -> submit(snapshot, from, to, augmentation, seed, cancelled));
    }

    /** Loads {@code items[from, to)} on the pool; each image writes straight into the batch's array. */
    CompletableFuture<LoadedBatch> submit(List<LabeledImage> items, int from, int to, Augmentation augmentation, long seed,
            AtomicBoolean cancelled) {
        int n = to - from;
        int per = transform.floatsPerImage();
        float[] data = new float[n * per];
        SkippedImage[] failed = new SkippedImage[n];
        CompletableFuture<?>[] tasks = new CompletableFuture<?>[n];
        for (int i = 0; i < n; i++) {
            int slot = i;
            LabeledImage item = items.get(from + i);
            long imageSeed = imageSeed(seed, from + i);
            tasks[i] = CompletableFuture.runAsync(() -> {
                if (cancelled.get()) {
                    failed[slot] = new SkippedImage(item.file(), "cancelled");
                    return;
                }
                try {
                    loadInto(item.file(), augmentation, imageSeed, data, slot * per);
                } catch (ImageLoadException e) {
                    failed[slot] = new SkippedImage(item.file(), e.reason());
                } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
                    // A bug or a hostile file must not end the run: skip this image, keep the stack trace.
                    LOG.warn("Skipping {}: unexpected error", item.file(), e);
                    failed[slot] = new SkippedImage(item.file(), "unexpected error: " + ImageDecoder.describe(e));
                }
            }, pool);
        }
        return CompletableFuture.allOf(tasks).thenApply(v -> assemble(items.subList(from, to), data, failed, per));
    }

    private static LoadedBatch assemble(List<LabeledImage> items, float[] data, SkippedImage[] failed, int per) {
        List<LabeledImage> loaded = new ArrayList<>(items.size());
        List<SkippedImage> skipped = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (failed[i] != null) {
                skipped.add(failed[i]);
            } else {
                if (loaded.size() != i) {
                    System.arraycopy(data, i * per, data, loaded.size() * per, per);
                }
                loaded.add(items.get(i));
            }
        }
        float[] exact = skipped.isEmpty() ? data : Arrays.copyOf(data, loaded.size() * per);
        int[] labels = loaded.stream().mapToInt(LabeledImage::label).toArray();
        return new LoadedBatch(exact, labels, List.copyOf(loaded), List.copyOf(skipped));
    }

    /** A well-mixed seed per image, so neighbouring positions get unrelated augmentation. */
    static long imageSeed(long seed, long position) {
        long z = seed + 0x9E3779B97F4A7C15L * (position + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private void loadInto(Path file, Augmentation augmentation, long seed, float[] dst, int offset) throws ImageLoadException {
        RgbImage base = base(file);
        byte[] rgb = pixels.get();
        Augmenter.render(base, transform.size(), augmentation, new SplittableRandom(seed), rgb);
        normalize(rgb, dst, offset);
    }

    /** The cached base image of {@code file}, decoding it on a miss. */
    private RgbImage base(Path file) throws ImageLoadException {
        RgbImage cached = cache.get(file);
        if (cached != null) {
            return cached;
        }
        ImageLoadException known = cache.failure(file);
        if (known != null) {
            throw known;
        }
        try {
            RgbImage base = Augmenter.base(decoder.decode(file).image(), transform.size());
            cache.offer(file, base);
            return base;
        } catch (ImageLoadException e) {
            if (cache.recordFailure(file, e)) {
                LOG.warn("Skipping {}: {}", file, e.reason());
            }
            throw e;
        }
    }

    /** Per channel, (v / 255 - mean) / std for every byte value: normalization is one lookup. */
    private static float[][] lookupTables(ImageTransform t) {
        float[][] lut = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                lut[c][v] = (v / 255f - t.mean()[c]) / t.std()[c];
            }
        }
        return lut;
    }

    private void normalize(byte[] rgb, float[] dst, int offset) {
        int plane = transform.size() * transform.size();
        float[] r = normalization[0];
        float[] g = normalization[1];
        float[] b = normalization[2];
        int gOff = offset + plane;
        int bOff = offset + 2 * plane;
        for (int i = 0, p = 0; i < plane; i++, p += 3) {
            dst[offset + i] = r[rgb[p] & 0xFF];
            dst[gOff + i] = g[rgb[p + 1] & 0xFF];
            dst[bOff + i] = b[rgb[p + 2] & 0xFF];
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
