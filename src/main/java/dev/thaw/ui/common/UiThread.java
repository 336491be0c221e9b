package dev.thaw.ui.common;

import javafx.application.Platform;

/**
 * Where view-model state may change. In the app that is the JavaFX thread; in view-model tests it is
 * the calling thread, so they need no toolkit.
 */
@FunctionalInterface
public interface UiThread {

    /** Runs {@code action} on the UI thread: now if already there, else soon. */
    void execute(Runnable action);

    /** The JavaFX application thread. */
    UiThread FX = action -> {
        if (Platform.isFxApplicationThread()) {
            action.run();
        } else {
            Platform.runLater(action);
        }
    };

    /** The calling thread (tests). */
    UiThread DIRECT = Runnable::run;
}
