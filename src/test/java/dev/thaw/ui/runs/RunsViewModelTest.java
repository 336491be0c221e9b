package dev.thaw.ui.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.runs.RunStore;
import dev.thaw.testing.SyntheticRuns;
import dev.thaw.testing.TestImages;
import dev.thaw.ui.common.CurrentThreadTaskExecutor;
import dev.thaw.ui.common.RunColors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run history's logic without a toolkit: selection rules, filter, rename and delete. */
class RunsViewModelTest {

    @TempDir
    Path tmp;

    private RunsViewModel vm;
    private final List<RunStore.RunInfo> evaluated = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Path data = TestImages.presplit(tmp.resolve("data"), 1, 1, 16, 1);
        List<SyntheticRuns.Prediction> p = List.of(new SyntheticRuns.Prediction("val/circle/000.png", "circle", "square", 0.6));
        SyntheticRuns.write(tmp.resolve("runs"), "20261124-080000-fe-sample", Strategy.FEATURE_EXTRACTION, FreezePlan.of("backbone"),
                data, 0.003, new double[] {0.5}, p);
        SyntheticRuns.write(tmp.resolve("runs"), "20261124-090000-ft-sample", Strategy.FINE_TUNING, FreezePlan.NONE, data, 0.005,
                new double[] {0.6}, p);
        // A run killed before its first epoch: no summary, no predictions.
        Files.createDirectories(tmp.resolve("runs/20261124-100000-scratch-sample"));
        vm = new RunsViewModel(new RunStore(tmp.resolve("runs")), new RunColors(null), new CurrentThreadTaskExecutor());
        vm.setOnEvaluate(evaluated::add);
        vm.refresh();
    }

    @Test
    void compareNeedsTwoRunsAndEvaluateOneWithPredictions() {
        assertThat(vm.runs()).hasSize(3);
        assertThat(vm.canCompare().get()).isFalse();
        vm.selected().setAll(vm.runs().get(1));
        assertThat(vm.canEvaluate().get()).isTrue();
        vm.evaluate();
        assertThat(evaluated).extracting(RunStore.RunInfo::id).containsExactly("20261124-090000-ft-sample");
        vm.selected().setAll(vm.runs().get(0));
        assertThat(vm.canEvaluate().get()).as("no predictions").isFalse();
        assertThat(vm.runs().get(0).finalValAccuracy()).isNaN();
        vm.selected().setAll(vm.runs().subList(0, 2));
        assertThat(vm.canCompare().get()).isTrue();
        assertThat(vm.canEvaluate().get()).isFalse();
    }

    @Test
    void filterMatchesStrategyNameAndStatus() {
        vm.filterProperty().set("feature");
        assertThat(vm.visible()).extracting(RunRow::id).containsExactly("20261124-080000-fe-sample");
        vm.filterProperty().set("completed");
        assertThat(vm.visible()).hasSize(2);
        vm.filterProperty().set("");
        assertThat(vm.visible()).hasSize(3);
    }

    @Test
    void renameAndDeletePersistAndReport() {
        RunRow ft = vm.runs().get(1);
        vm.rename(ft, "baseline");
        assertThat(vm.runs().get(1).name()).isEqualTo("baseline");
        assertThat(new RunStore(tmp.resolve("runs")).find(ft.id()).orElseThrow().displayName()).isEqualTo("baseline");
        vm.delete(List.of(vm.runs().get(1)));
        assertThat(vm.noticeProperty().get()).isEqualTo("Deleted run baseline");
        assertThat(vm.runs()).hasSize(2);
        assertThat(Files.exists(tmp.resolve("runs").resolve(ft.id()))).isFalse();
    }

    @Test
    void startedAtComesFromTheRunId() {
        assertThat(vm.runs().get(2).started()).hasToString("2026-11-24T08:00");
        assertThat(vm.runs().get(2).strategy()).isEqualTo(Strategy.FEATURE_EXTRACTION.label());
    }
}
