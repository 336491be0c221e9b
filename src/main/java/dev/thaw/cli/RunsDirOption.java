package dev.thaw.cli;

import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runtime.AppHome;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --runs-dir}, shared by every command that reads or writes runs (a picocli mixin). */
final class RunsDirOption {

    @Option(names = "--runs-dir", paramLabel = "DIR",
            description = "The runs folder: where runs are found and new run folders go (default: the app home's runs/).")
    Path dir;

    /** The runs in {@code --runs-dir}, or in the app home's {@code runs/} without it. */
    RunStore store(AppHome home) {
        return new RunStore(dir == null ? home.runs() : dir);
    }
}
