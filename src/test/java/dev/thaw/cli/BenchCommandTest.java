package dev.thaw.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.train.EngineBenchmark.Measurement;
import dev.thaw.testing.TestImages;
import dev.thaw.testing.TestModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code thaw bench}'s plumbing and table maths on tiny inputs. No assertion here is about speed:
 * speed is what the bench reports, on a real backbone, on a quiet machine.
 */
class BenchCommandTest {

    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine cl = ThawCli.commandLine(AppHome.resolve());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void quickBenchWithoutPythonMeasuresEveryThawJobAndLeavesThePyTorchColumnEmpty() throws IOException {
        Path data = TestImages.presplit(dir.resolve("data"), 6, 3, 40, 1);
        // The backbone with its sidecar and ONNX sibling, so both embedding engines are measured.
        Path models = Files.createDirectories(dir.resolve("models"));
        for (String f : List.of("tiny-resnet.pt", "tiny-resnet.json", "tiny-resnet.onnx")) {
            Files.copy(TestModels.DIR.resolve(f), models.resolve(f));
        }
        Path md = dir.resolve("bench.md");
        Path json = dir.resolve("bench.json");
        Result r = run("bench", "--quick", "--python", "none", "--backbone", models.resolve("tiny-resnet.pt").toString(), "--images",
                data.toString(), "--work", dir.resolve("work").toString(), "--fe-epochs", "3", "--out", md.toString(), "--json",
                json.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("PyTorch reference skipped: --python none");

        JsonObject j = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        Set<String> measured = new HashSet<>();
        for (JsonElement e : j.getAsJsonArray("thaw")) {
            JsonObject m = e.getAsJsonObject();
            measured.add(m.get("job").getAsString() + " " + m.get("variant").getAsString());
            if (!m.get("metric").getAsString().equals("accuracy")) {
                assertThat(m.get("value").getAsDouble()).as(m.toString()).isPositive();
            }
        }
        assertThat(measured).contains("peak measured_peak", "embed compute/libtorch", "embed compute/onnxruntime", "embed e2e/embedder",
                "head training-loop", "finetune head/compute/bs16", "finetune head/e2e/bs16", "finetune last/compute/bs16",
                "finetune last/e2e/bs16", "finetune full/compute/bs16", "finetune full/e2e/bs16", "pipeline threads1/no-cache",
                "pipeline threads2/no-cache", "pipeline threads1/cache", "fe-run wall", "fe-run val_accuracy", "fe-run-adapted wall",
                "fe-run-adapted val_accuracy", "ft-run wall", "ft-run val_accuracy");
        assertThat(j.getAsJsonArray("pytorch")).isEmpty();

        // Every job has its row, Thaw's cell filled, PyTorch's empty and so no ratio.
        JsonArray table = j.getAsJsonArray("table");
        List<String> jobs = new ArrayList<>();
        for (JsonElement e : table) {
            JsonObject row = e.getAsJsonObject();
            jobs.add(row.get("job").getAsString());
            assertThat(row.has("pytorch") && !row.get("pytorch").isJsonNull()).as(row.toString()).isFalse();
            assertThat(row.has("ratio") && !row.get("ratio").isJsonNull()).as(row.toString()).isFalse();
            if (!row.get("what").getAsString().contains("share of the measured peak")) {
                assertThat(row.has("thaw") && !row.get("thaw").isJsonNull()).as(row.toString()).isTrue();
            }
        }
        assertThat(jobs).contains("peak", "embed (a)", "head (b)", "finetune (c)", "pipeline (d)", "fe-run (e)", "ft-run (e)");
        assertThat(Files.readString(md)).contains("| job | what | Thaw | PyTorch | ratio (x faster) | target | met? |")
                .contains("| fe-run (e) | whole feature-extraction run").hasLineCount(2 + table.size() + 2);
        // The runs went through the real run folders.
        assertThat(Files.list(dir.resolve("work").resolve("runs")).count()).isEqualTo(3);
    }

    @Test
    void badSettingsAndMissingFilesAreNamedWithoutRunningAnything() {
        Result r = run("bench", "--python", "none", "--batch", "1", "--work", dir.resolve("work").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("--batch must be at least 2");
        Path missing = dir.resolve("no-such.pt");
        r = run("bench", "--python", "none", "--backbone", missing.toString(), "--images", dir.toString(), "--work",
                dir.resolve("work").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("Backbone file not found: " + missing);
        // Without python the generated backbone cannot be made: the message says what to do instead.
        r = run("bench", "--python", "none", "--work", dir.resolve("empty-work").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("pass --backbone FILE.pt").contains("--python none");
    }

    @Test
    void ratiosAndTargetsComeFromTheMeasuredNumbers() {
        List<Measurement> thaw = List.of(m("peak", "measured_peak", 100e9), m("embed", "compute/libtorch", 20),
                m("embed", "compute/onnxruntime", 24), m("embed", "e2e/embedder", 18), m("head", "training-loop", 50_000),
                new Measurement("finetune", "last/compute/bs16", "x", 6, "", Map.of("cpu_utilization", 0.9)), m("finetune", "last/e2e/bs16", 5), m("pipeline", "threads1/no-cache", 90),
                m("fe-run", "wall", 30), m("fe-run", "val_accuracy", 0.80), m("fe-run-adapted", "wall", 90),
                m("fe-run-adapted", "val_accuracy", 0.86), m("ft-run", "wall", 200), m("ft-run", "val_accuracy", 0.5));
        List<Map<String, Object>> py = List.of(py("peak", "measured_peak", 150e9), py("peak", "resnet18/forward_flops_per_image", 3.6e9),
                py("embed", "compute/inference_mode", 16), py("embed", "e2e/inference_mode", 12), py("head", "dataloader", 20_000),
                py("finetune", "last/compute/bs16", 4, "cpu_utilization", 0.45), py("finetune", "last/e2e/bs16", 5.5), py("pipeline", "workers0", 60),
                py("fe-run", "head/50-epochs", 900), py("fe-run", "head/measured", 60, "val_accuracy", 0.78, "epochs", 3),
                py("ft-run", "last/measured", 180, "val_accuracy", 0.6, "epochs", 2));
        BenchTable t = BenchTable.of(thaw, py, List.of("last"), 16, 50);

        BenchTable.Row lt = row(t, "frozen forward, libtorch");
        assertThat(lt.ratio()).isCloseTo(20.0 / 16, within(1e-9));
        BenchTable.Row share = row(t, "share of the measured peak");
        // the faster engine (24 img/s) x 3.6 GFLOP / 150 GFLOP/s = 58 %
        assertThat(share.thaw()).isCloseTo(24 * 3.6e9 / 150e9, within(1e-9));
        assertThat(share.met()).contains(false);
        // The peak is the best anyone measured: when Thaw's own convolutions beat the reference's, they are the peak.
        List<Measurement> faster = new ArrayList<>(thaw);
        faster.set(0, m("peak", "measured_peak", 200e9));
        assertThat(row(BenchTable.of(faster, py, List.of("last"), 16, 50), "share of the measured peak").thaw())
                .isCloseTo(24 * 3.6e9 / 200e9, within(1e-9));
        BenchTable.Row fe = row(t, "whole feature-extraction run");
        assertThat(fe.ratio()).isCloseTo(900.0 / 30, within(1e-9));
        assertThat(fe.met()).contains(true);
        assertThat(row(t, "preset last, pre-decoded").ratio()).isCloseTo(1.5, within(1e-9));
        assertThat(row(t, "preset last, pre-decoded").met()).contains(true);
        // PyTorch had half the CPU Thaw had: normalized, it would have run at 4 / 0.45 against Thaw's 6 / 0.9.
        assertThat(row(t, "preset last, pre-decoded").normalizedRatio()).isCloseTo((6 / 0.9) / (4 / 0.45), within(1e-9));
        assertThat(row(t, "preset last, fed by the pipeline").normalizedRatio()).isNaN();
        assertThat(row(t, "preset last, fed by the pipeline").met()).contains(false);
        assertThat(row(t, "whole fine-tuning run").ratio()).isCloseTo(180.0 / 200, within(1e-9));
        // The reference ran 3 of the 50 epochs (extrapolated): its accuracy is shown, not judged against Thaw's.
        BenchTable.Row feAcc = t.rows().stream().filter(r -> r.job().equals("fe-run (e)") && r.what().contains("accuracy"))
                .findFirst().orElseThrow();
        assertThat(feAcc.kind()).isEqualTo(BenchTable.Kind.ACCURACY_NOT_COMPARABLE);
        assertThat(feAcc.pytorch()).isEqualTo(0.78);
        assertThat(feAcc.met()).isEmpty();
        assertThat(t.markdown()).contains("| 0.800 | 0.780 |").contains("not judged: unequal epochs");
        // Measured in full (--reference-fe-epochs 50), the accuracies are compared: 0.80 against 0.78 is equal, against 0.90 not.
        for (double ref : new double[] {0.78, 0.90}) {
            List<Map<String, Object>> full = new ArrayList<>(py);
            full.removeIf(r -> "fe-run".equals(r.get("job")));
            full.add(py("fe-run", "head/measured", 1800, "val_accuracy", ref, "epochs", 50));
            BenchTable.Row judged = BenchTable.of(thaw, full, List.of("last"), 16, 50).rows().stream()
                    .filter(r -> r.job().equals("fe-run (e)") && r.what().contains("accuracy")).findFirst().orElseThrow();
            assertThat(judged.kind()).isEqualTo(BenchTable.Kind.ACCURACY);
            assertThat(judged.met()).as("Thaw 0.80 against %s", ref).contains(ref < 0.85);
            // The run with re-estimated BatchNorm statistics has its own rows against the same reference run.
            BenchTable.Row adaptedAcc = BenchTable.of(thaw, full, List.of("last"), 16, 50).rows().stream()
                    .filter(r -> r.job().equals("fe-run (e)") && r.what().contains("accuracy")).skip(1).findFirst().orElseThrow();
            assertThat(adaptedAcc.thaw()).isEqualTo(0.86);
            assertThat(adaptedAcc.met()).as("Thaw 0.86 against %s", ref).contains(true);
        }
        BenchTable.Row adapted = row(t, "with --adapt-bn");
        assertThat(adapted.ratio()).isCloseTo(900.0 / 90, within(1e-9));
        assertThat(adapted.met()).contains(true);
        BenchTable.Row ftAcc = t.rows().stream().filter(r -> r.job().equals("ft-run (e)") && r.kind() == BenchTable.Kind.ACCURACY)
                .findFirst().orElseThrow();
        assertThat(ftAcc.met()).contains(false);
        // --fe-epochs 20: the reference's projection to 20 epochs is the one compared, and 3 of 20 is not judged.
        List<Map<String, Object>> twenty = new ArrayList<>(py);
        twenty.removeIf(r -> "fe-run".equals(r.get("job")));
        twenty.add(py("fe-run", "head/20-epochs", 400, "extrapolated", true));
        twenty.add(py("fe-run", "head/measured", 60, "val_accuracy", 0.78, "epochs", 3));
        BenchTable t20 = BenchTable.of(thaw, twenty, List.of("last"), 16, 20);
        assertThat(row(t20, "whole feature-extraction run, 20 epochs").ratio()).isCloseTo(400.0 / 30, within(1e-9));
        assertThat(t20.rows().stream().filter(r -> r.job().equals("fe-run (e)") && r.what().contains("accuracy")).findFirst()
                .orElseThrow().met()).isEmpty();
        // A job only one side measured has no ratio and no verdict.
        assertThat(row(t, "2 threads, no cache").ratio()).isNaN();
        assertThat(row(t, "2 threads, no cache").met()).isEmpty();
        assertThat(t.markdown()).as(t.markdown()).contains("| 1.50 | >= 1.0x (aim 1.3x) | yes |").contains("| 30.00 | >= 5.0x | yes |");
    }

    private static BenchTable.Row row(BenchTable t, String what) {
        return t.rows().stream().filter(r -> r.what().contains(what)).findFirst().orElseThrow(() -> new AssertionError(what));
    }

    private static Measurement m(String job, String variant, double value) {
        return new Measurement(job, variant, "x", value, "", Map.of());
    }

    private static Map<String, Object> py(String job, String variant, double value, Object... more) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("job", job);
        r.put("variant", variant);
        r.put("value", value);
        for (int i = 0; i + 1 < more.length; i += 2) {
            r.put((String) more[i], more[i + 1]);
        }
        return r;
    }
}
