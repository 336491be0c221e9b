package dev.thaw.core.backbone.zoo;

import dev.thaw.core.backbone.zoo.ZooException.Reason;
import dev.thaw.core.util.JobMonitor;
import dev.thaw.core.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads one file and proves it is the published one before anyone can use it.
 *
 * <p>Bytes stream into a hidden {@code .NAME.part} file next to the target while the checksum is
 * computed; progress goes to the {@link JobMonitor} ("12.3 of 44.7 MB"), and cancellation is checked
 * between chunks and while the network is stalled. Only after the size and checksum match is the
 * file moved into place with {@code ATOMIC_MOVE}. On a bad checksum, an HTTP error or a cancel the
 * part file is deleted. When the connection breaks and the server had announced
 * {@code Accept-Ranges: bytes}, the part file is kept and the next attempt asks for the rest with an
 * HTTP Range request; it is appended only on a {@code 206} whose {@code Content-Range} starts where
 * the file ends, and the whole file must still match the checksum (a mismatch after a resume
 * restarts once from zero).
 *
 * <p>Redirects are followed except from HTTPS to HTTP. Callers that may run concurrently for the same
 * target hold a lock around {@link #download} (see {@link ModelZoo}).
 */
public final class Downloader {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(20);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(Downloader.class);
    private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");

    /**
     * One file to fetch.
     *
     * @param uri where it is served
     * @param target where the verified file goes; its folder also holds the part file
     * @param expectedSize bytes as served, or -1 when unknown
     * @param checksum the published checksum of the bytes as served
     * @param label what progress messages call it
     */
    public record Request(URI uri, Path target, long expectedSize, Checksum checksum, String label) {
        public Request {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(checksum, "checksum");
            label = label == null ? target.getFileName().toString() : label;
        }
    }

    /** What a part file was for, so a later run resumes only the same download. */
    private record ResumeState(String url, String checksum, String etag, String lastModified) {
    }

    private record Transfer(long bytes, MessageDigest digest, boolean resumed) {
    }

    private final HttpClient client;
    private final Duration readTimeout;

    /** A downloader with the default timeouts (20 s to connect, 60 s without data). */
    public Downloader() {
        this(DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
    }

    public Downloader(Duration connectTimeout, Duration readTimeout) {
        this(HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NORMAL).build(),
                readTimeout);
    }

    /**
     * @param client the HTTP client; it should follow redirects with {@code Redirect.NORMAL}
     * @param readTimeout how long to wait for response headers, and for each chunk of the body
     */
    public Downloader(HttpClient client, Duration readTimeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
    }

    /**
     * Downloads {@code request.uri()} to {@code request.target()}, verified.
     *
     * @return the target path
     * @throws ZooException naming the URL when the network, the server or the bytes fail
     * @throws CancellationException when the monitor was cancelled; nothing is left behind
     */
    public Path download(Request request, JobMonitor monitor) {
        Path target = request.target().toAbsolutePath();
        Path dir = target.getParent();
        Path part = partFile(target);
        Path state = dir.resolve("." + target.getFileName() + ".part.json");
        boolean keepPart = false;
        try {
            Files.createDirectories(dir);
            for (int attempt = 0;; attempt++) {
                long offset = resumeOffset(request, part, state);
                if (offset > 0 && offset == request.expectedSize()) {
                    // a complete part file from a run that stopped before the move
                    if (request.checksum().compute(part).equals(request.checksum().hex())) {
                        moveIntoPlace(part, target);
                        Files.deleteIfExists(state);
                        return target;
                    }
                    deleteQuietly(part, state);
                    offset = 0;
                }
                Transfer t;
                try {
                    t = transfer(request, part, state, Math.max(0, offset), monitor);
                } catch (ZooException e) {
                    keepPart = e.reason() == Reason.INTERRUPTED && Files.exists(state) && sizeOf(part) > 0;
                    throw e;
                }
                String actual = HexFormat.of().formatHex(t.digest().digest());
                if (!actual.equals(request.checksum().hex())) {
                    deleteQuietly(part, state);
                    if (t.resumed() && attempt == 0) {
                        LOG.warn("Resumed download of {} did not verify; starting again from zero", request.uri());
                        continue;
                    }
                    throw new ZooException(Reason.VERIFICATION_FAILED, "The file from " + request.uri() + " does not match its published "
                            + request.checksum().label() + " (expected " + request.checksum().hex() + ", got " + actual
                            + "); it was deleted.", request.uri(), null, null);
                }
                moveIntoPlace(part, target);
                Files.deleteIfExists(state);
                LOG.info("Downloaded {} ({} bytes, {} verified) to {}", request.uri(), t.bytes(), request.checksum().label(), target);
                return target;
            }
        } catch (IOException e) {
            throw new ZooException(Reason.IO, "Cannot write " + target + ": " + e.getMessage(), request.uri(), null, e);
        } finally {
            if (!keepPart) {
                deleteQuietly(part, state);
            }
        }
    }

    /** The hidden part file a download of {@code target} writes to. */
    static Path partFile(Path target) {
        return target.toAbsolutePath().getParent().resolve("." + target.getFileName() + ".part");
    }

    /** Bytes already there to resume from, or -1 when there is nothing (stale parts are deleted). */
    private long resumeOffset(Request request, Path part, Path state) throws IOException {
        if (!Files.exists(part)) {
            Files.deleteIfExists(state);
            return -1;
        }
        ResumeState s = readState(state);
        long size = Files.size(part);
        boolean same = s != null && request.uri().toString().equals(s.url()) && request.checksum().toString().equals(s.checksum());
        if (!same || size == 0 || (request.expectedSize() >= 0 && size > request.expectedSize())) {
            deleteQuietly(part, state);
            return -1;
        }
        return size;
    }

    private static ResumeState readState(Path state) {
        if (!Files.exists(state)) {
            return null;
        }
        try {
            return Json.read(state, ResumeState.class);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Transfer transfer(Request request, Path part, Path state, long offset, JobMonitor monitor) throws IOException {
        URI uri = request.uri();
        ResumeState previous = offset > 0 ? readState(state) : null;
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(readTimeout).header("User-Agent", userAgent()).GET();
        if (offset > 0) {
            b.header("Range", "bytes=" + offset + "-");
            String validator = previous == null ? null : previous.etag() != null ? previous.etag() : previous.lastModified();
            if (validator != null) {
                b.header("If-Range", validator);
            }
        }
        monitor.progress(-1, "Connecting to " + uri.getHost() + " for " + request.label());
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = send(b.build(), monitor);
        int status = response.statusCode();
        long total;
        boolean append;
        if (status == 206 && offset > 0) {
            long[] range = contentRange(response);
            if (range == null || range[0] != offset) {
                LOG.info("Server answered a resume of {} with an unusable Content-Range; starting again", uri);
                BodyStream.discard(response.body());
                deleteQuietly(part, state);
                return transfer(request, part, state, 0, monitor);
            }
            total = range[2];
            append = true;
        } else if (status == 416 && offset > 0) {
            BodyStream.discard(response.body());
            deleteQuietly(part, state);
            return transfer(request, part, state, 0, monitor);
        } else if (status == 200) {
            total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            append = false;
        } else {
            BodyStream.discard(response.body());
            throw httpError(uri, response);
        }
        if (request.expectedSize() >= 0 && total >= 0 && total != request.expectedSize()) {
            BodyStream.discard(response.body());
            throw new ZooException(Reason.VERIFICATION_FAILED, "The server offers " + total + " bytes at " + uri + " but "
                    + request.expectedSize() + " were published; not downloading it.", uri, null, null);
        }
        long expectedTotal = total >= 0 ? total : request.expectedSize();

        MessageDigest digest = request.checksum().newDigest();
        if (append) {
            seed(digest, part, offset);
        } else {
            offset = 0;
        }
        boolean resumable = response.headers().firstValue("Accept-Ranges").map(v -> v.toLowerCase(Locale.ROOT).contains("bytes"))
                .orElse(status == 206);
        if (resumable) {
            Json.write(state, new ResumeState(uri.toString(), request.checksum().toString(),
                    response.headers().firstValue("ETag").orElse(null), response.headers().firstValue("Last-Modified").orElse(null)));
        } else {
            Files.deleteIfExists(state);
        }

        long count = offset;
        long lastReport = 0;
        String verb = append ? "Resuming " : "Downloading ";
        try (BodyStream body = new BodyStream();
                FileChannel out = FileChannel.open(part, append
                        ? new StandardOpenOption[] {StandardOpenOption.WRITE, StandardOpenOption.APPEND}
                        : new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING})) {
            response.body().subscribe(body);
            report(monitor, verb, request.label(), count, expectedTotal);
            List<ByteBuffer> chunk;
            while ((chunk = nextChunk(body, uri, count, expectedTotal, monitor)) != null) {
                for (ByteBuffer bb : chunk) {
                    digest.update(bb.duplicate());
                    count += bb.remaining();
                    while (bb.hasRemaining()) {
                        out.write(bb);
                    }
                }
                if (request.expectedSize() >= 0 && count > request.expectedSize()) {
                    throw new ZooException(Reason.VERIFICATION_FAILED, "The server sent more than the published " + request.expectedSize()
                            + " bytes for " + uri + "; the download was stopped and deleted.", uri, null, null);
                }
                long now = System.nanoTime();
                if (now - lastReport >= PROGRESS_INTERVAL_NANOS) {
                    lastReport = now;
                    report(monitor, verb, request.label(), count, expectedTotal);
                }
            }
            out.force(true);
        }
        report(monitor, "Downloaded ", request.label(), count, expectedTotal);
        if (total >= 0 && count < total) {
            throw new ZooException(Reason.INTERRUPTED, "The connection to " + uri.getHost() + " closed after " + ByteSize.progress(count, total)
                    + " of " + uri + ".", uri, null, null);
        }
        if (request.expectedSize() >= 0 && count != request.expectedSize()) {
            throw new ZooException(Reason.VERIFICATION_FAILED, "Got " + count + " bytes from " + uri + " but " + request.expectedSize()
                    + " were published; the file was deleted.", uri, null, null);
        }
        return new Transfer(count, digest, append);
    }

    private List<ByteBuffer> nextChunk(BodyStream body, URI uri, long count, long total, JobMonitor monitor) {
        try {
            return body.next(readTimeout, monitor);
        } catch (HttpTimeoutException e) {
            throw new ZooException(Reason.INTERRUPTED, "The download of " + uri + " stalled (" + e.getMessage() + ") after "
                    + ByteSize.progress(count, total) + ".", uri, null, e);
        } catch (IOException e) {
            throw new ZooException(Reason.INTERRUPTED, "The connection to " + uri.getHost() + " broke after " + ByteSize.progress(count, total)
                    + " of " + uri + " (" + describe(e) + ").", uri, null, e);
        }
    }

    private static void report(JobMonitor monitor, String verb, String label, long done, long total) {
        double fraction = total > 0 ? Math.min(1.0, (double) done / total) : -1;
        monitor.progress(fraction, verb + label + ": " + ByteSize.progress(done, total));
    }

    /** Sends the request, waiting in short slices so a cancel is honoured while connecting. */
    private HttpResponse<Flow.Publisher<List<ByteBuffer>>> send(HttpRequest request, JobMonitor monitor) {
        CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> future = client.sendAsync(request,
                HttpResponse.BodyHandlers.ofPublisher());
        while (true) {
            if (monitor.isCancelled()) {
                abandon(future);
                throw new CancellationException("Cancelled");
            }
            try {
                return future.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // keep waiting; the request's own timeout bounds this
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abandon(future);
                throw new CancellationException("Interrupted");
            } catch (ExecutionException e) {
                throw networkError(request.uri(), e.getCause() == null ? e : e.getCause());
            }
        }
    }

    private static void abandon(CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> future) {
        future.thenAccept(r -> BodyStream.discard(r.body()));
        future.cancel(true);
    }

    private static ZooException networkError(URI uri, Throwable e) {
        String host = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        String why;
        if (e instanceof HttpConnectTimeoutException) {
            why = "connecting timed out";
        } else if (e instanceof HttpTimeoutException) {
            why = "the server did not answer in time";
        } else if (hasCause(e, UnresolvedAddressException.class) || hasCause(e, UnknownHostException.class)) {
            why = "the host name does not resolve";
        } else if (e instanceof ConnectException || hasCause(e, ConnectException.class)) {
            why = "the connection was refused or the network is unreachable";
        } else if (hasCause(e, SSLException.class)) {
            why = "the secure connection failed: " + describe(e);
        } else {
            why = describe(e);
        }
        return new ZooException(Reason.NETWORK_UNREACHABLE, "Cannot reach " + host + " (" + why + ") to download " + uri + ".", uri, null, e);
    }

    private static ZooException httpError(URI uri, HttpResponse<?> response) {
        int status = response.statusCode();
        String text = "HTTP " + status + reasonPhrase(status);
        URI answered = response.uri();
        String where = answered.equals(uri) ? uri.toString() : uri + " (redirected to " + answered + ")";
        String extra = "";
        if (status / 100 == 3) {
            extra = response.headers().firstValue("Location").map(l -> "; it redirects to " + l + ", which Thaw does not follow"
                    + " (only redirects that keep HTTPS are followed)").orElse("");
        }
        return new ZooException(Reason.HTTP_STATUS, "Download failed: " + text + " from " + where + extra + ".", uri, null, null);
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 301 -> " Moved Permanently";
            case 302 -> " Found";
            case 400 -> " Bad Request";
            case 401 -> " Unauthorized";
            case 403 -> " Forbidden";
            case 404 -> " Not Found";
            case 408 -> " Request Timeout";
            case 410 -> " Gone";
            case 429 -> " Too Many Requests";
            case 500 -> " Internal Server Error";
            case 502 -> " Bad Gateway";
            case 503 -> " Service Unavailable";
            case 504 -> " Gateway Timeout";
            default -> "";
        };
    }

    /** {start, end, total} from {@code Content-Range: bytes start-end/total}; total -1 when "*". */
    private static long[] contentRange(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("Content-Range");
        if (header.isEmpty()) {
            return null;
        }
        Matcher m = CONTENT_RANGE.matcher(header.get().trim());
        if (!m.matches()) {
            return null;
        }
        long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), total};
    }

    private static void seed(MessageDigest digest, Path part, long length) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = length;
        try (InputStream in = Files.newInputStream(part)) {
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException("Part file " + part + " is shorter than " + length + " bytes");
                }
                digest.update(buf, 0, n);
                left -= n;
            }
        }
    }

    /** Moves a verified file into place; readers see no file or the whole file. */
    static void moveIntoPlace(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // same folder, so this only happens on exotic file systems
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    static void deleteQuietly(Path... paths) {
        for (Path p : paths) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("Cannot delete {}: {}", p, e.getMessage());
            }
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    private static String userAgent() {
        String v = Downloader.class.getPackage().getImplementationVersion();
        return "Thaw/" + (v == null ? "dev" : v) + " (Java " + Runtime.version().feature() + ")";
    }
}
