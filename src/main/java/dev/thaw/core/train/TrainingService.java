package dev.thaw.core.train;

import dev.thaw.core.backbone.BackboneLoader;
import dev.thaw.core.model.RunSpec;
import dev.thaw.core.model.TrainingEvent;
import dev.thaw.core.runs.RunFolder;
import dev.thaw.core.runs.RunStatus;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runtime.AppHome;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link RunSpec}s one at a time on its own thread ({@code thaw-training}) and tells its
 * listeners what happens as {@link TrainingEvent}s. Listeners are called on the training thread
 * and must return quickly (the GUI hands events to its relay); an exception in a listener is
 * logged and does not affect the run.
 *
 * <p>Each run gets its folder in the {@link RunStore} when it is submitted, so its id is known at
 * once; a run cancelled while queued ends with a {@link TrainingEvent.Cancelled} when its turn comes.
 */
public final class TrainingService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingService.class);

    private final AppHome home;
    private final RunStore store;
    private final BackboneLoader loader;
    private final ExecutorService executor;
    private final List<Consumer<TrainingEvent>> listeners = new CopyOnWriteArrayList<>();
    private final java.util.Set<RunHandle> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public TrainingService(AppHome home, RunStore store, BackboneLoader loader) {
        this.home = home;
        this.store = store;
        this.loader = loader;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "thaw-training");
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> LOG.error("Uncaught on {}", th.getName(), e));
            return t;
        });
    }

    /** A service with the app home's runs folder and model-zoo resolution. */
    public TrainingService(AppHome home) {
        this(home, new RunStore(home.runs()), new BackboneLoader(home));
    }

    public RunStore store() {
        return store;
    }

    public void addListener(Consumer<TrainingEvent> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<TrainingEvent> listener) {
        listeners.remove(listener);
    }

    /** Queues a run; returns at once with its handle. */
    public RunHandle submit(RunSpec spec) {
        RunFolder folder = store.create(spec);
        String now = Instant.now().toString();
        folder.writeSpec(spec);
        folder.writeStatus(new RunStatus(folder.id(), "queued", now, now, 0, null));
        RunHandle handle = new RunHandle(folder.id(), folder.dir());
        // Held while queued or running, so RunStore.delete (here or in another process) refuses.
        // Released before the handle completes, so whoever waits on the result can delete the run.
        RunFolder.RunLock lock = folder.tryLock().orElse(null);
        pending.add(handle);
        handle.result().whenComplete((r, e) -> pending.remove(handle));
        try {
            executor.execute(() -> run(folder, spec, handle, lock, now));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            pending.remove(handle);
            if (lock != null) {
                lock.close();
            }
            throw new IllegalStateException("The training service is closed; run " + folder.id() + " was not queued", e);
        }
        return handle;
    }

    private void run(RunFolder folder, RunSpec spec, RunHandle handle, RunFolder.RunLock lock, String now) {
        RunResult result;
        if (handle.isCancelled()) {
            TrainingEvent.Cancelled c = new TrainingEvent.Cancelled(folder.id(), 0);
            folder.writeStatus(new RunStatus(folder.id(), RunStatus.CANCELLED, now, Instant.now().toString(), 0,
                    "cancelled before it started"));
            publish(c);
            result = new RunResult(folder.id(), folder.dir(), null, c);
        } else {
            try {
                result = new TrainingRun(folder, spec, home, loader, this::publish, handle::isCancelled).run();
            } catch (Throwable t) {
                // TrainingRun reports its own failures; this is a last resort so the handle always completes.
                LOG.error("Run {} ended abnormally", folder.id(), t);
                TrainingEvent.Failed f = new TrainingEvent.Failed(folder.id(), String.valueOf(t.getMessage()));
                publish(f);
                result = new RunResult(folder.id(), folder.dir(), null, f);
            }
        }
        if (lock != null) {
            lock.close();
        }
        handle.complete(result);
    }

    private void publish(TrainingEvent e) {
        for (Consumer<TrainingEvent> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                LOG.warn("A training listener failed on {}", e.getClass().getSimpleName(), ex);
            }
        }
    }

    /** Cancels the current and queued runs and waits briefly for the current one to stop. */
    @Override
    public void close() {
        pending.forEach(RunHandle::cancel);
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
