package dev.thaw.cli;

import dev.thaw.core.model.RunSpec;
import dev.thaw.core.runs.RunFolder;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runtime.AppHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code thaw rerun}: runs a finished run's spec again, on the same split. */
@Command(name = "rerun", mixinStandardHelpOptions = true,
        description = {"Run a past run again exactly: its saved spec (freeze plan included) on its saved split.",
            "With --seed, the same run with another seed (the split stays the same)."})
final class RerunCommand implements Callable<Integer> {

    private final AppHome home;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "The run id (or a unique prefix of it), as thaw runs lists it.")
    String run;

    @Option(names = "--seed", paramLabel = "N", description = "Another seed for initialization, shuffling and augmentation.")
    Long seed;

    @Mixin

    RunsDirOption runsDir;

    @Option(names = "--json", description = "Print only one JSON line with the results on stdout (progress goes to stderr).")
    boolean json;

    RerunCommand(AppHome home) {
        this.home = home;
    }

    @Override
    public Integer call() {
        RunStore store = runsDir.store(home);
        RunStore.RunInfo info;
        try {
            info = store.find(run).orElseThrow(() -> new UserException("No run '" + run + "' in " + store.root()));
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), e);
        }
        if (info.spec() == null) {
            throw new UserException("The run " + info.id() + " has no readable " + RunFolder.SPEC);
        }
        RunSpec original = info.spec();
        Path split = info.folder().file(RunFolder.SPLIT);
        RunSpec again = Files.isRegularFile(split) ? original.withSplitManifest(split) : original;
        if (seed != null) {
            again = again.withSeed(seed);
        }
        return Training.run(home, store, again, json, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
