package dev.thaw.core.util;

/** CSV as Thaw writes it (RFC 4180 quoting). */
public final class Csv {

    private Csv() {
    }

    /** {@code s} as one CSV cell: quoted, with quotes doubled, when it holds a comma, a quote or a line break. */
    public static String cell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
