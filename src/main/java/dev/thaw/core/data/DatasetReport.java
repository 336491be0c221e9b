package dev.thaw.core.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What the {@link DataDoctor} found in a labeled image folder: the classes and how many readable
 * images each split holds, every readable image, and every problem with its severity, the file it
 * concerns and the reason. Immutable; the CLI prints it ({@code thaw doctor}, {@code --json}) and the
 * GUI shows it.
 *
 * <p>For {@link DatasetLayout#CLASS_FOLDERS} the split counts are the split Thaw will make with
 * {@code valFraction}, {@code testFraction} and {@code splitSeed}; {@link SplitManifest#of(DatasetReport)}
 * gives exactly that split.
 *
 * @param root the dataset folder
 * @param layout class folders, or train/val/test folders
 * @param classes per class, in label order: readable images per split, unreadable files, suggested weight
 * @param images every readable image, with its label, split, size and content hash
 * @param problems everything worth telling, errors first
 * @param filesChecked candidate image files decoded
 * @param valFraction the validation share used for the planned split
 * @param testFraction the test share used for the planned split
 * @param splitSeed the seed of the planned split
 * @param elapsedMillis how long the check took
 */
public record DatasetReport(Path root, DatasetLayout layout, List<ClassSummary> classes, List<ImageEntry> images,
        List<Problem> problems, int filesChecked, double valFraction, double testFraction, long splitSeed, long elapsedMillis) {

    /**
     * One class.
     *
     * @param name the class folder's name
     * @param train readable images in the training split
     * @param val readable images in the validation split
     * @param test readable images in the test split
     * @param unreadable image files of this class that cannot be used
     * @param suggestedWeight the balanced loss weight for this class (see {@link ClassWeights})
     */
    public record ClassSummary(String name, int train, int val, int test, int unreadable, double suggestedWeight) {

        /** Readable images in all splits. */
        public int total() {
            return train + val + test;
        }
    }

    /**
     * One readable image.
     *
     * @param file the file
     * @param label index into {@link DatasetReport#classes()}
     * @param split where it goes: as given, or as Thaw's split places it
     * @param folderSplit the split folder it lies in ({@code null} in the class-folder layout)
     * @param width upright width in pixels
     * @param height upright height in pixels
     * @param format the decoded format ({@code jpeg}, {@code png}, ...)
     * @param contentHash the SHA-256 of the file's bytes ({@link ContentHash})
     */
    public record ImageEntry(Path file, int label, Split split, Split folderSplit, int width, int height, String format,
            String contentHash) {

        /** The split folder the file lies in, for the split-folder layout. */
        Split givenSplit() {
            return folderSplit;
        }
    }

    public DatasetReport {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(layout, "layout");
        classes = List.copyOf(classes);
        images = List.copyOf(images);
        problems = List.copyOf(problems);
    }

    /** Class names in label order. */
    public List<String> classNames() {
        return classes.stream().map(ClassSummary::name).toList();
    }

    /** Problems of one severity. */
    public List<Problem> problems(Severity severity) {
        return problems.stream().filter(p -> p.severity() == severity).toList();
    }

    /** Problems of one kind. */
    public List<Problem> problems(ProblemKind kind) {
        return problems.stream().filter(p -> p.kind() == kind).toList();
    }

    /** Number of problems of {@code severity}. */
    public long count(Severity severity) {
        return problems.stream().filter(p -> p.severity() == severity).count();
    }

    /** True when nothing stops training (no {@link Severity#ERROR}). */
    public boolean canTrain() {
        return count(Severity.ERROR) == 0;
    }

    /** Candidate image files that cannot be used and will be skipped. */
    public List<Problem> skippedFiles() {
        return problems.stream().filter(p -> p.kind().skipsFile() && p.file() != null).toList();
    }

    /** Readable images in all splits. */
    public int usableImages() {
        return images.size();
    }

    /** Readable images in {@code split}, all classes. */
    public int total(Split split) {
        return classes.stream().mapToInt(c -> switch (split) {
            case TRAIN -> c.train();
            case VAL -> c.val();
            case TEST -> c.test();
        }).sum();
    }

    /** Training images per class, in label order. */
    public int[] trainCounts() {
        return classes.stream().mapToInt(ClassSummary::train).toArray();
    }

    /** Balanced loss weights per label ({@link ClassWeights#balanced(int[])} of the training counts). */
    public float[] suggestedClassWeights() {
        return ClassWeights.balanced(trainCounts());
    }
}
