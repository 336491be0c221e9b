package dev.thaw.ui.common;

import dev.thaw.core.data.DecodedImage;
import dev.thaw.core.data.ImageDecoder;
import dev.thaw.core.data.ImageLoadException;
import dev.thaw.core.data.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

/**
 * Thumbnails decoded by Thaw's own {@link ImageDecoder} (so every format the data doctor accepts,
 * EXIF orientation and the pixel limits apply), shrunk by area averaging and written into a
 * {@link WritableImage} off the FX thread. Recently used thumbnails are kept, keyed by file, size
 * and modification time, so a re-check or a re-opened folder shows them at once and an edited file
 * is decoded again.
 */
public final class DecodingThumbnailLoader implements ThumbnailLoader {

    /** Longest side of a thumbnail in pixels; views show them at half this size, sharp on HiDPI screens. */
    public static final int DEFAULT_SIZE = 96;

    private final ImageDecoder decoder;
    private final int size;
    private final Map<Key, Image> cache;

    private record Key(Path file, long modified, long length) {
    }

    public DecodingThumbnailLoader() {
        this(new ImageDecoder(), DEFAULT_SIZE, 1024);
    }

    /**
     * @param decoder decodes the files
     * @param size longest side of a thumbnail in pixels
     * @param capacity thumbnails kept (at {@code size} 96 each costs at most 37 kB)
     */
    public DecodingThumbnailLoader(ImageDecoder decoder, int size, int capacity) {
        if (size < 1 || capacity < 0) {
            throw new IllegalArgumentException("size must be positive and capacity not negative");
        }
        this.decoder = decoder;
        this.size = size;
        this.cache = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Image> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public Image load(Path file) throws ImageLoadException {
        Key key;
        try {
            key = new Key(file, Files.getLastModifiedTime(file).toMillis(), Files.size(file));
        } catch (IOException e) {
            throw new ImageLoadException(file, e instanceof NoSuchFileException
                    ? "the file is gone (moved or deleted)" : "cannot be read: " + e.getMessage(), e);
        }
        synchronized (cache) {
            Image hit = cache.get(key);
            if (hit != null) {
                return hit;
            }
        }
        // Ask for at least `size` pixels on the shorter side: large photos are then read subsampled.
        DecodedImage decoded = decoder.decode(file, size);
        Image image = toImage(shrink(decoded.image(), size));
        synchronized (cache) {
            cache.put(key, image);
        }
        return image;
    }

    /** Entries kept now (for tests). */
    int cached() {
        synchronized (cache) {
            return cache.size();
        }
    }

    record Pixels(int width, int height, int[] argb) {
    }

    /** {@code src} as opaque ARGB pixels, its longer side at most {@code max}, each pixel the mean of those it covers. */
    static Pixels shrink(RgbImage src, int max) {
        int w = src.width();
        int h = src.height();
        double scale = Math.min(1.0, (double) max / Math.max(w, h));
        int ow = Math.max(1, (int) Math.round(w * scale));
        int oh = Math.max(1, (int) Math.round(h * scale));
        byte[] rgb = src.rgb();
        int[] out = new int[ow * oh];
        for (int y = 0; y < oh; y++) {
            int y0 = (int) ((long) y * h / oh);
            int y1 = Math.max(y0 + 1, (int) ((long) (y + 1) * h / oh));
            for (int x = 0; x < ow; x++) {
                int x0 = (int) ((long) x * w / ow);
                int x1 = Math.max(x0 + 1, (int) ((long) (x + 1) * w / ow));
                long r = 0;
                long g = 0;
                long b = 0;
                for (int sy = y0; sy < y1; sy++) {
                    int i = (sy * w + x0) * 3;
                    for (int sx = x0; sx < x1; sx++, i += 3) {
                        r += rgb[i] & 0xFF;
                        g += rgb[i + 1] & 0xFF;
                        b += rgb[i + 2] & 0xFF;
                    }
                }
                long n = (long) (y1 - y0) * (x1 - x0);
                out[y * ow + x] = 0xFF000000 | (int) (r / n) << 16 | (int) (g / n) << 8 | (int) (b / n);
            }
        }
        return new Pixels(ow, oh, out);
    }

    private static Image toImage(Pixels p) {
        // A WritableImage not yet shown anywhere may be filled on any thread.
        WritableImage image = new WritableImage(p.width(), p.height());
        image.getPixelWriter().setPixels(0, 0, p.width(), p.height(), PixelFormat.getIntArgbInstance(), p.argb(), 0, p.width());
        return image;
    }
}
