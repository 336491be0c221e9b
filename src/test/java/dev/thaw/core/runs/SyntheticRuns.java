package dev.thaw.core.runs;

import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.LayerNode;
import dev.thaw.core.model.LayerTree;
import dev.thaw.core.model.RunSpec;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes run folders as the engine does, with chosen predictions, for tests that need no training. */
public final class SyntheticRuns {

    public static final List<String> CLASSES = List.of("circle", "square");

    private SyntheticRuns() {
    }

    /** A small layer tree: backbone.stem, backbone.layer1, backbone.layer2 and the head. */
    public static LayerTree tree() {
        LayerNode stem = new LayerNode("backbone.stem", "stem", "Conv", 10, null, false, null, List.of());
        LayerNode l1 = new LayerNode("backbone.layer1", "layer1", "Stage", 20, null, false, null, List.of());
        LayerNode l2 = new LayerNode("backbone.layer2", "layer2", "Stage", 30, null, false, null, List.of());
        LayerNode bb = new LayerNode("backbone", "backbone", "ResNet", 60, null, false, null, List.of(stem, l1, l2));
        LayerNode head = new LayerNode("head", "head", "Linear", 6, null, false, null, List.of());
        return new LayerTree(new LayerNode("", "model", "Model", 66, null, false, null, List.of(bb, head)));
    }

    /**
     * A completed run whose validation predictions are {@code correct[i]} for image {@code img<i>.png}
     * (true class alternates); both best and last predictions are written with probabilities.
     */
    public static RunFolder write(RunStore store, Strategy strategy, long seed, FreezePlan plan, boolean[] correct, double finalAcc,
            double bestAcc, ExperimentTag tag) {
        return write(store, strategy, seed, plan, correct, finalAcc, bestAcc, tag, "img");
    }

    public static RunFolder write(RunStore store, Strategy strategy, long seed, FreezePlan plan, boolean[] correct, double finalAcc,
            double bestAcc, ExperimentTag tag, String filePrefix) {
        RunSpec spec = RunSpec.builder().setBackbone("sample").setData(Path.of("/data/shapes")).setStrategy(strategy).optSeed(seed)
                .optFreezePlan(plan).build();
        RunFolder f = store.create(spec);
        f.writeSpec(spec);
        f.writeStatus(new RunStatus(f.id(), RunStatus.COMPLETED, "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z", 3, null));
        f.writeSummary(new RunSummary(f.id(), RunStatus.COMPLETED, strategy.cliName(), finalAcc, bestAcc, 2, 3, 3, 12.5 + seed, 100,
                66, 66, 0.4, 0.9, 0.3, 100, correct.length, 2, 0, false, "sample", "mini", "", null, 0, 0, false, "cpu()", seed,
                null, f.dir().toString()));
        Map<String, Object> treeJson = new LinkedHashMap<>();
        treeJson.put("plan", plan);
        treeJson.put("description", "");
        treeJson.put("tree", tree());
        Json.write(f.file(RunFolder.TREE), treeJson);
        String csv = predictions(correct, filePrefix);
        Json.writeString(f.file(RunFolder.PREDICTIONS), csv);
        Json.writeString(f.file(RunFolder.PREDICTIONS_LAST), csv);
        if (tag != null) {
            f.writeExperiment(tag);
        }
        return f;
    }

    static String predictions(boolean[] correct, String prefix) {
        StringBuilder sb = new StringBuilder("file,label,predicted,correct,probability,p:circle,p:square\n");
        for (int i = 0; i < correct.length; i++) {
            int truth = i % 2;
            int pred = correct[i] ? truth : 1 - truth;
            float p = 0.75f;
            sb.append(CLASSES.get(truth)).append('/').append(prefix).append(i).append(".png,").append(CLASSES.get(truth)).append(',')
                    .append(CLASSES.get(pred)).append(',').append(correct[i]).append(',').append(p).append(',')
                    .append(pred == 0 ? p : 1 - p).append(',').append(pred == 1 ? p : 1 - p).append('\n');
        }
        return sb.toString();
    }

    /** {@code n} images of which the first {@code right} are correct. */
    public static boolean[] firstRight(int n, int right) {
        boolean[] b = new boolean[n];
        for (int i = 0; i < right; i++) {
            b[i] = true;
        }
        return b;
    }

    public static void append(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, java.nio.file.StandardOpenOption.APPEND, java.nio.file.StandardOpenOption.CREATE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
