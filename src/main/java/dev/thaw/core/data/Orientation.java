package dev.thaw.core.data;

import com.twelvemonkeys.imageio.metadata.CompoundDirectory;
import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import javax.imageio.stream.ImageInputStream;

/**
 * EXIF orientation (tag 274): how a camera says its pixels must be turned to be seen upright.
 * Phones store most portrait photos sideways with this tag set, so ignoring it trains on rotated
 * images. Read with TwelveMonkeys' metadata parser (already on the class path with its codecs)
 * from JPEG APP1 segments and TIFF's first directory.
 */
final class Orientation {

    /** The value meaning "already upright". */
    static final int NORMAL = 1;

    private Orientation() {
    }

    /**
     * The orientation stored in {@code stream} (1..8), or {@link #NORMAL} when there is none or it
     * cannot be read: a broken EXIF block never makes an image unreadable.
     */
    static int read(ImageInputStream stream, String formatName) {
        try {
            stream.seek(0);
            String format = formatName.toLowerCase(java.util.Locale.ROOT);
            if (format.contains("jpeg") || format.contains("jpg")) {
                List<JPEGSegment> exif = JPEGSegmentUtil.readSegments(stream, JPEG.APP1, "Exif");
                for (JPEGSegment segment : exif) {
                    byte[] tiff = payload(segment);
                    if (tiff != null) {
                        int value = fromTiff(new ByteArrayImageInputStream(tiff));
                        if (value != NORMAL) {
                            return value;
                        }
                    }
                }
                return NORMAL;
            }
            if (format.contains("tif")) {
                return fromTiff(stream);
            }
            return NORMAL;
        } catch (IOException | RuntimeException e) {
            return NORMAL;
        }
    }

    /** The TIFF structure inside an "Exif\0\0" segment (the identifier's terminator is consumed, one pad byte is not). */
    private static byte[] payload(JPEGSegment segment) throws IOException {
        try (InputStream in = segment.data()) {
            byte[] data = in.readAllBytes();
            int start = 0;
            while (start < data.length && data[start] == 0 && start < 2) {
                start++;
            }
            return data.length - start < 8 ? null : java.util.Arrays.copyOfRange(data, start, data.length);
        }
    }

    private static int fromTiff(ImageInputStream tiff) throws IOException {
        Directory dir = new TIFFReader().read(tiff);
        if (dir instanceof CompoundDirectory compound && compound.directoryCount() > 0) {
            dir = compound.getDirectory(0);
        }
        Entry entry = dir.getEntryById(TIFF.TAG_ORIENTATION);
        if (entry != null && entry.getValue() instanceof Number n) {
            int v = n.intValue();
            return v >= 1 && v <= 8 ? v : NORMAL;
        }
        return NORMAL;
    }

    /** True when the orientation swaps width and height (a quarter turn). */
    static boolean swapsAxes(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /** {@code image} turned upright for {@code orientation}. */
    static RgbImage apply(RgbImage image, int orientation) {
        if (orientation <= NORMAL || orientation > 8) {
            return image;
        }
        int w = image.width();
        int h = image.height();
        boolean swap = swapsAxes(orientation);
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] src = image.rgb();
        byte[] out = new byte[src.length];
        int o = 0;
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; } // 8
                }
                int s = 3 * (sy * w + sx);
                out[o++] = src[s];
                out[o++] = src[s + 1];
                out[o++] = src[s + 2];
            }
        }
        return new RgbImage(ow, oh, out);
    }
}
