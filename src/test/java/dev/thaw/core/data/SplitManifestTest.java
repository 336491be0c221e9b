package dev.thaw.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thaw.core.util.JobMonitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitManifestTest {

    @TempDir
    Path dir;

    private Path classes(Path root, String name, int count, long seed) throws IOException {
        for (int i = 0; i < count; i++) {
            TestImages.write(root.resolve(name).resolve(String.format("%s-%02d.png", name, i)), TestImages.picture(40, 32, seed * 100 + i),
                    "png");
        }
        return root;
    }

    private static Stream<LabeledImage> all(SplitManifest m) {
        return Stream.of(m.train(), m.val(), m.test()).flatMap(List::stream);
    }

    @Test
    void classFoldersAreSplitPerClassWithTheSeed() throws IOException {
        Path root = dir.resolve("ds");
        classes(root, "b", 10, 1);
        classes(root, "a", 5, 2);
        SplitManifest m = SplitManifest.of(root, 0.2, 0.2, 7);
        assertThat(m.classes()).containsExactly("a", "b");
        assertThat(m.presplit()).isFalse();
        assertThat(m.seed()).isEqualTo(7);
        assertThat(m.val()).filteredOn(i -> i.label() == 1).hasSize(2);
        assertThat(m.test()).filteredOn(i -> i.label() == 1).hasSize(2);
        assertThat(m.val()).filteredOn(i -> i.label() == 0).hasSize(1);
        assertThat(m.train()).hasSize(15 - 6);
        assertThat(all(m).map(LabeledImage::file).distinct()).hasSize(15);
        assertThat(all(m)).allSatisfy(i -> assertThat(i.file().getParent().getFileName().toString()).isEqualTo(m.classes().get(i.label())));

        assertThat(SplitManifest.of(root, 0.2, 0.2, 7)).isEqualTo(m);
        assertThat(SplitManifest.of(root, 0.2, 0.2, 8).val()).isNotEqualTo(m.val());
    }

    @Test
    void smallClassesStillGetAValidationImageAndKeepOneToTrain() {
        assertThat(SplitPlanner.targets(2, 0.2, 0)).containsExactly(1, 0);
        assertThat(SplitPlanner.targets(1, 0.2, 0)).containsExactly(0, 0);
        assertThat(SplitPlanner.targets(3, 0.2, 0.1)).containsExactly(1, 1);
        assertThat(SplitPlanner.targets(2, 0.2, 0.1)).containsExactly(1, 0);
        assertThat(SplitPlanner.targets(100, 0.2, 0.1)).containsExactly(20, 10);
        assertThat(SplitPlanner.targets(10, 0, 0)).containsExactly(0, 0);
    }

    @Test
    void splitFoldersAreKeptAsGiven() throws IOException {
        Path root = dir.resolve("pre");
        classes(root.resolve("train"), "cat", 4, 1);
        classes(root.resolve("train"), "dog", 3, 2);
        classes(root.resolve("val"), "cat", 2, 3);
        classes(root.resolve("val"), "dog", 1, 4);
        classes(root.resolve("test"), "dog", 1, 5);
        SplitManifest m = SplitManifest.of(root, 0.5, 0.2, 1);
        assertThat(m.presplit()).isTrue();
        assertThat(m.seed()).isEqualTo(-1);
        assertThat(m.classes()).containsExactly("cat", "dog");
        assertThat(m.train()).hasSize(7).allSatisfy(i -> assertThat(i.file().toString()).contains("/train/"));
        assertThat(m.val()).hasSize(3).allSatisfy(i -> assertThat(i.file().toString()).contains("/val/"));
        assertThat(m.test()).hasSize(1);
    }

    @Test
    void splitFoldersWithoutValGetValidationCarvedFromTrain() throws IOException {
        Path root = dir.resolve("noval");
        classes(root.resolve("train"), "cat", 10, 1);
        classes(root.resolve("train"), "dog", 10, 2);
        SplitManifest m = SplitManifest.of(root, 0.2, 0, 3);
        assertThat(m.presplit()).isTrue();
        assertThat(m.seed()).isEqualTo(3);
        assertThat(m.val()).hasSize(4);
        assertThat(m.train()).hasSize(16);
    }

    @Test
    void nestedFoldersBelongToTheirClassAndHiddenFilesAreIgnored() throws IOException {
        Path root = dir.resolve("nested");
        classes(root, "a", 2, 1);
        classes(root, "b", 2, 2);
        TestImages.write(root.resolve("a/2019/summer/x.png"), TestImages.picture(40, 32, 9), "png");
        TestImages.write(root.resolve("a/.cache/y.png"), TestImages.picture(40, 32, 10), "png");
        TestImages.write(root.resolve("a/._z.png"), new byte[] {0, 5, 22, 7});
        TestImages.write(root.resolve("a/notes.txt"), new byte[] {'x'});
        SplitManifest m = SplitManifest.of(root, 0, 0, 1);
        assertThat(m.train()).hasSize(5);
        assertThat(m.train()).extracting(i -> i.file().getFileName().toString()).contains("x.png").doesNotContain("y.png", "._z.png");
    }

    @Test
    void savedManifestLoadsBackWithRelativePathsAndUnicodeNames() throws IOException {
        Path root = dir.resolve("ds ünï");
        classes(root, "chats noirs", 3, 1);
        classes(root, "犬", 3, 2);
        SplitManifest m = SplitManifest.of(root, 0.34, 0, 5);
        Path file = dir.resolve("manifest.json");
        m.save(file);
        assertThat(Files.readString(file)).contains("\"chats noirs/chats noirs-0").doesNotContain(root.toString() + "/chats");
        assertThat(SplitManifest.load(file)).isEqualTo(m);
    }

    @Test
    void fractionsThatLeaveNothingToTrainOnAreRefused() throws IOException {
        Path root = classes(dir.resolve("f"), "a", 2, 1);
        assertThatThrownBy(() -> SplitManifest.of(root, 0.6, 0.4, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("test fraction");
        assertThatThrownBy(() -> SplitManifest.of(root, -0.1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SplitManifest.of(dir.resolve("nope"), 0.2, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No such folder");
    }

    @Test
    void theDoctorsManifestHasOnlyReadableImagesAndKeepsDuplicatesTogether() throws IOException {
        Path root = dir.resolve("dups");
        classes(root, "a", 10, 1);
        classes(root, "b", 10, 2);
        for (int i = 0; i < 4; i++) {
            Files.copy(root.resolve("a/a-00.png"), root.resolve("a/copy-" + i + ".png"));
        }
        TestImages.write(root.resolve("a/broken.png"), new byte[] {1, 2, 3});
        DatasetReport report = DataDoctor.builder().optSplit(0.3, 0, 4).build().check(root, JobMonitor.NONE);
        SplitManifest m = SplitManifest.of(report);
        assertThat(all(m)).hasSize(24).noneMatch(i -> i.file().getFileName().toString().equals("broken.png"));
        Set<Boolean> copiesInVal = new HashSet<>();
        for (LabeledImage i : all(m).toList()) {
            String name = i.file().getFileName().toString();
            if (name.startsWith("copy-") || name.equals("a-00.png")) {
                copiesInVal.add(m.val().contains(i));
            }
        }
        assertThat(copiesInVal).as("all copies in one split").hasSize(1);
        // the counts the doctor showed are the counts of the manifest
        assertThat(report.total(Split.TRAIN)).isEqualTo(m.train().size());
        assertThat(report.total(Split.VAL)).isEqualTo(m.val().size());
        assertThat(report.images()).allSatisfy(e -> assertThat(e.split()).isEqualTo(m.val().contains(new LabeledImage(e.file(), e.label()))
                ? Split.VAL : Split.TRAIN));
    }

    @Test
    void folderSummaryCountsByName() throws IOException {
        Path root = dir.resolve("summary");
        classes(root.resolve("train"), "a", 3, 1);
        classes(root.resolve("val"), "a", 1, 2);
        Files.createDirectories(root.resolve("train/empty"));
        FolderSummary s = FolderSummary.of(root);
        assertThat(s.presplit()).isTrue();
        assertThat(s.classes()).containsExactly("a");
        assertThat(s.count("train", "a")).isEqualTo(3);
        assertThat(s.count("val", "a")).isEqualTo(1);
        assertThat(s.total()).isEqualTo(4);
    }
}
