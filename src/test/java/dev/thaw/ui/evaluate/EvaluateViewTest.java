package dev.thaw.ui.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thaw.core.eval.Predictor;
import dev.thaw.core.model.RunSpec;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.train.RunHandle;
import dev.thaw.core.train.TrainingService;
import dev.thaw.testing.TestImages;
import dev.thaw.testing.TestModels;
import dev.thaw.ui.common.Thumbnails;
import dev.thaw.ui.common.ThreadPoolTaskExecutor;
import dev.thaw.ui.common.UiThread;
import dev.thaw.ui.dataset.FileDrag;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Evaluate on a tiny real run (TorchScript backbone, feature extraction, generated images): the
 * confusion matrix leads to its images, and an image dropped on the view gets its top-3 classes
 * from the real model.
 */
@ExtendWith(ApplicationExtension.class)
class EvaluateViewTest {

    @TempDir
    static Path tmp;

    private static AppHome home;
    private static Path data;
    private static RunStore.RunInfo run;
    private static final ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor(UiThread.FX, 2, "test-bg");
    private EvaluateViewModel vm;
    private EvaluateView view;

    @BeforeAll
    static void train() throws Exception {
        home = AppHome.at(tmp.resolve("home"));
        data = TestImages.presplit(tmp.resolve("data"), 8, 4, 32, 5);
        try (TrainingService service = new TrainingService(home)) {
            RunSpec spec = RunSpec.builder().setBackbone(TestModels.TINY_PT.toAbsolutePath().toString()).setData(data)
                    .setStrategy(Strategy.FEATURE_EXTRACTION).optEpochs(3).optBatchSize(8).build();
            RunHandle h = service.submit(spec);
            h.result().get(180, TimeUnit.SECONDS);
            run = service.store().find(h.runId()).orElseThrow();
        }
        assertThat(run.state()).isEqualTo("completed");
    }

    @AfterAll
    static void stop() {
        pool.shutdown();
    }

    @Start
    void start(Stage stage) {
        vm = new EvaluateViewModel(pool, dir -> Predictor.open(dir, home),
                (r, out, m) -> "Exported to " + dev.thaw.core.eval.ModelExport.export(r, out, home).djlFolder().getParent());
        view = new EvaluateView(vm, new Thumbnails(pool));
        vm.load(run, "#4e79a7");
        stage.setScene(new Scene(view, 1200, 800));
        stage.show();
    }

    @Test
    void matrixCellsLeadToTheirImagesAndPerClassScoresAreListed(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#cell-0-0").tryQuery().isPresent());
        assertThat(robot.lookup("#evaluate-per-class").queryAs(TableView.class).getItems()).hasSize(3);
        assertThat(robot.lookup("#evaluate-summary").queryAs(Label.class).getText()).contains("12 validation images");
        int[] first = firstNonEmptyCell();
        robot.clickOn("#cell-" + first[0] + "-" + first[1]);
        FlowPane cell = robot.lookup("#evaluate-cell-images").queryAs(FlowPane.class);
        assertThat(cell.getChildren()).hasSize(vm.confusionProperty().get().count(first[0], first[1]));
        assertThat(robot.lookup("#evaluate-cell-title").queryAs(Label.class).getText()).contains(TestImages.CLASSES.get(first[0]));
    }

    @Test
    void exportWritesTheModelInTheBackgroundAndNamesTheFolder(FxRobot robot) throws Exception {
        Path out = tmp.resolve("exported");
        robot.interact(() -> vm.export(out));
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !vm.exportingProperty().get());
        assertThat(vm.errorProperty().get()).isNull();
        assertThat(vm.noticeProperty().get()).contains(out.toString());
        assertThat(out.resolve("labels.txt")).exists();
        assertThat(robot.lookup("#evaluate-notice").queryAs(javafx.scene.Node.class).isVisible()).isTrue();
    }

    private int[] firstNonEmptyCell() {
        var m = vm.confusionProperty().get();
        for (int t = 0; t < 3; t++) {
            for (int p = 0; p < 3; p++) {
                if (m.count(t, p) > 0) {
                    return new int[] {t, p};
                }
            }
        }
        throw new AssertionError("empty matrix");
    }

    @Test
    void aDroppedImageGetsItsTopThreeClassesFromTheRealModel(FxRobot robot) throws Exception {
        Path image = data.resolve("val/square/001.png");
        robot.interact(() -> new FileDrag(List.of(image.toFile())).drop(view));
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> !vm.predicted().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        EvaluateViewModel.Prediction p = vm.predicted().get(0);
        assertThat(p.error()).isNull();
        assertThat(p.top()).hasSize(3);
        assertThat(p.top()).extracting(Predictor.Prediction::label).containsExactlyInAnyOrderElementsOf(TestImages.CLASSES);
        assertThat(p.top().stream().mapToDouble(Predictor.Prediction::probability).sum()).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-4));
        VBox list = robot.lookup("#evaluate-predictions").queryAs(VBox.class);
        assertThat(list.getChildren()).hasSize(1);
        assertThat(robot.from(list).lookup(".top-k-label").queryAll()).hasSize(3);
        assertThat(robot.from(list).lookup(".top-k-label").queryAs(Label.class).getText()).startsWith(p.top().get(0).label());

        // A file that is not an image gets a readable line, not a crash.
        Path bad = TestImages.corrupt(tmp.resolve("not-an-image.png"));
        robot.interact(() -> new FileDrag(List.of(bad.toFile())).drop(view));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.predicted().size() == 2);
        assertThat(vm.predicted().get(0).error()).contains("not-an-image.png");
    }
}
