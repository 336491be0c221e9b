package dev.thaw.ui.runs;

import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runs.RunSummary;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One line of the run history: a run as read from its folder, with its colour. Fields the run did
 * not record (a crash before the summary) are NaN or empty.
 */
public record RunRow(RunStore.RunInfo info, String color) {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    public String id() {
        return info.id();
    }

    public String name() {
        return info.displayName();
    }

    public String state() {
        return info.state();
    }

    public String strategy() {
        if (info.spec() != null) {
            return info.spec().strategy().label();
        }
        return info.summary() == null ? "" : info.summary().strategy();
    }

    public String backbone() {
        RunSummary s = info.summary();
        if (s != null && s.backboneName() != null) {
            return s.backboneName();
        }
        return info.spec() == null ? "" : shortName(info.spec().backbone());
    }

    public String dataset() {
        return info.spec() == null || info.spec().data() == null ? "" : shortName(info.spec().data().toString());
    }

    public double finalValAccuracy() {
        return info.summary() == null ? Double.NaN : info.summary().valAcc();
    }

    public double bestValAccuracy() {
        return info.summary() == null ? Double.NaN : info.summary().bestValAcc();
    }

    public double wallSeconds() {
        return info.summary() == null ? Double.NaN : info.summary().wallSeconds();
    }

    /** When the run started, from its id ({@code yyyyMMdd-HHmmss-...}), or null for a folder named otherwise. */
    public LocalDateTime started() {
        String id = info.id();
        if (id.length() < 15) {
            return null;
        }
        try {
            return LocalDateTime.parse(id.substring(0, 15), STAMP);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** True when the run left validation predictions (it finished at least one epoch). */
    public boolean hasPredictions() {
        return java.nio.file.Files.isRegularFile(info.folder().file(dev.thaw.core.runs.RunFolder.PREDICTIONS));
    }

    /** True when the text appears in the name, id, status, strategy, backbone or dataset (case-insensitive). */
    public boolean matches(String filter) {
        if (filter == null || filter.isBlank()) {
            return true;
        }
        String f = filter.strip().toLowerCase(Locale.ROOT);
        for (String s : new String[] {name(), id(), state(), strategy(), backbone(), dataset()}) {
            if (s != null && s.toLowerCase(Locale.ROOT).contains(f)) {
                return true;
            }
        }
        return false;
    }

    static String shortName(String source) {
        if (source == null) {
            return "";
        }
        if (!source.contains("/") && !source.contains("\\")) {
            return source;
        }
        Path p = Path.of(source);
        return p.getFileName() == null ? source : p.getFileName().toString();
    }
}
