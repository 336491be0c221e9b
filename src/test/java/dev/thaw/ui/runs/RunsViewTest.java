package dev.thaw.ui.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.runs.RunStore;
import dev.thaw.testing.SyntheticRuns;
import dev.thaw.testing.TestImages;
import dev.thaw.ui.common.CurrentThreadTaskExecutor;
import dev.thaw.ui.common.RunColors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Runs tab lists the runs of a RunStore; rename and delete persist in the run folders. */
@ExtendWith(ApplicationExtension.class)
class RunsViewTest {

    @TempDir
    Path tmp;

    private RunsViewModel vm;
    private RunStore store;
    private final List<List<RunStore.RunInfo>> compared = new ArrayList<>();

    @Start
    void start(Stage stage) {
        Path data = TestImages.presplit(tmp.resolve("data"), 1, 1, 16, 1);
        List<SyntheticRuns.Prediction> p = List.of(new SyntheticRuns.Prediction("val/circle/000.png", "circle", "circle", 0.9));
        SyntheticRuns.write(tmp.resolve("runs"), "20261124-080000-fe-sample", Strategy.FEATURE_EXTRACTION, FreezePlan.of("backbone"),
                data, 0.003, new double[] {0.5, 0.9}, p);
        SyntheticRuns.write(tmp.resolve("runs"), "20261124-090000-ft-sample", Strategy.FINE_TUNING, FreezePlan.NONE, data, 0.005,
                new double[] {0.6, 0.7}, p);
        SyntheticRuns.write(tmp.resolve("runs"), "20261124-100000-scratch-sample", Strategy.SCRATCH, FreezePlan.NONE, data, 0.005,
                new double[] {0.3, 0.4}, p);
        store = new RunStore(tmp.resolve("runs"));
        vm = new RunsViewModel(store, new RunColors(null), new CurrentThreadTaskExecutor());
        vm.setOnCompare(compared::add);
        vm.refresh();
        stage.setScene(new Scene(new RunsView(vm), 1200, 600));
        stage.show();
    }

    @Test
    void listsEveryRunNewestFirstWithItsNumbers(FxRobot robot) {
        TableView<RunRow> table = robot.lookup("#runs-table").queryTableView();
        assertThat(table.getItems()).extracting(RunRow::id).containsExactly("20261124-100000-scratch-sample",
                "20261124-090000-ft-sample", "20261124-080000-fe-sample");
        assertThat(robot.lookup("90.0 %").tryQuery()).as("the best val accuracy of the fe run is shown").isPresent();
        robot.clickOn("#runs-filter").write("fine");
        assertThat(table.getItems()).extracting(RunRow::id).containsExactly("20261124-090000-ft-sample");
    }

    @Test
    void renamePersistsInTheRunFolder(FxRobot robot) throws Exception {
        robot.clickOn("20261124-090000-ft-sample");
        robot.clickOn("#runs-rename");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup(".dialog-pane .text-field").tryQuery().isPresent());
        robot.clickOn(".dialog-pane .text-field").write("fine-tuned baseline").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(new RunStore(tmp.resolve("runs")).find("20261124-090000-ft-sample").orElseThrow().displayName())
                .isEqualTo("fine-tuned baseline");
        assertThat(robot.lookup("fine-tuned baseline").tryQuery()).isPresent();
    }

    @Test
    void deleteAsksThenRemovesTheFolder(FxRobot robot) throws Exception {
        robot.clickOn("20261124-100000-scratch-sample");
        robot.clickOn("#runs-delete");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("Delete").tryQuery().isPresent());
        robot.clickOn((Button b) -> "Delete".equals(b.getText()));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(Files.exists(tmp.resolve("runs/20261124-100000-scratch-sample"))).isFalse();
        assertThat(robot.lookup("#runs-table").queryTableView().getItems()).hasSize(2);
        assertThat(new RunStore(tmp.resolve("runs")).list()).hasSize(2);
    }

    @Test
    void compareNeedsTwoSelectedRuns(FxRobot robot) {
        Button compare = robot.lookup("#runs-compare").queryButton();
        robot.clickOn("20261124-080000-fe-sample");
        assertThat(compare.isDisabled()).isTrue();
        robot.press(KeyCode.CONTROL).clickOn("20261124-090000-ft-sample").release(KeyCode.CONTROL);
        assertThat(compare.isDisabled()).isFalse();
        robot.clickOn(compare);
        assertThat(compared).hasSize(1);
        assertThat(compared.get(0)).extracting(RunStore.RunInfo::id).containsExactlyInAnyOrder("20261124-080000-fe-sample",
                "20261124-090000-ft-sample");
    }
}
