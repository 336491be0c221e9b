package dev.thaw.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerTreeTest {

    /** A ResNet-like tree: backbone{conv1, bn1, layer1{0{conv1,bn1}}, layer2{0{conv1,bn1}}}, head. */
    static LayerTree sampleTree(String lockReason) {
        LayerNode l1c = leaf("backbone.layer1.0.conv1", "Conv2d", 100, false, lockReason);
        LayerNode l1b = leaf("backbone.layer1.0.bn1", "BatchNorm2d", 10, true, lockReason);
        LayerNode l1 = node("backbone.layer1", lockReason, node("backbone.layer1.0", lockReason, l1c, l1b));
        LayerNode l2c = leaf("backbone.layer2.0.conv1", "Conv2d", 200, false, lockReason);
        LayerNode l2b = leaf("backbone.layer2.0.bn1", "BatchNorm2d", 20, true, lockReason);
        LayerNode l2 = node("backbone.layer2", lockReason, node("backbone.layer2.0", lockReason, l2c, l2b));
        LayerNode backbone = node("backbone", lockReason, leaf("backbone.conv1", "Conv2d", 50, false, lockReason),
                leaf("backbone.bn1", "BatchNorm2d", 5, true, lockReason), l1, l2);
        LayerNode head = leaf("head", "Linear", 33, false, null);
        return new LayerTree(node("", null, backbone, head));
    }

    static LayerNode leaf(String path, String type, long params, boolean bn, String lock) {
        return new LayerNode(path, path.substring(path.lastIndexOf('.') + 1), type, params, List.of(), bn, lock, List.of());
    }

    static LayerNode node(String path, String lock, LayerNode... children) {
        long sum = 0;
        for (LayerNode c : children) {
            sum += c.parameterCount();
        }
        return new LayerNode(path, path.isEmpty() ? "model" : path.substring(path.lastIndexOf('.') + 1), "Sequential", sum,
                List.of(), false, lock, List.of(children));
    }

    private final LayerTree tree = sampleTree(null);

    @Test
    void frozenPathCoversItsSubtreeOnly() {
        FreezePlan plan = FreezePlan.of("backbone.layer1");
        assertThat(plan.isFrozen("backbone.layer1.0.conv1")).isTrue();
        assertThat(plan.isFrozen("backbone.layer10")).as("a name prefix is not a path prefix").isFalse();
        assertThat(plan.isFrozen("backbone")).isFalse();
    }

    @Test
    void plansAreMinimalSoEqualPlansCompareEqual() {
        assertThat(FreezePlan.of("backbone", "backbone.layer1", "backbone.conv1")).isEqualTo(FreezePlan.of("backbone"));
    }

    @Test
    void presetsCountTheRightParameters() {
        assertThat(tree.totalParams()).isEqualTo(418);
        assertThat(tree.trainableParams(tree.headOnly())).isEqualTo(33);
        assertThat(tree.trainableParams(tree.allTrainable())).isEqualTo(418);
        assertThat(tree.lastStages(1)).isEqualTo(FreezePlan.of("backbone.conv1", "backbone.bn1", "backbone.layer1"));
        assertThat(tree.trainableParams(tree.lastStages(1))).isEqualTo(220 + 33);
        assertThat(tree.trainableParams(tree.batchNormOnly())).isEqualTo(5 + 10 + 20 + 33);
    }

    @Test
    void unfreezingInsideAFrozenStageKeepsTheRestFrozen() {
        FreezePlan plan = tree.unfreeze(tree.headOnly(), "backbone.layer2.0.bn1");
        assertThat(plan.frozen()).containsExactlyInAnyOrder("backbone.conv1", "backbone.bn1", "backbone.layer1",
                "backbone.layer2.0.conv1");
        assertThat(tree.trainableParams(plan)).isEqualTo(20 + 33);
        assertThat(tree.freeze(plan, "backbone.layer2.0.bn1")).as("re-freezing gives back the same plan")
                .isEqualTo(tree.headOnly());
        assertThat(tree.trainableParams(tree.freeze(plan, "backbone.layer2.0.bn1"))).isEqualTo(33);
    }

    @Test
    void unfreezingAParentUnfreezesItsFrozenDescendants() {
        FreezePlan plan = FreezePlan.of("backbone.layer1.0.conv1", "backbone.layer2");
        assertThat(tree.unfreeze(plan, "backbone.layer1").frozen()).containsExactly("backbone.layer2");
    }

    @Test
    void plansThatFreezeTheSameLayersAreWrittenTheSameWay() {
        FreezePlan leafByLeaf = tree.canonical(FreezePlan.of("backbone.layer1.0.conv1", "backbone.layer1.0.bn1"));
        assertThat(leafByLeaf).isEqualTo(FreezePlan.of("backbone.layer1"));
        assertThat(tree.canonical(FreezePlan.of("backbone.conv1", "backbone.bn1", "backbone.layer1", "backbone.layer2")))
                .isEqualTo(tree.headOnly());
    }

    @Test
    void describesPlansInWords() {
        assertThat(tree.describe(tree.headOnly())).startsWith("Feature extraction");
        assertThat(tree.describe(tree.allTrainable())).startsWith("Full fine-tuning");
        assertThat(tree.describe(tree.lastStages(1))).isEqualTo("Fine-tuning the last 1 of 4 stages");
        assertThat(tree.describe(tree.batchNormOnly())).isEqualTo("BatchNorm-only fine-tuning");
        assertThat(tree.describe(FreezePlan.of("backbone.layer1.0.conv1"))).startsWith("Custom");
    }

    @Test
    void lockedNodesAreAlwaysFrozen() {
        LayerTree locked = sampleTree("ONNX models cannot be trained");
        FreezePlan plan = locked.withLockedFrozen(FreezePlan.NONE);
        assertThat(plan.frozen()).containsExactly("backbone");
        assertThat(locked.trainableParams(FreezePlan.NONE)).as("locked nodes never count as trainable").isEqualTo(33);
    }

    @Test
    void walksParentsBeforeChildren() {
        List<String> order = new ArrayList<>();
        tree.forEach(n -> order.add(n.path()));
        assertThat(order.indexOf("backbone")).isLessThan(order.indexOf("backbone.layer1"));
        assertThat(order.indexOf("backbone.layer1")).isLessThan(order.indexOf("backbone.layer1.0.conv1"));
        assertThat(tree.find("backbone.layer2.0.bn1")).map(LayerNode::batchNorm).contains(true);
        assertThat(tree.find("backbone.layer3")).isEmpty();
    }
}
