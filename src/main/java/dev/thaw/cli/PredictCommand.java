package dev.thaw.cli;

import dev.thaw.core.eval.ExportedModel;
import dev.thaw.core.eval.Predictor;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.util.Json;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code thaw predict RUN IMAGE...}: top-k classes of images with a trained run (or an export). */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predict the class of images with a trained run's model (its best epoch), or with a folder written by thaw export",
            "(loaded by DJL's Criteria, as any DJL program would)."})
final class PredictCommand implements Callable<Integer> {

    private final AppHome home;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN", description = "A run id (or unique prefix), a run folder, or an export folder.")
    String run;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE", description = "Image files.")
    List<Path> images;

    @Option(names = "--top", paramLabel = "K", defaultValue = "3", description = "Classes to show per image (default: ${DEFAULT-VALUE}).")
    int top;

    @Mixin

    RunsDirOption runsDir;

    @Option(names = "--json", description = "One JSON object per image and line.")
    boolean json;

    PredictCommand(AppHome home) {
        this.home = home;
    }

    @Override
    public Integer call() {
        if (top < 1) {
            throw new UserException("--top must be at least 1, was " + top);
        }
        for (Path image : images) {
            if (!Files.isRegularFile(image)) {
                throw new UserException("Image not found: " + image);
            }
        }
        Path asPath = Path.of(run);
        try {
            if (Files.isDirectory(asPath) && ExportedModel.isExport(asPath)) {
                try (ExportedModel m = ExportedModel.open(asPath, home)) {
                    return print(asPath.toString(), m::predict);
                }
            }
            Path folder = Files.isDirectory(asPath) ? asPath : RunArgs.find(runsDir.store(home), run).folder().dir();
            try (Predictor p = Predictor.open(folder, home)) {
                return print(folder.getFileName().toString(), p::predict);
            }
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), e);
        }
    }

    private int print(String model, BiFunction<Path, Integer, List<Predictor.Prediction>> predictor) {
        PrintWriter out = spec.commandLine().getOut();
        int failed = 0;
        for (Path image : images) {
            List<Predictor.Prediction> preds;
            try {
                preds = predictor.apply(image, top);
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                failed++;
                continue;
            }
            if (json) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("image", image.toString());
                j.put("model", model);
                List<Map<String, Object>> list = new ArrayList<>();
                for (Predictor.Prediction p : preds) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("label", p.label());
                    e.put("probability", p.probability());
                    list.add(e);
                }
                j.put("top", list);
                out.println(Json.COMPACT.toJson(j));
            } else {
                StringBuilder sb = new StringBuilder(image.toString()).append(':');
                for (Predictor.Prediction p : preds) {
                    sb.append(String.format(Locale.ROOT, "  %s %.1f%%", p.label(), 100 * p.probability()));
                }
                out.println(sb);
            }
        }
        out.flush();
        spec.commandLine().getErr().flush();
        return failed == 0 ? 0 : 1;
    }
}
