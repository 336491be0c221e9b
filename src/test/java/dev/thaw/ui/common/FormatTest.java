package dev.thaw.ui.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FormatTest {

    private final Path work = Path.of("/data/projects/thaw").toAbsolutePath();
    private final Path home = Path.of("/data/anna").toAbsolutePath();

    @Test
    void aFolderInsideTheWorkingFolderIsShownRelativeToIt() {
        assertThat(Format.path(work.resolve("sample-data/shapes-target"), work, home))
                .isEqualTo(Path.of("sample-data", "shapes-target").toString());
    }

    @Test
    void aFolderInTheHomeFolderStartsWithTilde() {
        assertThat(Format.path(home.resolve("Pictures/cats"), work, home)).isEqualTo("~" + java.io.File.separator
                + Path.of("Pictures", "cats"));
    }

    @Test
    void anythingElseStaysAbsoluteAndTheWorkingFolderItselfIsNotEmpty() {
        Path elsewhere = Path.of("/mnt/photos").toAbsolutePath();
        assertThat(Format.path(elsewhere, work, home)).isEqualTo(elsewhere.toString());
        assertThat(Format.path(work, work, home)).isEqualTo(work.toString());
    }

    @Test
    void countsDurationsAndPercentages() {
        assertThat(Format.count(1_234_567)).isEqualTo("1.23 M");
        assertThat(Format.count(48_300)).isEqualTo("48.3 k");
        assertThat(Format.duration(3723)).isEqualTo("1:02:03");
        assertThat(Format.percent(0.834)).isEqualTo("83.4 %");
        assertThat(Format.percent(Double.NaN)).isEqualTo("–");
    }
}
