package dev.thaw.core.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A quick look at a labeled image folder: its layout, classes and image counts per split, from
 * file names only (nothing is decoded). The {@link DataDoctor} does the thorough check.
 *
 * @param root the folder
 * @param presplit true for {@code ROOT/train|val|test/CLASS/*}, false for {@code ROOT/CLASS/*}
 * @param classes class names in sorted order (folders without images are left out)
 * @param counts per split name ("all" when not presplit), per class, the number of image files
 */
public record FolderSummary(Path root, boolean presplit, List<String> classes, Map<String, Map<String, Integer>> counts) {

    /** True if the file name has an image extension (case-insensitive) and is not hidden. */
    public static boolean looksLikeImage(Path file) {
        return ImageFiles.hasImageName(file);
    }

    /** Summarizes {@code root}; throws {@link IllegalArgumentException} naming the folder if it is not one. */
    public static FolderSummary of(Path root) {
        DatasetScan scan = DatasetScan.of(root);
        return new FolderSummary(root, scan.presplit(), scan.classes, scan.counts());
    }

    /** Images in {@code split} for {@code className} (0 if none). */
    public int count(String split, String className) {
        return counts.getOrDefault(split, Map.of()).getOrDefault(className, 0);
    }

    /** All images counted. */
    public int total() {
        return counts.values().stream().flatMap(m -> m.values().stream()).mapToInt(Integer::intValue).sum();
    }
}
