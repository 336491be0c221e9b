package dev.thaw.core.backbone.zoo;

import dev.thaw.core.util.JobMonitor;

/** Maps a step's progress [0, 1] into its share [start, start + width] of the whole job. */
record SubMonitor(JobMonitor parent, double start, double width) implements JobMonitor {

    @Override
    public void progress(double fraction, String message) {
        parent.progress(fraction < 0 ? -1 : start + Math.min(1, fraction) * width, message);
    }

    @Override
    public boolean isCancelled() {
        return parent.isCancelled();
    }
}
