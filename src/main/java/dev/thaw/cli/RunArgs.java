package dev.thaw.cli;

import dev.thaw.core.runs.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Finding runs from what users type (an id, a unique prefix, or a run folder) and printing numbers. */
final class RunArgs {

    private RunArgs() {
    }

    /** The run {@code idOrFolder}: a folder path holding a run, or an id (or unique prefix) in {@code store}. */
    static RunStore.RunInfo find(RunStore store, String idOrFolder) {
        Path p = Path.of(idOrFolder);
        if (Files.isDirectory(p) && Files.isRegularFile(p.resolve("spec.json"))) {
            return RunStore.read(new dev.thaw.core.runs.RunFolder(p.toAbsolutePath().normalize()));
        }
        try {
            return store.require(idOrFolder);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), e);
        }
    }

    static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    static String points(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%+.1f", 100 * v);
    }

    static String shorten(String s, int max) {
        if (s == null) {
            return "-";
        }
        return s.length() <= max ? s : "…" + s.substring(s.length() - max + 1);
    }
}
