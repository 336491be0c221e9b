package dev.thaw.core.data;

import java.io.IOException;
import java.nio.file.Path;

/** An image file that cannot be used; the message names the file and the reason. */
public class ImageLoadException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String reason;
    private final ProblemKind kind;

    public ImageLoadException(Path file, String reason) {
        this(file, ProblemKind.CORRUPT, reason, null);
    }

    public ImageLoadException(Path file, String reason, Throwable cause) {
        this(file, ProblemKind.CORRUPT, reason, cause);
    }

    /**
     * @param kind what went wrong, one of the kinds whose {@link ProblemKind#skipsFile()} is true
     */
    public ImageLoadException(Path file, ProblemKind kind, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
        this.kind = kind;
    }

    public Path file() {
        return file;
    }

    /** Why, without the file name ("the file ends early (truncated)"). */
    public String reason() {
        return reason;
    }

    /** What sort of failure: empty, not an image, truncated, corrupt, too large, ... */
    public ProblemKind kind() {
        return kind;
    }
}
