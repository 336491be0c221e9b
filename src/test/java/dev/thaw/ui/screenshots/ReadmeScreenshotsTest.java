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
}
