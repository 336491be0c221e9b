package dev.thaw.ui.common;

import dev.thaw.core.data.ImageDecoder;
import java.nio.file.Path;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.layout.StackPane;

/**
 * Gallery tiles of validation images: a node is returned at once and its picture, made in the
 * background by a {@link DecodingThumbnailLoader} (Thaw's own decoder, shrunk, recently used ones
 * kept), fills in when ready; the node says why when the file cannot be read.
 */
public final class Thumbnails {

    /** Tiles are shown at up to this many pixels; pictures are made at twice that for HiDPI screens. */
    private static final int TILE = 72;

    private final TaskExecutor executor;
    private final ThumbnailLoader loader = new DecodingThumbnailLoader(new ImageDecoder(), 2 * TILE, 512);

    public Thumbnails(TaskExecutor executor) {
        this.executor = executor;
    }

    /** A square node of {@code size} pixels that shows {@code file} once decoded. */
    public StackPane view(Path file, int size) {
        ImageView iv = new ImageView();
        iv.setFitWidth(size);
        iv.setFitHeight(size);
        iv.setPreserveRatio(true);
        iv.setSmooth(true);
        StackPane box = new StackPane(iv);
        box.getStyleClass().add("thumbnail");
        box.setMinSize(size, size);
        box.setPrefSize(size, size);
        box.setMaxSize(size, size);
        if (file == null) {
            box.getChildren().add(new Label("?"));
            return box;
        }
        Tooltip.install(box, new Tooltip(file.toString()));
        executor.execute(BackgroundTask.of("Decoding " + file.getFileName(), m -> loader.load(file))
                .onSuccess(iv::setImage)
                .onFailure(e -> {
                    Label l = new Label("unreadable");
                    l.getStyleClass().add("thumbnail-error");
                    Tooltip.install(box, new Tooltip(file + ": " + e.getMessage()));
                    box.getChildren().add(l);
                }));
        return box;
    }
}
