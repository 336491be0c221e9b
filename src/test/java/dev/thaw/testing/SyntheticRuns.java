package dev.thaw.testing;

import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.LayerNode;
import dev.thaw.core.model.LayerTree;
import dev.thaw.core.model.RunSpec;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.runs.RunFolder;
import dev.thaw.core.runs.RunStatus;
import dev.thaw.core.runs.RunSummary;
import dev.thaw.core.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Run folders written the way {@code TrainingRun} writes them (spec, state, summary, layer tree with
 * its plan, metrics lines, validation predictions), with numbers the test chooses, so views that
 * read runs can be tested in milliseconds and with known answers.
 */
public final class SyntheticRuns {

    private SyntheticRuns() {
    }

    /** A small layer tree: backbone (stem, stage1, stage2) and head. */
    public static LayerTree tree() {
        LayerNode stem = new LayerNode("backbone.stem", "stem", "Conv2d", 448, List.of(8L, 16L, 16L), false, null, List.of());
        LayerNode s1 = new LayerNode("backbone.stage1", "stage1", "Sequential", 1_200, List.of(16L, 8L, 8L), false, null, List.of());
        LayerNode s2 = new LayerNode("backbone.stage2", "stage2", "Sequential", 4_800, List.of(32L, 4L, 4L), false, null, List.of());
        LayerNode backbone = new LayerNode("backbone", "backbone", "Backbone", 6_448, List.of(32L), false, null, List.of(stem, s1, s2));
        LayerNode head = new LayerNode("head", "head", "Linear", 99, List.of(3L), false, null, List.of());
        return new LayerTree(new LayerNode("", "tiny", "Model", 6_547, List.of(3L), false, null, List.of(backbone, head)));
    }

    /** One validation image's result: the file relative to the dataset, its class, the prediction. */
    public record Prediction(String file, String truth, String predicted, double probability) {
    }

    /**
     * Writes a completed run.
     *
     * @param valAccPerEpoch one validation accuracy per epoch (also sets the curves)
     */
    public static RunFolder write(Path runsRoot, String id, Strategy strategy, FreezePlan plan, Path data, double lr,
            double[] valAccPerEpoch, List<Prediction> predictions) {
        RunFolder f = new RunFolder(runsRoot.resolve(id));
        try {
            Files.createDirectories(f.dir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RunSpec spec = RunSpec.builder().setBackbone("sample").setData(data).setStrategy(strategy).optFreezePlan(plan)
                .optEpochs(valAccPerEpoch.length).optLearningRate(lr).optSeed(7).build();
        f.writeSpec(spec);
        f.writeStatus(new RunStatus(id, RunStatus.COMPLETED, "2026-11-24T08:00:00Z", "2026-11-24T08:01:00Z", valAccPerEpoch.length, null));
        Map<String, Object> treeJson = new LinkedHashMap<>();
        treeJson.put("plan", plan);
        treeJson.put("description", "test");
        treeJson.put("tree", tree());
        Json.write(f.file(RunFolder.TREE), treeJson);
        double best = 0;
        int bestEpoch = 0;
        try (RunFolder.MetricsLog log = f.openMetrics()) {
            for (int e = 1; e <= valAccPerEpoch.length; e++) {
                double acc = valAccPerEpoch[e - 1];
                if (acc > best) {
                    best = acc;
                    bestEpoch = e;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("type", "epoch");
                m.put("epoch", e);
                m.put("elapsed_s", 3.0 * e);
                m.put("train_loss", 1.2 / e);
                m.put("train_acc", Math.min(1, acc + 0.05));
                m.put("val_loss", 1.0 - 0.8 * acc);
                m.put("val_acc", acc);
                m.put("lr", lr);
                log.append(m);
            }
        }
        double last = valAccPerEpoch[valAccPerEpoch.length - 1];
        f.writeSummary(new RunSummary(id, RunStatus.COMPLETED, strategy.cliName(), last, best, bestEpoch, valAccPerEpoch.length,
                valAccPerEpoch.length, 3.0 * valAccPerEpoch.length + 1, 250.0, strategy == Strategy.FEATURE_EXTRACTION ? 99 : 6_547,
                6_547, 1.0 - 0.8 * last, last, 0.3, 30, predictions.size(), 3, 0, false, "sample", "tiny", "test", null, 0, 0,
                false, "cpu()", 7, null, f.dir().toString()));
        StringBuilder csv = new StringBuilder("file,label,predicted,correct,probability\n");
        for (Prediction p : predictions) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%.4f%n", p.file(), p.truth(), p.predicted(), p.truth().equals(p.predicted()),
                    p.probability()));
        }
        try {
            Files.writeString(f.file(RunFolder.PREDICTIONS), csv.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }
}
