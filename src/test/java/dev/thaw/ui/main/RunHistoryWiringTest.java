package dev.thaw.ui.main;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thaw.core.model.Strategy;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.testing.TestImages;
import dev.thaw.testing.TestModels;
import dev.thaw.ui.common.CurrentThreadTaskExecutor;
import dev.thaw.ui.common.UiThread;
import dev.thaw.ui.runs.RunRow;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the training panel and the run history meet: a real tiny run started from the training
 * panel appears in the Runs list by itself, completed, with its accuracy, and in the same colour as
 * in the training queue.
 */
class RunHistoryWiringTest {

    @TempDir
    Path tmp;

    @Test
    void aFinishedRunAppearsInTheHistoryWithoutARefresh() throws Exception {
        MainViewModel vm = new MainViewModel(AppHome.at(tmp.resolve("home")), new CurrentThreadTaskExecutor(), UiThread.DIRECT);
        try {
            Path data = TestImages.presplit(tmp.resolve("data"), 6, 3, 32, 9);
            vm.training().datasetProperty().unbind();
            vm.training().datasetProperty().set(data);
            vm.training().backboneSourceProperty().unbind();
            vm.training().backboneSourceProperty().set(TestModels.TINY_PT.toAbsolutePath().toString());
            vm.training().strategyProperty().set(Strategy.FINE_TUNING);
            vm.training().epochsProperty().set(1);
            vm.training().batchSizeProperty().set(6);
            vm.runs().refresh();
            assertThat(vm.runs().runs()).isEmpty();

            String id = vm.training().start();
            // A real run trains on the service's thread; the history refreshes itself when it ends.
            // Poll with a deadline, then the assertions below say what is missing.
            long deadline = System.currentTimeMillis() + 180_000;
            while (System.currentTimeMillis() < deadline
                    && vm.runs().runs().stream().noneMatch(r -> r.id().equals(id) && r.state().equals("completed"))) {
                Thread.sleep(200);
            }
            RunRow row = vm.runs().runs().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
            assertThat(row.state()).isEqualTo("completed");
            assertThat(row.finalValAccuracy()).isBetween(0.0, 1.0);
            assertThat(row.strategy()).isEqualTo(Strategy.FINE_TUNING.label());
            assertThat(row.color()).isEqualTo(vm.training().queue().get(0).color());
        } finally {
            vm.close();
        }
    }
}
