package dev.thaw.core.model;

import java.util.Locale;

/** The three ways Thaw trains, and their command-line names. */
public enum Strategy {
    /** Backbone frozen; embeddings computed once and cached; a new head trains on them. */
    FEATURE_EXTRACTION("fe", "Feature extraction"),
    /** Some or all backbone layers trainable at a lower learning rate than the new head. */
    FINE_TUNING("ft", "Fine-tuning"),
    /** The same architecture from random weights: the baseline that shows what transfer bought. */
    SCRATCH("scratch", "From scratch");

    private final String cliName;
    private final String label;

    Strategy(String cliName, String label) {
        this.cliName = cliName;
        this.label = label;
    }

    public String cliName() {
        return cliName;
    }

    public String label() {
        return label;
    }

    /** Parses {@code fe}, {@code ft}, {@code scratch} (or the enum name), with a message listing the choices. */
    public static Strategy parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (Strategy s : values()) {
            if (s.cliName.equals(t) || s.name().toLowerCase(Locale.ROOT).equals(t)) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown strategy '" + text + "': use fe, ft or scratch");
    }
}
