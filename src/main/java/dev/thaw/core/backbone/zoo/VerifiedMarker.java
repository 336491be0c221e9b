package dev.thaw.core.backbone.zoo;

import dev.thaw.core.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What we know about an installed backbone file once it was verified, kept in {@code NAME.verified}
 * next to it. While the file's size and modification time still match, later starts trust it
 * without hashing it again; when they differ the file is re-hashed.
 *
 * @param size the file's size when verified
 * @param modifiedMillis the file's modification time when verified
 * @param sha256 SHA-256 of the installed file (for an unpacked archive: of the unpacked model file,
 *     computed while unpacking the verified archive)
 * @param sourceChecksum the published checksum the download or hand-placed file matched ({@code sha1:...})
 * @param source where the verified bytes came from (URL or hand-placed file)
 * @param verifiedAt when
 */
record VerifiedMarker(long size, long modifiedMillis, String sha256, String sourceChecksum, String source, String verifiedAt) {

    static Path markerFor(Path file) {
        return file.resolveSibling(file.getFileName() + ".verified");
    }

    /** The marker for {@code file}, or null when missing or unreadable. */
    static VerifiedMarker read(Path file) {
        Path marker = markerFor(file);
        if (!Files.isRegularFile(marker)) {
            return null;
        }
        try {
            return Json.read(marker, VerifiedMarker.class);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static VerifiedMarker write(Path file, String sha256, String sourceChecksum, String source) throws IOException {
        VerifiedMarker m = new VerifiedMarker(Files.size(file), Files.getLastModifiedTime(file).toMillis(), sha256, sourceChecksum,
                source, Instant.now().toString());
        Json.write(markerFor(file), m);
        return m;
    }

    /** True when {@code file} is still the file this marker describes, for the published checksum given. */
    boolean stillDescribes(Path file, String publishedChecksum) {
        try {
            return publishedChecksum.equals(sourceChecksum) && Files.isRegularFile(file) && Files.size(file) == size
                    && Files.getLastModifiedTime(file).toMillis() == modifiedMillis;
        } catch (IOException e) {
            return false;
        }
    }
}
