package dev.thaw.core.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One thing the data doctor (or the folder scan) found, in words a user can act on.
 *
 * @param severity how much it matters
 * @param kind what sort of problem, for grouping and filtering
 * @param file the file or folder concerned, or {@code null} for the dataset as a whole
 * @param message a sentence naming the problem and, where there is one, the fix
 * @param related other files involved (the copies of a duplicate), possibly empty
 */
public record Problem(Severity severity, ProblemKind kind, Path file, String message, List<Path> related) {

    public Problem {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        related = related == null ? List.of() : List.copyOf(related);
    }

    /** A problem with the kind's usual severity. */
    public static Problem of(ProblemKind kind, Path file, String message) {
        return new Problem(kind.severity(), kind, file, message, List.of());
    }

    /** A problem with the kind's usual severity and related files. */
    public static Problem of(ProblemKind kind, Path file, String message, List<Path> related) {
        return new Problem(kind.severity(), kind, file, message, related);
    }
}
