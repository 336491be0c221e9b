package dev.thaw.cli;

import dev.thaw.core.sample.SampleDataGenerator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code thaw sample-data}: regenerates the synthetic sample datasets shipped in {@code sample-data/}. */
@Command(name = "sample-data", mixinStandardHelpOptions = true,
        description = {"Generate the synthetic sample datasets (source, target, unlabeled) with a seed.",
            "The repository's sample-data/ folder was made by this command with its defaults."})
final class SampleDataCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "sample-data", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seed", defaultValue = "" + SampleDataGenerator.DEFAULT_SEED, description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        SampleDataGenerator.generate(out, seed);
        System.out.println("Wrote sample datasets to " + out.toAbsolutePath());
        return 0;
    }
}
