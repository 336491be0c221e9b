package dev.thaw.core.runtime;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the {@code sample-data/} folder shipped with Thaw: from the system property
 * {@code thaw.sample.dir}, else {@code ./sample-data}, else next to the folder holding Thaw's jar
 * or classes (so {@code java -jar target/thaw.jar} finds the repository's copy from any directory).
 */
public final class SampleData {

    public static final String PROPERTY = "thaw.sample.dir";

    /** The labeled source dataset the bundled backbone was pretrained on. */
    public static final String SOURCE = "shapes-source";
    /** The labeled target task ({@code train/} + {@code val/}) the workbench opens with. */
    public static final String TARGET = "shapes-target";
    /** The unlabeled shifted-domain folder. */
    public static final String UNLABELED = "shapes-unlabeled";
    /** The bundled backbone. */
    public static final String BACKBONE = "backbone";

    private SampleData() {
    }

    /** The sample-data folder, if it can be found. */
    public static Optional<Path> root() {
        List<Path> candidates = new ArrayList<>();
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            candidates.add(Path.of(prop));
        }
        candidates.add(Path.of("sample-data"));
        try {
            Path code = Path.of(SampleData.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // target/thaw.jar or target/classes -> the project folder two levels up
            for (Path p = code.getParent(); p != null && candidates.size() < 6; p = p.getParent()) {
                candidates.add(p.resolve("sample-data"));
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source (unusual class loader): the working directory is all we have
        }
        return candidates.stream().filter(Files::isDirectory).map(p -> p.toAbsolutePath().normalize()).findFirst();
    }

    /** {@code sample-data/<name>} if present. */
    public static Optional<Path> folder(String name) {
        return root().map(r -> r.resolve(name)).filter(Files::isDirectory);
    }
}
