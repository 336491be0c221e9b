package dev.thaw.core.train;

import dev.thaw.core.util.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A run's checkpoint folders, {@code last} and {@code best}. Each is written into a temporary
 * folder and then renamed into place, so a reader (or a crash) sees a whole checkpoint, old or new,
 * never a mix.
 */
final class Checkpoints {

    static final String LAST = "last";
    static final String BEST = "best";

    private final Path dir;

    Checkpoints(Path dir) {
        this.dir = dir;
    }

    Path folder(String name) {
        return dir.resolve(name);
    }

    /** Fills a new {@code last} checkpoint with {@code writer} and swaps it in. */
    void writeLast(Consumer<Path> writer) {
        Path tmp = fresh(".tmp-" + LAST);
        writer.accept(tmp);
        swapIn(tmp, folder(LAST));
    }

    /** Copies the current {@code last} checkpoint to {@code best}. */
    void promoteLastToBest() {
        Path tmp = fresh(".tmp-" + BEST);
        copyFiles(folder(LAST), tmp);
        swapIn(tmp, folder(BEST));
    }

    private Path fresh(String name) {
        Path tmp = dir.resolve(name);
        deleteTree(tmp);
        try {
            return Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + tmp + ": " + e.getMessage(), e);
        }
    }

    /** Replaces {@code target} by {@code tmp} with two renames; the old folder is removed afterwards. */
    static void swapIn(Path tmp, Path target) {
        Path old = target.resolveSibling(".old-" + target.getFileName());
        try {
            deleteTree(old);
            if (Files.exists(target)) {
                move(target, old);
            }
            move(tmp, target);
            deleteTree(old);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot move " + tmp + " to " + target + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /**
     * Puts every file of {@code from} into {@code to}. Checkpoint files are never changed once
     * written (each checkpoint is a new folder), so a hard link does: a 45 MB backbone costs no copy.
     * Where links are not possible the files are copied.
     */
    static void copyFiles(Path from, Path to) {
        try (Stream<Path> s = Files.list(from)) {
            for (Path f : s.toList()) {
                linkOrCopy(f, to.resolve(f.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    /** A hard link to the unchanging file {@code from} at {@code to}, or a copy where links are not possible. */
    static void linkOrCopy(Path from, Path to) throws IOException {
        Files.deleteIfExists(to);
        try {
            Files.createLink(to, from);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void deleteTree(Path p) {
        try {
            FileTrees.deleteTree(p);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + p + ": " + e.getMessage(), e);
        }
    }
}
