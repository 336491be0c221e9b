package dev.thaw.core.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading run files back: predictions (old and new), curves (a killed run), names, deletion. */
class RunFilesTest {

    @TempDir
    Path dir;

    @Test
    void predictionsWithProbabilitiesLoadWithTheirVector() {
        RunStore store = new RunStore(dir);
        RunFolder f = SyntheticRuns.write(store, Strategy.FINE_TUNING, 1, FreezePlan.NONE, new boolean[] {true, false, true}, 0.6, 0.6,
                null);
        ValPredictions p = ValPredictions.read(f, ValPredictions.Epoch.BEST).orElseThrow();
        assertThat(p.classes()).containsExactly("circle", "square");
        assertThat(p.rows()).hasSize(3);
        assertThat(p.rows().get(1).correct()).isFalse();
        assertThat(p.rows().get(1).truth()).isEqualTo(1);
        assertThat(p.rows().get(1).predicted()).isEqualTo(0);
        assertThat(p.rows().get(1).probability()).isCloseTo(0.75, within(1e-6));
        assertThat(p.rows().get(1).probabilities()).containsExactly(0.75f, 0.25f);
        assertThat(p.hasProbabilities()).isTrue();
        assertThat(p.confusion().count(1, 0)).isEqualTo(1);
        assertThat(p.misclassified()).extracting(ValPredictions.Row::file).containsExactly("square/img1.png");
    }

    @Test
    void oldPredictionsWithoutProbabilitiesStillLoad() throws Exception {
        RunStore store = new RunStore(dir);
        RunFolder f = SyntheticRuns.write(store, Strategy.FINE_TUNING, 1, FreezePlan.NONE, new boolean[] {true}, 1, 1, null);
        Files.writeString(f.file(RunFolder.PREDICTIONS),
                "file,label,predicted,correct\n\"a,b.png\",square,circle,false\ncircle/x.png,circle,circle,true\n");
        Files.delete(f.file(RunFolder.PREDICTIONS_LAST));
        ValPredictions p = ValPredictions.read(f, ValPredictions.Epoch.BEST).orElseThrow();
        assertThat(p.rows()).extracting(ValPredictions.Row::file).containsExactly("a,b.png", "circle/x.png");
        assertThat(p.rows().get(0).probability()).isNaN();
        assertThat(p.rows().get(0).probabilities()).isNull();
        assertThat(p.hasProbabilities()).isFalse();
        assertThat(p.accuracy()).isEqualTo(0.5);
        assertThat(ValPredictions.read(f, ValPredictions.Epoch.LAST)).isEmpty();
    }

    @Test
    void curvesSkipATruncatedLastLine() {
        RunFolder f = new RunFolder(dir.resolve("r"));
        SyntheticRuns.append(f.file(RunFolder.METRICS), String.join("\n",
                "{\"type\":\"batch\",\"epoch\":1,\"batch\":1,\"step\":1,\"elapsed_s\":0.5,\"loss\":1.2,\"acc\":0.4}",
                "{\"type\":\"batch\",\"epoch\":1,\"batch\":2,\"step\":2,\"elapsed_s\":1.0,\"loss\":1.0,\"acc\":0.5}",
                "{\"type\":\"epoch\",\"epoch\":1,\"train_loss\":1.1,\"train_acc\":0.45,\"val_loss\":0.9,\"val_acc\":0.6,\"lr\":0.005,"
                        + "\"seconds\":1.4,\"elapsed_s\":1.4}",
                "{\"type\":\"batch\",\"epoch\":2,\"batch\":1,\"step\":3,\"elapsed_s\":1.9,\"loss\":0.8,\"acc\":0.7}",
                "{\"type\":\"epoch\",\"epoch\":2,\"train_lo"));
        RunCurves c = RunCurves.read(f);
        assertThat(c.epochs()).hasSize(1);
        RunCurves.EpochPoint e = c.epochs().get(0);
        assertThat(e.valAccuracy()).isEqualTo(0.6);
        assertThat(e.trainLoss()).isEqualTo(1.1);
        assertThat(e.elapsedSeconds()).isEqualTo(1.4);
        assertThat(e.learningRate()).isEqualTo(0.005);
        assertThat(c.batches()).extracting(RunCurves.BatchPoint::step).containsExactly(1, 2, 3);
        assertThat(c.batches().get(2).elapsedSeconds()).isEqualTo(1.9);
        assertThat(c.batches().get(2).epoch()).isEqualTo(2);
    }

    @Test
    void curvesOfOldRunsEstimateElapsedTimeFromEpochDurations() {
        RunFolder f = new RunFolder(dir.resolve("old"));
        SyntheticRuns.append(f.file(RunFolder.METRICS), String.join("\n",
                "{\"type\":\"batch\",\"epoch\":1,\"batch\":1,\"loss\":1.2,\"acc\":0.4}",
                "{\"type\":\"batch\",\"epoch\":1,\"batch\":2,\"loss\":1.0,\"acc\":0.5}",
                "{\"type\":\"epoch\",\"epoch\":1,\"val_acc\":0.6,\"seconds\":2.0}",
                "{\"type\":\"epoch\",\"epoch\":2,\"val_acc\":0.7,\"seconds\":3.0}", ""));
        RunCurves c = RunCurves.read(f);
        assertThat(c.epochs()).extracting(RunCurves.EpochPoint::elapsedSeconds).containsExactly(2.0, 5.0);
        assertThat(c.batches()).extracting(RunCurves.BatchPoint::elapsedSeconds).containsExactly(1.0, 2.0);
        assertThat(c.epochs().get(0).trainLoss()).isNaN();
    }

    @Test
    void renameSurvivesAReReadAndBlankClearsIt() {
        RunStore store = new RunStore(dir);
        RunFolder f = SyntheticRuns.write(store, Strategy.FINE_TUNING, 1, FreezePlan.NONE, new boolean[] {true}, 1, 1, null);
        assertThat(store.require(f.id()).displayName()).isEqualTo(f.id());
        store.rename(f.id().substring(0, 12), "last stage, lr 0.005");
        assertThat(new RunStore(dir).require(f.id()).displayName()).isEqualTo("last stage, lr 0.005");
        store.rename(f.id(), "  ");
        assertThat(new RunStore(dir).require(f.id()).displayName()).isEqualTo(f.id());
    }

    @Test
    void deleteRemovesTheFolderButRefusesWhileTheRunIsLocked() {
        RunStore store = new RunStore(dir);
        RunFolder f = SyntheticRuns.write(store, Strategy.FINE_TUNING, 1, FreezePlan.NONE, new boolean[] {true}, 1, 1, null);
        try (RunFolder.RunLock lock = f.tryLock().orElseThrow()) {
            assertThatThrownBy(() -> store.delete(f.id())).isInstanceOf(IllegalStateException.class).hasMessageContaining(f.id());
        }
        assertThat(Files.isDirectory(f.dir())).isTrue();
        store.delete(f.id());
        assertThat(Files.exists(f.dir())).isFalse();
        assertThat(store.list()).isEmpty();
        assertThatThrownBy(() -> store.delete(f.id())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(f.id());
    }

    @Test
    void experimentTagIsReadBackWithTheRun() {
        RunStore store = new RunStore(dir);
        SyntheticRuns.write(store, Strategy.FINE_TUNING, 1, FreezePlan.NONE, new boolean[] {true}, 1, 1,
                new ExperimentTag("exp-1", "ft", 1, 1));
        SyntheticRuns.write(store, Strategy.FINE_TUNING, 1, FreezePlan.NONE, new boolean[] {true}, 1, 1, null);
        List<RunStore.RunInfo> runs = store.experiment("exp-1");
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).experiment().arm()).isEqualTo("ft");
        assertThat(Optional.ofNullable(Json.read(runs.get(0).folder().file(RunFolder.EXPERIMENT), ExperimentTag.class)))
                .isPresent();
    }
}
