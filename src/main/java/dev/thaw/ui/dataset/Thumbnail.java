package dev.thaw.ui.dataset;

import java.nio.file.Path;
import java.util.Objects;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.image.Image;

/**
 * One sample image of a class as the panel shows it: known at once from the report (file, caption,
 * details), its picture filled in when the background loader has made it, or the reason it could
 * not. Changes only on the UI thread.
 */
public final class Thumbnail {

    private final Path file;
    private final String caption;
    private final String details;
    private final ReadOnlyObjectWrapper<Image> image = new ReadOnlyObjectWrapper<>(this, "image");
    private final ReadOnlyStringWrapper failure = new ReadOnlyStringWrapper(this, "failure");

    Thumbnail(Path file, String caption, String details) {
        this.file = Objects.requireNonNull(file);
        this.caption = caption;
        this.details = details;
    }

    public Path file() {
        return file;
    }

    /** The file's path inside the dataset ("train/circle/0003.jpg"). */
    public String caption() {
        return caption;
    }

    /** "64 × 64 · JPEG · train". */
    public String details() {
        return details;
    }

    /** The picture; null until loaded, and when it could not be made. */
    public ReadOnlyObjectProperty<Image> imageProperty() {
        return image.getReadOnlyProperty();
    }

    /** Why there is no picture ("the file is gone"); null while loading and once loaded. */
    public ReadOnlyStringProperty failureProperty() {
        return failure.getReadOnlyProperty();
    }

    void loaded(Image picture, String reason) {
        image.set(picture);
        failure.set(reason);
    }

    @Override
    public String toString() {
        return "Thumbnail[" + caption + "]";
    }
}
