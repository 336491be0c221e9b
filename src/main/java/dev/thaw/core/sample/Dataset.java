package dev.thaw.core.sample;

import java.util.List;

/**
 * The sample datasets shipped in the repository's {@code sample-data/} folder.
 *
 * <ul>
 *   <li>{@link #SOURCE}: the source task a small backbone is pretrained on: single geometric
 *       glyphs, dark on light grey.
 *   <li>{@link #TARGET_TRAIN} and {@link #TARGET_VAL}: the target task, other classes
 *       (compositions of the same primitives) in a shifted, colourful and noisy look; a small
 *       training split and a larger validation split.
 *   <li>{@link #UNLABELED}: the target classes in a further-shifted look (light on dark, heavier
 *       noise) as one flat, shuffled, unlabeled folder, for domain adaptation.
 * </ul>
 */
public enum Dataset {

    /** {@code shapes-source/CLASS/NNNN.png}: 16 classes, 200 images each. */
    SOURCE("shapes-source", Glyphs.SOURCE, 200, "png", true),
    /** {@code shapes-target/train/CLASS/NNNN.jpg}: 8 classes, 24 images each. */
    TARGET_TRAIN("shapes-target/train", Glyphs.TARGET, 24, "jpg", true),
    /** {@code shapes-target/val/CLASS/NNNN.jpg}: 8 classes, 40 images each. */
    TARGET_VAL("shapes-target/val", Glyphs.TARGET, 40, "jpg", true),
    /**
     * {@code shapes-unlabeled/uNNNN.jpg}: the 8 target classes, 40 images each, shuffled; the
     * labels are kept apart in {@value SampleDataGenerator#UNLABELED_LABELS_CSV}.
     */
    UNLABELED("shapes-unlabeled", Glyphs.TARGET, 40, "jpg", false);

    private final String folder;
    private final List<Glyphs.Spec> specs;
    private final List<String> classes;
    private final int perClass;
    private final String extension;
    private final boolean labeledByFolder;

    Dataset(String folder, List<Glyphs.Spec> specs, int perClass, String extension, boolean labeledByFolder) {
        this.folder = folder;
        this.specs = specs;
        this.classes = specs.stream().map(Glyphs.Spec::name).toList();
        this.perClass = perClass;
        this.extension = extension;
        this.labeledByFolder = labeledByFolder;
    }

    /** The folder relative to {@code sample-data/}, with {@code /} as separator. */
    public String folder() {
        return folder;
    }

    /** The class names in a fixed (alphabetical) order; they are the folder names where labeled. */
    public List<String> classes() {
        return classes;
    }

    /** Images per class. */
    public int perClass() {
        return perClass;
    }

    /** Images in the dataset. */
    public int imageCount() {
        return perClass * classes.size();
    }

    /** The file extension without the dot: {@code png} or {@code jpg}. */
    public String extension() {
        return extension;
    }

    /** Whether images sit in one folder per class; otherwise the folder is flat and unlabeled. */
    public boolean labeledByFolder() {
        return labeledByFolder;
    }

    Glyphs.Spec spec(String className) {
        for (Glyphs.Spec s : specs) {
            if (s.name().equals(className)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no class '" + className + "' in " + this + "; classes: " + classes);
    }
}
