package dev.thaw.core.train;

/** The loss became NaN or infinite: the run stops, with a message that says what to change. */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TrainingDivergedException(String message) {
        super(message);
    }
}
