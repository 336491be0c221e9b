package dev.thaw.ui.common;

import dev.thaw.core.data.DecodedImage;
import dev.thaw.core.data.ImageDecoder;
import dev.thaw.core.data.RgbImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;

/**
 * Image thumbnails decoded in the background by Thaw's own {@link ImageDecoder} (every format the
 * data doctor reads), for galleries of validation images. A node is returned at once; the picture
 * fills in when decoded, or the node says why the file could not be read. Recently used pictures
 * are kept.
 */
public final class Thumbnails {

    private final TaskExecutor executor;
    private final ImageDecoder decoder = new ImageDecoder();
    private final Map<Path, Image> cache = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, Image> eldest) {
            return size() > 512;
        }
    };

    public Thumbnails(TaskExecutor executor) {
        this.executor = executor;
    }

    /** A square node of {@code size} pixels that shows {@code file} once decoded. */
    public StackPane view(Path file, int size) {
        ImageView iv = new ImageView();
        iv.setFitWidth(size);
        iv.setFitHeight(size);
        iv.setPreserveRatio(true);
        iv.setSmooth(false);
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
        Image hit;
        synchronized (cache) {
            hit = cache.get(file);
        }
        if (hit != null) {
            iv.setImage(hit);
            return box;
        }
        executor.execute(BackgroundTask.of("Decoding " + file.getFileName(), m -> decode(file, size * 2))
                .onSuccess(img -> {
                    synchronized (cache) {
                        cache.put(file, img);
                    }
                    iv.setImage(img);
                })
                .onFailure(e -> {
                    Label l = new Label("unreadable");
                    l.getStyleClass().add("thumbnail-error");
                    Tooltip.install(box, new Tooltip(file + ": " + e.getMessage()));
                    box.getChildren().add(l);
                }));
        return box;
    }

    private Image decode(Path file, int size) throws Exception {
        DecodedImage d = decoder.decode(file, size);
        RgbImage src = d.image();
        int w = src.width();
        int h = src.height();
        byte[] rgb = src.rgb();
        int[] argb = new int[w * h];
        for (int i = 0, j = 0; i < argb.length; i++, j += 3) {
            argb[i] = 0xFF000000 | (rgb[j] & 0xFF) << 16 | (rgb[j + 1] & 0xFF) << 8 | rgb[j + 2] & 0xFF;
        }
        // A WritableImage not yet shown anywhere may be filled on any thread.
        WritableImage img = new WritableImage(w, h);
        img.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        return img;
    }
}
