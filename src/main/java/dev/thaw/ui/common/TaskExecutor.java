package dev.thaw.ui.common;

/**
 * Runs {@link BackgroundTask}s. The app has one, made at start-up and shut down on exit; view-model
 * tests use {@link CurrentThreadTaskExecutor}.
 */
public interface TaskExecutor {

    /** Starts {@code task} and returns it (for binding and cancel). */
    <T> BackgroundTask<T> execute(BackgroundTask<T> task);

    /** Stops accepting work and interrupts running jobs. */
    void shutdown();
}
