package dev.thaw.core.backbone.zoo;

import static dev.thaw.core.backbone.zoo.ZooFixtures.TINY_ONNX;
import static dev.thaw.core.backbone.zoo.ZooFixtures.TINY_PT;
import static dev.thaw.core.backbone.zoo.ZooFixtures.sha256;
import static dev.thaw.core.backbone.zoo.ZooFixtures.tar;
import static dev.thaw.core.backbone.zoo.ZooFixtures.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thaw.core.backbone.zoo.ZooException.Reason;
import dev.thaw.core.backbone.zoo.ZooFixtures.TarItem;
import dev.thaw.core.util.JobMonitor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveExtractorTest {

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private String extract(Path archive, Packaging packaging, ModelFormat format, String member) throws IOException {
        return ArchiveExtractor.extract(archive, packaging, format, member, "model", dir.resolve("out"), JobMonitor.NONE);
    }

    @Test
    void zipYieldsTheOnlyModelFileAndItsHash() throws IOException {
        Path archive = write("model.zip", zip("model/", new byte[0], "model/serving.properties", "engine=PyTorch".getBytes(StandardCharsets.UTF_8),
                "model/tiny.pt", TINY_PT, "model/tiny.onnx", TINY_ONNX));

        assertThat(extract(archive, Packaging.ZIP, ModelFormat.TORCHSCRIPT, null)).isEqualTo(sha256(TINY_PT));
        assertThat(dir.resolve("out")).hasBinaryContent(TINY_PT);
        assertThat(extract(archive, Packaging.ZIP, ModelFormat.ONNX, null)).isEqualTo(sha256(TINY_ONNX));
        assertThat(dir.resolve("model")).doesNotExist(); // nothing else is unpacked
    }

    @Test
    void severalCandidatesPreferTheArchiveNameOrTheNamedMember() throws IOException {
        Path archive = write("model.zip", zip("a.pt", new byte[] {1}, "model.pt", TINY_PT, "sub/other.pt", new byte[] {2}));

        assertThat(extract(archive, Packaging.ZIP, ModelFormat.TORCHSCRIPT, null)).isEqualTo(sha256(TINY_PT));
        extract(archive, Packaging.ZIP, ModelFormat.TORCHSCRIPT, "sub/other.pt");
        assertThat(dir.resolve("out")).hasBinaryContent(new byte[] {2});

        Path ambiguous = write("x.zip", zip("a.pt", new byte[] {1}, "b.pt", new byte[] {2}));
        assertThatThrownBy(() -> extract(ambiguous, Packaging.ZIP, ModelFormat.TORCHSCRIPT, null))
                .hasMessageContaining("several .pt files").hasMessageContaining("a.pt, b.pt");
    }

    @Test
    void archiveWithoutAModelSaysWhatItHolds() throws IOException {
        Path archive = write("model.zip", zip("readme.txt", new byte[] {1}));

        assertThatThrownBy(() -> extract(archive, Packaging.ZIP, ModelFormat.TORCHSCRIPT, null))
                .isInstanceOfSatisfying(ZooException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_ARCHIVE))
                .hasMessageContaining("no .pt file").hasMessageContaining("readme.txt");
    }

    @Test
    void zipWithPathTraversalIsRefused() throws IOException {
        Path archive = write("model.zip", zip("model.pt", TINY_PT, "../../evil.pt", new byte[] {6}));

        assertThatThrownBy(() -> extract(archive, Packaging.ZIP, ModelFormat.TORCHSCRIPT, null))
                .isInstanceOfSatisfying(ZooException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_ARCHIVE))
                .hasMessageContaining("path traversal").hasMessageContaining("../../evil.pt");
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(dir.getParent().resolve("evil.pt")).doesNotExist();
    }

    @Test
    void absoluteAndBackslashTraversalNamesAreRefused() throws IOException {
        for (String bad : new String[] {"/etc/model.pt", "a\\..\\..\\model.pt", "C:/model.pt", "a/../../model.pt"}) {
            Path archive = write("bad.zip", zip(bad, TINY_PT));
            assertThatThrownBy(() -> extract(archive, Packaging.ZIP, ModelFormat.TORCHSCRIPT, null)).as(bad)
                    .hasMessageContaining("outside the target folder");
        }
    }

    @Test
    void tarAndTgzYieldTheModel() throws IOException {
        byte[] tarBytes = tar(TarItem.file("resnet/model.pt", TINY_PT), TarItem.file("resnet/synset.txt", new byte[] {'a'}),
                TarItem.symlink("resnet/link.pt", "model.pt"));
        Path plain = write("model.tar", tarBytes);
        Path gz = write("model.tgz", ZooFixtures.gzip(tarBytes));

        assertThat(extract(plain, Packaging.TAR, ModelFormat.TORCHSCRIPT, null)).isEqualTo(sha256(TINY_PT));
        assertThat(extract(gz, Packaging.TGZ, ModelFormat.TORCHSCRIPT, null)).isEqualTo(sha256(TINY_PT));
        assertThat(dir.resolve("out")).hasBinaryContent(TINY_PT);
        assertThat(ArchiveExtractor.list(gz, Packaging.TGZ)).extracting(ArchiveExtractor.Entry::name)
                .containsExactly("resnet/model.pt", "resnet/synset.txt", "resnet/link.pt");
    }

    @Test
    void tarWithTraversalOrOutsideSymlinkIsRefused() throws IOException {
        Path traversal = write("a.tar", tar(TarItem.file("model.pt", TINY_PT), TarItem.file("../evil.pt", new byte[] {1})));
        assertThatThrownBy(() -> extract(traversal, Packaging.TAR, ModelFormat.TORCHSCRIPT, null)).hasMessageContaining("path traversal");

        Path link = write("b.tar", tar(TarItem.symlink("model.pt", "../../../home/user/.ssh/id_rsa")));
        assertThatThrownBy(() -> extract(link, Packaging.TAR, ModelFormat.TORCHSCRIPT, null))
                .hasMessageContaining("link").hasMessageContaining("outside");

        Path absolute = write("c.tar", tar(TarItem.file("x.pt", TINY_PT), TarItem.symlink("y.pt", "/etc/passwd")));
        assertThatThrownBy(() -> extract(absolute, Packaging.TAR, ModelFormat.TORCHSCRIPT, null)).hasMessageContaining("outside");
    }

    @Test
    void linkIsNeverChosenAsTheModel() throws IOException {
        Path archive = write("a.tar", tar(TarItem.file("real.bin", TINY_PT), TarItem.symlink("model.pt", "real.bin")));

        assertThatThrownBy(() -> extract(archive, Packaging.TAR, ModelFormat.TORCHSCRIPT, null)).hasMessageContaining("no .pt file");
        assertThatThrownBy(() -> extract(archive, Packaging.TAR, ModelFormat.TORCHSCRIPT, "model.pt")).hasMessageContaining("link");
    }

    @Test
    void gzipYieldsItsContent() throws IOException {
        Path gz = write("model.pt.gz", ZooFixtures.gzip(TINY_PT));

        assertThat(extract(gz, Packaging.GZIP, ModelFormat.TORCHSCRIPT, null)).isEqualTo(sha256(TINY_PT));
        assertThat(dir.resolve("out")).hasBinaryContent(TINY_PT);
    }

    @Test
    void garbageIsABadArchiveNotACrash() throws IOException {
        Path junk = write("junk", new byte[2000]);
        junk = Files.write(junk, "not an archive at all, just text".repeat(40).getBytes(StandardCharsets.UTF_8));
        for (Packaging p : new Packaging[] {Packaging.ZIP, Packaging.TAR, Packaging.TGZ, Packaging.GZIP}) {
            Path file = junk;
            assertThatThrownBy(() -> extract(file, p, ModelFormat.TORCHSCRIPT, null)).as(p.name())
                    .isInstanceOfSatisfying(ZooException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_ARCHIVE));
        }
    }
}
