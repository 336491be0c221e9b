package dev.thaw.core.train;

import dev.thaw.core.data.LabeledImage;
import java.util.Iterator;
import java.util.List;

/**
 * Where the loop's batches come from, on the host side: decoded images (fine-tuning, scratch) or
 * cached embeddings (feature extraction).
 */
interface BatchSource extends AutoCloseable {

    /**
     * One batch in host memory.
     *
     * @param data {@code count} samples of {@link BatchSource#sampleShape()} floats, one after another
     * @param labels class index per sample
     * @param files the images, in order (for predictions), or {@code null}
     */
    record HostBatch(float[] data, int[] labels, List<LabeledImage> files) {
        int count() {
            return labels.length;
        }
    }

    /** Batches of one pass; closing it drops work prepared ahead (a cancelled epoch). */
    interface Batches extends Iterator<HostBatch>, AutoCloseable {
        @Override
        default void close() {
        }
    }

    /** The training batches of epoch {@code epoch} (1-based), shuffled by the run's seed and the epoch. */
    Batches trainEpoch(int epoch);

    /** The validation batches, in a fixed order, never augmented. */
    Batches validation();

    int batchesPerEpoch();

    int trainCount();

    int valCount();

    /** Shape of one sample: {@code [3, S, S]} or {@code [featureDim]}. */
    long[] sampleShape();

    /** Files that could not be read so far. */
    int skippedCount();

    @Override
    void close();
}
