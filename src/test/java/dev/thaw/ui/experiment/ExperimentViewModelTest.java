package dev.thaw.ui.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thaw.core.experiment.Experiment;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.train.RunHandle;
import dev.thaw.core.train.TrainingService;
import dev.thaw.testing.TestImages;
import dev.thaw.testing.TestModels;
import dev.thaw.ui.common.CurrentThreadTaskExecutor;
import dev.thaw.ui.common.UiThread;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-click experiment end to end without a toolkit: a real tiny experiment (three arms, one
 * seed, one epoch, TorchScript test backbone) is queued, every run is handed to the training queue,
 * and the report arrives with one line per arm, verdict sentences, and a comparison of the arms.
 */
class ExperimentViewModelTest {

    @TempDir
    Path tmp;

    @Test
    void runsEveryArmThenReportsAndComparesTheArms() throws Exception {
        Path data = TestImages.presplit(tmp.resolve("data"), 8, 4, 32, 11);
        try (TrainingService service = new TrainingService(AppHome.at(tmp.resolve("home")))) {
            ExperimentViewModel vm = new ExperimentViewModel(service, new CurrentThreadTaskExecutor(), UiThread.DIRECT);
            List<String> queued = new ArrayList<>();
            List<List<RunStore.RunInfo>> compared = new ArrayList<>();
            vm.setOnQueued((RunHandle h, String label) -> queued.add(label));
            vm.setOnCompare(compared::add);
            assertThat(vm.blockedReason().get()).isEqualTo("Open a dataset first");
            vm.datasetProperty().set(data);
            vm.backboneProperty().set(TestModels.TINY_PT.toAbsolutePath().toString());
            vm.seedsProperty().set(1);
            vm.epochsProperty().set(1);
            assertThat(vm.canStart().get()).isTrue();

            vm.start();
            assertThat(vm.errorProperty().get()).isNull();
            assertThat(queued).hasSize(3);
            assertThat(queued).anyMatch(l -> l.startsWith("Feature extraction")).anyMatch(l -> l.startsWith("Fine-tuning"))
                    .allMatch(l -> l.contains("seed 1") && l.contains("experiment"));
            // The three real runs train on the service's thread and the report arrives when the last
            // ends: poll with a deadline, then the assertions below say what is missing.
            long deadline = System.currentTimeMillis() + 300_000;
            while (vm.reportProperty().get() == null && vm.errorProperty().get() == null && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertThat(vm.errorProperty().get()).isNull();
            assertThat(vm.reportProperty().get()).as("report after every run ended").isNotNull();
            assertThat(vm.runningProperty().get()).isFalse();
            assertThat(vm.arms()).hasSize(3);
            assertThat(vm.arms()).allMatch(a -> a.runs() == 1 && a.finalAccuracy().endsWith("%") && a.bestAccuracy().endsWith("%"));
            assertThat(vm.verdicts()).isNotEmpty();
            assertThat(vm.notes()).anyMatch(n -> n.toLowerCase().contains("best"));

            vm.compareArms();
            assertThat(compared).hasSize(1);
            assertThat(compared.get(0)).hasSize(3);
        }
    }

    @Test
    void batchNormAdaptationGoesToTheFeatureExtractionArmOnly() {
        try (TrainingService service = new TrainingService(AppHome.at(tmp.resolve("home-adapt")))) {
            ExperimentViewModel vm = new ExperimentViewModel(service, new CurrentThreadTaskExecutor(), UiThread.DIRECT);
            vm.datasetProperty().set(tmp);
            vm.backboneProperty().set("sample");
            assertThat(vm.settings().arms()).noneMatch(a -> a.adaptBatchNorm());
            vm.adaptBatchNormProperty().set(true);
            assertThat(vm.settings().arms()).hasSize(3).allSatisfy(
                    a -> assertThat(a.adaptBatchNorm()).isEqualTo(a.strategy() == Strategy.FEATURE_EXTRACTION));
        }
        assertThatThrownBy(() -> new Experiment.ArmSettings(Strategy.FINE_TUNING, 1, 0.01, null, 0.1, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("feature-extraction");
    }

    @Test
    void meanAndSpreadAreShownInPoints() {
        assertThat(ExperimentViewModel.meanSd(0.842, 0.013)).isEqualTo("84.2 % ± 1.3");
        assertThat(ExperimentViewModel.meanSd(0.9, Double.NaN)).isEqualTo("90.0 %");
        assertThat(ExperimentViewModel.meanSd(Double.NaN, Double.NaN)).isEqualTo("–");
    }
}
