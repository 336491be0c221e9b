package dev.thaw.ui.training;

import dev.thaw.core.model.TrainingEvent;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * What the training panel shows about the run being watched: live loss and accuracy curves (per
 * batch, smoothed, and per epoch), progress with speed and ETA, and a log. It is fed groups of
 * {@link TrainingEvent}s by the event relay; events of other runs are ignored.
 */
public final class RunMonitorViewModel {

    /** Where a run is in its life. */
    public enum Phase { IDLE, RUNNING, COMPLETED, CANCELLED, FAILED }

    static final int BATCH_POINTS = 400;
    static final int LOG_LINES = 2_000;
    /** Smoothing of per-batch curves: each point is 10 % new batch, 90 % history. */
    static final double EMA = 0.1;

    private final BoundedSeries trainLossBatches = new BoundedSeries("train loss (batches, smoothed)", BATCH_POINTS);
    private final BoundedSeries trainAccBatches = new BoundedSeries("train accuracy (batches, smoothed)", BATCH_POINTS);
    private final BoundedSeries trainLoss = new BoundedSeries("train loss", 1_000);
    private final BoundedSeries valLoss = new BoundedSeries("val loss", 1_000);
    private final BoundedSeries trainAcc = new BoundedSeries("train accuracy", 1_000);
    private final BoundedSeries valAcc = new BoundedSeries("val accuracy", 1_000);

    private final ReadOnlyObjectWrapper<String> runId = new ReadOnlyObjectWrapper<>(this, "runId");
    private final ReadOnlyObjectWrapper<Phase> phase = new ReadOnlyObjectWrapper<>(this, "phase", Phase.IDLE);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ReadOnlyStringWrapper progressText = new ReadOnlyStringWrapper(this, "progressText", "");
    private final ReadOnlyStringWrapper headline = new ReadOnlyStringWrapper(this, "headline", "No run yet");
    private final ObservableList<String> log = FXCollections.observableArrayList();

    private double emaLoss = Double.NaN;
    private double emaAcc = Double.NaN;
    private int epochs = 1;
    private double bestVal = Double.NaN;

    /** Starts watching {@code id}: clears the curves and the progress. */
    public void watch(String id) {
        runId.set(id);
        phase.set(Phase.RUNNING);
        for (BoundedSeries s : allSeries()) {
            s.clear();
        }
        emaLoss = Double.NaN;
        emaAcc = Double.NaN;
        bestVal = Double.NaN;
        progress.set(-1);
        progressText.set("Starting…");
        headline.set("Run " + id);
    }

    public List<BoundedSeries> allSeries() {
        return List.of(trainLossBatches, trainLoss, valLoss, trainAccBatches, trainAcc, valAcc);
    }

    /** Applies a group of events in order. */
    public void accept(List<TrainingEvent> events) {
        List<BoundedSeries.Point> lossPts = new ArrayList<>();
        List<BoundedSeries.Point> accPts = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (TrainingEvent e : events) {
            if (runId.get() == null || !runId.get().equals(e.runId())) {
                continue;
            }
            if (e instanceof TrainingEvent.Started s) {
                epochs = Math.max(1, s.epochs());
                lines.add(String.format(Locale.ROOT, "Started %s: %d train / %d val images, %d epochs, %s of %s parameters trainable, on %s",
                        s.strategy().label(), s.trainImages(), s.valImages(), s.epochs(), count(s.trainableParams()),
                        count(s.totalParams()), s.device()));
            } else if (e instanceof TrainingEvent.Progress p) {
                progress.set(p.fraction());
                progressText.set(p.phase());
                if (p.fraction() <= 0 || p.fraction() >= 1) {
                    lines.add(p.phase());
                }
            } else if (e instanceof TrainingEvent.BatchEnded b) {
                double x = b.epoch() - 1 + (double) b.batch() / b.batchesPerEpoch();
                emaLoss = Double.isNaN(emaLoss) ? b.loss() : EMA * b.loss() + (1 - EMA) * emaLoss;
                emaAcc = Double.isNaN(emaAcc) ? b.accuracy() : EMA * b.accuracy() + (1 - EMA) * emaAcc;
                lossPts.add(new BoundedSeries.Point(x, emaLoss));
                accPts.add(new BoundedSeries.Point(x, emaAcc));
                progress.set(((b.epoch() - 1) * (double) b.batchesPerEpoch() + b.batch()) / (epochs * (double) b.batchesPerEpoch()));
                progressText.set(String.format(Locale.ROOT, "Epoch %d/%d · batch %d/%d · %.0f img/s%s", b.epoch(), epochs, b.batch(),
                        b.batchesPerEpoch(), b.imagesPerSecond(), b.etaSeconds() >= 0 ? " · ETA " + duration(b.etaSeconds()) : ""));
            } else if (e instanceof TrainingEvent.EpochEnded ep) {
                trainLoss.add(ep.epoch(), ep.trainLoss());
                valLoss.add(ep.epoch(), ep.valLoss());
                trainAcc.add(ep.epoch(), ep.trainAccuracy());
                valAcc.add(ep.epoch(), ep.valAccuracy());
                if (Double.isNaN(bestVal) || ep.valAccuracy() > bestVal) {
                    bestVal = ep.valAccuracy();
                }
                lines.add(String.format(Locale.ROOT, "Epoch %d/%d  train loss %.4f acc %.1f%%  val loss %.4f acc %.1f%%  %.1fs%s",
                        ep.epoch(), ep.epochs(), ep.trainLoss(), 100 * ep.trainAccuracy(), ep.valLoss(), 100 * ep.valAccuracy(),
                        ep.seconds(), ep.best() ? "  ★ best" : ""));
                headline.set(String.format(Locale.ROOT, "Run %s · epoch %d/%d · val acc %.1f%% (best %.1f%%)", runId.get(), ep.epoch(),
                        ep.epochs(), 100 * ep.valAccuracy(), 100 * bestVal));
            } else if (e instanceof TrainingEvent.Completed c) {
                phase.set(Phase.COMPLETED);
                progress.set(1);
                progressText.set(String.format(Locale.ROOT, "Done in %s", duration(c.wallSeconds())));
                String early = c.stoppedEarly() ? " (stopped early: validation stopped improving)" : "";
                String skipped = c.skippedImages() > 0 ? "; " + c.skippedImages() + " unreadable images skipped" : "";
                lines.add(String.format(Locale.ROOT, "Completed %d epochs in %s%s: final val acc %.1f%%, best %.1f%% (epoch %d)%s",
                        c.epochsRun(), duration(c.wallSeconds()), early, 100 * c.finalValAccuracy(), 100 * c.bestValAccuracy(),
                        c.bestEpoch(), skipped));
                headline.set(String.format(Locale.ROOT, "Run %s · done · val acc %.1f%% (best %.1f%%)", runId.get(),
                        100 * c.finalValAccuracy(), 100 * c.bestValAccuracy()));
            } else if (e instanceof TrainingEvent.Cancelled c) {
                phase.set(Phase.CANCELLED);
                progressText.set("Cancelled after " + c.epochsCompleted() + " epoch" + (c.epochsCompleted() == 1 ? "" : "s"));
                lines.add("Cancelled. " + c.epochsCompleted() + " completed epochs are saved in the run folder.");
                headline.set("Run " + runId.get() + " · cancelled");
            } else if (e instanceof TrainingEvent.Failed f) {
                phase.set(Phase.FAILED);
                progressText.set("Failed");
                lines.add("Failed: " + f.message());
                headline.set("Run " + runId.get() + " · failed: " + f.message());
            }
        }
        trainLossBatches.addAll(lossPts);
        trainAccBatches.addAll(accPts);
        appendLog(lines);
    }

    /** Adds lines to the log (timestamped), keeping the newest {@value #LOG_LINES}. */
    public void appendLog(List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        String now = LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss"));
        List<String> stamped = lines.stream().map(l -> now + "  " + l).toList();
        log.addAll(stamped);
        if (log.size() > LOG_LINES) {
            log.remove(0, log.size() - LOG_LINES);
        }
    }

    static String count(long n) {
        return dev.thaw.ui.common.Format.count(n);
    }

    static String duration(double seconds) {
        return dev.thaw.ui.common.Format.duration(seconds);
    }

    public BoundedSeries trainLossBatches() {
        return trainLossBatches;
    }

    public BoundedSeries trainAccBatches() {
        return trainAccBatches;
    }

    public BoundedSeries trainLoss() {
        return trainLoss;
    }

    public BoundedSeries valLoss() {
        return valLoss;
    }

    public BoundedSeries trainAcc() {
        return trainAcc;
    }

    public BoundedSeries valAcc() {
        return valAcc;
    }

    public ReadOnlyObjectProperty<String> runIdProperty() {
        return runId.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Phase> phaseProperty() {
        return phase.getReadOnlyProperty();
    }

    /** 0..1, or negative while the length of a phase is unknown. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty progressTextProperty() {
        return progressText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty headlineProperty() {
        return headline.getReadOnlyProperty();
    }

    public ObservableList<String> log() {
        return log;
    }
}
