package dev.thaw.core.backbone.zoo;

import dev.thaw.core.util.JobMonitor;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body pulled one chunk at a time, with what {@code HttpClient} lacks for bodies: a read
 * timeout (no bytes for that long fails the download) and cancellation that works while the
 * network is stalled. It requests one chunk at a time, so at most a couple are buffered.
 */
final class BodyStream implements Flow.Subscriber<List<ByteBuffer>>, AutoCloseable {

    private static final Object END = new Object();
    private static final long POLL_MILLIS = 100;

    private record Failure(Throwable error) {
    }

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile Flow.Subscription subscription;
    private volatile boolean closed;
    private boolean finished;

    @Override
    public void onSubscribe(Flow.Subscription s) {
        if (closed) {
            s.cancel();
            return;
        }
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
        queue.add(new Failure(throwable));
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    /**
     * The next chunk, or null at the end of the body.
     *
     * @throws HttpTimeoutException when nothing arrived for {@code readTimeout}
     * @throws IOException when the connection failed
     * @throws CancellationException when {@code monitor} was cancelled or the thread interrupted
     */
    @SuppressWarnings("unchecked")
    List<ByteBuffer> next(Duration readTimeout, JobMonitor monitor) throws IOException {
        if (finished) {
            return null;
        }
        long deadline = System.nanoTime() + readTimeout.toNanos();
        while (true) {
            monitor.checkCancelled();
            Object item;
            try {
                item = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("Interrupted");
            }
            if (item == null) {
                if (System.nanoTime() - deadline > 0) {
                    throw new HttpTimeoutException("no data received for " + readTimeout.toSeconds() + " s");
                }
                continue;
            }
            if (item == END) {
                finished = true;
                return null;
            }
            if (item instanceof Failure f) {
                finished = true;
                Throwable t = f.error();
                throw t instanceof IOException io ? io : new IOException(t.getMessage(), t);
            }
            subscription.request(1);
            return (List<ByteBuffer>) item;
        }
    }

    /** Stops the transfer if it is still running (cancel, timeout, error on our side). */
    @Override
    public void close() {
        closed = true;
        Flow.Subscription s = subscription;
        if (s != null && !finished) {
            s.cancel();
        }
    }

    /** Subscribes to {@code body} only to drop it, so the connection is released. */
    static void discard(Flow.Publisher<List<ByteBuffer>> body) {
        body.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.cancel();
            }

            @Override
            public void onNext(List<ByteBuffer> item) {
            }

            @Override
            public void onError(Throwable throwable) {
            }

            @Override
            public void onComplete() {
            }
        });
    }
}
