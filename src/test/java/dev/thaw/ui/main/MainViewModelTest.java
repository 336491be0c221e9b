package dev.thaw.ui.main;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thaw.core.model.LayerNode;
import dev.thaw.core.model.LayerTree;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.ui.backbone.LayerTreeViewModel;
import dev.thaw.ui.common.CurrentThreadTaskExecutor;
import dev.thaw.ui.common.UiThread;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the panels meet, without a toolkit: strategy and tree ticks follow each other. */
class MainViewModelTest {

    @TempDir
    Path home;

    private MainViewModel vm;

    static LayerTree tree() {
        LayerNode s1 = leaf("backbone.stage1", 100);
        LayerNode s2 = leaf("backbone.stage2", 200);
        LayerNode s3 = leaf("backbone.stage3", 300);
        LayerNode backbone = new LayerNode("backbone", "tiny", "ResNet", 600, List.of(), false, null, List.of(s1, s2, s3));
        LayerNode head = leaf("head", 40);
        return new LayerTree(new LayerNode("", "tiny", "Model", 640, List.of(), false, null, List.of(backbone, head)));
    }

    static LayerNode leaf(String path, long params) {
        return new LayerNode(path, path.substring(path.lastIndexOf('.') + 1), "Conv2d", params, List.of(), false, null, List.of());
    }

    @BeforeEach
    void create() {
        vm = new MainViewModel(AppHome.at(home), new CurrentThreadTaskExecutor(), UiThread.DIRECT);
        vm.backbone().tree().treeProperty().set(tree());
    }

    @AfterEach
    void close() {
        vm.close();
    }

    @Test
    void aNewBackboneStartsFromTheStrategysPreset() {
        assertThat(vm.training().strategyProperty().get()).isEqualTo(Strategy.FEATURE_EXTRACTION);
        assertThat(vm.training().freezePlanProperty().get()).isEqualTo(tree().headOnly());
    }

    @Test
    void choosingAStrategySetsTheTreesPreset() {
        vm.training().strategyProperty().set(Strategy.FINE_TUNING);
        assertThat(vm.training().freezePlanProperty().get()).isEqualTo(tree().lastStages(2));
        vm.training().strategyProperty().set(Strategy.SCRATCH);
        assertThat(vm.training().freezePlanProperty().get().frozen()).isEmpty();
        vm.training().strategyProperty().set(Strategy.FEATURE_EXTRACTION);
        assertThat(vm.training().freezePlanProperty().get()).isEqualTo(tree().headOnly());
    }

    @Test
    void tickingTheTreeUpdatesTheStrategy() {
        LayerTreeViewModel t = vm.backbone().tree();
        t.setFrozen("backbone.stage3", false);
        assertThat(vm.training().strategyProperty().get()).isEqualTo(Strategy.FINE_TUNING);
        assertThat(vm.training().planDescriptionProperty().get()).isEqualTo("Fine-tuning the last 1 of 3 stages");
        t.setFrozen("backbone.stage3", true);
        assertThat(vm.training().strategyProperty().get()).isEqualTo(Strategy.FEATURE_EXTRACTION);
    }

    @Test
    void theSpecHandedToTheEngineCarriesThePlanTheTreeShows() {
        vm.training().datasetProperty().unbind();
        vm.training().datasetProperty().set(home);
        vm.training().backboneSourceProperty().unbind();
        vm.training().backboneSourceProperty().set("sample");
        vm.training().strategyProperty().set(Strategy.FINE_TUNING);
        vm.backbone().tree().setFrozen("backbone.stage2", false);
        var spec = vm.training().buildSpec();
        assertThat(spec.freezePlan()).isEqualTo(vm.backbone().tree().planProperty().get());
        assertThat(spec.freezePlan().isFrozen("backbone.stage1")).isTrue();
        assertThat(spec.freezePlan().isFrozen("backbone.stage2")).isFalse();
        assertThat(spec.strategy()).isEqualTo(Strategy.FINE_TUNING);
    }
}
