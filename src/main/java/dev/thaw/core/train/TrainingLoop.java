package dev.thaw.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.thaw.core.backbone.ChannelsLast;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import dev.thaw.core.backbone.NamedParameter;
import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.LayerTree;
import dev.thaw.core.model.TrainingEvent;
import dev.thaw.core.runs.RunFolder;
import dev.thaw.core.runtime.EngineRuntime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Thaw's own training loop (not EasyTrain, which cannot be cancelled): batches with a sub-manager
 * each, so no native memory outlives its batch; two Adam optimizers, one for the head and one at a
 * lower rate for the backbone; validation after each epoch; early stopping; and a check for
 * cancellation before every batch.
 */
final class TrainingLoop {

    /**
     * What the loop needs besides the model and the data.
     *
     * @param epochs epochs at most
     * @param patience early-stopping patience in epochs, 0 for none
     * @param headLearningRate learning rate of the head
     * @param backboneLearningRate learning rate of backbone parameters that train
     * @param weightDecay L2 weight decay
     * @param warmupEpochs epochs with the whole backbone frozen before {@code plan} applies
     * @param plan the freeze plan after warm-up (ignored without a backbone)
     * @param classWeights per-class loss weights, or {@code null} for none
     */
    record Settings(int epochs, int patience, double headLearningRate, double backboneLearningRate, double weightDecay,
            int warmupEpochs, FreezePlan plan, float[] classWeights) {
    }

    /** What one epoch's validation gave. */
    record Validation(double loss, double accuracy, int[] predicted, List<dev.thaw.core.data.LabeledImage> files, int[] labels,
            float[][] probabilities) {
    }

    /** How the loop ended. */
    record Outcome(int epochsRun, double finalValAccuracy, double finalValLoss, double finalTrainAccuracy,
            double finalTrainLoss, double bestValAccuracy, int bestEpoch, boolean stoppedEarly, double trainImagesPerSecond,
            Validation bestValidation) {
    }

    /** Called after each epoch with its number, its validation and whether it is the best so far. */
    interface EpochSink {
        void epochDone(int epoch, Validation validation, boolean best);
    }

    private final String runId;
    private final Classifier model;
    private final BatchSource data;
    private final Settings settings;
    private final Consumer<TrainingEvent> events;
    private final RunFolder.MetricsLog metrics;
    private final BooleanSupplier cancelled;
    private final EpochSink epochSink;

    TrainingLoop(String runId, Classifier model, BatchSource data, Settings settings, Consumer<TrainingEvent> events,
            RunFolder.MetricsLog metrics, BooleanSupplier cancelled, EpochSink epochSink) {
        this.runId = runId;
        this.model = model;
        this.data = data;
        this.settings = settings;
        this.events = events;
        this.metrics = metrics;
        this.cancelled = cancelled;
        this.epochSink = epochSink;
    }

    Outcome run() {
        if (model.backbone() != null) {
            return train();
        }
        // A head on cached embeddings is a string of tiny operations (a 32 x 512 batch): waking a
        // second OpenMP thread for each costs more than the work (one thread: about 3x the samples/s
        // here). libtorch's thread count is per calling thread, so only this run's thread changes.
        int threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        try {
            return train();
        } finally {
            JniUtils.setNumThreads(threads);
        }
    }

    private Outcome train() {
        int batches = data.batchesPerEpoch();
        int totalSteps = settings.epochs() * batches;
        LearningRateSchedule headLr = new LearningRateSchedule(settings.headLearningRate(), totalSteps);
        LearningRateSchedule backboneLr = new LearningRateSchedule(settings.backboneLearningRate(), totalSteps);
        Optimizer headOptimizer = Optimizer.adam().optLearningRateTracker(headLr).optWeightDecays((float) settings.weightDecay())
                .build();
        Optimizer backboneOptimizer = Optimizer.adam().optLearningRateTracker(backboneLr)
                .optWeightDecays((float) settings.weightDecay()).build();
        Engine engine = Engine.getEngine(EngineRuntime.PYTORCH);

        int step = 0;
        double best = -1;
        int bestEpoch = 0;
        Validation bestValidation = null;
        int sinceBest = 0;
        long trainNanos = 0;
        long trainImages = 0;
        long loopStart = System.nanoTime();
        Validation val = null;
        double trainLoss = Double.NaN;
        double trainAcc = Double.NaN;
        int epoch = 0;
        boolean stoppedEarly = false;
        for (epoch = 1; epoch <= settings.epochs(); epoch++) {
            checkCancelled();
            applyWarmup(epoch);
            List<NamedParameter> trainable = model.trainableParameters();
            Map<String, Optimizer> optimizerOf = new HashMap<>();
            for (NamedParameter p : trainable) {
                optimizerOf.put(p.parameter().getId(), p.path().startsWith(LayerTree.HEAD) ? headOptimizer : backboneOptimizer);
            }
            long epochStart = System.nanoTime();
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            int b = 0;
            try (BatchSource.Batches it = data.trainEpoch(epoch)) {
                while (it.hasNext()) {
                    checkCancelled();
                    BatchSource.HostBatch batch = it.next();
                    long t0 = System.nanoTime();
                    headLr.setStep(step);
                    backboneLr.setStep(step);
                    float loss;
                    int right;
                    try (NDManager m = model.manager().newSubManager()) {
                        NDArray x = input(m, batch);
                        NDArray logits;
                        NDArray lossArray;
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            logits = model.logits(x, true);
                            lossArray = loss(m, logits, batch.labels());
                            gc.backward(lossArray);
                        }
                        loss = lossArray.getFloat();
                        if (!Float.isFinite(loss)) {
                            throw new TrainingDivergedException(String.format(Locale.ROOT,
                                    "The loss became %s at epoch %d, batch %d: training diverged. Lower the learning rate (it was %g) "
                                            + "or check the input normalization (--mean/--std)", Float.isNaN(loss) ? "NaN" : "infinite",
                                    epoch, b + 1, settings.headLearningRate()));
                        }
                        for (NamedParameter p : trainable) {
                            NDArray w = p.parameter().getArray();
                            try (NDArray g = w.getGradient()) {
                                optimizerOf.get(p.parameter().getId()).update(p.parameter().getId(), w, g);
                            }
                        }
                        right = countCorrect(logits, batch.labels());
                    }
                    step++;
                    b++;
                    long dt = System.nanoTime() - t0;
                    trainNanos += dt;
                    trainImages += batch.count();
                    lossSum += loss * batch.count();
                    correct += right;
                    seen += batch.count();
                    double ips = seen / ((System.nanoTime() - epochStart) / 1e9);
                    double elapsed = (System.nanoTime() - loopStart) / 1e9;
                    double eta = elapsed / step * (totalSteps - step);
                    double lr = headLr.current();
                    events.accept(new TrainingEvent.BatchEnded(runId, epoch, b, batches, loss, (double) right / batch.count(), lr, ips,
                            eta));
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("type", "batch");
                    line.put("epoch", epoch);
                    line.put("batch", b);
                    line.put("step", step);
                    line.put("elapsed_s", elapsed);
                    line.put("loss", loss);
                    line.put("acc", (double) right / batch.count());
                    line.put("lr", lr);
                    line.put("images_per_s", ips);
                    metrics.append(line);
                }
            }
            double epochTrainSeconds = (System.nanoTime() - epochStart) / 1e9;
            trainLoss = seen == 0 ? Double.NaN : lossSum / seen;
            trainAcc = seen == 0 ? Double.NaN : (double) correct / seen;
            val = validate();
            boolean isBest = val.accuracy() > best;
            if (isBest) {
                best = val.accuracy();
                bestEpoch = epoch;
                bestValidation = val;
                sinceBest = 0;
            } else {
                sinceBest++;
            }
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            double ips = seen / Math.max(1e-9, epochTrainSeconds);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("type", "epoch");
            line.put("epoch", epoch);
            line.put("train_loss", trainLoss);
            line.put("train_acc", trainAcc);
            line.put("val_loss", val.loss());
            line.put("val_acc", val.accuracy());
            line.put("lr", headLr.current());
            line.put("seconds", seconds);
            line.put("images_per_s", ips);
            line.put("elapsed_s", (System.nanoTime() - loopStart) / 1e9);
            line.put("best", isBest);
            metrics.append(line);
            metrics.sync();
            epochSink.epochDone(epoch, val, isBest);
            events.accept(new TrainingEvent.EpochEnded(runId, epoch, settings.epochs(), trainLoss, trainAcc, val.loss(),
                    val.accuracy(), headLr.current(), seconds, ips, isBest));
            if (settings.patience() > 0 && sinceBest >= settings.patience() && epoch < settings.epochs()) {
                stoppedEarly = true;
                break;
            }
        }
        int run = Math.min(epoch, settings.epochs());
        double trainIps = trainImages / Math.max(1e-9, trainNanos / 1e9);
        return new Outcome(run, val.accuracy(), val.loss(), trainAcc, trainLoss, best, bestEpoch, stoppedEarly, trainIps,
                bestValidation);
    }

    /** During warm-up the whole backbone is frozen; afterwards the plan decides. */
    private void applyWarmup(int epoch) {
        if (model.backbone() == null) {
            return;
        }
        if (epoch == 1 && settings.warmupEpochs() > 0) {
            model.backbone().applyFreezePlan(FreezePlan.of(LayerTree.BACKBONE));
        } else if (epoch == settings.warmupEpochs() + 1) {
            model.backbone().applyFreezePlan(settings.plan());
        }
    }

    private Validation validate() {
        double lossSum = 0;
        long correct = 0;
        int n = data.valCount();
        int[] predicted = new int[n];
        int[] labels = new int[n];
        float[][] probabilities = new float[n][];
        List<dev.thaw.core.data.LabeledImage> files = new java.util.ArrayList<>(n);
        int seen = 0;
        try (BatchSource.Batches it = data.validation()) {
            while (it.hasNext()) {
                checkCancelled();
                BatchSource.HostBatch batch = it.next();
                try (NDManager m = model.manager().newSubManager()) {
                    NDArray x = input(m, batch);
                    NDArray logits = model.logits(x, false);
                    lossSum += loss(m, logits, batch.labels()).getFloat() * batch.count();
                    int[] pred = argMax(logits);
                    float[] probs = logits.softmax(1).toFloatArray();
                    int classes = pred.length == 0 ? 0 : probs.length / pred.length;
                    for (int i = 0; i < pred.length; i++) {
                        if (seen + i < n) {
                            predicted[seen + i] = pred[i];
                            probabilities[seen + i] = java.util.Arrays.copyOfRange(probs, i * classes, (i + 1) * classes);
                            labels[seen + i] = batch.labels()[i];
                        }
                        if (pred[i] == batch.labels()[i]) {
                            correct++;
                        }
                    }
                    if (batch.files() != null) {
                        files.addAll(batch.files());
                    }
                }
                seen += batch.count();
            }
        }
        int[] p = seen == n ? predicted : java.util.Arrays.copyOf(predicted, seen);
        int[] l = seen == n ? labels : java.util.Arrays.copyOf(labels, seen);
        float[][] pr = seen == n ? probabilities : java.util.Arrays.copyOf(probabilities, seen);
        return new Validation(seen == 0 ? Double.NaN : lossSum / seen, seen == 0 ? 0 : (double) correct / seen, p, files, l, pr);
    }

    /** The batch as a tensor: images channels-last (faster convolutions, see {@link ChannelsLast}), features as they are. */
    private NDArray input(NDManager m, BatchSource.HostBatch batch) {
        Shape shape = shape(batch.count());
        return shape.dimension() == 4 ? ChannelsLast.create(m, batch.data(), shape) : m.create(batch.data(), shape);
    }

    private Shape shape(int count) {
        long[] s = data.sampleShape();
        long[] full = new long[s.length + 1];
        full[0] = count;
        System.arraycopy(s, 0, full, 1, s.length);
        return new Shape(full);
    }

    private NDArray loss(NDManager m, NDArray logits, int[] labels) {
        return crossEntropy(m, logits, labels, settings.classWeights());
    }

    /**
     * Mean cross-entropy of {@code logits (N, classes)} against {@code labels}; with
     * {@code classWeights}, each sample's term is weighted by its class's weight and the sum divided
     * by the sum of those weights (as PyTorch's {@code CrossEntropyLoss(weight=...)} does).
     */
    static NDArray crossEntropy(NDManager m, NDArray logits, int[] labels, float[] classWeights) {
        long[] index = new long[labels.length];
        for (int i = 0; i < labels.length; i++) {
            index[i] = labels[i];
        }
        // -log p(label): the label's column of the log-softmax, gathered (no one-hot matrix).
        NDArray nll = logits.logSoftmax(1).gather(m.create(index, new Shape(labels.length, 1)), 1).squeeze(1).neg();
        if (classWeights == null) {
            return nll.mean();
        }
        float[] w = new float[labels.length];
        float total = 0;
        for (int i = 0; i < labels.length; i++) {
            w[i] = classWeights[labels[i]];
            total += w[i];
        }
        return nll.mul(m.create(w)).sum().div(total);
    }

    private static int countCorrect(NDArray logits, int[] labels) {
        int[] pred = argMax(logits);
        int right = 0;
        for (int i = 0; i < pred.length; i++) {
            if (pred[i] == labels[i]) {
                right++;
            }
        }
        return right;
    }

    private static int[] argMax(NDArray logits) {
        return logits.argMax(1).toType(DataType.INT32, false).toIntArray();
    }

    private void checkCancelled() {
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("Cancelled");
        }
    }
}
