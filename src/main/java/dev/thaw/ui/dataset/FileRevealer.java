package dev.thaw.ui.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Shows a file in the system's file manager. Runs in the background (it starts a process); tests
 * pass a recording stub.
 */
@FunctionalInterface
public interface FileRevealer {

    void reveal(Path file) throws IOException;

    /**
     * The platform's file manager: Finder with the file selected on macOS, Explorer with the file
     * selected on Windows, and the folder holding it via {@code xdg-open} elsewhere. Started as a
     * process rather than through AWT's {@code Desktop}, which would start a second toolkit.
     */
    static FileRevealer system() {
        return file -> {
            if (!Files.exists(file)) {
                throw new IOException("it is gone (moved or deleted)");
            }
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            Path folder = Files.isDirectory(file) ? file : file.getParent();
            List<String> command;
            if (os.contains("mac")) {
                command = List.of("open", "-R", file.toString());
            } else if (os.contains("win")) {
                command = List.of("explorer.exe", "/select," + file);
            } else {
                command = List.of("xdg-open", folder.toString());
            }
            Process p;
            try {
                p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                throw new IOException("no file manager could be started (" + command.get(0) + ": " + e.getMessage() + ")", e);
            }
            try {
                // Explorer answers 1 even when it worked; xdg-open and open say 0 when they did.
                if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() != 0 && !os.contains("win")) {
                    throw new IOException("the file manager refused it (" + command.get(0) + " exited with " + p.exitValue() + ")");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
