package dev.thaw.ui.main;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import javafx.stage.Window;
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

    @BeforeAll
    static void startApp() throws Exception {
        // A fresh app home: no remembered dataset or backbone from an earlier run.
        previousHome = System.setProperty(dev.thaw.core.runtime.AppHome.PROPERTY,
                java.nio.file.Files.createTempDirectory("thaw-window-test").toString());
        FxToolkit.registerPrimaryStage();
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

    @Test
    void windowOpensWithTheSampleTargetDatasetPreselected() throws Exception {
        Stage stage = (Stage) Window.getWindows().stream().filter(Window::isShowing).findFirst().orElseThrow();
        assertThat(stage.getTitle()).startsWith("Thaw");

        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !robot.lookup("#class-table").queryAs(TableView.class).getItems().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#dataset-name").queryAs(Label.class).getText()).isEqualTo("shapes-target");
        TableView<?> table = robot.lookup("#class-table").queryAs(TableView.class);
        assertThat(table.getItems()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(robot.lookup("#dataset-description").queryAs(Label.class).getText()).contains("train / val as given");
    }

    @Test
    void enginesStartInTheBackgroundAndReportInTheStatusBar() throws Exception {
        StatusBar status = robot.lookup("#status-bar").queryAs(StatusBar.class);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> status.getText().startsWith("PyTorch"));
        assertThat(status.getText()).contains("PyTorch 2.7").contains("ONNX Runtime");
    }
}
