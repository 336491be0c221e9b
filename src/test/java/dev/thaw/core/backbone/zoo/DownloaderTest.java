package dev.thaw.core.backbone.zoo;

import static dev.thaw.core.backbone.zoo.ZooFixtures.TINY_PT;
import static dev.thaw.core.backbone.zoo.ZooFixtures.sha1;
import static dev.thaw.core.backbone.zoo.ZooFixtures.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thaw.core.backbone.zoo.ZooException.Reason;
import dev.thaw.core.backbone.zoo.ZooFixtures.RecordingMonitor;
import dev.thaw.core.util.JobMonitor;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloaderTest {

    @TempDir
    Path dir;

    private ZooTestServer server;
    private final Downloader downloader = new Downloader(Duration.ofSeconds(2), Duration.ofSeconds(5));

    @BeforeEach
    void start() throws IOException {
        server = new ZooTestServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Downloader.Request request(String path, byte[] published) {
        return new Downloader.Request(server.url(path), dir.resolve("model.pt"), published.length,
                new Checksum(Checksum.SHA_256, sha256(published)), "model.pt");
    }

    private String[] filesLeft() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void downloadsVerifiesAndReportsReadableProgress() throws IOException {
        server.serve("m.pt", TINY_PT);
        RecordingMonitor monitor = new RecordingMonitor();

        Path result = downloader.download(request("m.pt", TINY_PT), monitor);

        assertThat(result).hasBinaryContent(TINY_PT);
        assertThat(filesLeft()).containsExactly("model.pt");
        assertThat(monitor.messages).anyMatch(m -> m.matches("Downloaded model\\.pt: 130\\.9 of 130\\.9 kB"));
        assertThat(monitor.fractions).contains(1.0);
    }

    @Test
    void sha1OnlyChecksumsAreVerifiedToo() {
        server.serve("m.pt", TINY_PT);
        Downloader.Request sha1Request = new Downloader.Request(server.url("m.pt"), dir.resolve("model.pt"), TINY_PT.length,
                new Checksum(Checksum.SHA_1, sha1(TINY_PT)), null);
        assertThat(downloader.download(sha1Request, JobMonitor.NONE)).hasBinaryContent(TINY_PT);

        byte[] other = Arrays.copyOf(TINY_PT, TINY_PT.length);
        other[100] ^= 1;
        Downloader.Request wrong = new Downloader.Request(server.url("m.pt"), dir.resolve("other.pt"), TINY_PT.length,
                new Checksum(Checksum.SHA_1, sha1(other)), null);
        assertThatThrownBy(() -> downloader.download(wrong, JobMonitor.NONE)).hasMessageContaining("sha1");
    }

    @Test
    void unknownLengthIsReportedWithoutAFraction() {
        server.serve("m.pt", TINY_PT).chunked = true;
        RecordingMonitor monitor = new RecordingMonitor();
        Downloader.Request r = new Downloader.Request(server.url("m.pt"), dir.resolve("model.pt"), -1,
                new Checksum(Checksum.SHA_256, sha256(TINY_PT)), "model.pt");

        assertThat(downloader.download(r, monitor)).hasBinaryContent(TINY_PT);
        assertThat(monitor.fractions).allMatch(f -> f < 0);
        assertThat(monitor.messages).contains("Downloaded model.pt: 130.9 kB");
    }

    @Test
    void badChecksumIsRejectedAndNothingIsLeft() throws IOException {
        byte[] served = Arrays.copyOf(TINY_PT, TINY_PT.length);
        served[5000] ^= 0x40;
        server.serve("m.pt", served);

        assertThatThrownBy(() -> downloader.download(request("m.pt", TINY_PT), JobMonitor.NONE))
                .isInstanceOfSatisfying(ZooException.class, e -> assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED))
                .hasMessageContaining(server.url("m.pt").toString()).hasMessageContaining("sha256");
        assertThat(filesLeft()).isEmpty();
    }

    @Test
    void sizeThatDiffersFromThePublishedOneIsRefusedBeforeDownloading() throws IOException {
        server.serve("m.pt", Arrays.copyOf(TINY_PT, 1000));

        assertThatThrownBy(() -> downloader.download(request("m.pt", TINY_PT), JobMonitor.NONE))
                .hasMessageContaining("1000 bytes").hasMessageContaining(String.valueOf(TINY_PT.length));
        assertThat(filesLeft()).isEmpty();
    }

    @Test
    void httpErrorsNameTheUrlAndTheStatus() throws IOException {
        server.status("gone.pt", 404);
        server.status("broken.pt", 500);

        assertThatThrownBy(() -> downloader.download(request("gone.pt", TINY_PT), JobMonitor.NONE))
                .isInstanceOfSatisfying(ZooException.class, e -> assertThat(e.reason()).isEqualTo(Reason.HTTP_STATUS))
                .hasMessageContaining("HTTP 404 Not Found").hasMessageContaining(server.url("gone.pt").toString());
        assertThatThrownBy(() -> downloader.download(request("broken.pt", TINY_PT), JobMonitor.NONE))
                .hasMessageContaining("HTTP 500").hasMessageContaining(server.url("broken.pt").toString());
        assertThat(filesLeft()).isEmpty();
    }

    @Test
    void redirectsAreFollowed() {
        server.serve("real/m.pt", TINY_PT);
        server.redirect("m.pt", server.url("real/m.pt").toString());

        assertThat(downloader.download(request("m.pt", TINY_PT), JobMonitor.NONE)).hasBinaryContent(TINY_PT);
        assertThat(server.requests()).isEqualTo(2);
    }

    @Test
    void unreachableHostIsANetworkProblemNamingTheUrl() throws IOException {
        URI closed = ZooTestServer.closedPortUrl().resolve("m.pt");
        Downloader.Request r = new Downloader.Request(closed, dir.resolve("model.pt"), TINY_PT.length,
                new Checksum(Checksum.SHA_256, sha256(TINY_PT)), null);

        assertThatThrownBy(() -> downloader.download(r, JobMonitor.NONE))
                .isInstanceOfSatisfying(ZooException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NETWORK_UNREACHABLE))
                .hasMessageContaining("Cannot reach 127.0.0.1").hasMessageContaining(closed.toString());
        assertThat(filesLeft()).isEmpty();
    }

    @Test
    void droppedConnectionFailsAndLeavesNothingWhenTheServerCannotResume() throws IOException {
        server.serve("m.pt", TINY_PT).dropOnceAfter(50_000);

        assertThatThrownBy(() -> downloader.download(request("m.pt", TINY_PT), JobMonitor.NONE))
                .isInstanceOfSatisfying(ZooException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INTERRUPTED))
                .hasMessageContaining(server.url("m.pt").toString());
        assertThat(filesLeft()).isEmpty();

        assertThat(downloader.download(request("m.pt", TINY_PT), JobMonitor.NONE)).hasBinaryContent(TINY_PT);
        assertThat(server.rangeHeaders).isEmpty();
    }

    @Test
    void droppedConnectionResumesWithARangeRequest() throws IOException {
        server.serve("m.pt", TINY_PT).dropOnceAfter(50_000).ranges = true;

        assertThatThrownBy(() -> downloader.download(request("m.pt", TINY_PT), JobMonitor.NONE)).isInstanceOf(ZooException.class);
        assertThat(dir.resolve("model.pt")).doesNotExist();
        assertThat(Downloader.partFile(dir.resolve("model.pt"))).hasSize(50_000);

        RecordingMonitor monitor = new RecordingMonitor();
        assertThat(downloader.download(request("m.pt", TINY_PT), monitor)).hasBinaryContent(TINY_PT);
        assertThat(server.rangeHeaders).containsExactly("bytes=50000-");
        assertThat(monitor.messages).anyMatch(m -> m.startsWith("Resuming model.pt"));
        assertThat(filesLeft()).containsExactly("model.pt");
    }

    @Test
    void resumedFileThatDoesNotVerifyStartsAgainFromZero() throws IOException {
        server.serve("m.pt", TINY_PT).dropOnceAfter(50_000).ranges = true;
        assertThatThrownBy(() -> downloader.download(request("m.pt", TINY_PT), JobMonitor.NONE)).isInstanceOf(ZooException.class);
        Path part = Downloader.partFile(dir.resolve("model.pt"));
        byte[] corrupted = Files.readAllBytes(part);
        corrupted[10] ^= 1;
        Files.write(part, corrupted);

        assertThat(downloader.download(request("m.pt", TINY_PT), JobMonitor.NONE)).hasBinaryContent(TINY_PT);
        assertThat(server.requests()).isEqualTo(3);
        assertThat(filesLeft()).containsExactly("model.pt");
    }

    @Test
    void partFromAnotherDownloadIsNotResumed() throws IOException {
        server.serve("m.pt", TINY_PT).ranges = true;
        Path part = Downloader.partFile(dir.resolve("model.pt"));
        Files.write(part, new byte[] {1, 2, 3});

        assertThat(downloader.download(request("m.pt", TINY_PT), JobMonitor.NONE)).hasBinaryContent(TINY_PT);
        assertThat(server.rangeHeaders).isEmpty();
    }

    @Test
    void cancelLeavesNothing() throws IOException {
        server.serve("m.pt", TINY_PT).ranges = true;
        RecordingMonitor monitor = new RecordingMonitor(m -> m.startsWith("Downloading"));

        assertThatThrownBy(() -> downloader.download(request("m.pt", TINY_PT), monitor)).isInstanceOf(CancellationException.class);
        assertThat(filesLeft()).isEmpty();
    }

    @Test
    void cancelWorksWhileTheServerStalls() throws Exception {
        ZooTestServer.Route route = server.serve("m.pt", TINY_PT);
        route.stallAfter = 10_000;
        route.stallMillis = 30_000;
        RecordingMonitor monitor = new RecordingMonitor();
        Thread canceller = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            monitor.cancelled.set(true);
        });
        canceller.start();
        long t0 = System.nanoTime();

        assertThatThrownBy(() -> downloader.download(request("m.pt", TINY_PT), monitor)).isInstanceOf(CancellationException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(filesLeft()).isEmpty();
    }

    @Test
    void stalledServerTimesOutWithAClearMessage() throws IOException {
        ZooTestServer.Route route = server.serve("m.pt", TINY_PT);
        route.stallAfter = 10_000;
        route.stallMillis = 30_000;
        Downloader impatient = new Downloader(Duration.ofSeconds(2), Duration.ofMillis(400));

        assertThatThrownBy(() -> impatient.download(request("m.pt", TINY_PT), JobMonitor.NONE))
                .isInstanceOfSatisfying(ZooException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INTERRUPTED))
                .hasMessageContaining("stalled").hasMessageContaining(server.url("m.pt").toString());
        assertThat(filesLeft()).isEmpty();
    }
}
