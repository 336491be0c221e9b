package dev.thaw.core.train;

import dev.thaw.core.model.TrainingEvent;
import dev.thaw.core.runs.RunSummary;
import java.nio.file.Path;

/**
 * How a submitted run ended.
 *
 * @param runId the run id
 * @param folder the run folder
 * @param summary the summary written to the folder ({@code summary.json})
 * @param terminal the last event: {@link TrainingEvent.Completed}, {@link TrainingEvent.Cancelled} or {@link TrainingEvent.Failed}
 */
public record RunResult(String runId, Path folder, RunSummary summary, TrainingEvent terminal) {

    public boolean completed() {
        return terminal instanceof TrainingEvent.Completed;
    }
}
