package dev.thaw.core.runtime;

import java.nio.file.Path;

/**
 * Where logs go. {@code logback.xml} writes the full log to {@code <app home>/logs/thaw.log} and
 * only errors to the console, so the CLI's output stays readable; the file is where to look when
 * something went wrong. Must run before the first logger is created.
 */
public final class Logs {

    /** The system property {@code logback.xml} reads the log folder from. */
    public static final String DIR_PROPERTY = "thaw.log.dir";

    private Logs() {
    }

    public static void configure(AppHome home) {
        if (System.getProperty(DIR_PROPERTY) == null) {
            System.setProperty(DIR_PROPERTY, home.logs().toString());
        }
        // JavaFX and ControlsFX write warnings through java.util.logging; send them to the log
        // file too instead of the console.
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
    }

    /** The current log file. */
    public static Path file() {
        return Path.of(System.getProperty(DIR_PROPERTY, "."), "thaw.log");
    }
}
