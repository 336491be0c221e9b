package dev.thaw.core.data;

/** How a labeled image folder is organized. */
public enum DatasetLayout {
    /** {@code ROOT/CLASS/*}: Thaw makes a seeded, stratified train/val(/test) split. */
    CLASS_FOLDERS,
    /** {@code ROOT/train|val|test/CLASS/*}: the split is kept as given. */
    SPLIT_FOLDERS
}
