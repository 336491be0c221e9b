package dev.thaw.core.data;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.image.BufferedImage;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads one image file of any supported format into upright 8-bit sRGB, or says in words why it
 * cannot. Thread-safe: every call uses its own reader.
 *
 * <p>Formats come from ImageIO plus TwelveMonkeys (JPEG including CMYK/YCCK and progressive, PNG,
 * BMP, GIF (first frame), WebP, TIFF). The reader is chosen from the file's content, not its name.
 *
 * <p>Memory stays bounded whatever the file says: the header's size is checked first; images over
 * {@link #maxPixels()} are refused as possible decompression bombs; images over the decode budget are
 * read with source subsampling (every n-th pixel per axis), so a 10000x10000 image never becomes a
 * 400 MB raster.
 */
public final class ImageDecoder {

    /** Refuse images whose header declares more pixels than this (Pillow refuses at about 179 Mpx). */
    public static final long DEFAULT_MAX_PIXELS = 200_000_000L;
    /** Decode at most this many pixels; above it, subsample. 16 Mpx covers a 4000x4000 photo in full. */
    public static final long DEFAULT_DECODE_BUDGET = 16_000_000L;
    /** Files up to this size are read into memory in one go (faster than ImageIO's file streams). */
    static final long WHOLE_FILE_LIMIT = 64L << 20;

    private static final int MAX_NOTES = 5;
    // libjpeg's "N extraneous bytes before marker 0xd9" with a small N is a harmless quirk of some
    // encoders (junk just before the end marker); a large N means the data before it was damaged.
    private static final Pattern HARMLESS_TRAILER = Pattern.compile("(\\d+) extraneous bytes before marker 0xd9");

    private final long maxPixels;
    private final long decodeBudget;

    public ImageDecoder() {
        this(DEFAULT_MAX_PIXELS, DEFAULT_DECODE_BUDGET);
    }

    /**
     * @param maxPixels images whose header declares more pixels are refused
     * @param decodeBudget images with more pixels are read subsampled to at most this many
     */
    public ImageDecoder(long maxPixels, long decodeBudget) {
        if (maxPixels < 1 || decodeBudget < 1) {
            throw new IllegalArgumentException("pixel limits must be positive");
        }
        this.maxPixels = maxPixels;
        this.decodeBudget = decodeBudget;
    }

    public long maxPixels() {
        return maxPixels;
    }

    /** Decodes {@code file} within the pixel budget. */
    public DecodedImage decode(Path file) throws ImageLoadException {
        return decode(file, null, 0);
    }

    /**
     * Decodes {@code file}, subsampling further as long as the shorter side keeps at least
     * {@code minShortSide} pixels (0: only the pixel budget subsamples). A check that only needs to
     * know the file decodes asks for a small image and saves the conversion work.
     */
    public DecodedImage decode(Path file, int minShortSide) throws ImageLoadException {
        return decode(file, null, minShortSide);
    }

    /** Decodes from {@code content} when given (the file's bytes, already read), else from the file. */
    DecodedImage decode(Path file, byte[] content, int minShortSide) throws ImageLoadException {
        long size;
        try {
            size = content != null ? content.length : Files.size(file);
        } catch (IOException e) {
            throw readError(file, e);
        }
        if (size == 0) {
            throw new ImageLoadException(file, ProblemKind.EMPTY_FILE, "the file is empty (0 bytes)", null);
        }
        byte[] bytes = content;
        if (bytes == null && size <= WHOLE_FILE_LIMIT) {
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw readError(file, e);
            }
        }
        try (ImageInputStream in = bytes != null ? new ByteArrayImageInputStream(bytes) : ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new ImageLoadException(file, ProblemKind.READ_ERROR, "the file cannot be opened", null);
            }
            return decode(file, in, bytes, minShortSide);
        } catch (ImageLoadException e) {
            throw e;
        } catch (IOException e) {
            throw readError(file, e);
        }
    }

    private DecodedImage decode(Path file, ImageInputStream in, byte[] bytes, int minShortSide) throws ImageLoadException {
        Iterator<ImageReader> readers;
        try {
            readers = ImageIO.getImageReaders(in);
        } catch (RuntimeException e) {
            throw new ImageLoadException(file, ProblemKind.CORRUPT, "no decoder could look at this file (" + describe(e) + ")", e);
        }
        if (!readers.hasNext()) {
            byte[] head = bytes != null ? bytes : head(file);
            throw ImageFiles.notReadable(file, head);
        }
        ImageReader reader = readers.next();
        List<String> warnings = new ArrayList<>();
        try {
            in.seek(0);
            reader.setInput(in, false, true);
            reader.addIIOReadWarningListener((source, warning) -> {
                synchronized (warnings) {
                    if (warnings.size() < 50) {
                        warnings.add(warning);
                    }
                }
            });
            String format = formatName(reader);
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            if (w <= 0 || h <= 0) {
                throw new ImageLoadException(file, ProblemKind.CORRUPT, "the header gives an impossible size " + w + "x" + h, null);
            }
            long pixels = (long) w * h;
            if (pixels > maxPixels) {
                throw new ImageLoadException(file, ProblemKind.TOO_LARGE, String.format(Locale.ROOT,
                        "the header declares %dx%d pixels (%.0f megapixels), over the %.0f megapixel limit: "
                                + "refused as a possible decompression bomb",
                        w, h, pixels / 1e6, maxPixels / 1e6), null);
            }
            int sub = subsampling(w, h, decodeBudget, minShortSide);
            ImageReadParam param = reader.getDefaultReadParam();
            if (sub > 1) {
                param.setSourceSubsampling(sub, sub, 0, 0);
            }
            BufferedImage img = reader.read(0, param);
            List<String> notes = checkWarnings(file, format, warnings, bytes);
            RgbImage rgb = RgbConverter.toRgb(img);
            int orientation = Orientation.read(in, format);
            rgb = Orientation.apply(rgb, orientation);
            boolean swap = Orientation.swapsAxes(orientation);
            return new DecodedImage(rgb, swap ? h : w, swap ? w : h, format, sub, notes);
        } catch (ImageLoadException e) {
            throw e;
        } catch (IOException e) {
            throw failure(file, format(reader), e, warnings, bytes);
        } catch (OutOfMemoryError e) {
            throw new ImageLoadException(file, ProblemKind.TOO_LARGE, "ran out of memory while decoding", e);
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            // Codecs throw all sorts on hostile input (array bounds, negative sizes, ...).
            throw new ImageLoadException(file, ProblemKind.CORRUPT,
                    "the decoder failed on this file (" + describe(e) + ")", e);
        } finally {
            reader.dispose();
        }
    }

    /** The smallest factor that keeps the decoded image within the budget, and no smaller than {@code minShortSide}. */
    static int subsampling(int w, int h, long budget, int minShortSide) {
        int s = 1;
        while (ceilDiv(w, s) * (long) ceilDiv(h, s) > budget) {
            s++;
        }
        if (minShortSide > 0) {
            s = Math.max(s, Math.min(w, h) / minShortSide);
        }
        return Math.max(1, s);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static String formatName(ImageReader reader) throws IOException {
        String name = reader.getFormatName();
        return name == null ? "image" : name.toLowerCase(Locale.ROOT);
    }

    /** Throws for warnings that mean the picture is damaged; returns the harmless ones as notes. */
    private static List<String> checkWarnings(Path file, String format, List<String> warnings, byte[] bytes)
            throws ImageLoadException {
        List<String> notes = new ArrayList<>();
        synchronized (warnings) {
            for (String w : warnings) {
                String lower = w.toLowerCase(Locale.ROOT);
                if (lower.contains("premature end")) {
                    if (Boolean.FALSE.equals(endMarkerMissing(format, bytes))) {
                        throw new ImageLoadException(file, ProblemKind.CORRUPT, "the " + format.toUpperCase(Locale.ROOT)
                                + " data is damaged (" + w.trim() + "): part of the picture is garbage", null);
                    }
                    throw new ImageLoadException(file, ProblemKind.TRUNCATED, "the " + format.toUpperCase(Locale.ROOT)
                            + " data ends early (truncated file): part of the picture is missing", null);
                }
                if (lower.startsWith("corrupt jpeg data")) {
                    Matcher m = HARMLESS_TRAILER.matcher(lower);
                    if (!(m.find() && Integer.parseInt(m.group(1)) <= 16)) {
                        throw new ImageLoadException(file, ProblemKind.CORRUPT,
                                "the JPEG data is damaged (" + w.trim() + ")", null);
                    }
                }
                if (lower.contains("missing eoi")) {
                    w = "the JPEG end marker is missing; all image data was present";
                }
                if (!notes.contains(w) && notes.size() < MAX_NOTES) {
                    notes.add(w);
                }
            }
        }
        return notes;
    }

    private static ImageLoadException failure(Path file, String format, IOException e, List<String> warnings, byte[] bytes) {
        String warning;
        synchronized (warnings) {
            warning = warnings.isEmpty() ? null : warnings.get(0);
        }
        if (causedBy(e, NoSuchFileException.class) || causedBy(e, AccessDeniedException.class)) {
            return readError(file, e);
        }
        // The surest sign of truncation is a missing end marker; decoders' messages are only hints.
        Boolean cut = endMarkerMissing(format, bytes);
        boolean truncated = cut != null ? cut
                : causedBy(e, EOFException.class) || mentionsEnd(e) || (warning != null && isEndWarning(warning));
        if (truncated) {
            return new ImageLoadException(file, ProblemKind.TRUNCATED, "the file ends early (truncated): " + describe(e), e);
        }
        String extra = warning == null ? "" : " (decoder warning: " + warning.strip() + ")";
        return new ImageLoadException(file, ProblemKind.CORRUPT, "cannot be decoded, the data is damaged: " + describe(e) + extra, e);
    }

    /**
     * Whether a JPEG or PNG lacks its end marker (EOI, IEND chunk), or null when that cannot be told
     * (another format, or the bytes were not read into memory).
     */
    static Boolean endMarkerMissing(String format, byte[] bytes) {
        if (bytes == null || format == null) {
            return null;
        }
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == 0 || bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
            end--; // padding some writers leave after the end marker
        }
        if (format.contains("jpeg") || format.contains("jpg")) {
            return !(end >= 2 && (bytes[end - 2] & 0xFF) == 0xFF && (bytes[end - 1] & 0xFF) == 0xD9);
        }
        if (format.contains("png")) {
            int len = bytes.length;
            return !(len >= 12 && bytes[len - 8] == 'I' && bytes[len - 7] == 'E' && bytes[len - 6] == 'N' && bytes[len - 5] == 'D');
        }
        return null;
    }

    private static String format(ImageReader reader) {
        try {
            return formatName(reader);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean isEndWarning(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("premature end") || w.contains("truncated") || w.contains("missing eoi");
    }

    private static boolean mentionsEnd(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("unexpected end") || m.contains("premature end") || m.contains("end of stream")
                    || m.contains("eof") || m.contains("truncated")) {
                return true;
            }
        }
        return false;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    static ImageLoadException readError(Path file, IOException e) {
        String why;
        if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else if (e instanceof NoSuchFileException) {
            why = "the file is gone (moved or deleted)";
        } else {
            why = describe(e);
        }
        return new ImageLoadException(file, ProblemKind.READ_ERROR, "cannot be read: " + why, e);
    }

    /** A short description of an exception and its causes, for users ("Error reading PNG image data: Unexpected end of ZLIB input stream"). */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 300; t = t.getCause()) {
            String m = t.getMessage();
            String part = m == null || m.isBlank() ? t.getClass().getSimpleName() : m.strip();
            if (sb.indexOf(part) >= 0) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(": ");
            }
            sb.append(part);
            if (t.getCause() == t) {
                break;
            }
        }
        return sb.toString();
    }

    private static byte[] head(Path file) {
        try (var in = Files.newInputStream(file)) {
            return in.readNBytes(512);
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
