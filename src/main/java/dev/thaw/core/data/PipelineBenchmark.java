package dev.thaw.core.data;

import dev.thaw.core.util.JobMonitor;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Measures how fast the {@link ImagePipeline} turns JPEG files into model input: images per second
 * for decode + resize (+ augmentation), without the cache (every epoch like the first) and with it
 * (later epochs), at several thread counts. Runs on generated photo-like JPEGs, so it needs no
 * dataset and measures the same thing on every machine.
 */
public final class PipelineBenchmark {

    /** What to measure. */
    public record Settings(int images, int width, int height, int size, int batchSize, List<Integer> threadCounts, long seed) {
    }

    /**
     * One measurement.
     *
     * @param scenario what was measured, in words
     * @param augmentation the preset
     * @param threads decoder threads
     * @param cached true when every image came from the cache (a later epoch)
     * @param images images loaded
     * @param seconds wall time
     */
    public record Result(String scenario, Augmentation augmentation, int threads, boolean cached, int images, double seconds) {

        public double imagesPerSecond() {
            return images / seconds;
        }
    }

    private PipelineBenchmark() {
    }

    /** Generates the JPEGs in {@code workDir} and runs every scenario. */
    public static List<Result> run(Settings s, Path workDir, JobMonitor monitor) {
        monitor.progress(-1, "Writing " + s.images() + " test JPEGs");
        List<LabeledImage> items = new ArrayList<>();
        for (Path p : writePhotos(workDir, s.images(), s.width(), s.height(), s.seed())) {
            items.add(new LabeledImage(p, 0));
        }
        ImageTransform transform = ImageTransform.imagenet(s.size());
        List<Result> results = new ArrayList<>();
        // Warm the JIT on a few images so the first scenario is not penalized.
        try (ImagePipeline warm = new ImagePipeline(transform, 1, 0)) {
            for (Augmentation a : Augmentation.values()) {
                drain(warm.batches(items.subList(0, Math.min(items.size(), 24)), s.batchSize(), a, 1));
            }
        }
        int step = 0;
        int steps = s.threadCounts().size() * 4;
        for (int threads : s.threadCounts()) {
            for (Augmentation a : new Augmentation[] {Augmentation.NONE, Augmentation.STRONG}) {
                monitor.checkCancelled();
                monitor.progress((double) step++ / steps, "Decode + resize, " + a + ", " + threads + " thread(s)");
                try (ImagePipeline p = new ImagePipeline(transform, threads, 0)) {
                    results.add(time("decode + resize (no cache)", a, threads, false, p, items, s));
                }
            }
            monitor.checkCancelled();
            monitor.progress((double) step++ / steps, "Cached epochs, " + threads + " thread(s)");
            try (ImagePipeline p = new ImagePipeline(transform, threads, 1L << 30)) {
                results.add(time("first epoch, filling the cache", Augmentation.LIGHT, threads, false, p, items, s));
                results.add(time("later epoch (cache)", Augmentation.LIGHT, threads, true, p, items, s));
                results.add(time("later epoch (cache)", Augmentation.STRONG, threads, true, p, items, s));
                results.add(time("later epoch (cache)", Augmentation.NONE, threads, true, p, items, s));
            }
            step++;
        }
        monitor.progress(1, "Done");
        return results;
    }

    /**
     * Times the pipeline on given images: one untimed pass (JIT warm-up, page cache; with a cache, it
     * also fills it), then {@code passes} timed passes. Without a cache every timed pass decodes
     * again, like a data loader that keeps nothing; with one, the timed passes are later epochs.
     */
    public static Result measure(List<LabeledImage> items, ImageTransform transform, int threads, Augmentation a,
            boolean cached, int batchSize, int passes, long seed) {
        try (ImagePipeline p = new ImagePipeline(transform, threads, cached ? ImagePipeline.defaultCacheBytes() : 0)) {
            drain(p.batches(items, batchSize, a, seed));
            long start = System.nanoTime();
            int n = 0;
            for (int i = 0; i < passes; i++) {
                n += drain(p.batches(items, batchSize, a, seed + 1 + i));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String scenario = cached ? "later epoch (cache)" : "decode + resize (no cache)";
            return new Result(scenario, a, threads, cached, n, seconds);
        }
    }

    private static Result time(String scenario, Augmentation a, int threads, boolean cached, ImagePipeline p,
            List<LabeledImage> items, Settings s) {
        long start = System.nanoTime();
        int n = drain(p.batches(items, s.batchSize(), a, s.seed()));
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(scenario, a, threads, cached, n, seconds);
    }

    private static int drain(Iterator<LoadedBatch> batches) {
        int n = 0;
        while (batches.hasNext()) {
            n += batches.next().count();
        }
        return n;
    }

    /**
     * Writes {@code count} photo-like JPEGs (quality 0.9): a sky-to-ground gradient, soft shapes and
     * sensor-like noise, so files are photo-sized (tens of kB at 500x375) and decode like photos; flat
     * synthetic images would compress to almost nothing and decode unrealistically fast.
     */
    public static List<Path> writePhotos(Path dir, int count, int width, int height, long seed) {
        try {
            Files.createDirectories(dir);
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            List<Path> files = new ArrayList<>();
            SplittableRandom random = new SplittableRandom(seed);
            try {
                for (int i = 0; i < count; i++) {
                    BufferedImage img = photo(width, height, random);
                    Path file = dir.resolve(String.format(Locale.ROOT, "photo-%05d.jpg", i));
                    Files.deleteIfExists(file);
                    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
                        writer.setOutput(out);
                        writer.write(null, new IIOImage(img, null, null), param);
                    }
                    files.add(file);
                }
            } finally {
                writer.dispose();
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write test images in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static BufferedImage photo(int w, int h, SplittableRandom r) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setPaint(new GradientPaint(0, 0, randomColor(r, 120, 255), 0, h, randomColor(r, 20, 160)));
            g.fillRect(0, 0, w, h);
            for (int i = 0; i < 12; i++) {
                g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256), 90 + r.nextInt(140)));
                int sw = 20 + r.nextInt(Math.max(1, w / 2));
                int sh = 20 + r.nextInt(Math.max(1, h / 2));
                int x = r.nextInt(w) - sw / 2;
                int y = r.nextInt(h) - sh / 2;
                if (r.nextBoolean()) {
                    g.fillOval(x, y, sw, sh);
                } else {
                    g.rotate(r.nextDouble(-0.6, 0.6), x + sw / 2.0, y + sh / 2.0);
                    g.fillRect(x, y, sw, sh);
                    g.setTransform(new java.awt.geom.AffineTransform());
                }
            }
        } finally {
            g.dispose();
        }
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < px.length; i++) {
            int v = (px[i] & 0xFF) + r.nextInt(-12, 13);
            px[i] = (byte) Math.max(0, Math.min(255, v));
        }
        return img;
    }

    private static Color randomColor(SplittableRandom r, int lo, int hi) {
        return new Color(r.nextInt(lo, hi), r.nextInt(lo, hi), r.nextInt(lo, hi));
    }
}
