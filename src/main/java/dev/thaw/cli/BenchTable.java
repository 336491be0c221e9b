package dev.thaw.cli;

import dev.thaw.core.train.EngineBenchmark.Measurement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The comparison table of {@code thaw bench}: one row per job, Thaw's number next to the PyTorch
 * reference's for the same job, the ratio, issue 7's target and whether it is met. The ratio is
 * always "times faster than PyTorch": Thaw / PyTorch for rates, PyTorch / Thaw for wall seconds.
 */
final class BenchTable {

    /** How a row's numbers compare. */
    enum Kind {
        /** images/s or samples/s: more is better, ratio = Thaw / PyTorch. */
        RATE,
        /** wall seconds: less is better, ratio = PyTorch / Thaw. */
        SECONDS,
        /** an accuracy in [0, 1]: the target is "equal", within {@link #ACCURACY_TOLERANCE}. */
        ACCURACY,
        /** an accuracy after fewer epochs on the PyTorch side (an extrapolated run): shown, not judged. */
        ACCURACY_NOT_COMPARABLE,
        /** a fraction of the CPU's measured peak; the target applies to Thaw's value itself. */
        FRACTION_OF_PEAK,
        /** FLOP/s, shown in GFLOP/s, no target. */
        FLOPS
    }

    /** Accuracy counts as equal within this many points (both sides see the same few validation images). */
    static final double ACCURACY_TOLERANCE = 0.05;

    /** Below this CPU utilization a side's figure is taken as not measured (work done in other processes). */
    static final double MIN_UTILIZATION = 0.05;

    /**
     * One row.
     *
     * @param target the ratio (or, for {@link Kind#FRACTION_OF_PEAK}, the fraction) to reach, or NaN for none
     * @param aim a higher ratio worth reaching, or NaN
     */
    record Row(String job, String what, Kind kind, double thaw, double pytorch, double target, double aim, String note,
            double thawUtilization, double pytorchUtilization) {

        Row(String job, String what, Kind kind, double thaw, double pytorch, double target, double aim, String note) {
            this(job, what, kind, thaw, pytorch, target, aim, note, Double.NaN, Double.NaN);
        }

        Row withUtilization(double thawUtil, double pytorchUtil) {
            return new Row(job, what, kind, thaw, pytorch, target, aim, note, thawUtil, pytorchUtil);
        }

        /**
         * The ratio had each side had its cores to itself: rates divided by their CPU utilization
         * (CPU time / (wall x threads)), wall seconds multiplied by it. A guide on a busy machine.
         */
        double normalizedRatio() {
            if ((kind != Kind.RATE && kind != Kind.SECONDS) || !(thawUtilization > 0) || !(pytorchUtilization > 0)) {
                return Double.NaN;
            }
            return ratio() * pytorchUtilization / thawUtilization;
        }

        /** Times faster than PyTorch, NaN when a side is missing. */
        double ratio() {
            if (!Double.isFinite(thaw) || !Double.isFinite(pytorch) || thaw <= 0 || pytorch <= 0) {
                return Double.NaN;
            }
            return kind == Kind.SECONDS ? pytorch / thaw : thaw / pytorch;
        }

        /** Empty when the row has no target or a side is missing. */
        Optional<Boolean> met() {
            return switch (kind) {
                case FRACTION_OF_PEAK -> Double.isFinite(target) && Double.isFinite(thaw) ? Optional.of(thaw >= target) : Optional.empty();
                case ACCURACY -> Double.isFinite(thaw) && Double.isFinite(pytorch)
                        // Accuracies are counts over the same images: 1e-9 keeps 0.69 against 0.74 "within 5 points".
                        ? Optional.of(thaw >= pytorch - ACCURACY_TOLERANCE - 1e-9) : Optional.empty();
                case FLOPS, ACCURACY_NOT_COMPARABLE -> Optional.empty();
                default -> Double.isFinite(target) && Double.isFinite(ratio()) ? Optional.of(ratio() >= target) : Optional.empty();
            };
        }

        String targetText() {
            return switch (kind) {
                case FRACTION_OF_PEAK -> Double.isFinite(target) ? String.format(Locale.ROOT, ">= %.0f%% of peak", 100 * target) : "";
                case ACCURACY -> String.format(Locale.ROOT, "equal (within %.0f points)", 100 * ACCURACY_TOLERANCE);
                case ACCURACY_NOT_COMPARABLE -> "not judged: unequal epochs";
                default -> !Double.isFinite(target) ? ""
                        : String.format(Locale.ROOT, ">= %sx", trim(target)) + (Double.isFinite(aim) ? " (aim " + trim(aim) + "x)" : "");
            };
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private List<Measurement> thawSource = List.of();
    private List<Map<String, Object>> pySource = List.of();

    List<Row> rows() {
        return List.copyOf(rows);
    }

    void add(Row row) {
        rows.add(row);
    }

    /** Adds {@code row} with the CPU utilization of the Thaw and reference results it was made from. */
    private void add(Row row, String thawJob, String thawVariant, String pyJob, String pyVariant) {
        double tu = Double.NaN;
        for (Measurement m : thawSource) {
            if (m.job().equals(thawJob) && m.variant().equals(thawVariant) && m.details().get("cpu_utilization") instanceof Number n) {
                tu = n.doubleValue();
            }
        }
        double pu = py(pySource, pyJob, pyVariant, "cpu_utilization");
        // DataLoader worker processes' CPU time is not counted by the reference: a near-zero utilization
        // there means "not measured", not "starved".
        rows.add(row.withUtilization(tu, pu < MIN_UTILIZATION ? Double.NaN : pu));
    }

    /**
     * The table for Thaw's measurements and the reference's (either may lack a job: its cell stays
     * empty). {@code presets} are the reference's preset names ({@code head}, {@code last}, {@code full}).
     */
    static BenchTable of(List<Measurement> thaw, List<Map<String, Object>> pytorch, List<String> presets, int ftBatch,
            int feEpochs) {
        BenchTable t = new BenchTable();
        t.thawSource = thaw;
        t.pySource = pytorch;
        double pyPeak = py(pytorch, "peak", "measured_peak");
        double flopsPerImage = py(pytorch, "peak", "resnet18/forward_flops_per_image");
        double pyEmbed = py(pytorch, "embed", "compute/inference_mode");
        t.add(new Row("peak", "fp32 FLOP/s, best GEMM or 3x3 conv (GFLOP/s)", Kind.FLOPS, thaw(thaw, "peak", "measured_peak") / 1e9,
                pyPeak / 1e9, Double.NaN, Double.NaN, "Thaw: 3x3 convs in libtorch (AVX2) and ONNX Runtime; PyTorch: its GEMMs and convs (torch 1.13)"));
        double thawLt = thaw(thaw, "embed", "compute/libtorch");
        double thawOrt = thaw(thaw, "embed", "compute/onnxruntime");
        t.add(new Row("embed (a)", "frozen forward, libtorch, compute only (images/s)", Kind.RATE, thawLt, pyEmbed, Double.NaN,
                Double.NaN, "batch 32, pre-decoded"), "embed", "compute/libtorch", "embed", "compute/inference_mode");
        t.add(new Row("embed (a)", "frozen forward, ONNX Runtime, compute only (images/s)", Kind.RATE, thawOrt, pyEmbed, Double.NaN,
                Double.NaN, "PyTorch column: its libtorch forward"), "embed", "compute/onnxruntime", "embed", "compute/inference_mode");
        t.add(new Row("embed (a)", "embedding pass end to end, decode included (images/s)", Kind.RATE,
                thaw(thaw, "embed", "e2e/embedder"), py(pytorch, "embed", "e2e/inference_mode"), Double.NaN, Double.NaN,
                "Thaw: Embedder (hash, decode, forward, cache write); PyTorch: DataLoader + forward"), "embed", "e2e/embedder", "embed",
                "e2e/inference_mode");
        double best = Math.max(finite(thawLt), finite(thawOrt));
        // The peak is the best FLOP/s anyone measured here: the reference's GEMMs and convolutions, and
        // Thaw's convolutions in libtorch and ONNX Runtime.
        double peak = Math.max(finite(pyPeak), finite(thaw(thaw, "peak", "measured_peak")));
        double fraction = best > 0 && peak > 0 && flopsPerImage > 0 ? best * flopsPerImage / peak : Double.NaN;
        double pyFraction = py(pytorch, "peak", "achieved/embed-compute", "fraction_of_peak");
        t.add(new Row("embed (a)", "embedding pass as a share of the measured peak", Kind.FRACTION_OF_PEAK, fraction, pyFraction, 0.60,
                Double.NaN, "faster of Thaw's two engines x forward FLOPs / the best FLOP/s of either peak row; PyTorch: its "
                        + "compute-only forward / its own peak"));
        t.add(new Row("head (b)", "linear head on cached embeddings (samples/s)", Kind.RATE, thaw(thaw, "head", "training-loop"),
                py(pytorch, "head", "dataloader"), Double.NaN, Double.NaN,
                "Thaw: its TrainingLoop incl. a val pass per epoch; PyTorch: TensorDataset + DataLoader loop"), "head", "training-loop", "head",
                "dataloader");
        for (String preset : presets) {
            for (String mode : List.of("compute", "e2e")) {
                String v = preset + "/" + mode + "/bs" + ftBatch;
                t.add(new Row("finetune (c)", "step, preset " + preset + ", " + (mode.equals("e2e") ? "fed by the pipeline" : "pre-decoded")
                        + ", batch " + ftBatch + " (images/s)", Kind.RATE, thaw(thaw, "finetune", v), py(pytorch, "finetune", v), 1.0, 1.3,
                        ""), "finetune", v, "finetune", v);
            }
        }
        t.add(new Row("pipeline (d)", "decode + augment, 1 thread, no cache (images/s)", Kind.RATE,
                thaw(thaw, "pipeline", "threads1/no-cache"), py(pytorch, "pipeline", "workers0"), Double.NaN, Double.NaN,
                "PyTorch: DataLoader, 0 workers (the main process decodes)"), "pipeline", "threads1/no-cache", "pipeline", "workers0");
        t.add(new Row("pipeline (d)", "decode + augment, 2 threads, no cache (images/s)", Kind.RATE,
                thaw(thaw, "pipeline", "threads2/no-cache"), py(pytorch, "pipeline", "workers2"), Double.NaN, Double.NaN,
                "PyTorch: DataLoader, 2 worker processes"), "pipeline", "threads2/no-cache", "pipeline", "workers2");
        t.add(new Row("pipeline (d)", "augment from Thaw's decoded-image cache, later epochs (images/s)", Kind.RATE,
                thaw(thaw, "pipeline", "threads1/cache"), py(pytorch, "pipeline", "workers0"), Double.NaN, Double.NaN,
                "PyTorch decodes every epoch"));
        // The reference writes "head/measured" for the epochs it ran and, when it ran fewer, "head/N-epochs" extrapolated to N.
        Optional<Map<String, Object>> projected = pyRecord(pytorch, "fe-run", "head/" + feEpochs + "-epochs");
        Map<String, Object> fe = projected.orElse(pyRecord(pytorch, "fe-run", "head/measured").orElse(null));
        t.add(new Row("fe-run (e)", "whole feature-extraction run, " + feEpochs + " epochs (wall s)", Kind.SECONDS,
                thaw(thaw, "fe-run", "wall"),
                num(fe, "value"), 5.0, Double.NaN, fe != null && Boolean.TRUE.equals(fe.get("extrapolated"))
                        ? "PyTorch re-runs the frozen backbone every epoch; extrapolated from " + intText(fe.get("epochs")) + " epoch(s)"
                        : "PyTorch re-runs the frozen backbone every epoch"), "fe-run", "wall", "fe-run",
                fe == null ? "" : String.valueOf(fe.get("variant")));
        Map<String, Object> feMeasured = pyRecord(pytorch, "fe-run", "head/measured").orElse(null);
        // When the reference ran only a few of the epochs (its wall time extrapolated), its accuracy is
        // that of a shorter training: no verdict on "equal accuracy" then (--reference-fe-epochs equal to --fe-epochs gives one).
        boolean shortened = projected.isPresent() || fe != null && Boolean.TRUE.equals(fe.get("extrapolated"))
                || feMeasured != null && feMeasured.get("epochs") instanceof Number n && n.intValue() < feEpochs;
        t.add(new Row("fe-run (e)", "its final validation accuracy", shortened ? Kind.ACCURACY_NOT_COMPARABLE : Kind.ACCURACY,
                thaw(thaw, "fe-run", "val_accuracy"), num(feMeasured, "val_accuracy"), Double.NaN, Double.NaN,
                feMeasured == null ? "" : "PyTorch after " + intText(feMeasured.get("epochs")) + " epoch(s)"
                        + (shortened ? "; --reference-fe-epochs " + feEpochs + " measures all of them" : "")));
        if (Double.isFinite(thaw(thaw, "fe-run-adapted", "wall"))) {
            t.add(new Row("fe-run (e)", "the same run with --adapt-bn: BatchNorm statistics re-estimated on the training images "
                    + "first (wall s)", Kind.SECONDS, thaw(thaw, "fe-run-adapted", "wall"), num(fe, "value"), 5.0, Double.NaN,
                    "Thaw: AdaBN, then embeddings by libtorch (the ONNX form keeps the old statistics)"), "fe-run-adapted", "wall",
                    "fe-run", fe == null ? "" : String.valueOf(fe.get("variant")));
            t.add(new Row("fe-run (e)", "its final validation accuracy", shortened ? Kind.ACCURACY_NOT_COMPARABLE : Kind.ACCURACY,
                    thaw(thaw, "fe-run-adapted", "val_accuracy"), num(feMeasured, "val_accuracy"), Double.NaN, Double.NaN,
                    "PyTorch: the run above (its BatchNorm statistics drift to augmented training images)"));
        }
        Map<String, Object> ft = pyRecord(pytorch, "ft-run", "last/measured").orElse(null);
        t.add(new Row("ft-run (e)", "whole fine-tuning run, preset last (wall s)", Kind.SECONDS, thaw(thaw, "ft-run", "wall"),
                num(ft, "value"), Double.NaN, Double.NaN, ft == null ? "" : intText(ft.get("epochs")) + " epoch(s) each"), "ft-run", "wall",
                "ft-run", "last/measured");
        t.add(new Row("ft-run (e)", "its final validation accuracy", Kind.ACCURACY, thaw(thaw, "ft-run", "val_accuracy"),
                num(ft, "val_accuracy"), Double.NaN, Double.NaN, "Thaw: Adam; PyTorch: SGD momentum 0.9 (each side's default)"));
        return t;
    }

    /** The table in Markdown. */
    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| job | what | Thaw | PyTorch | ratio (x faster) | target | met? | ratio, CPU-normalized | note |\n");
        sb.append("|---|---|---:|---:|---:|---|---|---:|---|\n");
        for (Row r : rows) {
            String met = r.met().map(b -> b ? "yes" : "**no**").orElse("");
            sb.append("| ").append(r.job()).append(" | ").append(r.what()).append(" | ").append(value(r, r.thaw())).append(" | ")
                    .append(value(r, r.pytorch())).append(" | ")
                    .append(Double.isFinite(r.ratio()) ? String.format(Locale.ROOT, "%.2f", r.ratio()) : "").append(" | ")
                    .append(r.targetText()).append(" | ").append(met).append(" | ")
                    .append(Double.isFinite(r.normalizedRatio()) ? String.format(Locale.ROOT, "%.2f", r.normalizedRatio()) : "")
                    .append(" | ").append(r.note()).append(" |\n");
        }
        return sb.toString();
    }

    static String value(Row r, double v) {
        if (!Double.isFinite(v)) {
            return "—";
        }
        return switch (r.kind()) {
            case ACCURACY, ACCURACY_NOT_COMPARABLE -> String.format(Locale.ROOT, "%.3f", v);
            case FRACTION_OF_PEAK -> String.format(Locale.ROOT, "%.0f%%", 100 * v);
            case SECONDS -> String.format(Locale.ROOT, "%.1f", v);
            default -> v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
        };
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.format(Locale.ROOT, "%.1f", d) : String.valueOf(d);
    }

    private static String intText(Object o) {
        return o instanceof Number n ? String.valueOf(n.intValue()) : String.valueOf(o);
    }

    private static double finite(double d) {
        return Double.isFinite(d) ? d : 0;
    }

    static double thaw(List<Measurement> ms, String job, String variant) {
        for (Measurement m : ms) {
            if (m.job().equals(job) && m.variant().equals(variant)) {
                return m.value();
            }
        }
        return Double.NaN;
    }

    static Optional<Map<String, Object>> pyRecord(List<Map<String, Object>> records, String job, String variant) {
        for (Map<String, Object> r : records) {
            if (job.equals(r.get("job")) && variant.equals(r.get("variant"))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    static double py(List<Map<String, Object>> records, String job, String variant) {
        return py(records, job, variant, "value");
    }

    static double py(List<Map<String, Object>> records, String job, String variant, String field) {
        return num(pyRecord(records, job, variant).orElse(null), field);
    }

    private static double num(Map<String, Object> record, String field) {
        if (record == null) {
            return Double.NaN;
        }
        return record.get(field) instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
