package dev.thaw.ui.common;

import com.google.gson.reflect.TypeToken;
import dev.thaw.core.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each run's colour, the same everywhere it appears (queue, charts, history, comparison). Runs get
 * the palette's colours in the order they are first seen, so consecutive runs, the ones most often
 * compared, never share a colour; the assignment is remembered in the app home.
 */
public final class RunColors {

    private static final Logger LOG = LoggerFactory.getLogger(RunColors.class);

    /** Ten colours that stay distinct on a white background and for common colour-vision deficiencies (Tableau 10). */
    public static final List<String> PALETTE = List.of("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
            "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac");

    private final Path file;
    private final Map<String, Integer> assigned;

    public RunColors(Path file) {
        this.file = file;
        this.assigned = load(file);
    }

    private static Map<String, Integer> load(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return new LinkedHashMap<>();
        }
        try {
            Map<String, Integer> m = Json.read(file, new TypeToken<LinkedHashMap<String, Integer>>() { }.getType());
            return new LinkedHashMap<>(m);
        } catch (RuntimeException e) {
            LOG.warn("Run colours in {} are unreadable; starting afresh", file, e);
            return new LinkedHashMap<>();
        }
    }

    /** The colour of {@code runId} as a CSS hex string. */
    public synchronized String of(String runId) {
        Integer i = assigned.get(runId);
        if (i == null) {
            i = assigned.size() % PALETTE.size();
            assigned.put(runId, i);
            if (file != null) {
                Json.write(file, assigned);
            }
        }
        return PALETTE.get(i);
    }
}
