package dev.thaw.core.data;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Batches of one pass over a list of images, a few prepared ahead. {@link #close()} drops the work
 * queued for batches nobody will read (the epoch was cancelled); images already decoding finish.
 */
public final class BatchIterator implements Iterator<LoadedBatch>, AutoCloseable {

    /** Starts loading items {@code [from, to)}. */
    interface BatchSource {
        CompletableFuture<LoadedBatch> submit(int from, int to, AtomicBoolean cancelled);
    }

    private final int total;
    private final int batchSize;
    private final int ahead;
    private final BatchSource source;
    private final Deque<CompletableFuture<LoadedBatch>> pending = new ArrayDeque<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private int nextFrom;

    BatchIterator(int total, int batchSize, int ahead, BatchSource source) {
        this.total = total;
        this.batchSize = batchSize;
        this.ahead = Math.max(1, ahead);
        this.source = source;
        fill();
    }

    private void fill() {
        while (!cancelled.get() && pending.size() < ahead && nextFrom < total) {
            int from = nextFrom;
            int to = Math.min(total, from + batchSize);
            nextFrom = to;
            pending.add(source.submit(from, to, cancelled));
        }
    }

    @Override
    public boolean hasNext() {
        return !pending.isEmpty();
    }

    /** The next batch, waiting for it if it is not ready. */
    @Override
    public LoadedBatch next() {
        CompletableFuture<LoadedBatch> head = pending.poll();
        if (head == null) {
            throw new NoSuchElementException();
        }
        fill();
        return head.join();
    }

    /** Batches in this pass. */
    public int batchCount() {
        return (total + batchSize - 1) / batchSize;
    }

    @Override
    public void close() {
        cancelled.set(true);
        pending.clear();
    }
}
