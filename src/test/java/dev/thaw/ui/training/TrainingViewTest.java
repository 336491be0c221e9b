package dev.thaw.ui.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.train.TrainingService;
import dev.thaw.testing.TestImages;
import dev.thaw.testing.TestModels;
import dev.thaw.ui.common.FxStallMeter;
import dev.thaw.ui.common.RunColors;
import dev.thaw.ui.common.UiThread;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.chart.LineChart;
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
 * The training panel on a real tiny run (TorchScript backbone, generated images, the real engine):
 * points stream into the charts while it trains, Cancel stops it within a batch, and the run
 * folder it leaves is readable.
 */
@ExtendWith(ApplicationExtension.class)
class TrainingViewTest {

    @TempDir
    static Path tmp;

    private static TrainingService service;
    private static TrainingViewModel vm;
    private static final FxStallMeter stalls = new FxStallMeter();

    @BeforeAll
    static void service() {
        service = new TrainingService(AppHome.at(tmp.resolve("home")));
    }

    @AfterAll
    static void close() {
        vm.close();
        service.close();
    }

    @Start
    void start(Stage stage) {
        Path data = TestImages.presplit(tmp.resolve("data"), 24, 8, 32, 7);
        vm = new TrainingViewModel(service, new RunColors(null), UiThread.FX, tmp.resolve("manifests"));
        vm.datasetProperty().set(data);
        vm.backboneSourceProperty().set(TestModels.TINY_PT.toAbsolutePath().toString());
        vm.strategyProperty().set(Strategy.FINE_TUNING);
        vm.freezePlanProperty().set(FreezePlan.of("backbone.conv1", "backbone.bn1"));
        vm.epochsProperty().set(200);
        vm.batchSizeProperty().set(4);
        vm.patienceProperty().set(0);
        stage.setScene(new Scene(new TrainingView(vm), 1100, 800));
        stage.show();
        stalls.start();
    }

    @Test
    void batchNormAdaptationIsAFeatureExtractionChoiceThatReachesTheSpec(FxRobot robot) {
        javafx.scene.control.CheckBox box = robot.lookup("#adapt-bn").queryAs(javafx.scene.control.CheckBox.class);
        try {
            assertThat(box.isDisabled()).as("fine-tuning updates the statistics it trains").isTrue();
            robot.interact(() -> vm.strategyProperty().set(Strategy.FEATURE_EXTRACTION));
            assertThat(box.isDisabled()).isFalse();
            robot.clickOn("#adapt-bn");
            assertThat(vm.buildSpec().adaptBatchNorm()).isTrue();
            // An ONNX backbone cannot run in training mode: the box is disabled and the spec leaves it out.
            robot.interact(() -> vm.backboneTrainableProperty().set(false));
            assertThat(box.isDisabled()).isTrue();
            assertThat(vm.buildSpec().adaptBatchNorm()).isFalse();
            robot.interact(() -> {
                vm.backboneTrainableProperty().set(true);
                vm.strategyProperty().set(Strategy.FINE_TUNING);
            });
            assertThat(vm.buildSpec().adaptBatchNorm()).as("still ticked, but not a fine-tuning option").isFalse();
        } finally {
            robot.interact(() -> {
                vm.adaptBatchNormProperty().set(false);
                vm.backboneTrainableProperty().set(true);
                vm.strategyProperty().set(Strategy.FINE_TUNING);
                vm.epochsProperty().set(200);
                vm.batchSizeProperty().set(4);
                vm.patienceProperty().set(0);
            });
        }
    }

    @Test
    void aRealRunStreamsIntoTheChartsAndCancelLeavesAReadableRun(FxRobot robot) throws Exception {
        robot.clickOn("#start-training");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> vm.monitor().valLoss().points().size() >= 2);
        LineChart<?, ?> loss = robot.lookup("#loss-chart").queryAs(LineChart.class);
        assertThat(loss.getData().get(0).getData()).as("per-batch points reached the chart").isNotEmpty();
        assertThat(loss.getData().get(2).getData()).as("per-epoch val points reached the chart").hasSizeGreaterThanOrEqualTo(2);

        String runId = vm.monitor().runIdProperty().get();
        int batchesBefore = vm.monitor().trainLossBatches().points().size();
        robot.clickOn("#cancel-training");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> vm.monitor().phaseProperty().get() == RunMonitorViewModel.Phase.CANCELLED);
        assertThat(vm.queue().get(0).statusProperty().get()).isEqualTo("cancelled");
        assertThat(vm.monitor().trainLossBatches().points().size()).as("it stopped long before its 200 epochs")
                .isLessThan(batchesBefore + 200);

        RunStore.RunInfo info = service.store().find(runId).orElseThrow();
        assertThat(info.state()).isEqualTo("cancelled");
        assertThat(info.spec().strategy()).isEqualTo(Strategy.FINE_TUNING);
        assertThat(info.folder().readMetrics()).as("metrics written while it ran").isNotEmpty();
        assertThat(Files.exists(info.folder().file("spec.json"))).isTrue();

        System.out.printf("TrainingViewTest: longest FX-thread stall during the run: %.1f ms over %d frames%n",
                stalls.longestStallMillis(), stalls.frames());
    }
}
