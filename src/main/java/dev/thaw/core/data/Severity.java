package dev.thaw.core.data;

/** How much a dataset problem matters. */
public enum Severity {
    /** The dataset cannot be trained on until this is fixed. */
    ERROR,
    /** Training works, but files are skipped or results may suffer. */
    WARNING,
    /** Worth knowing (a file ignored on purpose, a decoder note); nothing to fix. */
    INFO
}
