package dev.thaw.ui.common;

import dev.thaw.core.data.ImageLoadException;
import java.nio.file.Path;
import javafx.scene.image.Image;

/**
 * Makes the small picture of one image file. Called on background threads only; implementations
 * must be thread-safe. Tests pass a stub.
 */
@FunctionalInterface
public interface ThumbnailLoader {

    /** The thumbnail of {@code file}, at most the loader's size on its longer side. */
    Image load(Path file) throws ImageLoadException;
}
