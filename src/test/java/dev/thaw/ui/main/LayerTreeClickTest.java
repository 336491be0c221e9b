package dev.thaw.ui.main;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.LayerNode;
import dev.thaw.core.model.LayerTree;
import dev.thaw.core.model.RunSpec;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.ui.backbone.LayerTreeView;
import dev.thaw.ui.common.CurrentThreadTaskExecutor;
import dev.thaw.ui.common.UiThread;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.scene.Scene;
import javafx.scene.control.CheckBox;
import javafx.scene.control.TreeItem;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The layer tree as a user meets it: clicking a parent's box freezes its whole subtree on screen,
 * and the run spec the training panel hands to the engine freezes exactly the layers shown ticked.
 * The panels are wired by the real {@link MainViewModel}.
 */
@ExtendWith(ApplicationExtension.class)
class LayerTreeClickTest {

    @TempDir
    static Path home;

    private MainViewModel vm;
    private LayerTreeView view;

    static LayerTree tree() {
        LayerNode stem = stage("backbone.stem");
        LayerNode s1 = stage("backbone.stage1");
        LayerNode s2 = stage("backbone.stage2");
        LayerNode backbone = node("backbone", "ResNet", stem, s1, s2);
        LayerNode head = leaf("head", "Linear", 40, false);
        return new LayerTree(node("", "Model", backbone, head));
    }

    static LayerNode stage(String path) {
        return node(path, "Sequential", leaf(path + ".conv", "Conv2d", 100, false), leaf(path + ".bn", "BatchNorm2d", 8, true));
    }

    static LayerNode leaf(String path, String type, long params, boolean bn) {
        return new LayerNode(path, path.substring(path.lastIndexOf('.') + 1), type, params, List.of(), bn, null, List.of());
    }

    static LayerNode node(String path, String type, LayerNode... kids) {
        long sum = 0;
        for (LayerNode k : kids) {
            sum += k.parameterCount();
        }
        return new LayerNode(path, path.isEmpty() ? "tiny" : path.substring(path.lastIndexOf('.') + 1), type, sum, List.of(), false,
                null, List.of(kids));
    }

    @Start
    void start(Stage stage) {
        vm = new MainViewModel(AppHome.at(home), new CurrentThreadTaskExecutor(), UiThread.FX);
        vm.backbone().tree().treeProperty().set(tree());
        view = new LayerTreeView(vm.backbone().tree());
        expandAll(view.getRoot());
        stage.setScene(new Scene(view, 700, 600));
        stage.show();
    }

    @AfterEach
    void close() {
        vm.close();
    }

    private static void expandAll(TreeItem<?> item) {
        if (item != null) {
            item.setExpanded(true);
            item.getChildren().forEach(LayerTreeClickTest::expandAll);
        }
    }

    /** The boxes on screen, by layer path (ids are {@code freeze-PATH}; dots make CSS lookups useless). */
    private Map<String, CheckBox> boxes(FxRobot robot) {
        Map<String, CheckBox> out = new HashMap<>();
        robot.lookup(n -> n instanceof CheckBox && n.getId() != null && n.getId().startsWith("freeze-")).queryAll()
                .forEach(n -> out.put(n.getId().substring("freeze-".length()), (CheckBox) n));
        return out;
    }

    @Test
    void clickingAParentFreezesItsSubtreeAndTheSpecFreezesWhatIsTicked(FxRobot robot) {
        // Fine-tuning: the panel's preset leaves the last two stages trainable.
        robot.interact(() -> vm.training().strategyProperty().set(Strategy.FINE_TUNING));
        WaitForAsyncUtils.waitForFxEvents();
        Map<String, CheckBox> before = boxes(robot);
        assertThat(before.get("backbone.stage1").isSelected()).isFalse();
        assertThat(before.get("backbone.stage1.conv").isSelected()).isFalse();

        robot.clickOn(before.get("backbone.stage1"));
        WaitForAsyncUtils.waitForFxEvents();

        Map<String, CheckBox> after = boxes(robot);
        assertThat(after.get("backbone.stage1").isSelected()).isTrue();
        assertThat(after.get("backbone.stage1.conv").isSelected()).as("a child follows its parent").isTrue();
        assertThat(after.get("backbone.stage1.bn").isSelected()).isTrue();
        assertThat(after.get("backbone.stage2.conv").isSelected()).as("a sibling stage is untouched").isFalse();
        assertThat(after.get("backbone").isIndeterminate()).as("the backbone is now partly frozen").isTrue();

        // What the engine receives freezes exactly the ticked leaves.
        robot.interact(() -> {
            vm.training().datasetProperty().unbind();
            vm.training().datasetProperty().set(home);
            vm.training().backboneSourceProperty().unbind();
            vm.training().backboneSourceProperty().set("sample");
        });
        RunSpec spec = vm.training().buildSpec();
        FreezePlan plan = spec.freezePlan();
        List<String> tickedLeaves = new ArrayList<>();
        List<String> frozenLeaves = new ArrayList<>();
        vm.backbone().tree().treeProperty().get().forEach(n -> {
            if (n.isLeaf() && after.containsKey(n.path())) {
                if (after.get(n.path()).isSelected()) {
                    tickedLeaves.add(n.path());
                }
                if (plan.isFrozen(n.path())) {
                    frozenLeaves.add(n.path());
                }
            }
        });
        assertThat(frozenLeaves).containsExactlyInAnyOrderElementsOf(tickedLeaves);
        assertThat(frozenLeaves).contains("backbone.stem.conv", "backbone.stage1.conv", "backbone.stage1.bn")
                .doesNotContain("backbone.stage2.conv", "head");
        assertThat(spec.strategy()).isEqualTo(Strategy.FINE_TUNING);

        // And back: unticking the parent thaws the subtree again.
        robot.clickOn(after.get("backbone.stage1"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(boxes(robot).get("backbone.stage1.conv").isSelected()).isFalse();
        assertThat(vm.training().buildSpec().freezePlan().isFrozen("backbone.stage1.conv")).isFalse();
    }
}
