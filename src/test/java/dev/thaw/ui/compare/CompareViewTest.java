package dev.thaw.ui.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thaw.ui.common.CurrentThreadTaskExecutor;
import dev.thaw.ui.common.RunColors;
import dev.thaw.ui.common.Thumbnails;
import dev.thaw.ui.common.ThreadPoolTaskExecutor;
import dev.thaw.ui.common.UiThread;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.chart.LineChart;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TreeTableView;
import javafx.scene.image.ImageView;
import javafx.scene.layout.FlowPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The compare view on two run folders: metric rows, only the differing settings, the freeze
 * difference painted on the layer tree, and the flipped images with their thumbnails.
 */
@ExtendWith(ApplicationExtension.class)
class CompareViewTest {

    @TempDir
    static Path tmp;

    private static final ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor(UiThread.FX, 2, "test-bg");
    private CompareViewModel vm;

    @AfterAll
    static void stop() {
        pool.shutdown();
    }

    @Start
    void start(Stage stage) {
        vm = new CompareViewModel(new CurrentThreadTaskExecutor(), new RunColors(null));
        CompareView view = new CompareView(vm, new Thumbnails(pool));
        vm.load(CompareFixture.twoRuns(tmp));
        stage.setScene(new Scene(view, 1200, 800));
        stage.show();
    }

    @Test
    void overviewShowsBothRunsCurvesMetricsAndTheVerdict(FxRobot robot) {
        LineChart<?, ?> acc = robot.lookup("#compare-accuracy-chart").queryAs(LineChart.class);
        assertThat(acc.getData()).hasSize(4);
        assertThat(acc.getData().get(0).getData()).hasSize(4);
        assertThat(acc.getData().get(0).getNode().getStyle()).contains(RunColors.PALETTE.get(0));
        assertThat(acc.getData().get(2).getNode().getStyle()).contains(RunColors.PALETTE.get(1));
        TableView<?> metrics = robot.lookup("#compare-metrics").queryAs(TableView.class);
        assertThat(metrics.getItems()).hasSize(8);
        assertThat(metrics.getColumns()).hasSize(3);
        assertThat(robot.lookup("#compare-verdict").queryAs(Label.class).getText()).contains("within noise");
        robot.clickOn("#x-seconds");
        assertThat(vm.xAxisProperty().get()).isEqualTo(CompareViewModel.XAxis.SECONDS);
        assertThat(((Number) acc.getData().get(0).getData().get(0).getXValue()).doubleValue()).isEqualTo(3.0);
    }

    @Test
    void settingsTabShowsOnlyDifferingKeysAndPaintsTheFreezeDifference(FxRobot robot) {
        robot.clickOn("Settings & layers");
        TableView<?> config = robot.lookup("#compare-config").queryAs(TableView.class);
        assertThat(config.getItems()).isNotEmpty().hasSize(vm.configDiff().size());
        TreeTableView<?> tree = robot.lookup("#compare-freeze-tree").queryAs(TreeTableView.class);
        assertThat(tree.getRoot()).isNotNull();
        WaitForAsyncUtils.waitForFxEvents();
        // The backbone row differs (frozen whole in A, partly in B) and is painted; so is stage2 once expanded.
        assertThat(robot.lookup(".tree-table-row-cell.freeze-diff").queryAll()).isNotEmpty();
        assertThat(robot.lookup("#compare-freeze-summary").queryAs(Label.class).getText()).contains("frozen in some runs");
        assertThat(robot.lookup(".frozen-cell").queryAll()).isNotEmpty();
        assertThat(robot.lookup(".trains-cell").queryAll()).isNotEmpty();
    }

    @Test
    void flippedTabShowsTheImagesRightInAAndWrongInBWithThumbnails(FxRobot robot) throws Exception {
        robot.clickOn("Flipped images");
        FlowPane aOnly = robot.lookup("#flips-a-only").queryAs(FlowPane.class);
        assertThat(aOnly.getChildren()).hasSize(CompareFixture.A_ONLY);
        assertThat(robot.lookup("#flips-a-title").queryAs(Label.class).getText()).contains("5 images");
        assertThat(robot.lookup("#flips-b-only").queryAs(FlowPane.class).getChildren()).hasSize(CompareFixture.B_ONLY);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.from(aOnly).lookup((ImageView v) -> v.getImage() != null)
                .queryAll().size() == CompareFixture.A_ONLY);
    }

    @Test
    void classesTabShowsPerClassRowsAndOneHeatmapPerRun(FxRobot robot) {
        robot.clickOn("Classes");
        assertThat(robot.lookup("#compare-per-class").queryAs(TableView.class).getItems()).hasSize(3);
        assertThat(robot.lookup(".confusion-heatmap").queryAll()).hasSize(2);
    }
}
