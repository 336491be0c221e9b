package dev.thaw.ui.dataset;

import dev.thaw.ui.common.DecodingThumbnailLoader;
import static org.assertj.core.api.Assertions.assertThat;

import atlantafx.base.controls.Message;
import atlantafx.base.theme.PrimerLight;
import dev.thaw.core.data.DataDoctor;
import dev.thaw.core.runtime.SampleData;
import dev.thaw.ui.common.ThreadPoolTaskExecutor;
import dev.thaw.ui.common.UiThread;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.image.ImageView;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The dataset panel alone, headless, with the app's real executor: drops, the report, errors and thumbnails. */
@ExtendWith(ApplicationExtension.class)
class DatasetViewTest {

    private DatasetViewModel vm;
    private DatasetView view;
    private ThreadPoolTaskExecutor executor;
    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();

    @Start
    void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        Thread.currentThread().setUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        executor = new ThreadPoolTaskExecutor(UiThread.FX, 2, "test-bg");
        vm = new DatasetViewModel(executor, UiThread.FX, DataDoctor.builder().optThreads(2).build(), new DecodingThumbnailLoader(),
                file -> { });
        view = new DatasetView(vm);
        Scene scene = new Scene(view, 1200, 800);
        scene.getStylesheets().add(DatasetView.class.getResource("/dev/thaw/ui/thaw.css").toExternalForm());
        stage.setScene(scene);
        stage.show();
    }

    @AfterEach
    void stop() {
        executor.shutdown();
    }

    private static Path sampleTarget() {
        return SampleData.folder(SampleData.TARGET).orElseThrow();
    }

    /** Drags {@code items} over the panel and drops them (see {@link FileDrag}); returns whether the drop completed. */
    private boolean drop(FxRobot robot, Path... items) {
        boolean[] completed = new boolean[1];
        robot.interact(() -> {
            FileDrag drag = new FileDrag(java.util.Arrays.stream(items).map(Path::toFile).toList());
            DragEvent over = drag.hover(view);
            // Accepted as a copy or a link, never as a move: the file manager must not delete the folder.
            assertThat(over.getAcceptedTransferMode()).isIn(TransferMode.COPY, TransferMode.LINK);
            assertThat(robot.lookup("#drop-overlay").query().isVisible()).isTrue();
            completed[0] = drag.drop(view);
            assertThat(robot.lookup("#drop-overlay").query().isVisible()).isFalse();
        });
        return completed[0];
    }

    private static void waitFor(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void droppingTheSampleFolderShowsItsReport(FxRobot robot) throws Exception {
        assertThat(robot.lookup("#drop-zone").query().isVisible()).isTrue();

        assertThat(drop(robot, sampleTarget())).isTrue();

        TableView<?> table = robot.lookup("#class-table").queryAs(TableView.class);
        waitFor(() -> table.getItems().size() == 8);
        assertThat(robot.lookup("#dataset-name").queryAs(Label.class).getText()).isEqualTo("shapes-target");
        assertThat(robot.lookup("#dataset-description").queryAs(Label.class).getText()).contains("8 classes").contains("train / val as given");
        assertThat(robot.lookup("#drop-zone").query().isVisible()).isFalse();
        assertThat(robot.lookup("#drop-overlay").query().isVisible()).isFalse();
        assertThat(robot.lookup("#dataset-error").tryQuery()).isEmpty();

        XYChart<?, ?> chart = robot.lookup("#class-chart").queryAs(XYChart.class);
        assertThat(chart.getData()).hasSize(2);
        assertThat(chart.getData().get(0).getData()).hasSize(8);
        List<Node> bars = robot.lookup("#class-chart .chart-bar").queryAll().stream()
                .filter(n -> !n.getStyleClass().contains("chart-legend-item-symbol")).toList();
        assertThat(bars).hasSize(16);
        assertThat(bars).allSatisfy(b -> assertThat(b.getBoundsInLocal().getWidth()).isPositive());

        ListView<?> problems = robot.lookup("#problem-list").queryAs(ListView.class);
        assertThat(problems.getItems()).isEmpty();
        assertThat(uncaught).isEmpty();
    }

    @Test
    void thumbnailsAppearForEveryClass(FxRobot robot) throws Exception {
        robot.interact(() -> vm.open(sampleTarget()));

        waitFor(() -> vm.rows().size() == 8 && !vm.loadingThumbnailsProperty().get());
        waitFor(() -> robot.lookup("#class-table .sample-tile").queryAll().size() >= 8 * DatasetViewModel.SAMPLES_PER_CLASS / 2);
        List<ImageView> shown = robot.lookup("#class-table .sample-tile").queryAll().stream()
                .map(tile -> (ImageView) ((javafx.scene.layout.StackPane) tile).getChildren().get(0)).toList();
        assertThat(shown).isNotEmpty().allSatisfy(v -> assertThat(v.getImage()).isNotNull());
        assertThat(vm.rows()).allSatisfy(r -> assertThat(r.samples()).hasSize(DatasetViewModel.SAMPLES_PER_CLASS)
                .allSatisfy(t -> assertThat(t.imageProperty().get()).isNotNull()));

        Node first = robot.lookup("#class-table .sample-tile").query();
        robot.clickOn(first);
        assertThat(robot.lookup("#sample-details").queryAs(Label.class).getText()).startsWith("train/asterisk/").contains("64 × 64");
    }

    @Test
    void droppingAFileShowsWhyAndKeepsTheDatasetShown(FxRobot robot, @TempDir Path tmp) throws Exception {
        robot.interact(() -> vm.open(sampleTarget()));
        waitFor(() -> vm.rows().size() == 8);
        Path notes = Files.writeString(tmp.resolve("notes.txt"), "not a dataset");

        assertThat(drop(robot, notes)).isFalse();

        Message error = robot.lookup("#dataset-error").queryAs(Message.class);
        assertThat(error.isVisible()).isTrue();
        assertThat(error.getDescription()).contains("notes.txt").contains("is a file, not a folder");
        assertThat(robot.lookup("#dataset-name").queryAs(Label.class).getText()).isEqualTo("shapes-target");
        assertThat(robot.lookup("#class-table").queryAs(TableView.class).getItems()).hasSize(8);
        assertThat(uncaught).isEmpty();
    }

    @Test
    void aFolderWithoutClassFoldersShowsAnErrorNotACrash(FxRobot robot, @TempDir Path tmp) throws Exception {
        Path bad = Files.createDirectories(tmp.resolve("holiday photos"));
        Files.writeString(bad.resolve("readme.txt"), "nothing to see");
        Files.write(bad.resolve("broken.jpg"), new byte[] {1, 2, 3});

        assertThat(drop(robot, bad)).isTrue();

        Message error = robot.lookup("#dataset-error").queryAs(Message.class);
        waitFor(error::isVisible);
        assertThat(error.getTitle()).contains("holiday photos");
        assertThat(error.getDescription()).contains("holiday photos").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(robot.lookup("#drop-zone").query().isVisible()).isTrue();
        assertThat(robot.lookup("#dataset-progress").query().isVisible()).isFalse();
        assertThat(uncaught).isEmpty();
    }

    @Test
    void aSingleClassFolderIsShownWithWhyItCannotBeTrained(FxRobot robot, @TempDir Path tmp) throws Exception {
        Path flowers = Folders.images(tmp.resolve("flowers"), "daisy", 5);

        assertThat(drop(robot, flowers)).isTrue();

        waitFor(() -> robot.lookup("#dataset-blocking").tryQuery().isPresent());
        Message blocking = robot.lookup("#dataset-blocking").queryAs(Message.class);
        assertThat(blocking.getTitle()).isEqualTo("This dataset cannot be trained on");
        assertThat(blocking.getDescription()).contains("'daisy'");
        ListView<?> problems = robot.lookup("#problem-list").queryAs(ListView.class);
        assertThat(problems.getItems()).isNotEmpty();
        assertThat(((ProblemRow) problems.getItems().get(0)).severity()).isEqualTo(dev.thaw.core.data.Severity.ERROR);
        assertThat(uncaught).isEmpty();
    }

    @Test
    void hoveringWithAFileShowsTheRefusalBeforeTheDrop(FxRobot robot, @TempDir Path tmp) throws Exception {
        Path photo = Files.writeString(tmp.resolve("photo.jpg"), "x");
        robot.interact(() -> {
            FileDrag drag = new FileDrag(List.of(photo.toFile()));
            drag.hover(view);
            Node overlay = robot.lookup("#drop-overlay").query();
            assertThat(overlay.isVisible()).isTrue();
            assertThat(overlay.getStyleClass()).contains("refused");
            assertThat(robot.lookup("#drop-hint").queryAs(Label.class).getText()).contains("'photo.jpg' is a file");
            drag.leave(view);
            assertThat(overlay.isVisible()).isFalse();
        });
        assertThat(robot.lookup("#dataset-error").tryQuery()).isEmpty();
    }
}
