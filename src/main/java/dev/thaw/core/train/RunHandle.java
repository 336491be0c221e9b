package dev.thaw.core.train;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A submitted run: its id and folder (known at once, before it starts), a way to cancel it, and
 * its result when it ends. Cancelling takes effect before the next batch.
 */
public final class RunHandle {

    private final String runId;
    private final Path folder;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final CompletableFuture<RunResult> result = new CompletableFuture<>();

    RunHandle(String runId, Path folder) {
        this.runId = runId;
        this.folder = folder;
    }

    public String runId() {
        return runId;
    }

    public Path folder() {
        return folder;
    }

    /** Asks the run to stop; a queued run will not start. */
    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /** Completes with the result when the run ends, however it ends; never exceptionally. */
    public CompletableFuture<RunResult> result() {
        return result;
    }

    void complete(RunResult r) {
        result.complete(r);
    }
}
