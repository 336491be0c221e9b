package dev.thaw.core.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.thaw.core.backbone.ChannelsLast;
import dev.thaw.core.backbone.Backbone;
import dev.thaw.core.backbone.BackboneMetadata;
import dev.thaw.core.backbone.TrainableBackbone;
import dev.thaw.core.data.Augmentation;
import dev.thaw.core.data.BatchIterator;
import dev.thaw.core.data.ImagePipeline;
import dev.thaw.core.data.LabeledImage;
import dev.thaw.core.data.LoadedBatch;
import dev.thaw.core.util.Digests;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * AdaBN for feature extraction: before the frozen backbone embeds anything, its BatchNorm running
 * statistics are re-estimated on the training images (un-augmented, as they will be embedded), so
 * every layer normalizes the new data with the new data's statistics. No weight changes; what
 * changes is a few numbers per BatchNorm channel. It matters when the new images look unlike the
 * backbone's training data (measured on the bench data: decision 0073).
 *
 * <p>Only training images are observed: validation and test images never influence the model.
 */
final class BatchNormAdaptation {

    /** Images per forward pass: BatchNorm statistics of larger batches are less noisy. */
    static final int BATCH = 32;

    /**
     * What was done.
     *
     * @param images training images observed per pass (unreadable ones are skipped)
     * @param batches forward passes in all
     * @param passes passes over the training images
     * @param seconds wall time
     * @param recipe what the backbone's digest now includes
     */
    record Result(int images, int batches, int passes, double seconds, String recipe) {

        String describe() {
            return String.format(Locale.ROOT, "BatchNorm statistics re-estimated on %d training images (%d batch%s of up to %d%s)",
                    images, batches, batches == 1 ? "" : "es", BATCH, passes > 1 ? ", " + passes + " passes" : "");
        }
    }

    private BatchNormAdaptation() {
    }

    /**
     * What an adaptation will do, known before it runs: the images (by content), the passes, and so
     * the backbone's digest afterwards, which keys the embedding cache.
     *
     * @param train the training images, in split order
     * @param passes passes over them at most
     * @param seed shuffles each pass
     * @param recipe what the digest includes besides the original weights
     * @param digest the backbone's {@code weightsDigest()} once adapted
     */
    record Plan(List<LabeledImage> train, int passes, long seed, String recipe, String digest) {
    }

    /**
     * @param keys content hash of each training image (computed if missing, and kept for the
     *     embedding pass)
     */
    static Plan plan(Backbone backbone, TrainableBackbone net, List<LabeledImage> train, Map<LabeledImage, String> keys, long seed) {
        Embedder.hash(train, keys);
        List<String> sorted = new ArrayList<>(train.stream().map(keys::get).toList());
        Collections.sort(sorted);
        int perPass = train.size() / BATCH + (train.size() % BATCH >= 2 ? 1 : 0);
        if (perPass == 0) {
            throw new IllegalArgumentException("Re-estimating BatchNorm statistics needs at least 2 training images; there is "
                    + train.size());
        }
        int passes = Math.max(1, (net.statisticsEstimateBatches() + perPass - 1) / perPass);
        String recipe = String.format(Locale.ROOT, "batchnorm-adapted v1; images %s; transform %s; batches >= %d; passes %d; "
                + "batch %d; seed %d", Digests.sha256(String.join(",", sorted)), backbone.metadata().transform().key(),
                net.statisticsEstimateBatches(), passes, BATCH, seed);
        return new Plan(List.copyOf(train), passes, seed, recipe, TrainableBackbone.adaptedDigest(backbone.weightsDigest(), recipe));
    }

    static Result run(Plan plan, TrainableBackbone net, BackboneMetadata metadata, BiConsumer<String, Double> progress,
            BooleanSupplier cancelled) {
        long t0 = System.nanoTime();
        TrainableBackbone.StatisticsEstimate estimate = net.estimateStatistics();
        int minimum = net.statisticsEstimateBatches();
        int passes = plan.passes();
        int size = metadata.inputSize();
        int batches = 0;
        int observed = 0;
        int passesRun = 0;
        try (ImagePipeline pipeline = new ImagePipeline(metadata.transform(), ImagePipeline.defaultThreads())) {
            for (int pass = 0; pass < passes; pass++) {
                List<LabeledImage> order = new ArrayList<>(plan.train());
                Collections.shuffle(order, new Random(plan.seed() * 31 + pass));
                int seen = 0;
                passesRun++;
                try (BatchIterator it = pipeline.batches(order, BATCH, Augmentation.NONE, 0)) {
                    while (it.hasNext()) {
                        if (cancelled.getAsBoolean()) {
                            throw new CancellationException("Cancelled");
                        }
                        // The last pass stops as soon as enough batches were seen.
                        if (pass > 0 && batches >= minimum) {
                            break;
                        }
                        LoadedBatch b = it.next();
                        if (b.count() >= 2) {
                            try (NDManager batch = net.manager().newSubManager()) {
                                estimate.observe(ChannelsLast.create(batch, b.data(), new Shape(b.count(), 3, size, size)));
                            }
                            batches++;
                            seen += b.count();
                        }
                        double done = (pass + (double) (seen + b.skipped().size()) / order.size()) / passes;
                        progress.accept(String.format(Locale.ROOT, "Re-estimating BatchNorm statistics: pass %d of %d, %d of %d images",
                                pass + 1, passes, seen, order.size()), Math.min(1.0, done));
                    }
                }
                observed = Math.max(observed, seen);
            }
        }
        if (batches == 0) {
            throw new IllegalArgumentException("Re-estimating BatchNorm statistics needs at least 2 readable training images");
        }
        estimate.finish(plan.recipe());
        return new Result(observed, batches, passesRun, (System.nanoTime() - t0) / 1e9, plan.recipe());
    }
}
