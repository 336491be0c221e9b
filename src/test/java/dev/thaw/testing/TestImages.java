package dev.thaw.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Small labeled image folders for engine tests, drawn on the spot: each class is a shape that a
 * tiny network tells apart within a few epochs; position, size and colour vary with a seed.
 */
public final class TestImages {

    public static final List<String> CLASSES = List.of("circle", "square", "stripes");

    private TestImages() {
    }

    /** {@code root/train/CLASS/*.png} and {@code root/val/CLASS/*.png}. */
    public static Path presplit(Path root, int trainPerClass, int valPerClass, int size, long seed) {
        write(root.resolve("train"), trainPerClass, size, seed);
        write(root.resolve("val"), valPerClass, size, seed + 1);
        return root;
    }

    /** {@code root/CLASS/*.png}. */
    public static Path flat(Path root, int perClass, int size, long seed) {
        write(root, perClass, size, seed);
        return root;
    }

    private static void write(Path dir, int perClass, int size, long seed) {
        Random r = new Random(seed);
        for (int c = 0; c < CLASSES.size(); c++) {
            Path classDir = dir.resolve(CLASSES.get(c));
            try {
                Files.createDirectories(classDir);
                for (int i = 0; i < perClass; i++) {
                    ImageIO.write(draw(c, size, r), "png", classDir.resolve(String.format(Locale.ROOT, "%03d.png", i)).toFile());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static BufferedImage draw(int cls, int size, Random r) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(200 + r.nextInt(56), 200 + r.nextInt(56), 200 + r.nextInt(56)));
        g.fillRect(0, 0, size, size);
        g.setColor(new Color(r.nextInt(120), r.nextInt(120), r.nextInt(120)));
        int s = size / 3 + r.nextInt(size / 4);
        int x = r.nextInt(size - s);
        int y = r.nextInt(size - s);
        switch (cls) {
            case 0 -> g.fillOval(x, y, s, s);
            case 1 -> g.fillRect(x, y, s, s);
            default -> {
                for (int k = 0; k < size; k += 6) {
                    g.fillRect(0, k, size, 2);
                }
            }
        }
        g.dispose();
        return img;
    }

    /** A file with an image extension that is not an image. */
    public static Path corrupt(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "not a png");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
