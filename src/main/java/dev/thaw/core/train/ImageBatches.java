package dev.thaw.core.train;

import dev.thaw.core.data.Augmentation;
import dev.thaw.core.data.BatchIterator;
import dev.thaw.core.data.ImagePipeline;
import dev.thaw.core.data.LabeledImage;
import dev.thaw.core.data.LoadedBatch;
import dev.thaw.core.data.SkippedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Batches of decoded images from the data pipeline, the next one prepared while the model works. */
final class ImageBatches implements BatchSource {

    private final List<LabeledImage> train;
    private final List<LabeledImage> val;
    private final ImagePipeline pipeline;
    private final int batchSize;
    private final Augmentation augmentation;
    private final long seed;
    private final int size;
    private final Set<Path> skipped = ConcurrentHashMap.newKeySet();
    private final boolean domainRandomization;

    ImageBatches(List<LabeledImage> train, List<LabeledImage> val, ImagePipeline pipeline, int batchSize,
            Augmentation augmentation, long seed, boolean domainRandomization) {
        this.domainRandomization = domainRandomization;
        this.train = List.copyOf(train);
        this.val = List.copyOf(val);
        this.pipeline = pipeline;
        this.batchSize = batchSize;
        this.augmentation = augmentation;
        this.seed = seed;
        this.size = pipeline.transform().size();
    }

    @Override
    public Batches trainEpoch(int epoch) {
        List<LabeledImage> order = new ArrayList<>(train);
        Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
        // A final batch of one image cannot be batch-normalized in training mode: leave it for the next epoch's shuffle.
        if (order.size() % batchSize == 1 && order.size() > 1) {
            order.remove(order.size() - 1);
        }
        long epochSeed = seed * 7_919L + epoch * 1_000_000L;
        return wrap(pipeline.batches(order, batchSize, augmentation, epochSeed), domainRandomization ? epochSeed : null);
    }

    @Override
    public Batches validation() {
        return wrap(pipeline.batches(val, batchSize, Augmentation.NONE, 0), null);
    }

    private Batches wrap(BatchIterator it, Long randomizationSeed) {
        return new Batches() {
            @Override
            public void close() {
                it.close();
            }

            int index;
            HostBatch next = advance();

            private HostBatch advance() {
                while (it.hasNext()) {
                    LoadedBatch b = it.next();
                    for (SkippedImage s : b.skipped()) {
                        skipped.add(s.file());
                    }
                    if (b.count() > 0) {
                        if (randomizationSeed != null) {
                            DomainRandomization.apply(b.data(), b.count(), size, pipeline.transform().mean(),
                                    pipeline.transform().std(), randomizationSeed * 31 + index++);
                        }
                        return new HostBatch(b.data(), b.labels(), b.files());
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public HostBatch next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                HostBatch b = next;
                next = advance();
                return b;
            }
        };
    }

    @Override
    public int batchesPerEpoch() {
        int n = train.size() % batchSize == 1 && train.size() > 1 ? train.size() - 1 : train.size();
        return (n + batchSize - 1) / batchSize;
    }

    @Override
    public int trainCount() {
        return train.size();
    }

    @Override
    public int valCount() {
        return val.size();
    }

    @Override
    public long[] sampleShape() {
        return new long[] {3, size, size};
    }

    @Override
    public int skippedCount() {
        return skipped.size();
    }

    @Override
    public void close() {
        pipeline.close();
    }
}
