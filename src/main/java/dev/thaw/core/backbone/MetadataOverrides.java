package dev.thaw.core.backbone;

/**
 * Input settings the user gives explicitly (CLI {@code --image-size}, {@code --mean},
 * {@code --std}); each wins over the sidecar and over what Thaw would infer. {@code null} means
 * not given.
 */
public record MetadataOverrides(Integer imageSize, float[] mean, float[] std) {

    public static final MetadataOverrides NONE = new MetadataOverrides(null, null, null);

    public MetadataOverrides {
        mean = mean == null ? null : mean.clone();
        std = std == null ? null : std.clone();
        if (imageSize != null && imageSize < 8) {
            throw new IllegalArgumentException("image size must be at least 8, was " + imageSize);
        }
        if (mean != null && mean.length != 3) {
            throw new IllegalArgumentException("mean needs 3 values (R,G,B), got " + mean.length);
        }
        if (std != null && std.length != 3) {
            throw new IllegalArgumentException("std needs 3 values (R,G,B), got " + std.length);
        }
    }
}
