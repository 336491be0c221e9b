package dev.thaw.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thaw.core.data.Augmentation;
import dev.thaw.core.util.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSpecTest {

    @TempDir
    Path dir;

    @Test
    void defaultsDependOnTheStrategy() {
        RunSpec fe = RunSpec.builder().setBackbone("sample").setData(Path.of("d")).setStrategy(Strategy.FEATURE_EXTRACTION).build();
        RunSpec ft = RunSpec.builder().setBackbone("sample").setData(Path.of("d")).setStrategy(Strategy.FINE_TUNING).build();
        assertThat(fe.epochs()).isEqualTo(RunSpec.defaultEpochs(Strategy.FEATURE_EXTRACTION));
        assertThat(fe.augmentation()).isEqualTo(Augmentation.NONE);
        assertThat(ft.augmentation()).isEqualTo(Augmentation.LIGHT);
        assertThat(ft.backboneLrMultiplier()).isEqualTo(0.1);
        assertThat(ft.device()).isEqualTo("auto");
    }

    @Test
    void savesAndReadsBackEqual() {
        RunSpec spec = RunSpec.builder().setBackbone("x/r.pt").setData(Path.of("data/set")).setStrategy(Strategy.FINE_TUNING)
                .optFreezePlan(FreezePlan.of("backbone.layer1", "backbone.conv1")).optFreeze("last:2").optMean(new float[] {1, 2, 3})
                .optImageSize(96).optEpochs(7).optSeed(9).optWarmupEpochs(2).optClassWeights(true)
                .optSplitManifest(Path.of("runs/a/split.json")).optDomainRandomization(true).build();
        Path f = dir.resolve("spec.json");
        Json.write(f, spec);
        RunSpec back = Json.read(f, RunSpec.class);
        assertThat(back).isEqualTo(spec);
        assertThat(back.freezePlan().isFrozen("backbone.layer1.0.conv1")).isTrue();
    }

    @Test
    void outOfRangeValuesAreNamed() {
        RunSpec.Builder b = RunSpec.builder().setBackbone("sample").setData(Path.of("d")).setStrategy(Strategy.SCRATCH);
        assertThatThrownBy(() -> b.optEpochs(0).build()).hasMessageContaining("epochs must be at least 1");
        assertThatThrownBy(() -> b.optEpochs(1).optLearningRate(-1).build()).hasMessageContaining("learning rate");
        assertThatThrownBy(() -> b.optLearningRate(0.1).optDevice("tpu").build()).hasMessageContaining("device must be auto, cpu or gpu");
        assertThatThrownBy(() -> RunSpec.builder().setData(Path.of("d")).setStrategy(Strategy.SCRATCH).build())
                .hasMessageContaining("A backbone is needed");
    }
}
