package dev.thaw.ui.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thaw.core.model.Strategy;
import dev.thaw.core.model.TrainingEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The live view of a run, fed events as the relay delivers them; no toolkit. */
class RunMonitorViewModelTest {

    private final RunMonitorViewModel vm = new RunMonitorViewModel();

    private static List<TrainingEvent> epochOf(String run, int epoch, int batches) {
        List<TrainingEvent> out = new ArrayList<>();
        for (int b = 1; b <= batches; b++) {
            out.add(new TrainingEvent.BatchEnded(run, epoch, b, batches, 1.0 / (epoch * batches + b), 0.5, 1e-3, 120, 30));
        }
        out.add(new TrainingEvent.EpochEnded(run, epoch, 10, 0.5 / epoch, 0.6, 0.7 / epoch, 0.55 + epoch * 0.01, 1e-3, 2.5, 120,
                true));
        return out;
    }

    @Test
    void batchesAndEpochsBecomeCurvesProgressAndLog() {
        vm.watch("r1");
        vm.accept(List.of(new TrainingEvent.Started("r1", Strategy.FINE_TUNING, 10, 4, 96, 40, 1000, 5000, "cpu")));
        vm.accept(epochOf("r1", 1, 4));
        assertThat(vm.trainLossBatches().points()).hasSize(4);
        assertThat(vm.valAcc().points()).hasSize(1);
        assertThat(vm.valAcc().points().get(0).y()).isEqualTo(0.56);
        assertThat(vm.progressProperty().get()).isEqualTo(0.1);
        assertThat(vm.progressTextProperty().get()).contains("Epoch 1/10").contains("120 img/s").contains("ETA 0:30");
        assertThat(vm.log()).anyMatch(l -> l.contains("Epoch 1/10") && l.contains("val loss 0.7000 acc 56.0%") && l.contains("best"));
    }

    @Test
    void eventsOfOtherRunsAreIgnored() {
        vm.watch("r1");
        vm.accept(epochOf("r2", 1, 4));
        assertThat(vm.trainLossBatches().points()).isEmpty();
        assertThat(vm.log()).isEmpty();
    }

    @Test
    void curvesStayBoundedHoweverLongTheRun() {
        vm.watch("long");
        for (int e = 1; e <= 100; e++) {
            vm.accept(epochOf("long", e, 50));
        }
        assertThat(vm.trainLossBatches().points()).hasSizeLessThanOrEqualTo(RunMonitorViewModel.BATCH_POINTS);
        assertThat(vm.trainLossBatches().points().get(0).x()).as("the start of the run is still shown").isLessThan(2);
        assertThat(vm.trainLossBatches().points().get(vm.trainLossBatches().points().size() - 1).x()).as("and its end")
                .isGreaterThan(99);
        assertThat(vm.log()).hasSizeLessThanOrEqualTo(RunMonitorViewModel.LOG_LINES);
    }

    @Test
    void endStatesAreShownInWords() {
        vm.watch("r1");
        vm.accept(List.of(new TrainingEvent.Completed("r1", 7, 0.81, 0.84, 5, 42.4, true, 2)));
        assertThat(vm.phaseProperty().get()).isEqualTo(RunMonitorViewModel.Phase.COMPLETED);
        assertThat(vm.log().get(vm.log().size() - 1)).contains("stopped early").contains("best 84.0% (epoch 5)")
                .contains("2 unreadable images skipped");
        vm.watch("r2");
        vm.accept(List.of(new TrainingEvent.Failed("r2", "Loss became NaN at epoch 2, batch 3: lower the learning rate")));
        assertThat(vm.phaseProperty().get()).isEqualTo(RunMonitorViewModel.Phase.FAILED);
        assertThat(vm.headlineProperty().get()).contains("lower the learning rate");
    }
}
