package dev.thaw.ui.dataset;

import dev.thaw.ui.common.BackgroundTask;
import dev.thaw.ui.common.CurrentThreadTaskExecutor;
import dev.thaw.ui.common.TaskExecutor;
import java.util.ArrayDeque;
import java.util.Queue;

/** Holds tasks until {@link #runAll()}, then runs them on the calling thread: for races between jobs. */
final class QueuedExecutor implements TaskExecutor {

    private final Queue<BackgroundTask<?>> queue = new ArrayDeque<>();
    private final CurrentThreadTaskExecutor runner = new CurrentThreadTaskExecutor();

    @Override
    public <T> BackgroundTask<T> execute(BackgroundTask<T> task) {
        queue.add(task);
        return task;
    }

    /** Runs what is queued, and what those tasks queue, in order. */
    void runAll() {
        for (BackgroundTask<?> t; (t = queue.poll()) != null;) {
            runner.execute(t);
        }
    }

    int pending() {
        return queue.size();
    }

    @Override
    public void shutdown() {
        queue.clear();
    }
}
