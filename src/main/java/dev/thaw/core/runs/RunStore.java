package dev.thaw.core.runs;

import dev.thaw.core.util.FileTrees;
import dev.thaw.core.model.RunSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder of runs: one sub-folder per run (see {@link RunFolder}), named
 * {@code yyyyMMdd-HHmmss-STRATEGY-BACKBONE} so a listing sorts by time.
 */
public final class RunStore {

    private static final Logger LOG = LoggerFactory.getLogger(RunStore.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private final Path root;

    public RunStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /**
     * Creates the folder of a new run and returns it. The name is reserved by creating the folder,
     * so two runs started in the same second get different names.
     */
    public synchronized RunFolder create(RunSpec spec) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the runs folder " + root + ": " + e.getMessage(), e);
        }
        String base = STAMP.format(LocalDateTime.now()) + "-" + spec.strategy().cliName() + "-" + slug(spec);
        for (int i = 1; ; i++) {
            Path dir = root.resolve(i == 1 ? base : base + "-" + i);
            try {
                Files.createDirectory(dir);
                return new RunFolder(dir);
            } catch (FileAlreadyExistsException e) {
                // taken: try the next suffix
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the run folder " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    private static String slug(RunSpec spec) {
        String b = spec.name() != null && !spec.name().isBlank() ? spec.name() : spec.backbone();
        String file = Path.of(b.replace(':', '-')).getFileName().toString();
        int dot = file.lastIndexOf('.');
        if (dot > 0) {
            file = file.substring(0, dot);
        }
        String s = file.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        return s.isEmpty() ? "run" : s.length() > 40 ? s.substring(0, 40) : s;
    }

    /**
     * A run as listed: its folder and whatever of its files could be read.
     *
     * @param id the folder name
     * @param folder the folder
     * @param spec its spec, or {@code null} if missing or unreadable
     * @param status its state file, or {@code null}
     * @param summary its summary, or {@code null} while running or after a crash
     * @param name the display name the user gave it ({@link RunStore#rename}), or {@code null}
     * @param experiment the experiment it belongs to, or {@code null}
     */
    public record RunInfo(String id, RunFolder folder, RunSpec spec, RunStatus status, RunSummary summary, String name,
            ExperimentTag experiment) {

        /** A run without a display name or experiment. */
        public RunInfo(String id, RunFolder folder, RunSpec spec, RunStatus status, RunSummary summary) {
            this(id, folder, spec, status, summary, null, null);
        }

        /** The name the user gave the run, or its id when none. */
        public String displayName() {
            return name == null || name.isBlank() ? id : name;
        }

        /** The state in one word; {@code incomplete} when a run stopped without saying how (killed, crashed, or still running elsewhere). */
        public String state() {
            if (summary != null) {
                return summary.status();
            }
            return status == null ? "unknown" : status.state().equals(RunStatus.RUNNING) ? "incomplete" : status.state();
        }
    }

    /** Every run, newest first. Unreadable files leave their fields null; they never fail the listing. */
    public List<RunInfo> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = new ArrayList<>(s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + root + ": " + e.getMessage(), e);
        }
        dirs.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        List<RunInfo> out = new ArrayList<>();
        for (Path d : dirs) {
            out.add(read(new RunFolder(d)));
        }
        return out;
    }

    /** The run whose id is {@code idOrPrefix}, or the only run whose id starts with it. */
    public Optional<RunInfo> find(String idOrPrefix) {
        Path exact = root.resolve(idOrPrefix);
        if (Files.isDirectory(exact) && exact.getParent().equals(root)) {
            return Optional.of(read(new RunFolder(exact)));
        }
        List<RunInfo> matches = list().stream().filter(r -> r.id().startsWith(idOrPrefix)).toList();
        if (matches.size() > 1) {
            throw new IllegalArgumentException("'" + idOrPrefix + "' matches " + matches.size() + " runs; give more of the id");
        }
        return matches.stream().findFirst();
    }

    /** Reads what can be read of a run folder. */
    public static RunInfo read(RunFolder f) {
        RunSpec spec = null;
        RunStatus status = null;
        RunSummary summary = null;
        try {
            if (Files.isRegularFile(f.file(RunFolder.SPEC))) {
                spec = f.readSpec();
            }
        } catch (RuntimeException e) {
            LOG.warn("Unreadable {}: {}", f.file(RunFolder.SPEC), e.getMessage());
        }
        try {
            status = f.readStatus().orElse(null);
        } catch (RuntimeException e) {
            LOG.warn("Unreadable {}: {}", f.file(RunFolder.STATUS), e.getMessage());
        }
        try {
            summary = f.readSummary().orElse(null);
        } catch (RuntimeException e) {
            LOG.warn("Unreadable {}: {}", f.file(RunFolder.SUMMARY), e.getMessage());
        }
        return new RunInfo(f.id(), f, spec, status, summary, f.readDisplayName().orElse(null), f.readExperiment().orElse(null));
    }

    /** The run {@code idOrPrefix}, or an {@link IllegalArgumentException} naming it and the runs folder. */
    public RunInfo require(String idOrPrefix) {
        if (idOrPrefix == null || idOrPrefix.isBlank()) {
            throw new IllegalArgumentException("No run id given");
        }
        return find(idOrPrefix).orElseThrow(
                () -> new IllegalArgumentException("No run '" + idOrPrefix + "' in " + root + " (thaw runs lists them)"));
    }

    /**
     * Deletes a run's folder. Refuses while the run is queued or running (its lock is held by a
     * training service, in this process or another); a run whose process died can be deleted.
     *
     * @return the deleted run as it was
     * @throws IllegalArgumentException when there is no such run
     * @throws IllegalStateException when it is queued or running
     */
    public synchronized RunInfo delete(String idOrPrefix) {
        RunInfo info = require(idOrPrefix);
        Path dir = info.folder().dir();
        try (RunFolder.RunLock lock = info.folder().tryLock().orElseThrow(() -> new IllegalStateException(
                "The run " + info.id() + " is " + ("queued".equals(info.state()) ? "queued" : "queued or running")
                        + "; cancel it before deleting it"))) {
            // Renamed first, so a half-deleted folder never shows up as a broken run.
            Path trash = root.resolve("." + info.id() + ".deleting-" + System.nanoTime());
            Files.move(dir, trash, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            lock.close();
            FileTrees.deleteTree(trash);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + dir + ": " + e.getMessage(), e);
        }
        return info;
    }

    /**
     * Gives a run a display name, kept in its folder ({@value RunFolder#NAME}) so it survives
     * restarts; a blank or null name clears it.
     *
     * @return the run with its new name
     */
    public RunInfo rename(String idOrPrefix, String displayName) {
        RunInfo info = require(idOrPrefix);
        info.folder().writeDisplayName(displayName);
        return read(info.folder());
    }

    /** The runs of one experiment, oldest first. */
    public List<RunInfo> experiment(String experimentId) {
        List<RunInfo> out = new ArrayList<>(list().stream()
                .filter(r -> r.experiment() != null && experimentId.equals(r.experiment().experiment())).toList());
        java.util.Collections.reverse(out);
        return out;
    }
}
