package dev.thaw.ui.dataset;

import dev.thaw.core.data.ProblemKind;
import dev.thaw.core.data.Severity;
import java.nio.file.Path;
import java.util.List;

/**
 * One line of the problems list.
 *
 * @param severity error, warning or note
 * @param kind what sort of problem
 * @param file the file or folder concerned; null when it is the dataset as a whole
 * @param where the file's path inside the dataset ("train/cats/a.jpg"), or "Whole dataset"
 * @param reason the doctor's sentence, with its advice
 * @param related other files involved (the copies of a duplicate), possibly empty
 */
public record ProblemRow(Severity severity, ProblemKind kind, Path file, String where, String reason, List<Path> related) {

    public ProblemRow {
        related = List.copyOf(related);
    }

    /** Whether "show in folder" makes sense: the problem names a file or folder. */
    public boolean hasFile() {
        return file != null;
    }
}
