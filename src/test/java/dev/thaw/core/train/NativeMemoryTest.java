package dev.thaw.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thaw.core.backbone.BackboneLoader;
import dev.thaw.core.model.RunSpec;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.model.TrainingEvent;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.testing.TestImages;
import dev.thaw.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A coarse but real check that native memory does not grow: the process's resident memory across
 * epochs of one run and across many runs in one JVM. Images of 96 px make a leaked batch (input,
 * activations or gradients) show up as tens of megabytes.
 */
@EnabledOnOs(OS.LINUX)
class NativeMemoryTest {

    private static final Logger LOG = LoggerFactory.getLogger(NativeMemoryTest.class);

    @TempDir
    Path dir;

    private static long residentMb() {
        System.gc();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no VmRSS");
    }

    @Test
    void nativeMemoryStaysFlatAcrossEpochsAndRuns() {
        Path data = TestImages.presplit(dir.resolve("data"), 8, 4, 96, 4);
        AppHome home = AppHome.at(dir.resolve("home"));
        RunSpec spec = RunSpec.builder().setBackbone(TestModels.TINY_PT.toString()).optImageSize(96).setData(data)
                .setStrategy(Strategy.FINE_TUNING).optEpochs(3).optBatchSize(8).build();
        List<Long> perEpoch = new ArrayList<>();
        List<Long> perRun = new ArrayList<>();
        try (TrainingService service = new TrainingService(home, new RunStore(dir.resolve("runs")), new BackboneLoader(home))) {
            for (int run = 0; run < 12; run++) {
                boolean watchEpochs = run == 1;
                java.util.function.Consumer<TrainingEvent> l = e -> {
                    if (watchEpochs && e instanceof TrainingEvent.EpochEnded) {
                        perEpoch.add(residentMb());
                    }
                };
                service.addListener(l);
                RunResult r = service.submit(watchEpochs ? spec.toBuilder().optEpochs(10).build() : spec).result().join();
                service.removeListener(l);
                assertThat(r.completed()).as("%s", r.terminal()).isTrue();
                perRun.add(residentMb());
            }
        }
        LOG.info("Resident MB after each epoch of a 10-epoch run: {}; after each run: {}", perEpoch, perRun);
        // After warm-up (libtorch's allocator and thread pools, the JIT profiling runs), flat.
        assertThat(perEpoch.get(perEpoch.size() - 1) - perEpoch.get(2)).as("growth over epochs 3..10, MB: %s", perEpoch)
                .isLessThan(40);
        assertThat(perRun.get(perRun.size() - 1) - perRun.get(2)).as("growth over runs 3..12, MB: %s", perRun).isLessThan(60);
    }
}
