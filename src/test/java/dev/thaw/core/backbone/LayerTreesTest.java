package dev.thaw.core.backbone;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.FreezePresets;
import dev.thaw.core.model.LayerNode;
import dev.thaw.core.model.LayerTree;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.util.JobMonitor;
import dev.thaw.testing.TestModels;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Layer trees of the three backbone kinds, checked against what PyTorch itself counts. */
class LayerTreesTest {

    private static JsonObject expected;
    private static final BackboneLoader LOADER = new BackboneLoader(AppHome.resolve());

    @BeforeAll
    static void readExpected() throws Exception {
        expected = JsonParser.parseString(Files.readString(TestModels.EXPECTED)).getAsJsonObject();
    }

    private static Backbone load(String source) {
        return LOADER.load(BackboneSource.parse(source), MetadataOverrides.NONE, JobMonitor.NONE);
    }

    @Test
    void torchScriptTreeFromParameterNamesHasPyTorchsCounts() {
        try (Backbone b = load(TestModels.TINY_PT.toString())) {
            LayerTree tree = b.layerTree(3);
            long total = expected.get("parameters").getAsLong();
            assertThat(tree.backbone().orElseThrow().parameterCount()).isEqualTo(total);
            assertThat(tree.find(LayerTree.HEAD).orElseThrow().parameterCount()).isEqualTo((32 + 1) * 3);
            assertThat(tree.totalParams()).isEqualTo(total + 99);
            for (Map.Entry<String, com.google.gson.JsonElement> e : expected.getAsJsonObject("moduleParameters").entrySet()) {
                long count = e.getValue().getAsLong();
                if (count > 0) {
                    assertThat(tree.find("backbone." + e.getKey())).as(e.getKey()).isPresent();
                    assertThat(tree.find("backbone." + e.getKey()).get().parameterCount()).as(e.getKey()).isEqualTo(count);
                }
            }
            assertThat(tree.stages().stream().map(LayerNode::name)).containsExactly("conv1", "bn1", "layer1", "layer2", "layer3");
            assertThat(tree.find("backbone.conv1").get().type()).isEqualTo("Conv2d");
            LayerNode bn = tree.find("backbone.layer2.0.downsample.1").get();
            assertThat(bn.type()).isEqualTo("BatchNorm2d");
            assertThat(bn.batchNorm()).isTrue();
            assertThat(bn.note()).contains("Running statistics stay fixed while any backbone layer is frozen");
            assertThat(tree.find("backbone.layer1").get().type()).isEqualTo("Sequential");
            assertThat(tree.find("backbone.layer1.0").get().type()).isEqualTo("BasicBlock");
            assertThat(tree.backbone().get().outputShape()).containsExactly(32L);
        }
    }

    @Test
    void presetsOnATorchScriptTree() {
        try (Backbone b = load(TestModels.TINY_PT.toString())) {
            LayerTree tree = b.layerTree(3);
            Map<String, Long> counts = new java.util.HashMap<>();
            expected.getAsJsonObject("moduleParameters").entrySet().forEach(e -> counts.put(e.getKey(), e.getValue().getAsLong()));
            FreezePlan last1 = FreezePresets.parse("last:1", tree);
            assertThat(last1.frozen()).containsExactly("backbone.bn1", "backbone.conv1", "backbone.layer1", "backbone.layer2");
            assertThat(tree.trainableParams(last1)).isEqualTo(counts.get("layer3") + 99);
            FreezePlan bnOnly = FreezePresets.parse("bn-only", tree);
            long bnParams = expected.getAsJsonArray("batchNorms").asList().stream()
                    .mapToLong(n -> counts.get(n.getAsString())).sum();
            assertThat(tree.trainableParams(bnOnly)).isEqualTo(bnParams + 99);
            assertThat(tree.trainableParams(FreezePresets.parse("head-only", tree))).isEqualTo(99);
            assertThat(tree.trainableParams(FreezePresets.parse("all", tree))).isEqualTo(tree.totalParams());
            assertThat(FreezePresets.parse("layer1, backbone.conv1", tree).frozen()).containsExactly("backbone.conv1",
                    "backbone.layer1");
        }
    }

    @Test
    void unknownFreezePathsAreNamedWithExamples() {
        try (Backbone b = load(TestModels.TINY_PT.toString())) {
            LayerTree tree = b.layerTree(3);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> FreezePresets.parse("layer9", tree))
                    .hasMessageContaining("no layer layer9").hasMessageContaining("backbone.conv1");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> FreezePresets.parse("last:9", tree))
                    .hasMessageContaining("only 5 stages");
        }
    }

    @Test
    void onnxTreeIsLockedWithTheReasonAndGroupedByModule() {
        try (Backbone b = load(TestModels.TINY_ONNX.toString())) {
            LayerTree tree = b.layerTree(3);
            LayerNode backbone = tree.backbone().orElseThrow();
            assertThat(backbone.trainable()).isFalse();
            assertThat(backbone.lockReason()).contains("frozen feature extractor");
            // the exporter folded BatchNorm into the convolutions: fewer numbers than the .pt
            assertThat(backbone.parameterCount()).isEqualTo(19456);
            assertThat(tree.find("backbone.layer2.0.downsample.0")).isPresent();
            assertThat(tree.find("backbone.layer1.0.conv1").get().type()).isEqualTo("Conv2d");
            tree.forEach(n -> {
                if (n.path().startsWith(LayerTree.BACKBONE)) {
                    assertThat(n.trainable()).as(n.path()).isFalse();
                }
            });
            assertThat(tree.trainableParams(FreezePlan.NONE)).isEqualTo(99);
            assertThat(tree.withLockedFrozen(FreezePlan.NONE)).isEqualTo(tree.headOnly());
        }
    }

    @Test
    void djlTreeHasCleanNamesCountsAndShapes() {
        try (Backbone b = load("arch:mini-resnet")) {
            LayerTree tree = b.layerTree(10);
            assertThat(tree.stages().stream().map(LayerNode::name)).containsExactly("stem", "layer1", "layer2", "layer3", "layer4");
            assertThat(tree.find("backbone.stem").get().outputShape()).containsExactly(16L, 64L, 64L);
            assertThat(tree.find("backbone.layer1").get().outputShape()).containsExactly(16L, 32L, 32L);
            assertThat(tree.find("backbone.layer4").get().outputShape()).containsExactly(128L, 4L, 4L);
            assertThat(tree.backbone().get().outputShape()).containsExactly(128L);
            LayerNode bn = tree.find("backbone.layer2.0.bn1").orElseThrow();
            assertThat(bn.batchNorm()).isTrue();
            assertThat(bn.parameterCount()).isEqualTo(64); // gamma + beta of 32 channels; running statistics are not parameters
            assertThat(tree.find("backbone.layer2.0.downsample.1").get().type()).isEqualTo("BatchNorm2d");
            long sum = b.trainable().get().parameters().stream().mapToLong(NamedParameter::size).sum();
            assertThat(tree.backbone().get().parameterCount()).isEqualTo(sum);
            List<String> paths = b.trainable().get().parameters().stream().map(NamedParameter::path).toList();
            assertThat(paths).contains("backbone.stem.conv.weight", "backbone.layer1.0.bn1.gamma");
            assertThat(tree.find(LayerTree.HEAD).get().parameterCount()).isEqualTo(129 * 10);
        }
    }
}
