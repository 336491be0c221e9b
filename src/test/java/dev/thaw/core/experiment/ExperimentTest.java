package dev.thaw.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thaw.core.backbone.BackboneLoader;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.model.TrainingEvent;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.train.RunResult;
import dev.thaw.core.train.TrainingService;
import dev.thaw.testing.TestImages;
import dev.thaw.testing.TestModels;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An experiment on the real engine: queued runs hold their lock, cancel stops them all. */
class ExperimentTest {

    @TempDir
    Path dir;

    @Test
    void cancelStopsEveryRunAndQueuedRunsCannotBeDeleted() {
        Path data = TestImages.presplit(dir.resolve("data"), 4, 2, 32, 5);
        AppHome home = AppHome.at(dir.resolve("home"));
        RunStore store = new RunStore(dir.resolve("runs"));
        try (TrainingService service = new TrainingService(home, store, new BackboneLoader(home))) {
            List<Experiment.Progress> progress = new CopyOnWriteArrayList<>();
            Experiment.Settings s = Experiment.Settings.defaults(data, TestModels.TINY_PT.toAbsolutePath().toString()).withSeeds(2)
                    .withArms(List.of(Experiment.ArmSettings.defaults(Strategy.FINE_TUNING).withEpochs(50),
                            Experiment.ArmSettings.defaults(Strategy.SCRATCH).withEpochs(50)))
                    .withBatchSize(4);
            Experiment e = Experiment.start(service, s, progress::add);
            assertThat(e.runs()).hasSize(4);
            String last = e.runs().get(3).runId();
            assertThatThrownBy(() -> store.delete(last)).isInstanceOf(IllegalStateException.class).hasMessageContaining("queued");
            assertThat(store.experiment(e.id())).hasSize(4).allSatisfy(r -> assertThat(r.experiment().experiment()).isEqualTo(e.id()));
            e.cancel();
            List<RunResult> results = e.done().join();
            assertThat(results).hasSize(4).allSatisfy(r -> assertThat(r.terminal()).isInstanceOf(TrainingEvent.Cancelled.class));
            assertThat(progress.get(progress.size() - 1).fraction()).isEqualTo(1.0);
            // once ended, runs can be deleted
            store.delete(last);
            assertThat(store.experiment(e.id())).hasSize(3);
        }
    }

    @Test
    void aMissingDatasetIsNamed() {
        AppHome home = AppHome.at(dir.resolve("home"));
        try (TrainingService service = new TrainingService(home, new RunStore(dir.resolve("runs")), new BackboneLoader(home))) {
            Path missing = dir.resolve("nowhere");
            assertThatThrownBy(() -> Experiment.start(service, Experiment.Settings.defaults(missing, "sample")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString());
        }
    }
}
