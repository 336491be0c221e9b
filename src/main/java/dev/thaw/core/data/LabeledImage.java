package dev.thaw.core.data;

import java.nio.file.Path;

/** One image file and the index of its class in {@link SplitManifest#classes()}. */
public record LabeledImage(Path file, int label) {
}
