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
 * val_predictions.csv  the final model's prediction for every validation image
 * summary.json      how it ended (see RunSummary)
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
        private final FileChannel channel;
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

        /** Forces what was appended to the disk (called once per epoch). */
        public synchronized void sync() {
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot flush " + file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public synchronized void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing left to save
            }
        }
    }
}
