package dev.thaw.ui.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The one way engine events reach the UI. Any thread may {@link #publish}; the UI thread receives
 * everything published since the last delivery as one list, so a burst of hundreds of batch events
 * costs one UI update, not hundreds. At most one delivery is pending at any time.
 *
 * <p>Deliveries are additionally spaced at least {@code minIntervalMillis} apart (a few per second
 * is all a chart needs); events are never dropped, only grouped.
 */
public final class EventRelay<T> {

    private final UiThread ui;
    private final Consumer<List<T>> receiver;
    private final long minIntervalNanos;
    private final ConcurrentLinkedQueue<T> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile long lastDelivery;
    private final java.util.concurrent.ScheduledExecutorService timer;

    /**
     * @param ui where {@code receiver} runs
     * @param receiver gets the events in publication order, in groups
     * @param minIntervalMillis minimum spacing between deliveries; 0 delivers as soon as the UI thread can
     */
    public EventRelay(UiThread ui, Consumer<List<T>> receiver, long minIntervalMillis) {
        this.ui = Objects.requireNonNull(ui);
        this.receiver = Objects.requireNonNull(receiver);
        this.minIntervalNanos = minIntervalMillis * 1_000_000L;
        this.timer = minIntervalMillis > 0
                ? java.util.concurrent.Executors.newSingleThreadScheduledExecutor(ThreadPoolTaskExecutor.namedDaemons("thaw-relay"))
                : null;
    }

    /** Queues {@code event} for the UI. Never blocks. */
    public void publish(T event) {
        pending.add(event);
        if (scheduled.compareAndSet(false, true)) {
            long wait = lastDelivery + minIntervalNanos - System.nanoTime();
            if (timer == null || wait <= 0) {
                ui.execute(this::deliver);
            } else {
                timer.schedule(() -> ui.execute(this::deliver), wait, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        }
    }

    private void deliver() {
        scheduled.set(false);
        lastDelivery = System.nanoTime();
        List<T> batch = new ArrayList<>();
        for (T e; (e = pending.poll()) != null;) {
            batch.add(e);
        }
        if (!batch.isEmpty()) {
            receiver.accept(batch);
        }
    }

    /** Stops the timer thread; pending events are dropped. */
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
