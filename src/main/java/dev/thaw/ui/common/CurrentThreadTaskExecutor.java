package dev.thaw.ui.common;

import dev.thaw.core.util.JobMonitor;

/** Runs each task to completion on the calling thread, callbacks included. For view-model tests. */
public final class CurrentThreadTaskExecutor implements TaskExecutor {

    @Override
    public <T> BackgroundTask<T> execute(BackgroundTask<T> task) {
        task.markStarted();
        JobMonitor monitor = new JobMonitor() {
            @Override
            public void progress(double fraction, String message) {
                task.show(fraction, message);
            }

            @Override
            public boolean isCancelled() {
                return task.isCancelRequested();
            }
        };
        T value;
        try {
            value = task.work().run(monitor);
        } catch (Exception | Error e) {
            task.fail(e);
            return task;
        }
        task.complete(value);
        return task;
    }

    @Override
    public void shutdown() {
    }
}
