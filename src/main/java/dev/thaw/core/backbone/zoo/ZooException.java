package dev.thaw.core.backbone.zoo;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A model-zoo download or install that failed, with a message a user can act on (it names the
 * URL, the HTTP status or the file). {@link #reason()} lets callers tell an offline machine from a
 * bad file; {@link #manualPath()} says where a hand-downloaded copy would be accepted.
 */
public class ZooException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, coarsely. */
    public enum Reason {
        /** No such catalog entry. */
        UNKNOWN_ENTRY,
        /** The host could not be reached (no network, DNS failure, refused, connect timeout). */
        NETWORK_UNREACHABLE,
        /** Connected, but the server stopped sending data or the connection broke mid-download. */
        INTERRUPTED,
        /** The server answered with an error status. */
        HTTP_STATUS,
        /** The bytes did not match the published size or checksum. */
        VERIFICATION_FAILED,
        /** The archive was unsafe (path traversal) or did not hold the model file. */
        BAD_ARCHIVE,
        /** A local file system problem. */
        IO
    }

    private final Reason reason;
    private final transient URI uri;
    private final transient Path manualPath;

    public ZooException(Reason reason, String message, URI uri, Path manualPath, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.uri = uri;
        this.manualPath = manualPath;
    }

    public ZooException(Reason reason, String message) {
        this(reason, message, null, null, null);
    }

    public Reason reason() {
        return reason;
    }

    /** The URL involved, when there was one. */
    public Optional<URI> uri() {
        return Optional.ofNullable(uri);
    }

    /** Where a file downloaded by hand would be picked up and verified, when that applies. */
    public Optional<Path> manualPath() {
        return Optional.ofNullable(manualPath);
    }

    /** True when trying again later (or with a network) may succeed. */
    public boolean isNetworkProblem() {
        return reason == Reason.NETWORK_UNREACHABLE || reason == Reason.INTERRUPTED;
    }
}
