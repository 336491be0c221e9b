package dev.thaw.ui.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thaw.core.data.ImageDecoder;
import dev.thaw.core.data.ImageLoadException;
import dev.thaw.ui.dataset.Folders;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import javafx.scene.image.Image;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Thumbnails off the FX thread, without a toolkit: size, colour, cache, and failures named. */
class DecodingThumbnailLoaderTest {

    @TempDir
    Path tmp;

    @Test
    void aLargeImageShrinksToTheThumbnailSizeKeepingItsShapeAndColour() throws Exception {
        BufferedImage wide = new BufferedImage(1200, 600, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = wide.createGraphics();
        g.setColor(new Color(200, 30, 40));
        g.fillRect(0, 0, 1200, 600);
        g.dispose();
        Path file = tmp.resolve("wide.png");
        ImageIO.write(wide, "png", file.toFile());

        Image thumb = new DecodingThumbnailLoader(new ImageDecoder(), 96, 10).load(file);

        assertThat(thumb.getWidth()).isEqualTo(96);
        assertThat(thumb.getHeight()).isEqualTo(48);
        int argb = thumb.getPixelReader().getArgb(40, 20);
        assertThat(argb).isEqualTo(0xFFC81E28);
    }

    @Test
    void aSmallImageKeepsItsSize() throws Exception {
        Path file = Files.write(tmp.resolve("small.png"), Folders.png(40, 1));
        assertThat(new DecodingThumbnailLoader().load(file).getWidth()).isEqualTo(40);
    }

    @Test
    void thumbnailsAreCachedUntilTheFileChanges() throws Exception {
        Path file = Files.write(tmp.resolve("a.png"), Folders.png(40, 1));
        DecodingThumbnailLoader loader = new DecodingThumbnailLoader(new ImageDecoder(), 96, 10);

        Image first = loader.load(file);
        assertThat(loader.load(file)).isSameAs(first);

        Files.write(file, Folders.png(40, 2));
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5_000));
        assertThat(loader.load(file)).isNotSameAs(first);
    }

    @Test
    void aBrokenFileSaysWhy() throws IOException {
        Path file = Files.writeString(tmp.resolve("notes.jpg"), "not a picture at all");
        assertThatThrownBy(() -> new DecodingThumbnailLoader().load(file)).isInstanceOf(ImageLoadException.class)
                .hasMessageContaining("notes.jpg").hasMessageContaining("text file");
        assertThatThrownBy(() -> new DecodingThumbnailLoader().load(tmp.resolve("gone.png"))).isInstanceOf(ImageLoadException.class)
                .hasMessageContaining("gone.png");
    }
}
