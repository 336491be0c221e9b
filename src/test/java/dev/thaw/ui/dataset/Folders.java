package dev.thaw.ui.dataset;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Small labeled image folders written at test time. */
public final class Folders {

    private Folders() {
    }

    /** A PNG of {@code size} pixels whose content depends on {@code seed} (so no two are duplicates). */
    public static byte[] png(int size, long seed) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        long h = seed * 0x9E3779B97F4A7C15L + 1;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                h ^= h << 13;
                h ^= h >>> 7;
                h ^= h << 17;
                img.setRGB(x, y, (int) (h & 0xFFFFFF));
            }
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code count} distinct 40x40 PNGs into {@code root/className}. */
    static Path images(Path root, String className, int count) throws IOException {
        Path dir = Files.createDirectories(root.resolve(className));
        for (int i = 0; i < count; i++) {
            Files.write(dir.resolve(String.format("%s-%03d.png", className, i)), png(40, (className.hashCode() * 1000L) + i));
        }
        return root;
    }
}
