package dev.thaw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.thaw.core.data.BadInputCorpus;
import dev.thaw.core.runtime.AppHome;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data commands as a new user meets them: on a folder of bad input, nothing crashes and everything is named. */
class DataCommandsTest {

    @TempDir
    static Path dir;
    static Path corpus;

    @BeforeAll
    static void writeCorpus() throws IOException {
        corpus = BadInputCorpus.write(dir.resolve("my photos"));
    }

    private static CliRun run(String... args) {
        return CliRun.of(AppHome.resolve(), args);
    }

    @Test
    void doctorNamesEveryBadFileWithAReasonAndCountsTheGoodOnes() {
        CliRun r = run("doctor", corpus.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        for (String bad : BadInputCorpus.BAD.keySet()) {
            assertThat(r.out()).contains(Path.of(bad) + ": ");
        }
        assertThat(r.out()).contains("Ready to train on " + BadInputCorpus.goodCount() + " images in 2 classes")
                .contains(BadInputCorpus.BAD.size() + " files will be skipped")
                .contains("empty-class").contains("Hidden files").contains("truncated").doesNotContain("Exception");
    }

    @Test
    void doctorJsonIsTheWholeReport() {
        CliRun r = run("doctor", "--json", corpus.toString());
        assertThat(r.status()).isZero();
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertThat(json.getAsJsonArray("images")).hasSize(BadInputCorpus.goodCount());
        assertThat(json.get("layout").getAsString()).isEqualTo("CLASS_FOLDERS");
    }

    @Test
    void doctorFailsWithStatus3WhenTheDatasetCannotTrain() throws IOException {
        Path one = dir.resolve("one");
        Files.createDirectories(one.resolve("cats"));
        Files.copy(corpus.resolve("cats/cat-02.jpg"), one.resolve("cats/cat.jpg"));
        CliRun r = run("doctor", one.toString());
        assertThat(r.status()).isEqualTo(DoctorCommand.CANNOT_TRAIN);
        assertThat(r.out()).contains("ERROR  Only one class").contains("Cannot train");
    }

    @Test
    void doctorOnAMissingFolderIsOneReadableLine() {
        CliRun r = run("doctor", dir.resolve("nope").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("error: No such folder").doesNotContain("Exception");
    }

    @Test
    void previewAugmentWritesAGrid() throws IOException {
        Path png = dir.resolve("grid.png");
        CliRun r = run("preview-augment", corpus.toString(), "-o", png.toString(), "--images", "3", "--variants", "4", "--size",
                "64", "--augment", "strong");
        assertThat(r.status()).as(r.err()).isZero();
        BufferedImage grid = ImageIO.read(png.toFile());
        assertThat(grid.getWidth()).isEqualTo(5 * 64 + 6 * 4);
        assertThat(grid.getHeight()).isGreaterThanOrEqualTo(64);
    }

    @Test
    void previewAugmentRejectsAnUnknownPreset() {
        CliRun r = run("preview-augment", corpus.toString(), "--augment", "wild");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("unknown preset 'wild'");
    }

    @Test
    void benchDataPrintsATable() {
        CliRun r = run("bench-data", "--images", "8", "--width", "120", "--height", "90", "--size", "32", "--threads", "1");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("| scenario |").contains("decode + resize (no cache)").contains("later epoch (cache)");
    }
}
