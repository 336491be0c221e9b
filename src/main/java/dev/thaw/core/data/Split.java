package dev.thaw.core.data;

import java.util.Locale;

/** The three parts of a dataset: what the model learns from, what picks the best epoch, what is held out. */
public enum Split {
    TRAIN, VAL, TEST;

    /** The folder name Thaw writes and shows ({@code train}, {@code val}, {@code test}). */
    public String folderName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
