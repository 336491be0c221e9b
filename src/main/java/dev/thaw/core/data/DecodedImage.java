package dev.thaw.core.data;

import java.util.List;

/**
 * A decoded image file, upright and in 8-bit sRGB.
 *
 * @param image the pixels (possibly subsampled, see {@code subsampling})
 * @param width the full width of the picture as seen upright (after EXIF orientation), before subsampling
 * @param height the full height, likewise
 * @param format the format the content was decoded as ({@code jpeg}, {@code png}, {@code webp}, ...),
 *     whatever the file is named
 * @param subsampling 1 when every pixel was decoded; {@code n} when one pixel in {@code n} per axis was
 *     read so that a huge image fits in memory
 * @param notes decoder warnings that did not stop the decoding ("JPEG end marker missing"), possibly empty
 */
public record DecodedImage(RgbImage image, int width, int height, String format, int subsampling, List<String> notes) {

    public DecodedImage {
        notes = List.copyOf(notes);
    }
}
