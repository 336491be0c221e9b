package dev.thaw.core.data;

import java.nio.file.Path;

/** A file that could not be used, and why, in words a user can act on. */
public record SkippedImage(Path file, String reason) {
}
