package dev.thaw.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.runs.ExperimentTag;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runs.SyntheticRuns;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentReportTest {

    @TempDir
    Path dir;

    private void arm(RunStore store, Strategy s, int[] rights, double[] finals, double[] bests) {
        for (int k = 0; k < rights.length; k++) {
            SyntheticRuns.write(store, s, k + 1, s == Strategy.FEATURE_EXTRACTION ? FreezePlan.of("backbone") : FreezePlan.NONE,
                    SyntheticRuns.firstRight(100, rights[k]), finals[k], bests[k],
                    new ExperimentTag("exp-t", s.cliName(), k + 1, k + 1));
        }
    }

    @Test
    void aClearWinIsReportedWithItsMarginAndPValue() {
        RunStore store = new RunStore(dir);
        arm(store, Strategy.FINE_TUNING, new int[] {95, 94, 96}, new double[] {0.95, 0.94, 0.96}, new double[] {0.96, 0.95, 0.97});
        arm(store, Strategy.FEATURE_EXTRACTION, new int[] {70, 71, 69}, new double[] {0.70, 0.71, 0.69},
                new double[] {0.72, 0.73, 0.70});
        ExperimentReport r = ExperimentReport.of(store.experiment("exp-t"));

        ExperimentReport.Arm ft = r.arm("ft").orElseThrow();
        assertThat(ft.runs()).isEqualTo(3);
        assertThat(ft.meanFinal()).isCloseTo(0.95, within(1e-12));
        assertThat(ft.sdFinal()).isCloseTo(0.01, within(1e-12)); // sample std of .94,.95,.96
        assertThat(ft.meanBest()).isCloseTo(0.96, within(1e-12));
        // majority vote: images 0..94 are right in at least 2 of 3 runs
        assertThat(ft.voteAccuracy()).isCloseTo(0.95, within(1e-12));

        assertThat(r.pairs()).hasSize(1);
        ExperimentReport.Pair p = r.pairs().get(0);
        assertThat(p.shared()).isEqualTo(100);
        assertThat(p.test().aOnly() + p.test().bOnly()).isEqualTo(25);
        assertThat(p.significant()).isTrue();
        assertThat(p.verdict()).startsWith("Fine-tuning beat feature extraction by 25.0 points of mean final accuracy (p=");
        assertThat(r.notes()).anyMatch(n -> n.contains("Best-epoch accuracy is chosen on the validation set"));
    }

    @Test
    void aSmallDifferenceIsCalledNoiseWithItsImageCount() {
        RunStore store = new RunStore(dir);
        arm(store, Strategy.FINE_TUNING, new int[] {80, 81, 82}, new double[] {0.80, 0.81, 0.82}, new double[] {0.8, 0.81, 0.82});
        arm(store, Strategy.SCRATCH, new int[] {78, 79, 78}, new double[] {0.78, 0.79, 0.78}, new double[] {0.8, 0.8, 0.8});
        ExperimentReport r = ExperimentReport.of(store.list());
        ExperimentReport.Pair p = r.pairs().get(0);
        assertThat(p.significant()).isFalse();
        // votes: ft right on 0..80, scratch on 0..77 -> 3 images differ
        assertThat(p.verdict()).contains("within noise: the difference is 3 of 100 validation images");
        assertThat(p.a()).isEqualTo("ft");
        assertThat(p.b()).isEqualTo("scratch");
    }

    @Test
    void unfinishedRunsAreLeftOutAndSaidSo() {
        RunStore store = new RunStore(dir);
        arm(store, Strategy.FINE_TUNING, new int[] {80, 81}, new double[] {0.80, 0.81}, new double[] {0.8, 0.81});
        RunStore.RunInfo broken = store.list().get(0);
        broken.folder().file("summary.json").toFile().delete();
        ExperimentReport r = ExperimentReport.of(store.list());
        assertThat(r.arm("ft").orElseThrow().runs()).isEqualTo(1);
        assertThat(r.arm("ft").orElseThrow().sdFinal()).isNaN();
        assertThat(r.notes()).anyMatch(n -> n.contains(broken.id()));
        assertThat(r.pairs()).isEmpty();
    }
}
