package dev.thaw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.runs.RunFolder;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runs.SyntheticRuns;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.testing.TestImages;
import dev.thaw.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compare, evaluate, predict, export, experiment and runs delete/rename as users call them. */
class CompareCommandsTest {

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(AppHome.resolve(), args);
    }

    @Test
    void compareShowsDifferencesAndThePairedTest() {
        RunStore store = new RunStore(dir.resolve("runs"));
        RunFolder a = SyntheticRuns.write(store, Strategy.FINE_TUNING, 1, FreezePlan.of("backbone.stem"),
                SyntheticRuns.firstRight(40, 38), 0.95, 0.95, null);
        RunFolder b = SyntheticRuns.write(store, Strategy.FINE_TUNING, 2, FreezePlan.NONE, SyntheticRuns.firstRight(40, 20), 0.5, 0.55,
                null);
        CliRun r = run("compare", a.id(), b.id(), "--runs-dir", store.root().toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("All runs were validated on the same 40 images")
                .contains("seed").contains("backbone.stem").contains("18 right only in 1, 0 right only in 2")
                .contains("(a real difference)").contains("circle/img20.png");
        assertThat(r.out()).doesNotContain("batchSize");

        CliRun j = run("compare", a.id(), b.id(), "--runs-dir", store.root().toString(), "--json");
        assertThat(j.status()).as(j.err()).isZero();
        JsonObject o = JsonParser.parseString(j.out().strip()).getAsJsonObject();
        assertThat(o.get("same_split").getAsBoolean()).isTrue();
        JsonArray pairs = o.getAsJsonArray("pairs");
        assertThat(pairs.get(0).getAsJsonObject().get("a_only").getAsInt()).isEqualTo(18);
        assertThat(pairs.get(0).getAsJsonObject().getAsJsonArray("flipped_a_to_b")).hasSize(18);
    }

    @Test
    void badRunIdsGiveOneLineNamingThem() {
        RunStore store = new RunStore(dir.resolve("runs"));
        RunFolder a = SyntheticRuns.write(store, Strategy.FINE_TUNING, 1, FreezePlan.NONE, SyntheticRuns.firstRight(4, 3), 0.75, 0.75,
                null);
        for (String[] args : List.of(new String[] {"compare", a.id(), "nope-123"}, new String[] {"evaluate", "nope-123"},
                new String[] {"export", "nope-123", "--out", dir.resolve("x").toString()}, new String[] {"runs", "delete", "nope-123"},
                new String[] {"runs", "rename", "nope-123", "x"})) {
            String[] full = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                    java.util.stream.Stream.of("--runs-dir", store.root().toString())).toArray(String[]::new);
            CliRun r = run(full);
            assertThat(r.status()).as(String.join(" ", args)).isNotZero();
            assertThat(r.err().strip().lines()).as(String.join(" ", args)).hasSize(1).first().asString().contains("nope-123");
        }
        CliRun p = run("predict", a.id(), dir.resolve("missing.png").toString(), "--runs-dir", store.root().toString());
        assertThat(p.status()).isNotZero();
        assertThat(p.err()).contains("missing.png");
    }

    @Test
    void evaluatePrintsTheMatrixPerClassMetricsAndMistakes() {
        RunStore store = new RunStore(dir.resolve("runs"));
        RunFolder a = SyntheticRuns.write(store, Strategy.FINE_TUNING, 1, FreezePlan.NONE, SyntheticRuns.firstRight(10, 7), 0.7, 0.7,
                null);
        CliRun r = run("evaluate", a.id(), "--runs-dir", store.root().toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("accuracy 70.0%").contains("PRECISION").contains("3 misclassified image(s)")
                .contains("square/img7.png  true square, predicted circle (75%)");
        CliRun j = run("evaluate", a.id(), "--runs-dir", store.root().toString(), "--json");
        JsonObject o = JsonParser.parseString(j.out().strip()).getAsJsonObject();
        assertThat(o.getAsJsonArray("confusion").get(1).getAsJsonArray().get(0).getAsInt()).isEqualTo(2);
        assertThat(o.getAsJsonArray("misclassified")).hasSize(3);
    }

    @Test
    void renameAndDeleteFromTheCommandLine() {
        RunStore store = new RunStore(dir.resolve("runs"));
        RunFolder a = SyntheticRuns.write(store, Strategy.FINE_TUNING, 1, FreezePlan.NONE, SyntheticRuns.firstRight(4, 3), 0.75, 0.75,
                null);
        assertThat(run("runs", "rename", a.id(), "my best", "--runs-dir", store.root().toString()).status()).isZero();
        assertThat(run("runs", "--runs-dir", store.root().toString()).out()).contains("\"my best\"");
        CliRun d = run("runs", "delete", a.id(), "--runs-dir", store.root().toString());
        assertThat(d.status()).as(d.err()).isZero();
        assertThat(Files.exists(a.dir())).isFalse();
    }

    @Test
    void experimentTrainsEveryArmOnOneSplitThenPredictAndExportWork() throws Exception {
        Path data = TestImages.presplit(dir.resolve("data"), 6, 4, 32, 2);
        Path runs = dir.resolve("runs");
        CliRun e = run("experiment", "--data", data.toString(), "--backbone", TestModels.TINY_PT.toString(), "--seeds", "2",
                "--epochs", "1", "--batch", "6", "--adapt-bn", "--runs-dir", runs.toString(), "--json");
        assertThat(e.status()).as(e.err()).isZero();
        assertThat(e.err()).contains("[6/6] training from scratch seed 2: done");
        JsonObject o = JsonParser.parseString(e.outLines().get(e.outLines().size() - 1)).getAsJsonObject();
        assertThat(o.getAsJsonArray("runs")).hasSize(6);
        assertThat(o.getAsJsonArray("arms")).hasSize(3);
        assertThat(o.getAsJsonArray("pairs")).hasSize(3);
        assertThat(o.getAsJsonArray("pairs").get(0).getAsJsonObject().get("shared").getAsInt()).isEqualTo(12);
        assertThat(o.getAsJsonArray("pairs").get(0).getAsJsonObject().get("verdict").getAsString())
                .containsPattern("beat|within noise");
        // every run read the experiment's one split manifest
        String split = o.get("split").getAsString();
        RunStore store = new RunStore(runs);
        assertThat(store.experiment(o.get("experiment").getAsString())).hasSize(6)
                .allSatisfy(r -> assertThat(r.spec().splitManifest().toString()).isEqualTo(split));
        // --adapt-bn went to the feature-extraction arm only, and its second seed reused the first's adaptation.
        List<RunStore.RunInfo> fe = store.experiment(o.get("experiment").getAsString()).stream()
                .filter(r -> r.spec().strategy() == dev.thaw.core.model.Strategy.FEATURE_EXTRACTION).toList();
        assertThat(fe).hasSize(2).allSatisfy(r -> assertThat(r.spec().adaptBatchNorm()).isTrue());
        assertThat(fe).anySatisfy(r -> assertThat(r.summary().freeze()).contains("(from the cache)"));
        assertThat(store.experiment(o.get("experiment").getAsString())).filteredOn(r -> !r.spec().adaptBatchNorm()).hasSize(4);

        String ft = o.getAsJsonArray("runs").get(1).getAsString();
        Path image = data.resolve("val/circle").toFile().listFiles()[0].toPath();
        CliRun p = run("predict", ft, image.toString(), "--top", "2", "--runs-dir", runs.toString(), "--json");
        assertThat(p.status()).as(p.err()).isZero();
        JsonObject pj = JsonParser.parseString(p.out().strip()).getAsJsonObject();
        assertThat(pj.getAsJsonArray("top")).hasSize(2);

        Path out = dir.resolve("export");
        CliRun x = run("export", ft, "--out", out.toString(), "--runs-dir", runs.toString());
        assertThat(x.status()).as(x.err()).isZero();
        assertThat(out.resolve("model.pt")).isRegularFile();
        CliRun px = run("predict", out.toString(), image.toString(), "--top", "2", "--json");
        assertThat(px.status()).as(px.err()).isZero();
        JsonObject pxj = JsonParser.parseString(px.out().strip()).getAsJsonObject();
        assertThat(pxj.getAsJsonArray("top").get(0).getAsJsonObject().get("label").getAsString())
                .isEqualTo(pj.getAsJsonArray("top").get(0).getAsJsonObject().get("label").getAsString());
    }

    @Test
    void everyNewCommandHasHelp() {
        for (String c : List.of("compare", "experiment", "evaluate", "predict", "export")) {
            CliRun r = run(c, "--help");
            assertThat(r.status()).as(c).isZero();
            assertThat(r.out()).as(c).contains("Usage: thaw " + c);
        }
        assertThat(run("runs", "delete", "--help").out()).contains("Usage: thaw runs delete");
        assertThat(run("runs", "rename", "--help").out()).contains("Usage: thaw runs rename");
    }
}
