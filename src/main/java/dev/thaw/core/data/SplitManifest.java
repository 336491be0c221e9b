package dev.thaw.core.data;

import dev.thaw.core.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Which image is in which split, and the class names. Saved with every run, so runs that share a
 * manifest are compared on exactly the same images.
 *
 * <p>Files are stored relative to {@code root} in the JSON file, so a dataset folder can move.
 *
 * @param root the dataset folder
 * @param classes class names; a {@link LabeledImage#label()} indexes this list
 * @param train training images
 * @param val validation images (chosen each epoch's metrics, early stopping and the best checkpoint)
 * @param test held-out images (may be empty)
 * @param seed the seed of the split ({@code -1} when the folder was already split)
 * @param presplit true when the folder had {@code train/} and {@code val/} sub-folders, kept as given
 */
public record SplitManifest(Path root, List<String> classes, List<LabeledImage> train, List<LabeledImage> val,
        List<LabeledImage> test, long seed, boolean presplit) {

    public SplitManifest {
        classes = List.copyOf(classes);
        train = List.copyOf(train);
        val = List.copyOf(val);
        test = List.copyOf(test);
    }

    /**
     * Builds the manifest of {@code root}: {@code ROOT/train|val|test/CLASS/*} is kept as given;
     * {@code ROOT/CLASS/*} is split per class (stratified) with {@code seed}.
     */
    public static SplitManifest of(Path root, double valFraction, double testFraction, long seed) {
        FolderSummary summary = FolderSummary.of(root);
        List<String> classes = summary.classes();
        if (summary.presplit()) {
            return new SplitManifest(root, classes, list(root.resolve("train"), classes), list(root.resolve("val"), classes),
                    list(root.resolve("test"), classes), -1, true);
        }
        List<LabeledImage> train = new ArrayList<>();
        List<LabeledImage> val = new ArrayList<>();
        List<LabeledImage> test = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            List<Path> files = files(root.resolve(classes.get(c)));
            Collections.shuffle(files, new Random(seed * 31 + c));
            int n = files.size();
            int nVal = (int) Math.round(n * valFraction);
            int nTest = (int) Math.round(n * testFraction);
            for (int i = 0; i < n; i++) {
                LabeledImage item = new LabeledImage(files.get(i), c);
                (i < nVal ? val : i < nVal + nTest ? test : train).add(item);
            }
        }
        return new SplitManifest(root, classes, train, val, test, seed, false);
    }

    private static List<LabeledImage> list(Path splitDir, List<String> classes) {
        List<LabeledImage> out = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            for (Path f : files(splitDir.resolve(classes.get(c)))) {
                out.add(new LabeledImage(f, c));
            }
        }
        return out;
    }

    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return new ArrayList<>();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.filter(Files::isRegularFile).filter(FolderSummary::looksLikeImage).sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes the manifest with paths relative to the root. */
    public void save(Path file) {
        Json.write(file, new Stored(root, classes, relative(train), relative(val), relative(test), seed, presplit));
    }

    /** Reads a manifest written by {@link #save}. */
    public static SplitManifest load(Path file) {
        Stored s = Json.read(file, Stored.class);
        return new SplitManifest(s.root, s.classes, absolute(s.root, s.train), absolute(s.root, s.val),
                absolute(s.root, s.test == null ? List.of() : s.test), s.seed, s.presplit);
    }

    private List<Entry> relative(List<LabeledImage> items) {
        return items.stream().map(i -> new Entry(root.relativize(i.file()).toString().replace('\\', '/'), i.label())).toList();
    }

    private static List<LabeledImage> absolute(Path root, List<Entry> entries) {
        return entries.stream().map(e -> new LabeledImage(root.resolve(e.file), e.label)).toList();
    }

    private record Entry(String file, int label) {
    }

    private record Stored(Path root, List<String> classes, List<Entry> train, List<Entry> val, List<Entry> test, long seed,
            boolean presplit) {
    }
}
