package dev.thaw.cli;

import dev.thaw.core.util.JobMonitor;
import java.io.PrintWriter;

/**
 * Shows a job's progress on one line of the terminal, rewritten in place, and nothing when the
 * output is not a terminal (a pipe or a test), so logs and {@code --json} stay clean.
 */
final class ConsoleProgress implements JobMonitor, AutoCloseable {

    private final PrintWriter err;
    private final boolean enabled;
    private long lastPrint;
    private int lastLength;

    ConsoleProgress(PrintWriter err) {
        this(err, System.console() != null);
    }

    ConsoleProgress(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    @Override
    public synchronized void progress(double fraction, String message) {
        long now = System.nanoTime();
        if (!enabled || (now - lastPrint < 100_000_000L && fraction < 1)) {
            return;
        }
        lastPrint = now;
        String line = fraction >= 0 ? String.format("%3.0f%% %s", fraction * 100, message) : message;
        err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        err.flush();
        lastLength = line.length();
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    /** Clears the progress line. */
    @Override
    public synchronized void close() {
        if (enabled && lastLength > 0) {
            err.print("\r" + " ".repeat(lastLength) + "\r");
            err.flush();
            lastLength = 0;
        }
    }
}
