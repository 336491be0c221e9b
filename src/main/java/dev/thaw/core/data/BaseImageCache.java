package dev.thaw.core.data;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Base images (decoded, upright, resized; before augmentation) by file, within a byte budget.
 *
 * <p>Admission is first come, first kept: once the budget is full, new images are not cached and
 * nothing is evicted. Epochs read every file once in a new order, and for that pattern an LRU cache
 * smaller than the dataset evicts each image just before it is needed again (a hit rate near 0);
 * keeping a fixed subset gives a hit rate of budget / dataset size.
 *
 * <p>Files that failed are remembered too (a few bytes each), so a broken file is neither decoded
 * nor logged again every epoch.
 */
final class BaseImageCache {

    private final long budget;
    private final ConcurrentHashMap<Path, RgbImage> images = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Path, ImageLoadException> failures = new ConcurrentHashMap<>();
    private final AtomicLong used = new AtomicLong();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    BaseImageCache(long budgetBytes) {
        this.budget = Math.max(0, budgetBytes);
    }

    /** The cached image, or null (counted as a miss). */
    RgbImage get(Path file) {
        RgbImage img = images.get(file);
        if (img != null) {
            hits.increment();
        } else {
            misses.increment();
        }
        return img;
    }

    /** Keeps {@code img} if it fits in what is left of the budget. */
    void offer(Path file, RgbImage img) {
        long size = img.sizeInBytes();
        long now;
        do {
            now = used.get();
            if (now + size > budget) {
                return;
            }
        } while (!used.compareAndSet(now, now + size));
        if (images.putIfAbsent(file, img) != null) {
            used.addAndGet(-size);
        }
    }

    ImageLoadException failure(Path file) {
        return failures.get(file);
    }

    /** Remembers a failure; true the first time for this file. */
    boolean recordFailure(Path file, ImageLoadException e) {
        return failures.putIfAbsent(file, e) == null;
    }

    CacheStats stats() {
        return new CacheStats(hits.sum(), misses.sum(), images.size(), used.get(), budget, failures.size());
    }
}
