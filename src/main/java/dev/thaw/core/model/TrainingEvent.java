package dev.thaw.core.model;

/**
 * What a training run tells its listeners, in order: {@link Started}, then {@link Progress} (a phase
 * such as computing embeddings), {@link BatchEnded} and {@link EpochEnded} as they happen, and
 * exactly one of {@link Completed}, {@link Cancelled} or {@link Failed}. {@link Progress} events
 * also come before {@link Started} while the run prepares (reading the dataset, loading or
 * downloading the backbone), and a run that fails or is cancelled while preparing ends without a
 * {@link Started}.
 *
 * <p>Events are immutable and carry the run id, so one listener can follow a queue of runs.
 */
public sealed interface TrainingEvent {

    String runId();

    /** The run began. */
    record Started(String runId, Strategy strategy, int epochs, int batchesPerEpoch, int trainImages, int valImages,
            long trainableParams, long totalParams, String device) implements TrainingEvent {
    }

    /** A phase outside the batch loop (loading the backbone, computing embeddings). */
    record Progress(String runId, String phase, double fraction) implements TrainingEvent {
    }

    /**
     * A training batch finished.
     *
     * @param epoch 1-based
     * @param batch 1-based within the epoch
     * @param etaSeconds estimated seconds until the run ends, or a negative value if unknown
     */
    record BatchEnded(String runId, int epoch, int batch, int batchesPerEpoch, double loss, double accuracy,
            double learningRate, double imagesPerSecond, double etaSeconds) implements TrainingEvent {
    }

    /**
     * An epoch finished and was validated.
     *
     * @param best true if this epoch has the best validation accuracy so far (its checkpoint was kept)
     */
    record EpochEnded(String runId, int epoch, int epochs, double trainLoss, double trainAccuracy, double valLoss,
            double valAccuracy, double learningRate, double seconds, double imagesPerSecond, boolean best)
            implements TrainingEvent {
    }

    /** The run finished normally (all epochs, or stopped early because validation stopped improving). */
    record Completed(String runId, int epochsRun, double finalValAccuracy, double bestValAccuracy, int bestEpoch,
            double wallSeconds, boolean stoppedEarly, int skippedImages) implements TrainingEvent {
    }

    /** The user cancelled; what was written so far stays readable. */
    record Cancelled(String runId, int epochsCompleted) implements TrainingEvent {
    }

    /** The run stopped on an error; {@code message} says what happened in words a user can act on. */
    record Failed(String runId, String message) implements TrainingEvent {
    }
}
