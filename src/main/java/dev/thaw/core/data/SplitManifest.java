package dev.thaw.core.data;

import dev.thaw.core.util.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which image is in which split, and the class names. Saved with every run, so runs that share a
 * manifest are compared on exactly the same images.
 *
 * <p>Files are stored relative to {@code root} in the JSON file, so a dataset folder can move.
 *
 * <p>Two ways to build one: {@link #of(Path, double, double, long)} from file names alone (fast;
 * unreadable files are skipped later, when loading), or {@link #of(DatasetReport)} from a data
 * doctor report (only readable images, exact duplicates kept in one split). How folders, nested
 * folders and links are read is described on {@code DatasetScan}; how images are split on
 * {@code SplitPlanner}.
 *
 * @param root the dataset folder
 * @param classes class names; a {@link LabeledImage#label()} indexes this list
 * @param train training images
 * @param val validation images (chosen each epoch's metrics, early stopping and the best checkpoint)
 * @param test held-out images (may be empty)
 * @param seed the seed of the split ({@code -1} when the folder was already split, train and val as given)
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
     * Builds the manifest of {@code root}: {@code ROOT/train|val|test/CLASS/*} is kept as given (a
     * missing val folder is carved from train with {@code valFraction}); {@code ROOT/CLASS/*} is split
     * per class (stratified) with {@code seed}. Throws {@link IllegalArgumentException} when
     * {@code root} is not a folder or the fractions leave nothing to train on.
     */
    public static SplitManifest of(Path root, double valFraction, double testFraction, long seed) {
        SplitPlanner.checkFractions(valFraction, testFraction);
        DatasetScan scan = DatasetScan.of(root);
        List<SplitPlanner.Item> items = new ArrayList<>();
        for (DatasetScan.Candidate c : scan.candidates) {
            items.add(new SplitPlanner.Item(c.file(), scan.classes.indexOf(c.className()), c.split(), c.file().toString()));
        }
        return build(root, scan.layout, scan.classes, items, valFraction, testFraction, seed);
    }

    /** The split the doctor planned and showed: only readable images, duplicates kept together. */
    public static SplitManifest of(DatasetReport report) {
        return of(report, report.valFraction(), report.testFraction(), report.splitSeed());
    }

    /** Like {@link #of(DatasetReport)} with other fractions or another seed. */
    public static SplitManifest of(DatasetReport report, double valFraction, double testFraction, long seed) {
        List<SplitPlanner.Item> items = new ArrayList<>();
        for (DatasetReport.ImageEntry e : report.images()) {
            items.add(new SplitPlanner.Item(e.file(), e.label(), report.layout() == DatasetLayout.SPLIT_FOLDERS ? e.givenSplit() : null,
                    e.contentHash()));
        }
        return build(report.root(), report.layout(), report.classNames(), items, valFraction, testFraction, seed);
    }

    private static SplitManifest build(Path root, DatasetLayout layout, List<String> classes, List<SplitPlanner.Item> items,
            double valFraction, double testFraction, long seed) {
        Map<Path, Split> plan = SplitPlanner.plan(items, layout, valFraction, testFraction, seed);
        Map<Split, List<LabeledImage>> lists = SplitPlanner.lists(items, plan);
        boolean presplit = layout == DatasetLayout.SPLIT_FOLDERS;
        boolean carved = presplit && items.stream().noneMatch(i -> i.given() == Split.VAL) && !lists.get(Split.VAL).isEmpty();
        return new SplitManifest(root, classes, lists.get(Split.TRAIN), lists.get(Split.VAL), lists.get(Split.TEST),
                presplit && !carved ? -1 : seed, presplit);
    }

    /** Training images per class, indexed like {@link #classes()}. */
    public int[] trainCounts() {
        int[] counts = new int[classes.size()];
        for (LabeledImage i : train) {
            counts[i.label()]++;
        }
        return counts;
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
