package dev.thaw.core.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Which files are images, by name and by content, and what to tell the user about files that are not.
 */
public final class ImageFiles {

    /** Extensions of formats Thaw decodes (lower case). */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "jpe", "jfif", "png", "bmp", "dib", "gif",
            "webp", "tif", "tiff");

    /** Extensions of image formats people collect that Thaw cannot decode, each with a hint. */
    private static final Set<String> UNSUPPORTED_EXTENSIONS = Set.of("heic", "heif", "avif", "svg", "svgz", "psd", "ico",
            "jxl", "jp2", "cr2", "cr3", "nef", "arw", "dng", "raf", "orf", "rw2", "eps", "raw", "xcf", "tga", "pcx");

    private ImageFiles() {
    }

    /** The lower-case extension of {@code file}'s name, or "" when it has none. */
    public static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot <= 0 || dot == name.length() - 1 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** True if the name has a supported image extension and is not hidden. */
    public static boolean hasImageName(Path file) {
        return !isHiddenName(file) && IMAGE_EXTENSIONS.contains(extension(file));
    }

    /** True for names of image formats Thaw recognizes but cannot decode (HEIC, RAW, SVG, ...). */
    public static boolean hasUnsupportedImageName(Path file) {
        return UNSUPPORTED_EXTENSIONS.contains(extension(file));
    }

    /** Dot files ({@code .DS_Store}, macOS {@code ._photo.jpg}) and macOS archive folders ({@code __MACOSX}). */
    public static boolean isHiddenName(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return false;
        }
        String n = name.toString();
        return n.startsWith(".") || n.equals("__MACOSX");
    }

    /** Why an unsupported-by-name file is skipped. */
    static String unsupportedReason(Path file) {
        return switch (extension(file)) {
            case "heic", "heif" -> "HEIC/HEIF photos (the iPhone format) are not supported: export them as JPEG";
            case "avif" -> "AVIF images are not supported: convert them to JPEG or PNG";
            case "svg", "svgz", "eps" -> "vector drawings are not supported: export them as PNG";
            case "psd", "xcf" -> "layered editor files are not supported: export them as PNG or JPEG";
            case "cr2", "cr3", "nef", "arw", "dng", "raf", "orf", "rw2", "raw" ->
                    "camera RAW files are not supported: export them as JPEG";
            default -> "." + extension(file) + " images are not supported: convert them to PNG or JPEG";
        };
    }

    /** True if {@code head} starts like a JPEG, PNG, GIF, BMP, WebP or TIFF file. */
    static boolean looksLikeImageContent(byte[] head) {
        if (head.length < 4) {
            return false;
        }
        int b0 = head[0] & 0xFF;
        int b1 = head[1] & 0xFF;
        int b2 = head[2] & 0xFF;
        int b3 = head[3] & 0xFF;
        return (b0 == 0xFF && b1 == 0xD8 && b2 == 0xFF)
                || (b0 == 0x89 && b1 == 'P' && b2 == 'N' && b3 == 'G')
                || (b0 == 'G' && b1 == 'I' && b2 == 'F' && b3 == '8')
                || (b0 == 'B' && b1 == 'M')
                || (b0 == 'I' && b1 == 'I' && b2 == 42 && b3 == 0)
                || (b0 == 'M' && b1 == 'M' && b2 == 0 && b3 == 42)
                || (head.length >= 12 && ascii(head, 0, 4).equals("RIFF") && ascii(head, 8, 4).equals("WEBP"));
    }

    /** The exception for a file no image reader accepts, saying what the content looks like. */
    static ImageLoadException notReadable(Path file, byte[] head) {
        if (head.length >= 12 && ascii(head, 4, 4).equals("ftyp")) {
            String brand = ascii(head, 8, 4);
            if (brand.startsWith("hei") || brand.startsWith("hev") || brand.equals("mif1") || brand.equals("msf1")) {
                return unsupported(file, "this is a HEIC/HEIF photo (the iPhone format), which Thaw cannot read: export it as JPEG");
            }
            if (brand.startsWith("avi")) {
                return unsupported(file, "this is an AVIF image, which Thaw cannot read: convert it to JPEG or PNG");
            }
            return notImage(file, "this is a video or other media file (MP4/QuickTime), not an image");
        }
        String start = ascii(head, 0, Math.min(head.length, 256)).toLowerCase(Locale.ROOT).stripLeading();
        if (start.startsWith("%pdf")) {
            return notImage(file, "this is a PDF document, not an image");
        }
        if (start.startsWith("<!doctype html") || start.startsWith("<html") || start.contains("<head>")) {
            return notImage(file, "this is a web page (HTML), not an image: often a failed download saved under an image name");
        }
        if (start.contains("<svg")) {
            return unsupported(file, "this is an SVG drawing, which Thaw cannot read: export it as PNG");
        }
        if (start.startsWith("pk\u0003\u0004")) {
            return notImage(file, "this is a ZIP archive, not an image");
        }
        if (start.startsWith("8bps")) {
            return unsupported(file, "this is a Photoshop document, which Thaw cannot read: export it as PNG or JPEG");
        }
        if (looksLikeImageContent(head)) {
            return new ImageLoadException(file, ProblemKind.CORRUPT, "the image header is damaged: no decoder accepts it", null);
        }
        if (isText(head)) {
            String preview = new String(head, 0, Math.min(head.length, 40), StandardCharsets.UTF_8).strip()
                    .replaceAll("\\s+", " ");
            return notImage(file, "this is a text file, not an image (it starts with \"" + preview + "\")");
        }
        return notImage(file, "the content is not JPEG, PNG, BMP, GIF, WebP or TIFF (first bytes: " + hex(head, 8) + ")");
    }

    private static ImageLoadException unsupported(Path file, String reason) {
        return new ImageLoadException(file, ProblemKind.UNSUPPORTED_FORMAT, reason, null);
    }

    private static ImageLoadException notImage(Path file, String reason) {
        return new ImageLoadException(file, ProblemKind.NOT_AN_IMAGE, reason, null);
    }

    /** Printable ASCII, whitespace or UTF-8 multi-byte sequences only. */
    private static boolean isText(byte[] head) {
        if (head.length == 0) {
            return false;
        }
        for (byte b : head) {
            int v = b & 0xFF;
            if (v < 0x20 && v != '\n' && v != '\r' && v != '\t' && v != '\f') {
                return false;
            }
            if (v == 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] bytes, int from, int n) {
        if (from + n > bytes.length) {
            return "";
        }
        return new String(bytes, from, n, StandardCharsets.ISO_8859_1);
    }

    private static String hex(byte[] bytes, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(n, bytes.length); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(String.format(Locale.ROOT, "%02X", bytes[i] & 0xFF));
        }
        return sb.toString();
    }
}
