package dev.thaw.core.train;

import dev.thaw.core.data.LabeledImage;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/** Batches of precomputed embeddings held in memory (feature extraction). */
final class EmbeddingBatches implements BatchSource {

    /** Embedded samples of one split: {@code labels.length} rows of {@code dim} floats. */
    record Split(float[] features, int[] labels, List<LabeledImage> files) {
    }

    /**
     * Validation rows per batch: embeddings are small, so validation takes a few large batches
     * instead of many small ones (each batch costs a dozen native calls whatever its size).
     */
    static final int VALIDATION_BATCH = 512;

    private final Split train;
    private final Split val;
    private final int dim;
    private final int batchSize;
    private final long seed;
    private final int skipped;

    EmbeddingBatches(Split train, Split val, int dim, int batchSize, long seed, int skipped) {
        this.train = train;
        this.val = val;
        this.dim = dim;
        this.batchSize = batchSize;
        this.seed = seed;
        this.skipped = skipped;
    }

    @Override
    public Batches trainEpoch(int epoch) {
        int n = train.labels().length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random r = new Random(seed * 1_000_003L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return batches(train, order, batchSize);
    }

    @Override
    public Batches validation() {
        int n = val.labels().length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return batches(val, order, Math.max(batchSize, VALIDATION_BATCH));
    }

    private Batches batches(Split s, int[] order, int size) {
        return new Batches() {
            int from = 0;

            @Override
            public boolean hasNext() {
                return from < order.length;
            }

            @Override
            public HostBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int to = Math.min(order.length, from + size);
                int m = to - from;
                float[] data = new float[m * dim];
                int[] labels = new int[m];
                List<LabeledImage> files = new ArrayList<>(m);
                for (int i = 0; i < m; i++) {
                    int k = order[from + i];
                    System.arraycopy(s.features(), k * dim, data, i * dim, dim);
                    labels[i] = s.labels()[k];
                    files.add(s.files().get(k));
                }
                from = to;
                return new HostBatch(data, labels, files);
            }
        };
    }

    @Override
    public int batchesPerEpoch() {
        return (train.labels().length + batchSize - 1) / batchSize;
    }

    @Override
    public int trainCount() {
        return train.labels().length;
    }

    @Override
    public int valCount() {
        return val.labels().length;
    }

    @Override
    public long[] sampleShape() {
        return new long[] {dim};
    }

    @Override
    public int skippedCount() {
        return skipped;
    }

    @Override
    public void close() {
    }
}
