package dev.thaw.core.runs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run's learning curves from {@value RunFolder#METRICS}: one point per epoch and one per batch,
 * each with the seconds since training began, so runs can be overlaid per epoch or per wall-clock
 * second. A last line cut short by a kill is skipped; everything before it is used.
 *
 * <p>Runs recorded before {@code elapsed_s} was written get it estimated from the epochs' durations
 * (training began at 0; batches spread evenly over their epoch).
 *
 * @param epochs one point per finished epoch, in order
 * @param batches one point per training batch, in order
 */
public record RunCurves(List<EpochPoint> epochs, List<BatchPoint> batches) {

    /** One epoch: its number (1-based), seconds since training began at its end, and its metrics (NaN when absent). */
    public record EpochPoint(int epoch, double elapsedSeconds, double trainLoss, double trainAccuracy, double valLoss,
            double valAccuracy, double learningRate) {
    }

    /** One batch: its global step (1-based), seconds since training began at its end, its loss and accuracy. */
    public record BatchPoint(int step, int epoch, double elapsedSeconds, double loss, double accuracy) {
    }

    public RunCurves {
        epochs = List.copyOf(epochs);
        batches = List.copyOf(batches);
    }

    public static RunCurves read(RunFolder folder) {
        return of(folder.readMetrics());
    }

    /** From parsed metrics lines. */
    public static RunCurves of(List<Map<String, Object>> lines) {
        List<EpochPoint> epochs = new ArrayList<>();
        // epoch number -> end time, for estimating old runs' batch times
        double elapsed = 0;
        for (Map<String, Object> l : lines) {
            if (!"epoch".equals(l.get("type"))) {
                continue;
            }
            double t = num(l, "elapsed_s");
            if (Double.isNaN(t)) {
                double s = num(l, "seconds");
                t = elapsed + (Double.isNaN(s) ? 0 : s);
            }
            elapsed = t;
            epochs.add(new EpochPoint((int) num(l, "epoch"), t, num(l, "train_loss"), num(l, "train_acc"), num(l, "val_loss"),
                    num(l, "val_acc"), num(l, "lr")));
        }
        // batches per epoch, for the estimate
        java.util.Map<Integer, Integer> perEpoch = new java.util.HashMap<>();
        for (Map<String, Object> l : lines) {
            if ("batch".equals(l.get("type"))) {
                perEpoch.merge((int) num(l, "epoch"), 1, Integer::sum);
            }
        }
        List<BatchPoint> batches = new ArrayList<>();
        int step = 0;
        for (Map<String, Object> l : lines) {
            if (!"batch".equals(l.get("type"))) {
                continue;
            }
            step++;
            int epoch = (int) num(l, "epoch");
            double s = num(l, "step");
            int st = Double.isNaN(s) ? step : (int) s;
            double t = num(l, "elapsed_s");
            if (Double.isNaN(t)) {
                t = estimate(epochs, epoch, (int) num(l, "batch"), perEpoch.getOrDefault(epoch, 1));
            }
            batches.add(new BatchPoint(st, epoch, t, num(l, "loss"), num(l, "acc")));
        }
        return new RunCurves(epochs, batches);
    }

    private static double estimate(List<EpochPoint> epochs, int epoch, int batch, int batchesInEpoch) {
        double start = 0;
        double end = Double.NaN;
        for (EpochPoint p : epochs) {
            if (p.epoch() == epoch - 1) {
                start = p.elapsedSeconds();
            }
            if (p.epoch() == epoch) {
                end = p.elapsedSeconds();
            }
        }
        if (Double.isNaN(end)) {
            return Double.NaN; // the epoch in progress when the run stopped
        }
        return start + (end - start) * Math.max(0, batch) / Math.max(1, batchesInEpoch);
    }

    private static double num(Map<String, Object> l, String key) {
        Object v = l.get(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s); // Gson writes NaN and Infinity as bare words; strings just in case
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /** The last epoch's point, if any epoch finished. */
    public java.util.Optional<EpochPoint> lastEpoch() {
        return epochs.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(epochs.get(epochs.size() - 1));
    }
}
