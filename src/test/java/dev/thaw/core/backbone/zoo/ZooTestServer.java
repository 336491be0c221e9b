package dev.thaw.core.backbone.zoo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local HTTP server for download tests (127.0.0.1, a free port), with faults on demand: error
 * statuses, redirects, connections dropped mid-body, stalls, Range support. It counts requests.
 */
final class ZooTestServer implements AutoCloseable {

    /** What one path answers. Fields are read per request, so tests may change them between fetches. */
    static final class Route {
        volatile byte[] body;
        volatile int status = 200;
        volatile String location;
        volatile boolean ranges;
        /** Drop the connection after this many body bytes, for the next {@link #dropTimes} requests. */
        volatile int dropAfter = -1;
        final AtomicInteger dropTimes = new AtomicInteger();
        /** Stall this long after {@link #stallAfter} bytes (0: no stall). */
        volatile long stallMillis;
        volatile int stallAfter;
        /** Send chunked, without Content-Length. */
        volatile boolean chunked;
        /** Bytes per write, with a pause between (slow downloads). */
        volatile int chunkSize = 1 << 16;
        volatile long pauseMillis;

        Route dropOnceAfter(int bytes) {
            dropAfter = bytes;
            dropTimes.set(1);
            return this;
        }
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "zoo-test-server");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    final List<String> rangeHeaders = new CopyOnWriteArrayList<>();

    ZooTestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    URI url(String path) {
        return baseUrl().resolve(path);
    }

    Route serve(String path, byte[] body) {
        Route r = new Route();
        r.body = body;
        routes.put("/" + path, r);
        return r;
    }

    Route status(String path, int status) {
        Route r = serve(path, new byte[0]);
        r.status = status;
        return r;
    }

    Route redirect(String path, String location) {
        Route r = status(path, 302);
        r.location = location;
        return r;
    }

    int requests() {
        return requests.get();
    }

    /** A URL on 127.0.0.1 where nothing listens. */
    static URI closedPortUrl() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort() + "/");
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        Route r = routes.get(ex.getRequestURI().getPath());
        if (r == null) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        if (r.status != 200) {
            if (r.location != null) {
                ex.getResponseHeaders().add("Location", r.location);
            }
            ex.sendResponseHeaders(r.status, -1);
            ex.close();
            return;
        }
        byte[] body = r.body;
        String range = ex.getRequestHeaders().getFirst("Range");
        if (range != null) {
            rangeHeaders.add(range);
        }
        int start = 0;
        int status = 200;
        if (r.ranges) {
            ex.getResponseHeaders().add("Accept-Ranges", "bytes");
            ex.getResponseHeaders().add("ETag", "\"v1\"");
            Matcher m = range == null ? null : RANGE.matcher(range);
            if (m != null && m.matches()) {
                start = Integer.parseInt(m.group(1));
                if (start >= body.length) {
                    ex.getResponseHeaders().add("Content-Range", "bytes */" + body.length);
                    ex.sendResponseHeaders(416, -1);
                    ex.close();
                    return;
                }
                status = 206;
                ex.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
            }
        }
        boolean drop = r.dropAfter >= 0 && r.dropTimes.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        ex.sendResponseHeaders(status, r.chunked ? 0 : body.length - start);
        OutputStream out = ex.getResponseBody();
        int pos = start;
        while (pos < body.length) {
            int end = Math.min(body.length, pos + r.chunkSize);
            if (drop && end >= r.dropAfter) {
                end = Math.max(pos, r.dropAfter);
            }
            if (r.stallMillis > 0 && pos < r.stallAfter && end >= r.stallAfter) {
                end = r.stallAfter;
            }
            out.write(body, pos, end - pos);
            out.flush();
            pos = end;
            if (drop && pos >= r.dropAfter) {
                // an exception from a handler makes the JDK server close the connection mid-body
                throw new IOException("test server drops the connection");
            }
            if (r.stallMillis > 0 && pos == r.stallAfter) {
                sleep(r.stallMillis);
            }
            if (r.pauseMillis > 0) {
                sleep(r.pauseMillis);
            }
        }
        out.close();
        ex.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
