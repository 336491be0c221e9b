package dev.thaw.core.data;

/** Training-time augmentation presets. Seeded: the same seed gives the same augmented images. */
public enum Augmentation {
    /** Resize and normalize only. */
    NONE,
    /** Random resized crop (mild), horizontal flip. */
    LIGHT,
    /** Random resized crop, flip, small rotation and color jitter. */
    STRONG
}
