package dev.thaw.core.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The folder where Thaw keeps what it owns on this machine: logs, the DJL native cache, downloaded
 * backbones, the embedding cache, runs and settings.
 *
 * <p>Resolved once, in this order: the system property {@code thaw.home}, the environment variable
 * {@code THAW_HOME}, then the platform's usual place for application data ({@code %APPDATA%\Thaw}
 * on Windows, {@code ~/Library/Application Support/Thaw} on macOS, {@code $XDG_DATA_HOME/thaw} or
 * {@code ~/.local/share/thaw} elsewhere).
 */
public final class AppHome {

    public static final String PROPERTY = "thaw.home";
    public static final String ENV = "THAW_HOME";

    private final Path root;

    private AppHome(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** An app home rooted at {@code root} (tests and portable installs). */
    public static AppHome at(Path root) {
        return new AppHome(Objects.requireNonNull(root, "root"));
    }

    /** The app home for this process, from the property, the environment or the platform default. */
    public static AppHome resolve() {
        return resolve(System.getProperties().getProperty(PROPERTY), System.getenv(), System.getProperty("os.name", ""),
                System.getProperty("user.home", "."));
    }

    static AppHome resolve(String property, Map<String, String> env, String osName, String userHome) {
        if (property != null && !property.isBlank()) {
            return new AppHome(Path.of(property));
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new AppHome(Path.of(fromEnv));
        }
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String appData = env.get("APPDATA");
            Path base = appData != null && !appData.isBlank() ? Path.of(appData) : Path.of(userHome, "AppData", "Roaming");
            return new AppHome(base.resolve("Thaw"));
        }
        if (os.startsWith("mac")) {
            return new AppHome(Path.of(userHome, "Library", "Application Support", "Thaw"));
        }
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(userHome, ".local", "share");
        return new AppHome(base.resolve("thaw"));
    }

    public Path root() {
        return root;
    }

    /** Log files ({@code thaw.log}, rotated). */
    public Path logs() {
        return root.resolve("logs");
    }

    /** Where DJL unpacks its native libraries (hundreds of MB on first start). */
    public Path djlCache() {
        return root.resolve("djl-cache");
    }

    /** Downloaded model-zoo backbones, verified before they are moved here. */
    public Path models() {
        return root.resolve("models");
    }

    /** Cached backbone embeddings, keyed by backbone, image content and transform. */
    public Path embeddings() {
        return root.resolve("embeddings");
    }

    /** One folder per training run. */
    public Path runs() {
        return root.resolve("runs");
    }

    /** User preferences (window size, last backbone and dataset). */
    public Path settingsFile() {
        return root.resolve("settings.json");
    }

    /** Creates {@code dir} and its parents if missing, with a message that names the folder when it cannot. */
    public static Path ensureDirectory(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the folder " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
