package dev.thaw.ui.common;

import dev.thaw.core.util.JobMonitor;

/** The body of a {@link BackgroundTask}: runs off the UI thread, reports to {@code monitor}. */
@FunctionalInterface
public interface BackgroundWork<T> {
    T run(JobMonitor monitor) throws Exception;
}
