package dev.thaw.ui.screenshots;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thaw.core.runtime.AppHome;
import dev.thaw.ui.main.ThawApp;
import dev.thaw.ui.training.RunMonitorViewModel;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.image.WritableImage;
import javafx.stage.Window;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Makes the README's screenshots from the running application: the real app, a fresh app home,
 * the sample data and the bundled backbone, driven by the robot as a user would. Not part of the
 * normal test run (tag {@code screenshots}); run it with {@code ./mvnw -Pscreenshots test}. It writes
 * to {@code assets/}.
 */
@Tag("screenshots")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadmeScreenshotsTest {

    private static final Path ASSETS = Path.of("assets");
    private static final FxRobot robot = new FxRobot();
    private static Application app;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty(AppHome.PROPERTY, Files.createTempDirectory("thaw-screenshots").toString());
        FxToolkit.registerPrimaryStage();
        app = FxToolkit.setupApplication(ThawApp.class);
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS,
                () -> robot.lookup("#backbone-name").tryQueryAs(Label.class).map(l -> !l.getText().isEmpty()).orElse(false));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                () -> robot.lookup("#class-table").tryQuery().isPresent() && robot.lookup(".sample-tile").tryQuery().isPresent());
        WaitForAsyncUtils.sleep(2, TimeUnit.SECONDS); // thumbnails finish loading
    }

    @AfterAll
    static void stop() throws Exception {
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
    }

    private static Scene scene() {
        return Window.getWindows().stream().filter(Window::isShowing).findFirst().orElseThrow().getScene();
    }

    private static void save(String name) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage[] shot = new WritableImage[1];
        robot.interact(() -> shot[0] = scene().snapshot(null));
        BufferedImage img = SwingFXUtils.fromFXImage(shot[0], null);
        Files.createDirectories(ASSETS);
        ImageIO.write(img, "png", ASSETS.resolve(name).toFile());
        assertThat(img.getWidth()).isGreaterThan(800);
    }

    @Test
    @Order(1)
    void datasetAndLayerTree() throws Exception {
        robot.clickOn("#freeze-presets");
        robot.clickOn("Last 2 stages + head");
        save("screenshot-main.png");
    }

    @Test
    @Order(2)
    void trainingWithLiveCharts() throws Exception {
        javafx.scene.control.TabPane tabs = robot.lookup("#main-tabs").queryAs(javafx.scene.control.TabPane.class);
        robot.interact(() -> tabs.getSelectionModel().select(1));
        robot.clickOn("#start-training");
        Label progress = robot.lookup("#run-progress-text").queryAs(Label.class);
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> progress.getText().startsWith("Epoch 9/"));
        save("screenshot-training.png");
        WaitForAsyncUtils.waitFor(300, TimeUnit.SECONDS, () -> progress.getText().startsWith("Done"));
        assertThat(robot.lookup("#run-headline").queryAs(Label.class).getText()).contains("done");
        assertThat(RunMonitorViewModel.Phase.COMPLETED).isNotNull();
    }

    @Test
    @Order(3)
    void compareTwoRealRuns() throws Exception {
        javafx.scene.control.TabPane tabs = robot.lookup("#main-tabs").queryAs(javafx.scene.control.TabPane.class);
        robot.interact(() -> tabs.getSelectionModel().select(1));
        robot.clickOn("#strategy-fe");
        robot.clickOn("#start-training");
        Label progress = robot.lookup("#run-progress-text").queryAs(Label.class);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> progress.getText().startsWith("Epoch"));
        WaitForAsyncUtils.waitFor(600, TimeUnit.SECONDS, () -> progress.getText().startsWith("Done"));

        robot.interact(() -> tabs.getSelectionModel().select(2));
        javafx.scene.control.TableView<?> runs = robot.lookup("#runs-table").queryAs(javafx.scene.control.TableView.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> runs.getItems().size() >= 2);
        WaitForAsyncUtils.sleep(1, TimeUnit.SECONDS);
        save("screenshot-runs.png");
        robot.interact(() -> {
            runs.getSelectionModel().selectAll();
            runs.getSortOrder().clear();
        });
        dev.thaw.ui.common.FxStallMeter stalls = new dev.thaw.ui.common.FxStallMeter();
        robot.interact(stalls::start);
        long t0 = System.nanoTime();
        robot.clickOn("#runs-compare");
        javafx.scene.control.TableView<?> metrics = robot.lookup("#compare-metrics").queryAs(javafx.scene.control.TableView.class);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> metrics.getItems().size() == 8);
        System.out.printf("ReadmeScreenshotsTest: comparison of 2 real runs shown %.0f ms after Compare%n", (System.nanoTime() - t0) / 1e6);
        WaitForAsyncUtils.sleep(1, TimeUnit.SECONDS);
        System.out.printf("ReadmeScreenshotsTest: longest FX-thread stall while opening the comparison: %.1f ms over %d frames%n",
                stalls.longestStallMillis(), stalls.frames());
        WaitForAsyncUtils.sleep(1, TimeUnit.SECONDS);
        save("screenshot-compare.png");
        javafx.scene.control.TabPane sections = robot.lookup("#compare-sections").queryAs(javafx.scene.control.TabPane.class);
        robot.interact(() -> sections.getSelectionModel().select(1));
        WaitForAsyncUtils.sleep(1, TimeUnit.SECONDS);
        save("screenshot-compare-layers.png");
        robot.interact(stalls::reset);
        robot.interact(() -> sections.getSelectionModel().select(3));
        WaitForAsyncUtils.sleep(3, TimeUnit.SECONDS); // thumbnails decode in the background
        System.out.printf("ReadmeScreenshotsTest: longest FX-thread stall while showing the flipped images: %.1f ms over %d frames%n",
                stalls.longestStallMillis(), stalls.frames());
        save("screenshot-compare-flipped.png");
    }

    @Test
    @Order(4)
    void evaluateARun() throws Exception {
        javafx.scene.control.TabPane tabs = robot.lookup("#main-tabs").queryAs(javafx.scene.control.TabPane.class);
        robot.interact(() -> tabs.getSelectionModel().select(2));
        javafx.scene.control.TableView<?> runs = robot.lookup("#runs-table").queryAs(javafx.scene.control.TableView.class);
        robot.interact(() -> {
            runs.getSelectionModel().clearSelection();
            runs.getSelectionModel().select(0);
        });
        robot.clickOn("#runs-evaluate");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup(".heatmap-cell").tryQuery().isPresent());
        // The off-diagonal cell with the most images: a typical confusion.
        Label worst = robot.lookup(".heatmap-cell.clickable").queryAllAs(Label.class).stream()
                .filter(l -> { String[] tp = l.getId().split("-"); return !tp[1].equals(tp[2]); })
                .max(java.util.Comparator.comparingInt(l -> Integer.parseInt(l.getText()))).orElseThrow();
        robot.clickOn(worst);
        WaitForAsyncUtils.sleep(2, TimeUnit.SECONDS);
        save("screenshot-evaluate.png");
    }

    @Test
    @Order(5)
    void oneClickExperiment() throws Exception {
        robot.clickOn("#toolbar-experiment");
        robot.interact(() -> {
            robot.lookup("#experiment-seeds").queryAs(javafx.scene.control.Spinner.class).getValueFactory().setValue(1);
            robot.lookup("#experiment-epochs").queryAs(javafx.scene.control.Spinner.class).getValueFactory().setValue(5);
        });
        robot.clickOn("#experiment-start");
        javafx.scene.control.Button compare = robot.lookup("#experiment-compare").queryButton();
        WaitForAsyncUtils.waitFor(600, TimeUnit.SECONDS, () -> !compare.isDisabled());
        WaitForAsyncUtils.sleep(1, TimeUnit.SECONDS);
        save("screenshot-experiment.png");
        robot.clickOn(compare);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#compare-metrics").queryAllAs(javafx.scene.control.TableView.class)
                .stream().anyMatch(t -> t.getColumns().size() == 4 && t.getItems().size() == 8));
    }
}
