package dev.thaw.ui.backbone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.LayerNode;
import dev.thaw.core.model.LayerTree;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tree's ticks and the plan the engine receives, without a toolkit. */
class LayerTreeViewModelTest {

    private LayerTreeViewModel vm;

    static LayerTree tree(String lock) {
        LayerNode c1 = leaf("backbone.stem.conv", "Conv2d", 50, false, lock);
        LayerNode b1 = leaf("backbone.stem.bn", "BatchNorm2d", 6, true, lock);
        LayerNode stem = node("backbone.stem", lock, c1, b1);
        LayerNode s1 = node("backbone.stage1", lock, leaf("backbone.stage1.conv", "Conv2d", 100, false, lock),
                leaf("backbone.stage1.bn", "BatchNorm2d", 10, true, lock));
        LayerNode s2 = node("backbone.stage2", lock, leaf("backbone.stage2.conv", "Conv2d", 200, false, lock),
                leaf("backbone.stage2.bn", "BatchNorm2d", 20, true, lock));
        return new LayerTree(node("", null, node("backbone", lock, stem, s1, s2), leaf("head", "Linear", 40, false, null)));
    }

    static LayerNode leaf(String path, String type, long params, boolean bn, String lock) {
        return new LayerNode(path, path.substring(path.lastIndexOf('.') + 1), type, params, List.of(), bn, lock, List.of());
    }

    static LayerNode node(String path, String lock, LayerNode... kids) {
        long sum = 0;
        for (LayerNode k : kids) {
            sum += k.parameterCount();
        }
        return new LayerNode(path, path.isEmpty() ? "tiny" : path.substring(path.lastIndexOf('.') + 1), "Sequential", sum, List.of(),
                false, lock, List.of(kids));
    }

    @BeforeEach
    void load() {
        vm = new LayerTreeViewModel();
        vm.treeProperty().set(tree(null));
    }

    private LayerNodeViewModel row(String path) {
        return vm.row(path).orElseThrow();
    }

    /** Every leaf row shows exactly what the plan says. */
    private void assertRowsMatchPlan() {
        FreezePlan plan = vm.planProperty().get();
        vm.treeProperty().get().forEach(n -> {
            if (n.isLeaf()) {
                assertThat(row(n.path()).isFrozen()).as("row %s", n.path()).isEqualTo(plan.isFrozen(n.path()));
            }
        });
    }

    @Test
    void tickingAParentFreezesItsSubtree() {
        vm.setFrozen("backbone.stage1", true);
        assertThat(vm.planProperty().get()).isEqualTo(FreezePlan.of("backbone.stage1"));
        assertThat(row("backbone.stage1.conv").isFrozen()).isTrue();
        assertThat(row("backbone.stage1.bn").isFrozen()).isTrue();
        assertThat(row("backbone").isPartlyFrozen()).isTrue();
        assertThat(row("backbone").isFrozen()).isFalse();
        assertRowsMatchPlan();
    }

    @Test
    void tickingEveryChildTicksTheParent() {
        vm.setFrozen("backbone.stage2.conv", true);
        vm.setFrozen("backbone.stage2.bn", true);
        assertThat(row("backbone.stage2").isFrozen()).isTrue();
        assertThat(row("backbone.stage2").isPartlyFrozen()).isFalse();
        assertThat(vm.planProperty().get().isFrozen("backbone.stage2")).isTrue();
    }

    @Test
    void untickingOneLayerOfAFrozenBackboneKeepsTheRestFrozen() {
        vm.applyPreset(LayerTreeViewModel.Preset.HEAD_ONLY);
        assertThat(vm.trainableParamsProperty().get()).isEqualTo(40);
        vm.setFrozen("backbone.stage2.bn", false);
        assertThat(vm.trainableParamsProperty().get()).isEqualTo(60);
        assertThat(row("backbone").isPartlyFrozen()).isTrue();
        assertThat(row("backbone.stage2.conv").isFrozen()).isTrue();
        assertRowsMatchPlan();
    }

    @Test
    void theHeadAlwaysTrains() {
        vm.setFrozen("head", true);
        assertThat(vm.planProperty().get().isFrozen("head")).isFalse();
        vm.setFrozen("", true);
        assertThat(vm.planProperty().get()).isEqualTo(FreezePlan.of("backbone"));
        assertThat(row("head").isLocked()).isTrue();
        assertThat(row("head").lockReason()).contains("always trains");
    }

    @Test
    void presetsAndTheirDescriptions() {
        vm.applyPreset(LayerTreeViewModel.Preset.LAST_STAGE);
        assertThat(vm.planDescription().get()).isEqualTo("Fine-tuning the last 1 of 3 stages");
        assertThat(vm.trainableParamsProperty().get()).isEqualTo(220 + 40);
        vm.applyPreset(LayerTreeViewModel.Preset.BATCHNORM_ONLY);
        assertThat(vm.trainableParamsProperty().get()).isEqualTo(6 + 10 + 20 + 40);
        assertRowsMatchPlan();
        vm.applyPreset(LayerTreeViewModel.Preset.ALL);
        assertThat(vm.summary().get()).isEqualTo("Trainable 426 of 426 parameters (100.0 %)");
    }

    @Test
    void aBackboneThatCannotTrainStaysFrozenWithItsReason() {
        vm.treeProperty().set(tree("ONNX models run in ONNX Runtime, which cannot train"));
        assertThat(vm.planProperty().get().isFrozen("backbone")).isTrue();
        vm.setFrozen("backbone.stage1", false);
        assertThat(vm.planProperty().get().isFrozen("backbone.stage1")).isTrue();
        assertThat(row("backbone.stage1").lockReason()).contains("cannot train");
    }

    @Test
    void comparedPlanMarksTheRowsThatDiffer() {
        vm.applyPreset(LayerTreeViewModel.Preset.HEAD_ONLY);
        vm.comparedPlanProperty().set(FreezePlan.of("backbone.stem", "backbone.stage1"));
        assertThat(row("backbone.stage2").changedFromComparedProperty().get()).isTrue();
        assertThat(row("backbone.stage2.conv").changedFromComparedProperty().get()).isTrue();
        assertThat(row("backbone.stage1").changedFromComparedProperty().get()).isFalse();
    }
}
