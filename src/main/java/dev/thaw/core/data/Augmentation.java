package dev.thaw.core.data;

/**
 * Training-time augmentation presets. Seeded: the same seed gives the same augmented images. Every
 * preset starts from the same base image (shorter side {@code size / 0.875}); evaluation always uses
 * {@link #NONE}.
 */
public enum Augmentation {
    /** The centered {@code size x size} crop of the base image (Resize(256) + CenterCrop(224) at 224 px). */
    NONE,
    /** Random resized crop (50-100 % of the area, aspect 3:4 to 4:3) and horizontal flip. */
    LIGHT,
    /**
     * Random resized crop (20-100 % of the area), horizontal flip, rotation up to 15 degrees either way,
     * and brightness, contrast and saturation jitter up to 30 %.
     */
    STRONG
}
