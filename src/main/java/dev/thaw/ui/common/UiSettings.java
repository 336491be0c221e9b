package dev.thaw.ui.common;

import dev.thaw.core.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the workbench remembers between sessions: window geometry and the last backbone and dataset.
 * A settings file that cannot be read is moved aside (never silently overwritten) and defaults are
 * used.
 */
public record UiSettings(double width, double height, Double x, Double y, boolean maximized, String lastDataset,
        String lastBackbone) {

    private static final Logger LOG = LoggerFactory.getLogger(UiSettings.class);

    public static final UiSettings DEFAULTS = new UiSettings(1360, 860, null, null, false, null, null);

    public static UiSettings load(Path file) {
        if (!Files.isRegularFile(file)) {
            return DEFAULTS;
        }
        try {
            UiSettings s = Json.read(file, UiSettings.class);
            return s.width() >= 400 && s.height() >= 300 ? s : s.withSize(DEFAULTS.width(), DEFAULTS.height());
        } catch (RuntimeException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".unreadable");
            LOG.warn("Settings file {} is unreadable ({}); moved to {} and using defaults", file, e.getMessage(), aside);
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException io) {
                LOG.warn("Could not move {} aside", file, io);
            }
            return DEFAULTS;
        }
    }

    public void save(Path file) {
        try {
            Json.write(file, this);
        } catch (RuntimeException e) {
            LOG.warn("Could not save settings to {}", file, e);
        }
    }

    public UiSettings withSize(double w, double h) {
        return new UiSettings(w, h, x, y, maximized, lastDataset, lastBackbone);
    }

    public UiSettings withGeometry(double w, double h, Double nx, Double ny, boolean max) {
        return new UiSettings(w, h, nx, ny, max, lastDataset, lastBackbone);
    }

    public UiSettings withLastDataset(String dir) {
        return new UiSettings(width, height, x, y, maximized, dir, lastBackbone);
    }

    public UiSettings withLastBackbone(String source) {
        return new UiSettings(width, height, x, y, maximized, lastDataset, source);
    }
}
