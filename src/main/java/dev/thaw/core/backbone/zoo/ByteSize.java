package dev.thaw.core.backbone.zoo;

import java.util.Locale;

/** Byte counts for people: decimal units, one decimal ("44.7 MB"). */
public final class ByteSize {

    private ByteSize() {
    }

    /** {@code 41574720} -> {@code "41.6 MB"}; negative -> {@code "?"}. */
    public static String format(long bytes) {
        if (bytes < 0) {
            return "?";
        }
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int i = -1;
        while (v >= 999.95 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }

    /**
     * "12.3 of 44.7 MB" with both numbers in the total's unit, or "12.3 MB" when the total is unknown.
     */
    public static String progress(long done, long total) {
        if (total <= 0) {
            return format(done);
        }
        String totalText = format(total);
        String unit = totalText.substring(totalText.indexOf(' ') + 1);
        double scale = switch (unit) {
            case "kB" -> 1e3;
            case "MB" -> 1e6;
            case "GB" -> 1e9;
            case "TB" -> 1e12;
            default -> 1;
        };
        String doneText = scale == 1 ? Long.toString(done) : String.format(Locale.ROOT, "%.1f", done / scale);
        return doneText + " of " + totalText;
    }
}
