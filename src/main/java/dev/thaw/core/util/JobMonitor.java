package dev.thaw.core.util;

import java.util.concurrent.CancellationException;

/**
 * What every long job in core reports to and asks: how far it is, what it is doing, and whether
 * the user cancelled it. The GUI adapts its background task to this; the CLI prints it; tests
 * record it.
 *
 * <p>Jobs call {@link #checkCancelled()} between units of work (a file, a batch), so cancelling
 * takes effect within one unit.
 */
public interface JobMonitor {

    /** A monitor that ignores progress and is never cancelled. */
    JobMonitor NONE = new JobMonitor() {
        @Override
        public void progress(double fraction, String message) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    };

    /**
     * Reports progress.
     *
     * @param fraction done so far in [0, 1], or a negative value when it cannot be known
     * @param message a short human sentence ("Scanning 1,204 of 3,000 files"), never null
     */
    void progress(double fraction, String message);

    /** True once the user asked the job to stop. */
    boolean isCancelled();

    /** Throws {@link CancellationException} if the job was cancelled. */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new CancellationException("Cancelled");
        }
    }
}
