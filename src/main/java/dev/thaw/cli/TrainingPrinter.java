package dev.thaw.cli;

import dev.thaw.core.model.TrainingEvent;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Consumer;

/** Prints training events readably: phases as they start, one line per epoch, and how it ended. */
final class TrainingPrinter implements Consumer<TrainingEvent> {

    private final PrintWriter out;
    private String lastPhase = "";
    private long lastPhaseNanos;

    TrainingPrinter(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void accept(TrainingEvent e) {
        if (e instanceof TrainingEvent.Progress p) {
            // A phase without a known length prints when it starts; a measured one when it starts,
            // when it ends, and at most every 2 s in between.
            String head = p.phase().split(":")[0];
            long now = System.nanoTime();
            boolean indeterminate = p.fraction() < 0;
            if (indeterminate || !head.equals(lastPhase) || p.fraction() >= 1 || now - lastPhaseNanos > 2_000_000_000L) {
                out.println(p.phase());
                out.flush();
                lastPhaseNanos = now;
            }
            lastPhase = head;
        } else if (e instanceof TrainingEvent.Started s) {
            out.printf(Locale.ROOT, "Training: %s, %d train / %d val images, %d epochs of %d batches, %,d of %,d parameters trainable, on %s%n",
                    s.strategy().label(), s.trainImages(), s.valImages(), s.epochs(), s.batchesPerEpoch(), s.trainableParams(),
                    s.totalParams(), s.device());
            out.flush();
        } else if (e instanceof TrainingEvent.EpochEnded ep) {
            out.printf(Locale.ROOT, "epoch %3d/%d  train loss %.4f acc %5.1f%%  val loss %.4f acc %5.1f%%  %5.1f s  %6.0f img/s%s%n",
                    ep.epoch(), ep.epochs(), ep.trainLoss(), 100 * ep.trainAccuracy(), ep.valLoss(), 100 * ep.valAccuracy(),
                    ep.seconds(), ep.imagesPerSecond(), ep.best() ? "  *best" : "");
            out.flush();
        } else if (e instanceof TrainingEvent.Completed c) {
            out.printf(Locale.ROOT, "Done in %.1f s: val acc %.1f%% (best %.1f%% at epoch %d)%s%s%n", c.wallSeconds(),
                    100 * c.finalValAccuracy(), 100 * c.bestValAccuracy(), c.bestEpoch(),
                    c.stoppedEarly() ? ", stopped early" : "", c.skippedImages() > 0 ? ", " + c.skippedImages() + " unreadable images skipped" : "");
            out.flush();
        } else if (e instanceof TrainingEvent.Cancelled c) {
            out.println("Cancelled after " + c.epochsCompleted() + " epochs");
            out.flush();
        }
    }
}
