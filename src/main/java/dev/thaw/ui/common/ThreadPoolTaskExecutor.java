package dev.thaw.ui.common;

import dev.thaw.core.util.JobMonitor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's background executor: named daemon threads, failures logged, and progress reaching the
 * UI coalesced: however often a job reports, at most one UI update is pending at a time.
 */
public final class ThreadPoolTaskExecutor implements TaskExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadPoolTaskExecutor.class);

    private final ExecutorService pool;
    private final UiThread ui;

    public ThreadPoolTaskExecutor(UiThread ui, int threads, String name) {
        this.ui = ui;
        this.pool = Executors.newFixedThreadPool(threads, namedDaemons(name));
    }

    /** Threads named {@code name-N}, daemon, with uncaught exceptions logged. */
    public static ThreadFactory namedDaemons(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> LOG.error("Uncaught exception in {}", th.getName(), e));
            return t;
        };
    }

    @Override
    public <T> BackgroundTask<T> execute(BackgroundTask<T> task) {
        ui.execute(task::markStarted);
        pool.execute(() -> runTask(task));
        return task;
    }

    private <T> void runTask(BackgroundTask<T> task) {
        CoalescingMonitor monitor = new CoalescingMonitor(task);
        T value;
        try {
            value = task.work().run(monitor);
        } catch (Exception | Error e) {
            if (!task.isCancelRequested()) {
                LOG.warn("Background task '{}' failed", task.title(), e);
            }
            monitor.flushThen(() -> task.fail(e));
            return;
        }
        monitor.flushThen(() -> task.complete(value));
    }

    /** Keeps only the latest progress and posts it once per UI pulse at most. */
    private final class CoalescingMonitor implements JobMonitor {
        private final BackgroundTask<?> task;
        private final AtomicReference<Object[]> latest = new AtomicReference<>();
        private final AtomicBoolean posted = new AtomicBoolean();

        CoalescingMonitor(BackgroundTask<?> task) {
            this.task = task;
        }

        @Override
        public void progress(double fraction, String message) {
            latest.set(new Object[] {fraction, message});
            if (posted.compareAndSet(false, true)) {
                ui.execute(this::drain);
            }
        }

        private void drain() {
            posted.set(false);
            Object[] p = latest.getAndSet(null);
            if (p != null) {
                task.show((Double) p[0], (String) p[1]);
            }
        }

        void flushThen(Runnable last) {
            ui.execute(() -> {
                drain();
                last.run();
            });
        }

        @Override
        public boolean isCancelled() {
            return task.isCancelRequested() || Thread.currentThread().isInterrupted();
        }
    }

    @Override
    public void shutdown() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
