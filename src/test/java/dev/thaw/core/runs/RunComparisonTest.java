package dev.thaw.core.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.Strategy;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunComparisonTest {

    @TempDir
    Path dir;

    @Test
    void configDiffShowsOnlyTheSettingsThatDiffer() {
        RunStore store = new RunStore(dir);
        SyntheticRuns.write(store, Strategy.FINE_TUNING, 1, FreezePlan.of("backbone.stem"), SyntheticRuns.firstRight(10, 8), 0.8,
                0.8, null);
        SyntheticRuns.write(store, Strategy.FINE_TUNING, 2, FreezePlan.of("backbone.stem"), SyntheticRuns.firstRight(10, 8), 0.8,
                0.8, null);
        RunComparison c = RunComparison.of(store.list());
        assertThat(c.configDiff()).extracting(ConfigDiff.Row::key).containsExactly("seed");
        assertThat(c.freezeDiff()).isEmpty();
        assertThat(c.sameSplit()).isTrue();
    }

    @Test
    void freezeDiffListsTheNodesFrozenInOneRunOnly() {
        RunStore store = new RunStore(dir);
        RunFolder a = SyntheticRuns.write(store, Strategy.FINE_TUNING, 1, FreezePlan.of("backbone.stem", "backbone.layer1"),
                SyntheticRuns.firstRight(10, 8), 0.8, 0.8, null);
        RunFolder b = SyntheticRuns.write(store, Strategy.FINE_TUNING, 1, FreezePlan.of("backbone.stem"),
                SyntheticRuns.firstRight(10, 8), 0.8, 0.8, null);
        RunComparison c = RunComparison.of(List.of(RunStore.read(a), RunStore.read(b)));
        assertThat(c.freezeDiff()).containsExactly(new RunComparison.FreezeRow("backbone.layer1", List.of(true, false)));
        assertThat(c.configDiff()).extracting(ConfigDiff.Row::key).containsExactly("freezePlan.frozen");
    }

    @Test
    void featureExtractionVersusFullFineTuningShowsTheBackboneOnceInTheShortList() {
        RunStore store = new RunStore(dir);
        RunFolder a = SyntheticRuns.write(store, Strategy.FEATURE_EXTRACTION, 1, FreezePlan.of("backbone"),
                SyntheticRuns.firstRight(10, 8), 0.8, 0.8, null);
        RunFolder b = SyntheticRuns.write(store, Strategy.FINE_TUNING, 1, FreezePlan.NONE, SyntheticRuns.firstRight(10, 8), 0.8, 0.8,
                null);
        RunComparison c = RunComparison.of(List.of(RunStore.read(a), RunStore.read(b)));
        assertThat(c.freezeDiff()).extracting(RunComparison.FreezeRow::path)
                .containsExactly("backbone", "backbone.stem", "backbone.layer1", "backbone.layer2");
        assertThat(c.freezeDiffTopmost()).extracting(RunComparison.FreezeRow::path).containsExactly("backbone");
        assertThat(c.freezeState(0, "backbone")).isEqualTo(RunComparison.FreezeState.FROZEN);
        assertThat(c.freezeState(1, "backbone")).isEqualTo(RunComparison.FreezeState.TRAINABLE);
    }

    @Test
    void aPartlyFrozenParentDoesNotHideWhichChildrenDiffer() {
        RunStore store = new RunStore(dir);
        RunFolder fe = SyntheticRuns.write(store, Strategy.FEATURE_EXTRACTION, 1, FreezePlan.of("backbone"),
                SyntheticRuns.firstRight(10, 8), 0.8, 0.8, null);
        RunFolder ft = SyntheticRuns.write(store, Strategy.FINE_TUNING, 1, FreezePlan.of("backbone.stem", "backbone.layer1"),
                SyntheticRuns.firstRight(10, 8), 0.8, 0.8, null);
        RunComparison c = RunComparison.of(List.of(RunStore.read(fe), RunStore.read(ft)));
        assertThat(c.freezeState(1, "backbone")).isEqualTo(RunComparison.FreezeState.PARTLY);
        assertThat(c.freezeDiffTopmost()).extracting(RunComparison.FreezeRow::path).containsExactly("backbone", "backbone.layer2");
    }

    @Test
    void flippedImagesAndThePairedTestUseTheSharedImages() {
        RunStore store = new RunStore(dir);
        boolean[] ra = SyntheticRuns.firstRight(20, 18);
        boolean[] rb = SyntheticRuns.firstRight(20, 12);
        rb[19] = true; // right in b, wrong in a
        RunFolder a = SyntheticRuns.write(store, Strategy.FINE_TUNING, 1, FreezePlan.NONE, ra, 0.9, 0.9, null);
        RunFolder b = SyntheticRuns.write(store, Strategy.FEATURE_EXTRACTION, 1, FreezePlan.of("backbone"), rb, 0.65, 0.7, null);
        RunComparison c = RunComparison.of(List.of(RunStore.read(a), RunStore.read(b)));

        List<RunComparison.Flip> flips = c.flipped(0, 1);
        assertThat(flips).extracting(RunComparison.Flip::file)
                .containsExactly("circle/img12.png", "square/img13.png", "circle/img14.png", "square/img15.png", "circle/img16.png",
                        "square/img17.png");
        assertThat(flips.get(0).truth()).isEqualTo("circle");
        assertThat(flips.get(0).predictedA()).isEqualTo("circle");
        assertThat(flips.get(0).predictedB()).isEqualTo("square");
        assertThat(flips.get(0).image()).isEqualTo(Path.of("/data/shapes/circle/img12.png"));
        assertThat(c.flipped(1, 0)).extracting(RunComparison.Flip::file).containsExactly("square/img19.png");

        RunComparison.PairedTest t = c.mcnemar(0, 1);
        assertThat(t.shared()).isEqualTo(20);
        assertThat(t.test().aOnly()).isEqualTo(6);
        assertThat(t.test().bOnly()).isEqualTo(1);
        assertThat(t.test().pValue()).isEqualTo(McNemar.of(6, 1).pValue());

        assertThat(c.metrics()).extracting(RunComparison.Metrics::strategy).containsExactly("ft", "fe");
        assertThat(c.metrics().get(1).bestValAccuracy()).isEqualTo(0.7);
        RunComparison.ClassRow circle = c.perClassAccuracy().get(0);
        assertThat(circle.className()).isEqualTo("circle");
        // circles are the even images: a gets 9 of 10, b 6 of 10 (0..10 right)
        assertThat(circle.accuracy()).containsExactly(0.9, 0.6);
        assertThat(circle.deltaVsFirst().get(1)).isCloseTo(-0.3, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(c.confusions().get(0).correct()).isEqualTo(18);
    }

    @Test
    void runsValidatedOnDifferentImagesAreFlaggedAndPairedOnTheOverlapOnly() {
        RunStore store = new RunStore(dir);
        RunFolder a = SyntheticRuns.write(store, Strategy.FINE_TUNING, 1, FreezePlan.NONE, SyntheticRuns.firstRight(10, 9), 0.9, 0.9,
                null, "img");
        RunFolder b = SyntheticRuns.write(store, Strategy.FINE_TUNING, 2, FreezePlan.NONE, SyntheticRuns.firstRight(10, 9), 0.9, 0.9,
                null, "other");
        RunComparison c = RunComparison.of(List.of(RunStore.read(a), RunStore.read(b)));
        assertThat(c.sameSplit()).isFalse();
        assertThat(c.splitNote()).contains("NOT validated on the same images");
        RunComparison.PairedTest t = c.mcnemar(0, 1);
        assertThat(t.shared()).isZero();
        assertThat(t.onlyA()).isEqualTo(10);
    }

    @Test
    void aRunWithoutPredictionsIsNamedWhenAPairedTestNeedsIt() {
        RunStore store = new RunStore(dir);
        RunFolder a = SyntheticRuns.write(store, Strategy.FINE_TUNING, 1, FreezePlan.NONE, SyntheticRuns.firstRight(4, 3), 0.75, 0.75,
                null);
        RunFolder b = SyntheticRuns.write(store, Strategy.FINE_TUNING, 2, FreezePlan.NONE, SyntheticRuns.firstRight(4, 3), 0.75, 0.75,
                null);
        b.file(RunFolder.PREDICTIONS).toFile().delete();
        b.file(RunFolder.PREDICTIONS_LAST).toFile().delete();
        RunComparison c = RunComparison.of(List.of(RunStore.read(a), RunStore.read(b)));
        assertThat(c.confusions().get(1)).isNull();
        assertThat(c.sameSplit()).isFalse();
        assertThatThrownBy(() -> c.mcnemar(0, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(b.id());
        assertThatThrownBy(() -> RunComparison.of(List.of(RunStore.read(a)))).hasMessageContaining("at least 2");
        assertThat(Arrays.asList(c.metrics().get(1).run())).containsExactly(b.id());
    }
}
