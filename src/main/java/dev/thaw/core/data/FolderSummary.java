package dev.thaw.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A quick look at a labeled image folder: its layout, classes and image counts per split, from
 * file names only (nothing is decoded). The data doctor does the thorough check.
 *
 * @param root the folder
 * @param presplit true for {@code ROOT/train|val|test/CLASS/*}, false for {@code ROOT/CLASS/*}
 * @param classes class names in sorted order
 * @param counts per split name ("all" when not presplit), per class, the number of image files
 */
public record FolderSummary(Path root, boolean presplit, List<String> classes, Map<String, Map<String, Integer>> counts) {

    private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif", "webp", "tif", "tiff");
    private static final List<String> SPLITS = List.of("train", "val", "test");

    /** True if the file name has an image extension (case-insensitive) and is not hidden. */
    public static boolean looksLikeImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return !name.startsWith(".") && dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Summarizes {@code root}; throws {@link IllegalArgumentException} naming the folder if it is not one. */
    public static FolderSummary of(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("Not a folder: " + root);
        }
        boolean presplit = Files.isDirectory(root.resolve("train"));
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        java.util.TreeSet<String> classes = new java.util.TreeSet<>();
        if (presplit) {
            for (String split : SPLITS) {
                Path dir = root.resolve(split);
                if (Files.isDirectory(dir)) {
                    Map<String, Integer> perClass = countClasses(dir);
                    classes.addAll(perClass.keySet());
                    counts.put(split, perClass);
                }
            }
        } else {
            Map<String, Integer> perClass = countClasses(root);
            classes.addAll(perClass.keySet());
            counts.put("all", perClass);
        }
        return new FolderSummary(root, presplit, List.copyOf(classes), counts);
    }

    private static Map<String, Integer> countClasses(Path dir) {
        Map<String, Integer> perClass = new java.util.TreeMap<>();
        try (Stream<Path> children = Files.list(dir)) {
            List<Path> classDirs = new ArrayList<>();
            children.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).forEach(classDirs::add);
            for (Path classDir : classDirs) {
                try (Stream<Path> files = Files.list(classDir)) {
                    perClass.put(classDir.getFileName().toString(),
                            (int) files.filter(Files::isRegularFile).filter(FolderSummary::looksLikeImage).count());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the folder " + dir + ": " + e.getMessage(), e);
        }
        return perClass;
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
