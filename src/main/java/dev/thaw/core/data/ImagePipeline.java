package dev.thaw.core.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Turns image files into normalized CHW float arrays for one {@link ImageTransform}, decoding in
 * parallel and loading the next batch while the model works on the current one. A file that
 * cannot be read is skipped and reported in the batch, never thrown.
 */
public final class ImagePipeline implements AutoCloseable {

    private final ImageTransform transform;
    private final ExecutorService pool;

    public ImagePipeline(ImageTransform transform, int threads) {
        this.transform = transform;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "thaw-decode-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Decoder threads sized to the machine: all cores but the one the model uses most. */
    public static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }

    public ImageTransform transform() {
        return transform;
    }

    /** Decodes, resizes, augments (seeded) and normalizes one file. */
    public float[] load(java.nio.file.Path file, Augmentation augmentation, long seed) throws ImageLoadException {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new ImageLoadException(file, "cannot be decoded (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new ImageLoadException(file, "is not an image format Thaw can read");
        }
        BufferedImage resized = resizeCenterCrop(img, transform.size());
        boolean flip = augmentation != Augmentation.NONE && new SplittableRandom(seed).nextBoolean();
        return normalize(resized, flip);
    }

    /** Loads {@code items} in parallel; unreadable files are listed in {@link LoadedBatch#skipped()}. */
    public LoadedBatch load(List<LabeledImage> items, Augmentation augmentation, long seed) {
        List<CompletableFuture<float[]>> futures = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            LabeledImage item = items.get(i);
            long imageSeed = seed * 1_000_003L + i;
            futures.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return load(item.file(), augmentation, imageSeed);
                } catch (ImageLoadException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, pool));
        }
        int per = transform.floatsPerImage();
        float[] data = new float[items.size() * per];
        List<LabeledImage> loaded = new ArrayList<>(items.size());
        List<SkippedImage> skipped = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                float[] one = futures.get(i).join();
                System.arraycopy(one, 0, data, loaded.size() * per, per);
                loaded.add(items.get(i));
            } catch (java.util.concurrent.CompletionException e) {
                String reason = e.getCause() instanceof ImageLoadException ile ? ile.reason() : String.valueOf(e.getCause());
                skipped.add(new SkippedImage(items.get(i).file(), reason));
            }
        }
        float[] exact = loaded.size() == items.size() ? data : java.util.Arrays.copyOf(data, loaded.size() * per);
        int[] labels = loaded.stream().mapToInt(LabeledImage::label).toArray();
        return new LoadedBatch(exact, labels, loaded, skipped);
    }

    /**
     * Iterates over {@code items} in order, {@code batchSize} at a time, preparing the next batch in
     * the background while the caller uses the current one.
     */
    public Iterator<LoadedBatch> batches(List<LabeledImage> items, int batchSize, Augmentation augmentation, long seed) {
        return new Iterator<>() {
            int next = 0;
            CompletableFuture<LoadedBatch> pending = submit();

            private CompletableFuture<LoadedBatch> submit() {
                if (next >= items.size()) {
                    return null;
                }
                int from = next;
                int to = Math.min(items.size(), from + batchSize);
                next = to;
                return CompletableFuture.supplyAsync(() -> load(items.subList(from, to), augmentation, seed + from));
            }

            @Override
            public boolean hasNext() {
                return pending != null;
            }

            @Override
            public LoadedBatch next() {
                if (pending == null) {
                    throw new NoSuchElementException();
                }
                LoadedBatch b = pending.join();
                pending = submit();
                return b;
            }
        };
    }

    static BufferedImage resizeCenterCrop(BufferedImage src, int size) {
        int w = src.getWidth();
        int h = src.getHeight();
        double scale = (double) size / Math.min(w, h);
        int sw = Math.max(size, (int) Math.round(w * scale));
        int sh = Math.max(size, (int) Math.round(h * scale));
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, size, size);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, (size - sw) / 2, (size - sh) / 2, sw, sh, null);
        g.dispose();
        return out;
    }

    private float[] normalize(BufferedImage img, boolean flip) {
        int s = transform.size();
        int[] rgb = img.getRGB(0, 0, s, s, null, 0, s);
        float[] mean = transform.mean();
        float[] std = transform.std();
        float[] out = new float[3 * s * s];
        int plane = s * s;
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int p = rgb[y * s + (flip ? s - 1 - x : x)];
                int o = y * s + x;
                out[o] = (((p >> 16) & 0xFF) / 255f - mean[0]) / std[0];
                out[plane + o] = (((p >> 8) & 0xFF) / 255f - mean[1]) / std[1];
                out[2 * plane + o] = ((p & 0xFF) / 255f - mean[2]) / std[2];
            }
        }
        return out;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
