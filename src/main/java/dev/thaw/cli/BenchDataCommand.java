package dev.thaw.cli;

import dev.thaw.core.util.FileTrees;
import dev.thaw.core.data.ImagePipeline;
import dev.thaw.core.data.PipelineBenchmark;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code thaw bench-data}: how many images per second the data pipeline prepares on this machine. */
@Command(name = "bench-data", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure the data pipeline: images/s for JPEG decode + resize (+ augmentation) at the model's "
                + "input size, on generated photo-like JPEGs, without and with the decoded-image cache.",
                "Prints a Markdown table."})
final class BenchDataCommand implements Callable<Integer> {

    @Option(names = "--images", defaultValue = "300", description = "JPEGs to generate (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--width", defaultValue = "500", description = "Their width (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", defaultValue = "375", description = "Their height (default: ${DEFAULT-VALUE}).")
    int height;

    @Option(names = "--size", defaultValue = "224", description = "Model input size (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", split = ",", paramLabel = "N[,N...]",
            description = "Decoder thread counts to measure (default: 1, the pipeline's default, and all cores).")
    List<Integer> threads;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated images (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (images < 1 || width < 8 || height < 8 || size < 8 || batch < 1) {
            throw new UserException("--images and --batch must be at least 1; --width, --height and --size at least 8");
        }
        List<Integer> counts = threads;
        if (counts == null || counts.isEmpty()) {
            counts = new ArrayList<>(new TreeSet<>(List.of(1, ImagePipeline.defaultThreads(), Runtime.getRuntime().availableProcessors())));
        }
        PrintWriter out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory("thaw-bench-data");
        try {
            List<PipelineBenchmark.Result> results;
            try (ConsoleProgress progress = new ConsoleProgress(spec.commandLine().getErr())) {
                results = PipelineBenchmark.run(new PipelineBenchmark.Settings(images, width, height, size, batch, counts, seed),
                        work, progress);
            }
            out.printf(Locale.ROOT, "Data pipeline: %d JPEGs of %dx%d -> %d px, batch %d, %d cores, Java %s%n%n", images, width,
                    height, size, batch, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            out.println("| scenario | augmentation | threads | images/s | ms/image/thread |");
            out.println("|---|---|---:|---:|---:|");
            for (PipelineBenchmark.Result r : results) {
                out.printf(Locale.ROOT, "| %s | %s | %d | %.0f | %.2f |%n", r.scenario(), r.augmentation().name().toLowerCase(Locale.ROOT),
                        r.threads(), r.imagesPerSecond(), 1000.0 * r.threads() / r.imagesPerSecond());
            }
        } finally {
            FileTrees.deleteTree(work);
        }
        return 0;
    }

}
