package dev.thaw.core.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * An 8-bit sRGB image as one byte array, {@code R G B} per pixel, row after row. The form every
 * decoded file is turned into, whatever its format, bit depth, palette or alpha, so the rest of
 * the pipeline has exactly one pixel layout to handle.
 */
public final class RgbImage {

    private final int width;
    private final int height;
    private final byte[] rgb;

    /** Wraps {@code rgb} (not copied): {@code width * height * 3} bytes. */
    public RgbImage(int width, int height, byte[] rgb) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, was " + width + "x" + height);
        }
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("expected " + width * height * 3 + " bytes for " + width + "x" + height
                    + ", got " + rgb.length);
        }
        this.width = width;
        this.height = height;
        this.rgb = rgb;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The pixels, not copied: callers must not change them once the image is shared (the cache shares it). */
    public byte[] rgb() {
        return rgb;
    }

    /** Bytes held by the pixels. */
    public long sizeInBytes() {
        return rgb.length;
    }

    /** A copy as a {@code TYPE_3BYTE_BGR} image, for writing PNGs and showing previews. */
    public BufferedImage toBufferedImage() {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        return out;
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
