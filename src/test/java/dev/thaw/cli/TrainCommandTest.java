package dev.thaw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.testing.TestImages;
import dev.thaw.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train, runs, rerun and pretrain commands as other tools and users call them. */
class TrainCommandTest {

    @TempDir
    static Path dir;
    private static Path data;
    private static Path runs;

    @BeforeAll
    static void setUp() {
        data = TestImages.presplit(dir.resolve("data"), 8, 4, 32, 1);
        runs = dir.resolve("runs");
    }

    private static CliRun run(String... args) {
        return CliRun.of(AppHome.resolve(), args);
    }

    @Test
    void trainJsonPrintsOneObjectWithTheContractFields() {
        CliRun r = run("train", "--backbone", TestModels.TINY_PT.toString(), "--data", data.toString(), "--strategy", "fe",
                "--epochs", "3", "--batch", "8", "--seed", "7", "--runs-dir", runs.toString(), "--json");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.outLines()).hasSize(1);
        JsonObject j = JsonParser.parseString(r.outLines().get(0)).getAsJsonObject();
        assertThat(j.keySet()).contains("run", "strategy", "val_acc", "best_val_acc", "epochs", "wall_s", "train_images_per_s",
                "trainable_params", "total_params");
        assertThat(j.get("strategy").getAsString()).isEqualTo("fe");
        assertThat(j.get("epochs").getAsInt()).isEqualTo(3);
        assertThat(j.get("trainable_params").getAsLong()).isEqualTo(99);
        assertThat(j.get("total_params").getAsLong()).isEqualTo(19624 + 99);
        assertThat(Files.isDirectory(runs.resolve(j.get("run").getAsString()))).isTrue();
        assertThat(r.err()).contains("epoch   3/3");

        CliRun list = run("runs", "--runs-dir", runs.toString());
        assertThat(list.status()).isZero();
        assertThat(list.out()).contains(j.get("run").getAsString()).contains("completed").contains("fe");
        CliRun listJson = run("runs", "--runs-dir", runs.toString(), "--json");
        assertThat(listJson.out()).contains("\"run\":\"" + j.get("run").getAsString() + "\"");

        CliRun again = run("rerun", j.get("run").getAsString(), "--runs-dir", runs.toString(), "--json");
        assertThat(again.status()).as(again.err()).isZero();
        JsonObject k = JsonParser.parseString(again.outLines().get(again.outLines().size() - 1)).getAsJsonObject();
        assertThat(k.get("run").getAsString()).isNotEqualTo(j.get("run").getAsString());
        assertThat(k.get("val_acc").getAsDouble()).isEqualTo(j.get("val_acc").getAsDouble());
        assertThat(k.get("backbone_skipped").getAsBoolean()).isTrue();

        CliRun spec = run("train", "--spec", runs.resolve(j.get("run").getAsString()).resolve("spec.json").toString(), "--runs-dir",
                runs.toString(), "--json");
        assertThat(spec.status()).as(spec.err()).isZero();
        assertThat(JsonParser.parseString(spec.outLines().get(0)).getAsJsonObject().get("val_acc").getAsDouble())
                .isEqualTo(j.get("val_acc").getAsDouble());
    }

    @Test
    void humanOutputHasOneLinePerEpoch() {
        CliRun r = run("train", "--backbone", TestModels.TINY_ONNX.toString(), "--data", data.toString(), "--strategy", "fe",
                "--epochs", "2", "--runs-dir", runs.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("epoch"))).hasSize(2);
        assertThat(r.out()).contains("Feature extraction").contains("Run folder:");
    }

    @Test
    void mistakesAreOneCleanLine() {
        CliRun noFile = run("train", "--backbone", dir.resolve("nope.pt").toString(), "--data", data.toString(), "--strategy", "fe",
                "--runs-dir", runs.toString());
        assertThat(noFile.status()).isEqualTo(1);
        assertThat(noFile.err()).contains("error: Backbone file not found").contains("nope.pt").doesNotContain("Exception");
        CliRun badStrategy = run("train", "--backbone", "sample", "--data", data.toString(), "--strategy", "best");
        assertThat(badStrategy.status()).isEqualTo(1);
        assertThat(badStrategy.err().strip()).isEqualTo("error: Unknown strategy 'best': use fe, ft or scratch");
        CliRun noData = run("train", "--backbone", TestModels.TINY_PT.toString(), "--data", dir.resolve("missing").toString(),
                "--strategy", "ft", "--runs-dir", runs.toString());
        assertThat(noData.err()).contains("error: Dataset folder not found");
        CliRun onnxFt = run("train", "--backbone", TestModels.TINY_ONNX.toString(), "--data", data.toString(), "--strategy", "ft",
                "--runs-dir", runs.toString());
        assertThat(onnxFt.status()).isEqualTo(1);
        assertThat(onnxFt.err()).contains("frozen feature extractor").contains("--strategy fe");
        CliRun missing = run("train", "--data", data.toString());
        assertThat(missing.err()).contains("train needs --backbone, --data and --strategy");
        CliRun noRun = run("rerun", "nothing-like-this", "--runs-dir", runs.toString());
        assertThat(noRun.err()).contains("No run 'nothing-like-this'");
    }

    @Test
    void pretrainWritesABackboneOthersCanTrainOn() throws Exception {
        Path flat = TestImages.flat(dir.resolve("source"), 10, 32, 3);
        Path out = dir.resolve("mine/backbone.params");
        CliRun p = run("pretrain", "--data", flat.toString(), "--arch", "mini-resnet", "--epochs", "1", "--batch", "8",
                "--image-size", "32", "--out", out.toString(), "--runs-dir", runs.toString());
        assertThat(p.status()).as(p.err()).isZero();
        assertThat(out).isRegularFile();
        JsonObject sidecar = JsonParser.parseString(Files.readString(dir.resolve("mine/backbone.json"))).getAsJsonObject();
        assertThat(sidecar.get("arch").getAsString()).isEqualTo("mini-resnet");
        assertThat(sidecar.get("inputSize").getAsInt()).isEqualTo(32);
        assertThat(sidecar.get("featureDim").getAsInt()).isEqualTo(128);
        assertThat(sidecar.get("trainedOn").getAsString()).isEqualTo("source");
        assertThat(sidecar.has("valAccuracy")).isTrue();

        CliRun fe = run("train", "--backbone", out.toString(), "--data", data.toString(), "--strategy", "fe", "--epochs", "2",
                "--runs-dir", runs.toString(), "--json");
        assertThat(fe.status()).as(fe.err()).isZero();
        assertThat(JsonParser.parseString(fe.outLines().get(0)).getAsJsonObject().get("total_params").getAsLong())
                .isEqualTo(sidecar.get("parameters").getAsLong() + 129 * 3);
    }
}
