package dev.thaw.ui.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.thaw.core.runs.ConfigDiff;
import dev.thaw.core.runs.McNemar;
import dev.thaw.core.runs.RunComparison;
import dev.thaw.ui.common.CurrentThreadTaskExecutor;
import dev.thaw.ui.common.RunColors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison's state and words, without a toolkit, on two run folders with known numbers. */
class CompareViewModelTest {

    @TempDir
    Path tmp;

    private CompareViewModel vm;

    @BeforeEach
    void load() {
        vm = new CompareViewModel(new CurrentThreadTaskExecutor(), new RunColors(null));
        vm.load(CompareFixture.twoRuns(tmp));
        assertThat(vm.errorProperty().get()).isNull();
    }

    @Test
    void metricsTableHasOneValuePerRun() {
        assertThat(vm.metrics()).extracting(CompareViewModel.MetricRow::metric).contains("Final val accuracy",
                "Best val accuracy (epoch)", "Wall time", "Training images/s", "Trainable / total params");
        CompareViewModel.MetricRow fin = vm.metrics().stream().filter(r -> r.metric().equals("Final val accuracy")).findFirst().orElseThrow();
        assertThat(fin.values()).containsExactly("83.3 %", "50.0 %");
        CompareViewModel.MetricRow best = vm.metrics().stream().filter(r -> r.metric().startsWith("Best")).findFirst().orElseThrow();
        assertThat(best.values()).containsExactly("83.3 % (4)", "60.0 % (3)");
    }

    @Test
    void configDiffListsOnlyWhatDiffers() {
        List<String> keys = vm.configDiff().stream().map(ConfigDiff.Row::key).toList();
        assertThat(keys).anyMatch(k -> k.toLowerCase().contains("strategy")).anyMatch(k -> k.toLowerCase().contains("learning"));
        assertThat(keys).noneMatch(k -> k.equalsIgnoreCase("backbone") || k.equalsIgnoreCase("seed") || k.equalsIgnoreCase("epochs")
                || k.toLowerCase().contains("batch"));
        for (ConfigDiff.Row r : vm.configDiff()) {
            assertThat(r.values().stream().distinct().count()).as(r.key()).isGreaterThan(1);
        }
    }

    @Test
    void curvesOverlayEveryRunInItsColourOnEitherAxis() {
        assertThat(vm.lossSeries()).hasSize(4);
        assertThat(vm.accuracySeries()).extracting(CompareViewModel.Series::color).containsExactly(RunColors.PALETTE.get(0),
                RunColors.PALETTE.get(0), RunColors.PALETTE.get(1), RunColors.PALETTE.get(1));
        CompareViewModel.Series valA = vm.accuracySeries().get(0);
        assertThat(valA.dashed()).isFalse();
        assertThat(valA.x()).containsExactly(1, 2, 3, 4);
        assertThat(valA.y()[3]).isEqualTo(10 / 12.0, org.assertj.core.data.Offset.offset(1e-9));
        vm.xAxisProperty().set(CompareViewModel.XAxis.SECONDS);
        assertThat(vm.accuracySeries().get(0).x()).containsExactly(3, 6, 9, 12);
    }

    @Test
    void pairVerdictSaysHowManyImagesAndWhetherItIsNoise() {
        assertThat(vm.rightInAOnly()).hasSize(CompareFixture.A_ONLY);
        assertThat(vm.rightInBOnly()).hasSize(CompareFixture.B_ONLY);
        assertThat(vm.rightInAOnly().get(0).image()).exists();
        String v = vm.pairVerdictProperty().get();
        assertThat(v).contains("12 validation images").contains("A got 5 images right that B got wrong")
                .contains("B got 1 right").contains("within noise");
        // Swapping A and B swaps the galleries.
        vm.aProperty().set(1);
        vm.bProperty().set(0);
        assertThat(vm.rightInAOnly()).hasSize(CompareFixture.B_ONLY);
    }

    @Test
    void aLopsidedPairIsCalledUnlikelyToBeChance() {
        RunComparison.PairedTest t = new RunComparison.PairedTest(McNemar.of(20, 2), 200, 0, 0, 0.9, 0.81);
        String v = CompareViewModel.verdict("fine-tuned", "frozen", t);
        assertThat(v).contains("p < 0.001").contains("A is better").contains("18 images").contains("unlikely to be chance");
        RunComparison.PairedTest same = new RunComparison.PairedTest(McNemar.of(0, 0), 50, 0, 0, 0.9, 0.9);
        assertThat(CompareViewModel.verdict("x", "y", same)).contains("exactly the same images");
    }

    @Test
    void freezeMasksDifferWhereOneRunFreezesAndTheOtherTrains() {
        CompareViewModel.FreezeNode root = vm.freezeTreeProperty().get();
        assertThat(root).isNotNull();
        List<CompareViewModel.FreezeNode> all = new ArrayList<>();
        collect(root, all);
        CompareViewModel.FreezeNode stage2 = all.stream().filter(n -> n.path().equals("backbone.stage2")).findFirst().orElseThrow();
        assertThat(stage2.frozen()).containsExactly(true, false);
        assertThat(stage2.differs()).isTrue();
        CompareViewModel.FreezeNode stem = all.stream().filter(n -> n.path().equals("backbone.stem")).findFirst().orElseThrow();
        assertThat(stem.frozen()).containsExactly(true, true);
        assertThat(CompareView.ownDiff(stem)).isFalse();
        CompareViewModel.FreezeNode head = all.stream().filter(n -> n.path().equals("head")).findFirst().orElseThrow();
        assertThat(head.frozen()).containsExactly(false, false);
        assertThat(vm.splitWarningProperty().get()).as("same validation images").isNull();
    }

    private static void collect(CompareViewModel.FreezeNode n, List<CompareViewModel.FreezeNode> out) {
        out.add(n);
        n.children().forEach(c -> collect(c, out));
    }
}
