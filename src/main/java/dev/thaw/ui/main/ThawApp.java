package dev.thaw.ui.main;

import atlantafx.base.theme.PrimerLight;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.ui.common.TaskExecutor;
import dev.thaw.ui.common.UiSettings;
import dev.thaw.ui.common.ThreadPoolTaskExecutor;
import dev.thaw.ui.common.UiThread;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workbench application and its composition root: it makes the services once and hands them
 * to the view models. The window shows at once; engines start behind it with progress in the
 * status bar.
 */
public final class ThawApp extends Application {

    private static final Logger LOG = LoggerFactory.getLogger(ThawApp.class);

    private TaskExecutor executor;
    private MainViewModel vm;

    /** Called by the launcher's plain {@code main}. */
    public static void launchWorkbench(String[] args) {
        Application.launch(ThawApp.class, args);
    }

    @Override
    public void start(Stage stage) {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        AppHome home = AppHome.resolve();
        executor = new ThreadPoolTaskExecutor(UiThread.FX, 3, "thaw-bg");
        vm = new MainViewModel(home, executor, UiThread.FX);
        UiSettings s = vm.settingsProperty().get();
        // Never larger than the screen (small laptops; a saved size from a bigger monitor).
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(new MainView(vm), Math.min(s.width(), screen.getWidth()), Math.min(s.height(), screen.getHeight()));
        if (s.x() != null && s.y() != null && onSomeScreen(s.x(), s.y())) {
            stage.setX(s.x());
            stage.setY(s.y());
        }
        stage.setMaximized(s.maximized());
        stage.setOnCloseRequest(e -> vm.saveGeometry(stage.getWidth(), stage.getHeight(), stage.getX(), stage.getY(), stage.isMaximized()));
        scene.getStylesheets().add(ThawApp.class.getResource("/dev/thaw/ui/thaw.css").toExternalForm());
        stage.setTitle("Thaw — transfer learning workbench");
        stage.getIcons().add(new Image(ThawApp.class.getResourceAsStream("/dev/thaw/ui/thaw-icon.png")));
        stage.setScene(scene);
        stage.show();
        LOG.info("Window shown; app home {}", home);
        if (Boolean.getBoolean("thaw.fxStallMeter")) {
            startStallLog();
        }
        vm.start();
    }

    /** Logs the longest FX-thread stall of every 10 seconds (a diagnostic, off by default). */
    private void startStallLog() {
        dev.thaw.ui.common.FxStallMeter meter = new dev.thaw.ui.common.FxStallMeter();
        meter.start();
        javafx.animation.Timeline every10s = new javafx.animation.Timeline(new javafx.animation.KeyFrame(javafx.util.Duration.seconds(10), e -> {
            LOG.info("FX thread: longest stall {} ms over {} frames", String.format(java.util.Locale.ROOT, "%.1f", meter.longestStallMillis()),
                    meter.frames());
            meter.reset();
        }));
        every10s.setCycleCount(javafx.animation.Animation.INDEFINITE);
        every10s.play();
    }

    private static boolean onSomeScreen(double x, double y) {
        return !javafx.stage.Screen.getScreensForRectangle(x, y, 100, 100).isEmpty();
    }

    @Override
    public void stop() {
        if (vm != null) {
            vm.close();
        }
        if (executor != null) {
            executor.shutdown();
        }
    }
}
