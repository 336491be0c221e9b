package dev.thaw.core.backbone.zoo;

import static dev.thaw.core.backbone.zoo.ZooFixtures.TINY_ONNX;
import static dev.thaw.core.backbone.zoo.ZooFixtures.TINY_PT;
import static dev.thaw.core.backbone.zoo.ZooFixtures.entry;
import static dev.thaw.core.backbone.zoo.ZooFixtures.file;
import static dev.thaw.core.backbone.zoo.ZooFixtures.sha1File;
import static dev.thaw.core.backbone.zoo.ZooFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.thaw.core.backbone.zoo.ZooException.Reason;
import dev.thaw.core.backbone.zoo.ZooFixtures.RecordingMonitor;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.util.JobMonitor;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelZooTest {

    @TempDir
    Path root;

    private AppHome home;
    private ZooTestServer server;

    /** A plain .pt with an ONNX sibling; a zipped .pt (sha1 only, like DJL); a gzipped .pt. */
    private static final byte[] ZIPPED = zip("tiny_embedding/", new byte[0], "tiny_embedding/tiny_embedding.pt", TINY_PT,
            "tiny_embedding/serving.properties", "engine=PyTorch\n".getBytes(StandardCharsets.UTF_8));
    private static final byte[] GZIPPED = ZooFixtures.gzip(TINY_PT);

    private final ZooCatalog catalog = ZooCatalog.of(URI.create("https://example.invalid/"), List.of(
            entry("tiny", file(ModelFormat.TORCHSCRIPT, "models/tiny/1/tiny-resnet.pt", Packaging.NONE, TINY_PT),
                    file(ModelFormat.ONNX, "models/tiny/1/tiny-resnet.onnx", Packaging.NONE, TINY_ONNX)),
            entry("tiny-zip", sha1File(ModelFormat.TORCHSCRIPT, "models/tiny-zip/0.0.1/tiny_embedding.zip", Packaging.ZIP, ZIPPED)),
            entry("tiny-gz", sha1File(ModelFormat.TORCHSCRIPT, "models/tiny-gz/0.0.1/tiny.pt.gz", Packaging.GZIP, GZIPPED)),
            entry("tiny-onnx", file(ModelFormat.ONNX, "models/tiny/1/tiny-resnet.onnx", Packaging.NONE, TINY_ONNX))));

    @BeforeEach
    void start() throws IOException {
        home = AppHome.at(root);
        server = new ZooTestServer();
        server.serve("models/tiny/1/tiny-resnet.pt", TINY_PT);
        server.serve("models/tiny/1/tiny-resnet.onnx", TINY_ONNX);
        server.serve("models/tiny-zip/0.0.1/tiny_embedding.zip", ZIPPED);
        server.serve("models/tiny-gz/0.0.1/tiny.pt.gz", GZIPPED);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ModelZoo zoo() {
        return zoo(server.baseUrl());
    }

    private ModelZoo zoo(URI baseUrl) {
        return new ModelZoo(home, catalog, baseUrl, new Downloader(Duration.ofSeconds(2), Duration.ofSeconds(5)));
    }

    /** Everything in the entry's folder except the lock file. */
    private List<String> folder(String name) throws IOException {
        Path dir = home.models().resolve(name);
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".lock")).sorted().toList();
        }
    }

    @Test
    void fetchInstallsTheTorchScriptFileWithSidecarAndOnnxSibling() throws IOException {
        RecordingMonitor monitor = new RecordingMonitor();

        Path pt = zoo().fetch("tiny", monitor);

        assertThat(pt).isEqualTo(home.models().resolve("tiny/tiny.pt")).hasBinaryContent(TINY_PT);
        assertThat(pt.resolveSibling("tiny.onnx")).hasBinaryContent(TINY_ONNX);
        JsonObject sidecar = JsonParser.parseString(Files.readString(pt.resolveSibling("tiny.json"))).getAsJsonObject();
        assertThat(sidecar.keySet()).containsExactlyInAnyOrder("name", "inputSize", "mean", "std", "featureDim");
        assertThat(sidecar.get("name").getAsString()).isEqualTo("Tiny ResNet (test)");
        assertThat(sidecar.get("inputSize").getAsInt()).isEqualTo(32);
        assertThat(sidecar.get("featureDim").getAsInt()).isEqualTo(32);
        assertThat(sidecar.getAsJsonArray("mean")).hasSize(3);
        assertThat(folder("tiny")).containsExactly("tiny.json", "tiny.onnx", "tiny.onnx.verified", "tiny.pt", "tiny.pt.verified");
        assertThat(monitor.fractions).last().isEqualTo(1.0);
        // progress over both files never goes backwards
        List<Double> known = monitor.fractions.stream().filter(f -> f >= 0).toList();
        assertThat(known).isSorted();
    }

    @Test
    void staticFetchUsesTheConfiguredBaseUrl() {
        // the contract other code calls: the built-in catalog, base URL from the system property
        String before = System.getProperty(ModelZoo.BASE_URL_PROPERTY);
        System.setProperty(ModelZoo.BASE_URL_PROPERTY, "http://127.0.0.1:9/mirror");
        try {
            assertThat(new ModelZoo(home).baseUrl()).isEqualTo(URI.create("http://127.0.0.1:9/mirror/"));
            assertThat(new ModelZoo(home, catalog, null, new Downloader()).baseUrl()).isEqualTo(URI.create("http://127.0.0.1:9/mirror/"));
        } finally {
            if (before == null) {
                System.clearProperty(ModelZoo.BASE_URL_PROPERTY);
            } else {
                System.setProperty(ModelZoo.BASE_URL_PROPERTY, before);
            }
        }
        assertThat(ModelZoo.names()).contains("resnet18-embedding");
    }

    @Test
    void onnxOnlyEntryReturnsTheOnnxFile() {
        Path onnx = zoo().fetch("tiny-onnx", JobMonitor.NONE);

        assertThat(onnx).hasFileName("tiny-onnx.onnx").hasBinaryContent(TINY_ONNX);
        assertThat(onnx.resolveSibling("tiny-onnx.json")).exists();
    }

    @Test
    void cacheHitSkipsTheDownload() {
        zoo().fetch("tiny", JobMonitor.NONE);
        int afterFirst = server.requests();
        assertThat(afterFirst).isEqualTo(2);

        Path again = zoo().fetch("tiny", JobMonitor.NONE);

        assertThat(server.requests()).isEqualTo(afterFirst);
        assertThat(again).hasBinaryContent(TINY_PT);
        assertThat(zoo().isCached("tiny")).isTrue();
    }

    @Test
    void cacheHitNeedsNoNetworkAtAll() throws IOException {
        zoo().fetch("tiny", JobMonitor.NONE);
        server.close();

        assertThat(zoo(ZooTestServer.closedPortUrl()).fetch("tiny", JobMonitor.NONE)).hasBinaryContent(TINY_PT);
    }

    @Test
    void changedFileIsVerifiedAgainAndReplaced() throws IOException {
        Path pt = zoo().fetch("tiny", JobMonitor.NONE);
        int requests = server.requests();

        // touched but unchanged: re-hashed, kept, no download
        Files.setLastModifiedTime(pt, FileTime.fromMillis(Files.getLastModifiedTime(pt).toMillis() - 60_000));
        assertThat(zoo().isCached("tiny")).isFalse();
        zoo().fetch("tiny", JobMonitor.NONE);
        assertThat(server.requests()).isEqualTo(requests);
        assertThat(zoo().isCached("tiny")).isTrue();

        // changed content: downloaded again
        Files.write(pt, new byte[] {1, 2, 3});
        assertThat(zoo().fetch("tiny", JobMonitor.NONE)).hasBinaryContent(TINY_PT);
        assertThat(server.requests()).isEqualTo(requests + 1);
    }

    @Test
    void badChecksumIsRejectedAndNothingIsLeftInTheCache() throws IOException {
        byte[] tampered = Arrays.copyOf(TINY_PT, TINY_PT.length);
        tampered[1234] ^= 1;
        server.serve("models/tiny/1/tiny-resnet.pt", tampered);

        assertThatThrownBy(() -> zoo().fetch("tiny", JobMonitor.NONE))
                .isInstanceOfSatisfying(ZooException.class, e -> assertThat(e.reason()).isEqualTo(Reason.VERIFICATION_FAILED))
                .hasMessageContaining("does not match its published sha256")
                .hasMessageContaining(server.url("models/tiny/1/tiny-resnet.pt").toString());
        assertThat(folder("tiny")).isEmpty();
        assertThat(zoo().isCached("tiny")).isFalse();
    }

    @Test
    void interruptedDownloadIsNotUsedAndTheNextFetchSucceeds() throws IOException {
        server.serve("models/tiny/1/tiny-resnet.pt", TINY_PT).dropOnceAfter(60_000);

        assertThatThrownBy(() -> zoo().fetch("tiny", JobMonitor.NONE))
                .isInstanceOfSatisfying(ZooException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INTERRUPTED));
        assertThat(folder("tiny")).isEmpty();

        assertThat(zoo().fetch("tiny", JobMonitor.NONE)).hasBinaryContent(TINY_PT);
        assertThat(server.requests()).isEqualTo(3); // the dropped one, then .pt and .onnx
    }

    @Test
    void interruptedDownloadResumesWhenTheServerSupportsRanges() throws IOException {
        server.serve("models/tiny/1/tiny-resnet.pt", TINY_PT).dropOnceAfter(60_000).ranges = true;

        assertThatThrownBy(() -> zoo().fetch("tiny", JobMonitor.NONE)).isInstanceOf(ZooException.class);
        assertThat(folder("tiny")).containsExactly(".tiny.pt.part", ".tiny.pt.part.json"); // kept only to resume
        assertThat(zoo().isCached("tiny")).isFalse();

        assertThat(zoo().fetch("tiny", JobMonitor.NONE)).hasBinaryContent(TINY_PT);
        assertThat(server.rangeHeaders).containsExactly("bytes=60000-");
        assertThat(folder("tiny")).doesNotContain(".tiny.pt.part", ".tiny.pt.part.json");
    }

    @Test
    void cancelViaTheMonitorLeavesNothing() throws IOException {
        RecordingMonitor monitor = new RecordingMonitor(m -> m.startsWith("Downloading"));

        assertThatThrownBy(() -> zoo().fetch("tiny", monitor)).isInstanceOf(CancellationException.class);
        assertThat(folder("tiny")).isEmpty();

        RecordingMonitor whileUnpacking = new RecordingMonitor(m -> m.startsWith("Unpacking"));
        assertThatThrownBy(() -> zoo().fetch("tiny-zip", whileUnpacking)).isInstanceOf(CancellationException.class);
        assertThat(folder("tiny-zip")).isEmpty();
    }

    @Test
    void httpErrorsGiveAMessageNamingTheUrl() throws IOException {
        server.status("models/tiny/1/tiny-resnet.pt", 404);
        assertThatThrownBy(() -> zoo().fetch("tiny", JobMonitor.NONE))
                .isInstanceOfSatisfying(ZooException.class, e -> assertThat(e.reason()).isEqualTo(Reason.HTTP_STATUS))
                .hasMessageContaining("HTTP 404").hasMessageContaining(server.url("models/tiny/1/tiny-resnet.pt").toString());

        server.status("models/tiny/1/tiny-resnet.pt", 500);
        assertThatThrownBy(() -> zoo().fetch("tiny", JobMonitor.NONE))
                .hasMessageContaining("HTTP 500").hasMessageContaining(server.url("models/tiny/1/tiny-resnet.pt").toString());
        assertThat(folder("tiny")).isEmpty();
    }

    @Test
    void zipArchiveIsVerifiedWithSha1UnpackedAndRemoved() throws IOException {
        Path pt = zoo().fetch("tiny-zip", JobMonitor.NONE);

        assertThat(pt).isEqualTo(home.models().resolve("tiny-zip/tiny-zip.pt")).hasBinaryContent(TINY_PT);
        assertThat(folder("tiny-zip")).containsExactly("tiny-zip.json", "tiny-zip.pt", "tiny-zip.pt.verified");
        String marker = Files.readString(pt.resolveSibling("tiny-zip.pt.verified"));
        assertThat(marker).contains(ZooFixtures.sha256(TINY_PT)).contains("sha1:" + ZooFixtures.sha1(ZIPPED));

        int requests = server.requests();
        zoo().fetch("tiny-zip", JobMonitor.NONE);
        assertThat(server.requests()).isEqualTo(requests);
    }

    @Test
    void gzippedModelIsUnpacked() {
        assertThat(zoo().fetch("tiny-gz", JobMonitor.NONE)).hasFileName("tiny-gz.pt").hasBinaryContent(TINY_PT);
    }

    @Test
    void archiveWithPathTraversalIsRefusedAndRemoved() throws IOException {
        byte[] evil = zip("tiny_embedding.pt", TINY_PT, "../../../evil.pt", new byte[] {1});
        ZooCatalog evilCatalog = ZooCatalog.of(server.baseUrl(),
                List.of(entry("evil", file(ModelFormat.TORCHSCRIPT, "evil/tiny_embedding.zip", Packaging.ZIP, evil))));
        server.serve("evil/tiny_embedding.zip", evil);
        ModelZoo zoo = new ModelZoo(home, evilCatalog, null, new Downloader());

        assertThatThrownBy(() -> zoo.fetch("evil", JobMonitor.NONE))
                .isInstanceOfSatisfying(ZooException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_ARCHIVE))
                .hasMessageContaining("path traversal");
        assertThat(folder("evil")).isEmpty();
        assertThat(root.resolve("evil.pt")).doesNotExist();
    }

    @Test
    void offlineMessageSaysWhereToPutTheFileByHand() throws IOException {
        ModelZoo offline = zoo(ZooTestServer.closedPortUrl());

        assertThatThrownBy(() -> offline.fetch("tiny-zip", JobMonitor.NONE))
                .isInstanceOfSatisfying(ZooException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NETWORK_UNREACHABLE);
                    assertThat(e.manualPath()).contains(home.models().resolve("tiny-zip/tiny_embedding.zip"));
                })
                .hasMessageContaining("Cannot reach 127.0.0.1")
                .hasMessageContaining("put it at " + home.models().resolve("tiny-zip/tiny_embedding.zip"))
                .hasMessageContaining("sha1");
        assertThat(folder("tiny-zip")).isEmpty();
    }

    @Test
    void fileDownloadedByHandIsAcceptedWhenItsChecksumMatches() throws IOException {
        ModelZoo offline = zoo(ZooTestServer.closedPortUrl());
        Path manual = offline.manualPath("tiny-zip", catalog.entry("tiny-zip").files().get(0));
        Files.createDirectories(manual.getParent());
        Files.write(manual, ZIPPED);

        assertThat(offline.fetch("tiny-zip", JobMonitor.NONE)).hasBinaryContent(TINY_PT);
        assertThat(offline.isCached("tiny-zip")).isTrue();

        // a plain file placed under its installed name is accepted the same way
        Path plain = offline.installedPath("tiny-onnx", ModelFormat.ONNX);
        Files.createDirectories(plain.getParent());
        Files.write(plain, TINY_ONNX);
        assertThat(offline.fetch("tiny-onnx", JobMonitor.NONE)).isEqualTo(plain);
        assertThat(server.requests()).isZero();
    }

    @Test
    void fileDownloadedByHandThatDoesNotMatchIsSetAside() throws IOException {
        Path manual = zoo().manualPath("tiny-zip", catalog.entry("tiny-zip").files().get(0));
        Files.createDirectories(manual.getParent());
        Files.write(manual, new byte[ZIPPED.length]);

        assertThat(zoo().fetch("tiny-zip", JobMonitor.NONE)).hasBinaryContent(TINY_PT);
        assertThat(folder("tiny-zip")).contains("tiny_embedding.zip.rejected").doesNotContain("tiny_embedding.zip");
    }

    @Test
    void concurrentFetchesOfOneEntryDownloadOnce() throws Exception {
        ZooTestServer.Route slow = server.serve("models/tiny/1/tiny-resnet.pt", TINY_PT);
        slow.chunkSize = 16_384;
        slow.pauseMillis = 30;
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                results.add(pool.submit(() -> zoo().fetch("tiny", JobMonitor.NONE)));
            }
            for (Future<Path> f : results) {
                assertThat(f.get()).hasBinaryContent(TINY_PT);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.requests()).isEqualTo(2); // one .pt, one .onnx
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> zoo().fetch("resnet-9000", JobMonitor.NONE))
                .isInstanceOfSatisfying(ZooException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_ENTRY))
                .hasMessageContaining("resnet-9000").hasMessageContaining("tiny, tiny-zip");
    }
}
