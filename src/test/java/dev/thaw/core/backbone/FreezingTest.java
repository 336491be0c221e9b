package dev.thaw.core.backbone;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import com.google.gson.JsonParser;
import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.LayerTree;
import dev.thaw.core.model.RunSpec;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.train.RunResult;
import dev.thaw.core.train.TrainingService;
import dev.thaw.core.util.JobMonitor;
import dev.thaw.testing.TestImages;
import dev.thaw.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frozen means frozen, on both kinds of trainable backbone: after a real fine-tuning run, every
 * frozen weight is bit-identical, the BatchNorm running statistics of frozen layers have not moved,
 * and the trainable weights have changed. The trained weights are read back from the run's model
 * folder, the way a user gets them.
 */
class FreezingTest {

    @TempDir
    static Path dir;
    private static AppHome home;
    private static Path data;
    private static BackboneLoader loader;

    @BeforeAll
    static void setUp() {
        home = AppHome.at(dir.resolve("home"));
        data = TestImages.presplit(dir.resolve("data"), 8, 4, 32, 1);
        loader = new BackboneLoader(home);
    }

    private static RunResult fineTune(String backbone, FreezePlan plan, int epochs) {
        RunSpec spec = RunSpec.builder().setBackbone(backbone).setData(data).setStrategy(Strategy.FINE_TUNING).optFreezePlan(plan)
                .optEpochs(epochs).optBatchSize(8).optLearningRate(0.01).optBackboneLrMultiplier(1.0).optSeed(3).build();
        try (TrainingService service = new TrainingService(home, new RunStore(dir.resolve("runs")), loader)) {
            RunResult r = service.submit(spec).result().join();
            assertThat(r.completed()).as("run %s: %s", r.runId(), r.terminal()).isTrue();
            return r;
        }
    }

    private static Backbone load(Path file) {
        return loader.load(new BackboneSource.File(file), MetadataOverrides.NONE, JobMonitor.NONE);
    }

    /** Every parameter of a DJL backbone, running statistics included, by tree path. */
    private static Map<String, float[]> djlState(Backbone b) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (NamedParameter p : LayerTrees.parameters(((DjlBackbone) b).block(), LayerTree.BACKBONE)) {
            out.put(p.path(), p.parameter().getArray().toFloatArray());
        }
        return out;
    }

    @Test
    void djlBuiltBackboneKeepsFrozenWeightsAndBatchNormStatistics() throws Exception {
        // A Thaw architecture saved as a .params file with its sidecar, as thaw pretrain writes it.
        Path base;
        try (Backbone random = loader.load(new BackboneSource.Architecture(Architectures.MINI_RESNET),
                new MetadataOverrides(32, null, null), JobMonitor.NONE)) {
            base = random.trainable().orElseThrow().saveWeights(dir.resolve("djl-base"));
        }
        Files.writeString(dir.resolve("djl-base.json"), "{\"arch\":\"mini-resnet\",\"inputSize\":32}");
        // Frozen: the stem and the first two stages, and one BatchNorm inside a stage that trains.
        FreezePlan plan = FreezePlan.of("backbone.stem", "backbone.layer1", "backbone.layer2", "backbone.layer3.0.bn1");
        RunResult run = fineTune(base.toString(), plan, 2);

        Path trained = dir.resolve("djl-trained.params");
        Files.copy(run.folder().resolve("model/backbone.params"), trained);
        Files.writeString(dir.resolve("djl-trained.json"), "{\"arch\":\"mini-resnet\",\"inputSize\":32}");
        Map<String, float[]> before;
        Map<String, float[]> after;
        try (Backbone a = load(base); Backbone b = load(trained)) {
            before = djlState(a);
            after = djlState(b);
        }
        assertThat(after.keySet()).isEqualTo(before.keySet());
        List<String> frozenChecked = new ArrayList<>();
        List<String> trainedChecked = new ArrayList<>();
        for (String path : before.keySet()) {
            boolean statistic = path.endsWith(".runningMean") || path.endsWith(".runningVar");
            if (plan.isFrozen(path)) {
                assertThat(after.get(path)).as("frozen %s is bit-identical", path).isEqualTo(before.get(path));
                frozenChecked.add(path);
            } else {
                assertThat(after.get(path)).as("trainable %s changed", path).isNotEqualTo(before.get(path));
                trainedChecked.add(path);
            }
            if (statistic && plan.isFrozen(path)) {
                frozenChecked.add(path);
            }
        }
        assertThat(frozenChecked).contains("backbone.stem.bn.runningMean", "backbone.layer2.0.downsample.1.runningVar",
                "backbone.layer3.0.bn1.runningMean", "backbone.layer3.0.bn1.gamma");
        assertThat(trainedChecked).contains("backbone.layer3.0.bn2.runningMean", "backbone.layer4.0.conv1.weight",
                "backbone.layer3.0.conv1.weight");
    }

    /** The module's BatchNorm running means and variances, through the test model's exported method. */
    private static List<float[]> batchNormStatistics(Backbone b) {
        TorchScriptBackbone ts = (TorchScriptBackbone) b;
        List<float[]> out = new ArrayList<>();
        try (NDManager m = ts.manager().newSubManager(); IValue list = IValueUtils.runMethod(ts.module(), "batch_norm_statistics")) {
            for (PtNDArray a : list.toTensorArray((PtNDManager) m)) {
                out.add(a.toFloatArray());
            }
        }
        return out;
    }

    private static Map<String, float[]> torchScriptWeights(Backbone b) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (NamedParameter p : b.trainable().orElseThrow().parameters()) {
            out.put(p.path(), p.parameter().getArray().toFloatArray());
        }
        return out;
    }

    @Test
    void torchScriptBackboneKeepsFrozenWeightsAndAllStatisticsWhenPartlyFrozen() throws Exception {
        FreezePlan plan = FreezePlan.of("backbone.conv1", "backbone.bn1", "backbone.layer1");
        RunResult run = fineTune(TestModels.TINY_BN_PT.toString(), plan, 2);
        Path trained = TestModels.copy(run.folder().resolve("model/backbone.pt"), dir, "ts-trained.pt");
        TestModels.copy(TestModels.TINY_SIDECAR, dir, "ts-trained.json");
        try (Backbone a = load(TestModels.TINY_BN_PT); Backbone b = load(trained)) {
            Map<String, float[]> before = torchScriptWeights(a);
            Map<String, float[]> after = torchScriptWeights(b);
            assertThat(after.keySet()).isEqualTo(before.keySet());
            for (String path : before.keySet()) {
                if (plan.isFrozen(path)) {
                    assertThat(after.get(path)).as("frozen %s is bit-identical", path).isEqualTo(before.get(path));
                } else {
                    assertThat(after.get(path)).as("trainable %s changed", path).isNotEqualTo(before.get(path));
                }
            }
            // Part of the module is frozen, so it ran in eval mode: no running statistic moved, not
            // even those of trainable BatchNorm layers (whose scale and shift did train, above).
            List<float[]> statsBefore = batchNormStatistics(a);
            List<float[]> statsAfter = batchNormStatistics(b);
            assertThat(statsAfter).hasSameSizeAs(statsBefore).hasSize(18);
            for (int i = 0; i < statsBefore.size(); i++) {
                assertThat(statsAfter.get(i)).as("statistic %d", i).isEqualTo(statsBefore.get(i));
            }
            assertThat(a.layerTree(3).find("backbone.layer3.0.bn1").orElseThrow().note()).contains("stay fixed");
        }
        String described = JsonParser.parseString(Files.readString(run.folder().resolve("tree.json"))).getAsJsonObject()
                .get("description").getAsString();
        assertThat(described).isEqualTo("Fine-tuning the last 2 of 5 stages");
    }

    @Test
    void torchScriptStatisticsDoMoveWhenNothingIsFrozen() {
        // The control for the test above: the exported method sees live statistics, and full
        // fine-tuning (training mode) updates them.
        RunResult run = fineTune(TestModels.TINY_BN_PT.toString(), FreezePlan.NONE, 1);
        Path trained = TestModels.copy(run.folder().resolve("model/backbone.pt"), dir, "ts-full.pt");
        TestModels.copy(TestModels.TINY_SIDECAR, dir, "ts-full.json");
        try (Backbone a = load(TestModels.TINY_BN_PT); Backbone b = load(trained)) {
            List<float[]> before = batchNormStatistics(a);
            List<float[]> after = batchNormStatistics(b);
            for (int i = 0; i < before.size(); i++) {
                assertThat(after.get(i)).as("statistic %d", i).isNotEqualTo(before.get(i));
            }
        }
    }
}
