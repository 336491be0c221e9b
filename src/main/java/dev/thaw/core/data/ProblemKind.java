package dev.thaw.core.data;

/**
 * The kinds of dataset problems, each with its usual severity and a short title for grouping. The
 * order is the order in which reports list them.
 */
public enum ProblemKind {
    // The dataset as a whole
    NO_CLASSES(Severity.ERROR, "No class folders"),
    SINGLE_CLASS(Severity.ERROR, "Only one class"),
    NO_TRAINING_IMAGES(Severity.ERROR, "No training images"),

    // Files that are skipped
    EMPTY_FILE(Severity.WARNING, "Empty files (skipped)"),
    NOT_AN_IMAGE(Severity.WARNING, "Not images despite their names (skipped)"),
    UNSUPPORTED_FORMAT(Severity.WARNING, "Unsupported image formats (skipped)"),
    TRUNCATED(Severity.WARNING, "Truncated images (skipped)"),
    CORRUPT(Severity.WARNING, "Corrupt images (skipped)"),
    TOO_LARGE(Severity.WARNING, "Images too large to decode (skipped)"),
    READ_ERROR(Severity.WARNING, "Files that cannot be read (skipped)"),

    // Classes and splits
    EMPTY_CLASS(Severity.WARNING, "Empty class folders (left out)"),
    CLASS_WITHOUT_READABLE_IMAGES(Severity.WARNING, "Classes with no readable image"),
    FEW_IMAGES(Severity.WARNING, "Classes with very few images"),
    CLASS_MISSING_FROM_SPLIT(Severity.WARNING, "Classes missing from a split"),
    CLASS_IMBALANCE(Severity.WARNING, "Class imbalance"),
    LEAKAGE(Severity.WARNING, "Same image in train and val/test (leakage)"),
    CONFLICTING_LABELS(Severity.WARNING, "Same image in different classes"),
    DUPLICATE(Severity.WARNING, "Exact duplicates"),

    // Images that are used but odd
    SMALL_IMAGE(Severity.WARNING, "Very small images"),
    LARGE_IMAGE(Severity.WARNING, "Very large images"),

    // Folder structure
    STRAY_IMAGES(Severity.WARNING, "Images outside any class folder (ignored)"),
    SYMLINK_LOOP(Severity.WARNING, "Links that loop back (not followed)"),
    BROKEN_LINK(Severity.WARNING, "Broken links"),
    UNREADABLE_FOLDER(Severity.WARNING, "Folders that cannot be read"),
    TOO_DEEP(Severity.WARNING, "Folders nested too deep (ignored)"),
    MISSING_VAL_SPLIT(Severity.INFO, "No val folder"),
    EXTRA_FOLDER(Severity.INFO, "Other folders next to train/val (ignored)"),

    // Ignored on purpose
    HIDDEN_FILE(Severity.INFO, "Hidden files and folders (ignored)"),
    IGNORED_FILE(Severity.INFO, "Files that are not images (ignored)"),
    DECODER_NOTE(Severity.INFO, "Decoded with a note");

    private final Severity severity;
    private final String title;

    ProblemKind(Severity severity, String title) {
        this.severity = severity;
        this.title = title;
    }

    /** The usual severity of this kind. */
    public Severity severity() {
        return severity;
    }

    /** A short plural heading ("Truncated images (skipped)"). */
    public String title() {
        return title;
    }

    /** True for kinds that mean a candidate image file cannot be used and is skipped. */
    public boolean skipsFile() {
        return switch (this) {
            case EMPTY_FILE, NOT_AN_IMAGE, UNSUPPORTED_FORMAT, TRUNCATED, CORRUPT, TOO_LARGE, READ_ERROR -> true;
            default -> false;
        };
    }
}
