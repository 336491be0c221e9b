package dev.thaw.core.runs;

import dev.thaw.core.model.RunSpec;
import dev.thaw.core.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run's folder and the files in it. Written so that a crash or a kill loses at most the epoch
 * in progress: JSON files are replaced atomically, metrics are appended a line at a time and
 * forced to disk at each epoch, checkpoints are swapped in as whole folders.
 *
 * <pre>
 * spec.json         the RunSpec (freeze plan resolved): everything needed to run it again
 * split.json        which image is in which split
 * run.json          state: queued, running, completed, cancelled, failed
 * backbone.json     the backbone's metadata (input size, normalization, assumptions made)
 * tree.json         the layer tree, and the freeze plan applied
 * metrics.jsonl     one JSON object per line: {"type":"batch",...} and {"type":"epoch",...}
 * checkpoints/last/ checkpoints/best/   head (and trained backbone) weights + checkpoint.json
 * model/            the final model (the best epoch's weights) + labels.txt + model.json
 * val_predictions.csv       the best epoch's (the saved model's) prediction for every validation image
 * val_predictions_last.csv  the same for the final epoch (see ValPredictions)
 * summary.json      how it ended (see RunSummary)
 * name.json         the display name the user gave the run, if any (see RunStore#rename)
 * experiment.json   the experiment the run belongs to, if any (see ExperimentTag)
 * run.lock          locked while the run is queued or running (see #tryLock)
 * </pre>
 */
public final class RunFolder {

    public static final String SPEC = "spec.json";
    public static final String SPLIT = "split.json";
    public static final String STATUS = "run.json";
    public static final String BACKBONE = "backbone.json";
    public static final String TREE = "tree.json";
    public static final String METRICS = "metrics.jsonl";
    public static final String SUMMARY = "summary.json";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String MODEL = "model";
    public static final String PREDICTIONS = "val_predictions.csv";
    public static final String PREDICTIONS_LAST = "val_predictions_last.csv";
    public static final String NAME = "name.json";
    public static final String EXPERIMENT = "experiment.json";
    public static final String LOCK = "run.lock";

    private final Path dir;

    public RunFolder(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public String id() {
        return dir.getFileName().toString();
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    public void writeSpec(RunSpec spec) {
        Json.write(file(SPEC), spec);
    }

    public RunSpec readSpec() {
        return Json.read(file(SPEC), RunSpec.class);
    }

    public void writeStatus(RunStatus status) {
        Json.write(file(STATUS), status);
    }

    public Optional<RunStatus> readStatus() {
        return readIfPresent(STATUS, RunStatus.class);
    }

    public void writeSummary(RunSummary summary) {
        Json.write(file(SUMMARY), summary);
    }

    public Optional<RunSummary> readSummary() {
        return readIfPresent(SUMMARY, RunSummary.class);
    }

    private <T> Optional<T> readIfPresent(String name, Class<T> type) {
        Path f = file(name);
        return Files.isRegularFile(f) ? Optional.of(Json.read(f, type)) : Optional.empty();
    }

    /** The display name the user gave this run, if any. */
    public Optional<String> readDisplayName() {
        Path f = file(NAME);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            com.google.gson.JsonObject o = Json.read(f, com.google.gson.JsonObject.class);
            return o != null && o.has("name") && !o.get("name").isJsonNull() && !o.get("name").getAsString().isBlank()
                    ? Optional.of(o.get("name").getAsString())
                    : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Saves (or, when blank or null, removes) the display name. */
    public void writeDisplayName(String name) {
        try {
            if (name == null || name.isBlank()) {
                Files.deleteIfExists(file(NAME));
            } else {
                Json.write(file(NAME), Map.of("name", name.strip()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file(NAME) + ": " + e.getMessage(), e);
        }
    }

    public Optional<ExperimentTag> readExperiment() {
        try {
            return readIfPresent(EXPERIMENT, ExperimentTag.class);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    public void writeExperiment(ExperimentTag tag) {
        Json.write(file(EXPERIMENT), tag);
    }

    /**
     * Locks {@value #LOCK}, which the training service holds while the run is queued or running
     * (an OS file lock, so another Thaw process sees it too, and a crashed process's lock is gone).
     * Empty when someone else holds it.
     */
    public Optional<RunLock> tryLock() {
        Path f = file(LOCK);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            java.nio.channels.FileLock lock = ch.tryLock();
            if (lock == null) {
                ch.close();
                return Optional.empty();
            }
            return Optional.of(new RunLock(ch, lock));
        } catch (java.nio.channels.OverlappingFileLockException e) {
            closeQuietly(ch);
            return Optional.empty();
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException("Cannot lock " + f + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing to save
            }
        }
    }

    /** A held {@link #tryLock} lock; closing releases it. */
    public static final class RunLock implements AutoCloseable {
        private final FileChannel channel;
        private final java.nio.channels.FileLock lock;

        RunLock(FileChannel channel, java.nio.channels.FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() {
            try {
                lock.release();
            } catch (IOException e) {
                // released when the channel closes
            }
            closeQuietly(channel);
        }
    }

    public Path checkpoints() {
        return dir.resolve(CHECKPOINTS);
    }

    public Path model() {
        return dir.resolve(MODEL);
    }

    /** Opens {@value #METRICS} for appending. */
    public MetricsLog openMetrics() {
        return new MetricsLog(file(METRICS));
    }

    /** Reads every metrics line written so far (a torn last line, from a kill mid-write, is skipped). */
    public List<Map<String, Object>> readMetrics() {
        Path f = file(METRICS);
        List<Map<String, Object>> out = new ArrayList<>();
        if (!Files.isRegularFile(f)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = Json.COMPACT.fromJson(line, Map.class);
                    out.add(m);
                } catch (RuntimeException e) {
                    // a line cut short by a crash; everything before it is intact
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + f + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Appends JSON lines; each line is written whole, and {@link #sync} forces them to disk. */
    public static final class MetricsLog implements AutoCloseable {
        private static final long SYNC_INTERVAL_NANOS = 1_000_000_000L;
        private final FileChannel channel;
        private long lastSync = System.nanoTime() - SYNC_INTERVAL_NANOS;
        private final Path file;

        MetricsLog(Path file) {
            this.file = file;
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot open " + file + ": " + e.getMessage(), e);
            }
        }

        /** Appends one object as one line (a single write, so a reader never sees half of it unless the process dies mid-call). */
        public synchronized void append(Map<String, ?> record) {
            byte[] line = (Json.COMPACT.toJson(record) + "\n").getBytes(StandardCharsets.UTF_8);
            try {
                ByteBuffer b = ByteBuffer.wrap(line);
                while (b.hasRemaining()) {
                    channel.write(b);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot append to " + file + ": " + e.getMessage(), e);
            }
        }

        /**
         * Forces what was appended to the disk (called once per epoch), at most once a second: an
         * epoch of a head on cached embeddings takes milliseconds, and an fsync each would cost more
         * than the epoch (measured: 8 % of a 50-epoch head run). Every line is written to the file
         * at once either way, so a crash of the process loses nothing; {@link #close()} forces the rest.
         */
        public synchronized void sync() {
            long now = System.nanoTime();
            if (now - lastSync < SYNC_INTERVAL_NANOS) {
                return;
            }
            lastSync = now;
            force();
        }

        private void force() {
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot flush " + file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public synchronized void close() {
            if (channel.isOpen()) {
                try {
                    force();
                } catch (UncheckedIOException e) {
                    // closing anyway
                }
            }
            try {
                channel.close();
            } catch (IOException e) {
                // nothing left to save
            }
        }
    }
}
