package dev.thaw.core.data;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A grid that shows what an augmentation preset does: one row per image, the plain model input
 * ({@link Augmentation#NONE}) first, then {@code variants} augmented versions with different seeds.
 * Made by the same pipeline code training uses, so what the grid shows is what the model sees
 * (before normalization).
 */
public final class AugmentationPreview {

    private static final int GAP = 4;

    /**
     * @param image the grid
     * @param skipped files that could not be read (not in the grid)
     */
    public record Grid(BufferedImage image, List<SkippedImage> skipped) {
    }

    private AugmentationPreview() {
    }

    /** Renders the grid for {@code files} (unreadable ones are skipped and listed). */
    public static Grid render(ImagePipeline pipeline, List<Path> files, Augmentation augmentation, int variants, long seed) {
        if (variants < 1) {
            throw new IllegalArgumentException("variants must be at least 1, was " + variants);
        }
        int size = pipeline.transform().size();
        List<List<RgbImage>> rows = new ArrayList<>();
        List<SkippedImage> skipped = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            try {
                List<RgbImage> row = new ArrayList<>();
                row.add(pipeline.augmented(file, Augmentation.NONE, seed));
                for (int v = 0; v < variants; v++) {
                    row.add(pipeline.augmented(file, augmentation, ImagePipeline.imageSeed(seed, (long) i * variants + v)));
                }
                rows.add(row);
            } catch (ImageLoadException e) {
                skipped.add(new SkippedImage(file, e.reason()));
            }
        }
        int cols = variants + 1;
        int width = Math.max(1, cols * size + (cols + 1) * GAP);
        int height = Math.max(1, rows.size() * size + (rows.size() + 1) * GAP);
        BufferedImage grid = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < cols; c++) {
                    g.drawImage(rows.get(r).get(c).toBufferedImage(), GAP + c * (size + GAP), GAP + r * (size + GAP), null);
                }
            }
        } finally {
            g.dispose();
        }
        return new Grid(grid, List.copyOf(skipped));
    }
}
