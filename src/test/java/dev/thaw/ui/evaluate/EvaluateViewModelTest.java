package dev.thaw.ui.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.runs.RunStore;
import dev.thaw.testing.SyntheticRuns;
import dev.thaw.testing.TestImages;
import dev.thaw.ui.common.CurrentThreadTaskExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evaluate's state without a toolkit, on a run folder with known predictions. */
class EvaluateViewModelTest {

    @TempDir
    Path tmp;

    private EvaluateViewModel vm(List<String> exported) {
        return new EvaluateViewModel(new CurrentThreadTaskExecutor(), dir -> {
            throw new IllegalStateException("no model in this test");
        }, (run, out, m) -> {
            exported.add(out.toString());
            return "Exported " + run.id() + " to " + out;
        });
    }

    @Test
    void cellsMistakesAndScoresComeFromThePredictions() {
        Path data = TestImages.presplit(tmp.resolve("data"), 1, 2, 16, 1);
        List<SyntheticRuns.Prediction> p = List.of(
                new SyntheticRuns.Prediction("val/circle/000.png", "circle", "circle", 0.9),
                new SyntheticRuns.Prediction("val/circle/001.png", "circle", "square", 0.7),
                new SyntheticRuns.Prediction("val/square/000.png", "square", "square", 0.8),
                new SyntheticRuns.Prediction("val/square/001.png", "square", "square", 0.8));
        SyntheticRuns.write(tmp.resolve("runs"), "20261124-080000-fe-sample", Strategy.FEATURE_EXTRACTION, FreezePlan.of("backbone"),
                data, 0.003, new double[] {0.75}, p);
        RunStore.RunInfo run = new RunStore(tmp.resolve("runs")).list().get(0);
        List<String> exported = new java.util.ArrayList<>();
        EvaluateViewModel vm = vm(exported);
        vm.load(run, "#4e79a7");
        assertThat(vm.errorProperty().get()).isNull();
        assertThat(vm.summaryProperty().get()).contains("75.0 %").contains("4 validation images").contains("1 wrong");
        assertThat(vm.misclassified()).hasSize(1);
        assertThat(vm.misclassified().get(0).image()).exists();
        assertThat(vm.perClass()).extracting(m -> m.name()).containsExactly("circle", "square");
        assertThat(vm.perClass().get(1).precision()).isEqualTo(2 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
        vm.selectCell(0, 1);
        assertThat(vm.cellTitleProperty().get()).isEqualTo("circle predicted as square: 1 image");
        assertThat(vm.cellImages()).extracting(EvaluateViewModel.ImageResult::file).containsExactly("val/circle/001.png");

        vm.export(tmp.resolve("out"));
        assertThat(exported).containsExactly(tmp.resolve("out").toString());
        assertThat(vm.noticeProperty().get()).contains(tmp.resolve("out").toString());
        assertThat(vm.exportingProperty().get()).isFalse();
    }

    @Test
    void aRunWithoutPredictionsSaysSoAndAModelThatWillNotOpenIsNamed() throws Exception {
        Files.createDirectories(tmp.resolve("runs/20261124-090000-ft-broken"));
        RunStore.RunInfo run = new RunStore(tmp.resolve("runs")).list().get(0);
        EvaluateViewModel vm = vm(new java.util.ArrayList<>());
        vm.load(run, "#4e79a7");
        assertThat(vm.errorProperty().get()).contains("20261124-090000-ft-broken").contains("no validation predictions");
        vm.predict(List.of(tmp.resolve("x.png")));
        assertThat(vm.errorProperty().get()).startsWith("Cannot open the model of 20261124-090000-ft-broken");
        assertThat(vm.predictingProperty().get()).isFalse();
    }
}
