package dev.thaw.core.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Decides which split every image goes to. Shared by {@link SplitManifest} and the {@link DataDoctor},
 * so the split the doctor shows is the split a run gets.
 *
 * <ul>
 *   <li>{@link DatasetLayout#CLASS_FOLDERS}: per class (stratified), seeded. Files in one group (exact
 *       duplicates, when content hashes are known) go to the same split, so a copy can never leak
 *       from train into val. Every class with at least 2 images gets at least 1 validation image when
 *       {@code valFraction > 0} (3 images for a test image), and at least 1 stays in train.
 *   <li>{@link DatasetLayout#SPLIT_FOLDERS}: as given. When there are no validation images at all,
 *       {@code valFraction} of each class's training images is taken for validation the same way.
 * </ul>
 */
final class SplitPlanner {

    /** One image to place; {@code group} ties files that must share a split (a content hash, or the path). */
    record Item(Path file, int label, Split given, String group) {
    }

    private SplitPlanner() {
    }

    static void checkFractions(double valFraction, double testFraction) {
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must be at least 0 and below 1, was " + valFraction);
        }
        if (!(testFraction >= 0 && valFraction + testFraction < 1)) {
            throw new IllegalArgumentException("the test fraction must be at least 0 and leave images to train on, was "
                    + testFraction);
        }
    }

    /** The split of every item, in the items' order. */
    static Map<Path, Split> plan(List<Item> items, DatasetLayout layout, double valFraction, double testFraction, long seed) {
        checkFractions(valFraction, testFraction);
        Map<Path, Split> out = new LinkedHashMap<>();
        if (layout == DatasetLayout.SPLIT_FOLDERS) {
            boolean hasVal = items.stream().anyMatch(i -> i.given() == Split.VAL);
            List<Item> train = new ArrayList<>();
            for (Item i : items) {
                out.put(i.file(), i.given());
                if (i.given() == Split.TRAIN) {
                    train.add(i);
                }
            }
            if (!hasVal && valFraction > 0) {
                stratified(train, valFraction, 0, seed, out);
            }
            return out;
        }
        stratified(items, valFraction, testFraction, seed, out);
        return out;
    }

    private static void stratified(List<Item> items, double valFraction, double testFraction, long seed, Map<Path, Split> out) {
        Map<Integer, Map<String, List<Item>>> byClass = new java.util.TreeMap<>();
        for (Item i : items) {
            byClass.computeIfAbsent(i.label(), k -> new LinkedHashMap<>()).computeIfAbsent(i.group(), k -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<Integer, Map<String, List<Item>>> e : byClass.entrySet()) {
            List<List<Item>> groups = new ArrayList<>(e.getValue().values());
            for (List<Item> g : groups) {
                g.sort(Comparator.comparing(i -> i.file().toString()));
            }
            // A fixed order before shuffling, so the result depends on the seed only, not on scan order.
            groups.sort(Comparator.comparing(g -> g.get(0).file().toString()));
            Collections.shuffle(groups, new Random(seed * 31 + e.getKey()));
            int n = groups.stream().mapToInt(List::size).sum();
            int[] target = targets(n, valFraction, testFraction);
            int inVal = 0;
            int inTest = 0;
            for (List<Item> g : groups) {
                Split s;
                if (inVal < target[0]) {
                    s = Split.VAL;
                    inVal += g.size();
                } else if (inTest < target[1]) {
                    s = Split.TEST;
                    inTest += g.size();
                } else {
                    s = Split.TRAIN;
                }
                for (Item i : g) {
                    out.put(i.file(), s);
                }
            }
        }
    }

    /** Validation and test image counts for a class of {@code n} images. */
    static int[] targets(int n, double valFraction, double testFraction) {
        int val = (int) Math.round(n * valFraction);
        int test = (int) Math.round(n * testFraction);
        if (valFraction > 0 && val == 0 && n >= 2) {
            val = 1;
        }
        if (testFraction > 0 && test == 0 && n >= 3) {
            test = 1;
        }
        while (val + test > Math.max(0, n - 1)) {
            if (test > 0) {
                test--;
            } else {
                val--;
            }
        }
        return new int[] {val, test};
    }

    /** Builds the three lists of a manifest from a plan, each sorted by label then path. */
    static Map<Split, List<LabeledImage>> lists(List<Item> items, Map<Path, Split> plan) {
        Map<Split, List<LabeledImage>> out = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            out.put(s, new ArrayList<>());
        }
        for (Item i : items) {
            Split s = plan.get(i.file());
            if (s != null) {
                out.get(s).add(new LabeledImage(i.file(), i.label()));
            }
        }
        Comparator<LabeledImage> order = Comparator.comparingInt(LabeledImage::label).thenComparing(l -> l.file().toString());
        out.values().forEach(l -> l.sort(order));
        return out;
    }
}
