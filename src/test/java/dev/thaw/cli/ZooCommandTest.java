package dev.thaw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.thaw.core.runtime.AppHome;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZooCommandTest {

    @TempDir
    Path root;

    private CliRun run(String... args) {
        return CliRun.of(AppHome.at(root), args);
    }

    @Test
    void listShowsTheBuiltInBackbones() {
        CliRun r = run("zoo", "list");

        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("NAME").contains("FEATURES").contains("CACHED")
                .containsPattern("resnet18-embedding\\s+torchscript\\s+41\\.6 MB\\s+224\\s+512\\s+embedding\\s+no")
                .containsPattern("resnet50-classifier\\s+torchscript\\s+95\\.2 MB\\s+224\\s+1000\\s+logits\\s+no")
                .contains(root.resolve("models").toString());
    }

    @Test
    void listDetailsSayWhereToPutFilesByHand() {
        CliRun r = run("zoo", "list", "--details");

        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("https://mlrepo.djl.ai/model/cv/image_classification/ai/djl/pytorch/resnet18_embedding/0.0.1/resnet18_embedding.zip")
                .contains("e37db339e87dc13ae0831e45818fca454f526ffb")
                .contains(root.resolve("models/resnet18-embedding/resnet18_embedding.zip").toString())
                .contains("No ONNX form");
    }

    @Test
    void subcommandsHaveHelp() {
        for (String sub : new String[] {"list", "download"}) {
            CliRun r = run("zoo", sub, "--help");
            assertThat(r.status()).isZero();
            assertThat(r.out()).contains("Usage: thaw zoo " + sub);
        }
        assertThat(run("zoo", "--help").out()).contains("list").contains("download");
    }

    @Test
    void downloadWithoutNetworkSaysWhereToPutTheFile() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CliRun r = run("zoo", "download", "resnet18-embedding", "--base-url", "http://127.0.0.1:" + port + "/");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("error: Cannot reach 127.0.0.1:" + port)
                .contains("put it at " + root.resolve("models/resnet18-embedding/resnet18_embedding.zip"))
                .doesNotContain("Exception").doesNotContain("details in");
    }

    @Test
    void unknownNameIsAOneLineError() {
        CliRun r = run("zoo", "download", "resnet-9000");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("error: No backbone called \"resnet-9000\"").contains("resnet18-embedding")
                .doesNotContain("\n");
    }

    @Test
    void downloadFromACatalogFilePrintsProgressAndThePath() throws Exception {
        byte[] model;
        try (InputStream in = getClass().getResourceAsStream("/models/tiny-resnet.pt")) {
            model = in.readAllBytes();
        }
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/tiny.pt", ex -> {
            ex.sendResponseHeaders(200, model.length);
            ex.getResponseBody().write(model);
            ex.close();
        });
        server.start();
        try {
            Path catalog = Files.writeString(root.resolve("catalog.json"), """
                    {"baseUrl": "http://127.0.0.1:%d/", "entries": [{"name": "tiny", "title": "Tiny", "inputSize": 32, "featureDim": 32,
                      "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25],
                      "files": [{"format": "torchscript", "url": "tiny.pt", "fileName": "tiny.pt", "size": %d, "sha256": "%s"}]}]}
                    """.formatted(server.getAddress().getPort(), model.length, sha256));

            CliRun r = run("zoo", "download", "tiny", "--catalog", catalog.toString());

            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out().strip()).isEqualTo(root.resolve("models/tiny/tiny.pt").toString());
            assertThat(r.err()).contains("\r").contains("130.9 of 130.9 kB");
            assertThat(root.resolve("models/tiny/tiny.json")).exists();

            CliRun list = run("zoo", "list", "--catalog", catalog.toString());
            assertThat(list.out()).containsPattern("tiny\\s+torchscript\\s+130\\.9 kB\\s+32\\s+32\\s+embedding\\s+yes");
        } finally {
            server.stop(0);
        }
    }
}
