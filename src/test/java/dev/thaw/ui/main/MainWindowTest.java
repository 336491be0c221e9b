package dev.thaw.ui.main;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.controlsfx.control.StatusBar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** Starts the real application, headless, and checks what a user sees first. */
class MainWindowTest {

    private static final FxRobot robot = new FxRobot();

    private static javafx.application.Application app;

    private static String previousHome;

    /** The app's own window: other test classes in this JVM may leave windows with the same ids open. */
    private static Stage stage;

    @BeforeAll
    static void startApp() throws Exception {
        // A fresh app home: no remembered dataset or backbone from an earlier run.
        previousHome = System.setProperty(dev.thaw.core.runtime.AppHome.PROPERTY,
                java.nio.file.Files.createTempDirectory("thaw-window-test").toString());
        stage = FxToolkit.registerPrimaryStage();
        app = FxToolkit.setupApplication(ThawApp.class);
    }

    @AfterAll
    static void stopApp() throws Exception {
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        if (previousHome != null) {
            System.setProperty(dev.thaw.core.runtime.AppHome.PROPERTY, previousHome);
        }
    }

    private static org.testfx.service.query.NodeQuery inApp() {
        return robot.from(stage.getScene().getRoot());
    }

    @Test
    void windowOpensWithTheSampleTargetDatasetPreselected() throws Exception {
        assertThat(stage.isShowing()).isTrue();
        assertThat(stage.getTitle()).startsWith("Thaw");

        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !inApp().lookup("#class-table").queryAs(TableView.class).getItems().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(inApp().lookup("#dataset-name").queryAs(Label.class).getText()).isEqualTo("shapes-target");
        TableView<?> table = inApp().lookup("#class-table").queryAs(TableView.class);
        assertThat(table.getItems()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(inApp().lookup("#dataset-description").queryAs(Label.class).getText()).contains("train / val as given");
    }

    @Test
    void enginesStartInTheBackgroundAndReportInTheStatusBar() throws Exception {
        StatusBar status = inApp().lookup("#status-bar").queryAs(StatusBar.class);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> status.getText().startsWith("PyTorch"));
        assertThat(status.getText()).contains("PyTorch 2.7").contains("ONNX Runtime");
    }

    @Test
    void startIsPossibleOnceTheBundledBackboneAndTheDatasetAreLoaded() throws Exception {
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS,
                () -> "mini-resnet pretrained on shapes-source".equals(inApp().lookup("#backbone-name").queryAs(Label.class).getText()));
        javafx.scene.control.Button toolbarStart = inApp().lookup("#toolbar-start").queryAs(javafx.scene.control.Button.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !toolbarStart.isDisabled());
        assertThat(inApp().lookup("#start-training").queryAs(javafx.scene.control.Button.class).isDisabled()).isFalse();
        assertThat(inApp().lookup("#plan-description").queryAs(Label.class).getText()).startsWith("Feature extraction");
    }
}
