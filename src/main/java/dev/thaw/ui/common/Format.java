package dev.thaw.ui.common;

import java.nio.file.Path;
import java.util.Locale;

/** Numbers and durations the way every panel shows them. */
public final class Format {

    private Format() {
    }

    /** "1.20 M", "48.3 k", "512". */
    public static String count(long n) {
        if (n >= 1_000_000) {
            return String.format(Locale.ROOT, "%.2f M", n / 1e6);
        }
        if (n >= 10_000) {
            return String.format(Locale.ROOT, "%.1f k", n / 1e3);
        }
        return Long.toString(n);
    }

    /** "0:42", "12:05", "1:02:03". */
    public static String duration(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long r = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, r) : String.format(Locale.ROOT, "%d:%02d", m, r);
    }

    /** "83.4 %". */
    public static String percent(double fraction) {
        return Double.isNaN(fraction) ? "–" : String.format(Locale.ROOT, "%.1f %%", 100 * fraction);
    }

    /**
     * A folder or file the way a person reads it: relative to the working folder when inside it
     * ({@code sample-data/shapes-target}), {@code ~/...} when inside the home folder, else absolute.
     */
    public static String path(Path p) {
        return path(p, Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home", "")).toAbsolutePath());
    }

    static String path(Path p, Path workingDir, Path home) {
        Path abs = p.toAbsolutePath().normalize();
        if (abs.startsWith(workingDir) && !abs.equals(workingDir)) {
            return workingDir.relativize(abs).toString();
        }
        if (home.getNameCount() > 0 && abs.startsWith(home) && !abs.equals(home)) {
            return "~" + abs.getFileSystem().getSeparator() + home.relativize(abs);
        }
        return abs.toString();
    }
}
