package dev.thaw.core.data;

import java.util.Arrays;
import java.util.Locale;

/**
 * How an image becomes a backbone's input: resized to {@code size x size} RGB and normalized per
 * channel as {@code (value/255 - mean) / std}, laid out channels-first (CHW).
 */
public record ImageTransform(int size, float[] mean, float[] std) {

    /** The ImageNet statistics torchvision's pretrained models expect. */
    private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    public ImageTransform {
        if (size < 8) {
            throw new IllegalArgumentException("image size must be at least 8, was " + size);
        }
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need 3 values (R, G, B)");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std values must be positive, were " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** {@code size} px input normalized with the ImageNet mean and std (when a backbone's metadata says nothing). */
    public static ImageTransform imagenet(int size) {
        return new ImageTransform(size, IMAGENET_MEAN, IMAGENET_STD);
    }

    /** Floats per image. */
    public int floatsPerImage() {
        return 3 * size * size;
    }

    /** A stable text naming this transform, for cache keys. */
    public String key() {
        return String.format(Locale.ROOT, "s%d-m%.4f,%.4f,%.4f-d%.4f,%.4f,%.4f", size, mean[0], mean[1], mean[2], std[0], std[1], std[2]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageTransform t && t.size == size && Arrays.equals(t.mean, mean) && Arrays.equals(t.std, std);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * size + Arrays.hashCode(mean)) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return key();
    }
}
