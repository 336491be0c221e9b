package dev.thaw.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.thaw.core.util.JobMonitor;
import dev.thaw.core.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDoctorTest {

    @TempDir
    static Path dir;
    static Path corpus;
    static DatasetReport report;
    static boolean symlinks;

    @BeforeAll
    static void checkTheCorpus() throws IOException {
        corpus = BadInputCorpus.write(dir.resolve("corpus"));
        symlinks = Files.isSymbolicLink(corpus.resolve("cats/loop"));
        report = DataDoctor.builder().optThreads(2).build().check(corpus, JobMonitor.NONE);
    }

    private static Set<Path> files(List<Problem> problems) {
        return problems.stream().map(Problem::file).collect(Collectors.toSet());
    }

    private static Problem problemFor(String relative) {
        Path file = corpus.resolve(relative);
        return report.problems().stream().filter(p -> file.equals(p.file())).findFirst()
                .orElseThrow(() -> new AssertionError("no problem for " + relative + " in " + report.problems()));
    }

    @Test
    void everyGoodFileIsCounted() {
        Set<Path> expected = BadInputCorpus.GOOD.values().stream().flatMap(Arrays::stream).map(corpus::resolve).collect(Collectors.toSet());
        assertThat(report.images()).extracting(DatasetReport.ImageEntry::file).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(report.classNames()).containsExactly("cats", "dogs");
        assertThat(report.classes().get(0).total()).isEqualTo(BadInputCorpus.GOOD.get("cats").length);
        assertThat(report.classes().get(1).total()).isEqualTo(BadInputCorpus.GOOD.get("dogs").length);
        assertThat(report.canTrain()).isTrue();
    }

    @Test
    void everyBadFileIsNamedWithItsKindAndAReason() {
        for (var bad : BadInputCorpus.BAD.entrySet()) {
            Problem p = problemFor(bad.getKey());
            assertThat(p.kind()).as(bad.getKey() + ": " + p.message()).isEqualTo(bad.getValue());
            assertThat(p.severity()).isEqualTo(Severity.WARNING);
            assertThat(p.message()).isNotBlank();
        }
        assertThat(report.skippedFiles()).hasSize(BadInputCorpus.BAD.size());
        assertThat(report.classes().get(0).unreadable() + report.classes().get(1).unreadable()).isEqualTo(BadInputCorpus.BAD.size());
    }

    @Test
    void hiddenAndNonImageFilesAreIgnoredAndListed() {
        assertThat(files(report.problems(ProblemKind.HIDDEN_FILE))).contains(corpus.resolve("cats/.DS_Store"),
                corpus.resolve("cats/._cat-01.jpg"), corpus.resolve("cats/.thumbnails"));
        assertThat(files(report.problems(ProblemKind.IGNORED_FILE))).contains(corpus.resolve("cats/readme.txt"),
                corpus.resolve("labels.csv"));
        assertThat(report.problems(Severity.INFO)).extracting(Problem::kind).contains(ProblemKind.HIDDEN_FILE, ProblemKind.IGNORED_FILE);
    }

    @Test
    void folderProblemsAreNamed() {
        assertThat(problemFor("empty-class").kind()).isEqualTo(ProblemKind.EMPTY_CLASS);
        assertThat(report.classNames()).doesNotContain("empty-class");
        assertThat(problemFor("stray.jpg").kind()).isEqualTo(ProblemKind.STRAY_IMAGES);
        if (symlinks) {
            assertThat(problemFor("cats/loop").kind()).isEqualTo(ProblemKind.SYMLINK_LOOP);
            assertThat(problemFor("cats/self-loop").kind()).isEqualTo(ProblemKind.SYMLINK_LOOP);
            assertThat(problemFor("cats/gone.jpg").kind()).isEqualTo(ProblemKind.BROKEN_LINK);
        }
    }

    @Test
    void pointingAtAClassFolderGivesAHintAndDoesNotFollowTheLinkUp() {
        DatasetReport r = DataDoctor.builder().build().check(corpus.resolve("cats"), JobMonitor.NONE);
        assertThat(r.problems(ProblemKind.STRAY_IMAGES)).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("choose its parent folder"));
        if (symlinks) {
            assertThat(r.classNames()).containsExactly("nested");
            assertThat(r.problems(ProblemKind.SYMLINK_LOOP)).extracting(Problem::file).contains(corpus.resolve("cats/loop"));
        }
    }

    @Test
    void oddButUsableImagesAreFlagged() {
        assertThat(problemFor("cats/tiny.png").kind()).isEqualTo(ProblemKind.SMALL_IMAGE);
        assertThat(problemFor("cats/huge 10000x10000.png").kind()).isEqualTo(ProblemKind.LARGE_IMAGE);
        assertThat(problemFor("cats/huge 10000x10000.png").message()).contains("10000x10000");
        Problem dup = problemFor("cats/cat-01 copy.jpg");
        assertThat(dup.kind()).isEqualTo(ProblemKind.DUPLICATE);
        assertThat(dup.related()).containsExactly(corpus.resolve("cats/cat-01.jpg"));
        DatasetReport.ImageEntry rotated = report.images().stream()
                .filter(e -> e.file().endsWith("exif-rotated.jpg")).findFirst().orElseThrow();
        assertThat(rotated.width()).isEqualTo(40);
        assertThat(rotated.height()).isEqualTo(60);
    }

    @Test
    void problemsAreSortedErrorsFirst() {
        List<Severity> order = report.problems().stream().map(Problem::severity).toList();
        List<Severity> sorted = new ArrayList<>(order);
        sorted.sort(null);
        assertThat(order).isEqualTo(sorted);
    }

    @Test
    void theReportIsPlainJson() {
        String json = Json.PRETTY.toJson(report);
        assertThat(json).contains("\"kind\": \"TRUNCATED\"").contains("truncated.png").contains("\"contentHash\"");
        DatasetReport back = Json.PRETTY.fromJson(json, DatasetReport.class);
        assertThat(back.problems()).hasSameSizeAs(report.problems());
        assertThat(back.images()).isEqualTo(report.images());
    }

    @Test
    void aSingleClassCannotTrain() throws IOException {
        Path root = dir.resolve("one-class");
        for (int i = 0; i < 3; i++) {
            TestImages.write(root.resolve("only/" + i + ".png"), TestImages.picture(40, 32, i), "png");
        }
        DatasetReport r = DataDoctor.builder().build().check(root, JobMonitor.NONE);
        assertThat(r.canTrain()).isFalse();
        assertThat(r.problems(Severity.ERROR)).extracting(Problem::kind).containsExactly(ProblemKind.SINGLE_CLASS);
        assertThat(r.problems(Severity.ERROR).get(0).message()).contains("'only'");
    }

    @Test
    void imagesWithoutClassFoldersGetAHint() throws IOException {
        Path root = dir.resolve("flat");
        for (int i = 0; i < 3; i++) {
            TestImages.write(root.resolve(i + ".png"), TestImages.picture(40, 32, i), "png");
        }
        DatasetReport r = DataDoctor.builder().build().check(root, JobMonitor.NONE);
        assertThat(r.problems(Severity.ERROR)).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(ProblemKind.NO_CLASSES);
            assertThat(p.message()).contains("sub-folder");
        });
        assertThat(r.problems(ProblemKind.STRAY_IMAGES)).singleElement().satisfies(p -> assertThat(p.related()).hasSize(3));
    }

    @Test
    void leakageBetweenTrainAndValIsFound() throws IOException {
        Path root = dir.resolve("leaky");
        for (String cls : new String[] {"a", "b"}) {
            for (int i = 0; i < 6; i++) {
                TestImages.write(root.resolve("train/" + cls + "/" + i + ".png"), TestImages.picture(40, 32, cls.hashCode() * 1000L + i), "png");
            }
            TestImages.write(root.resolve("val/" + cls + "/v.png"), TestImages.picture(40, 32, cls.hashCode() * 1000L + 500), "png");
        }
        Files.copy(root.resolve("train/a/0.png"), root.resolve("val/a/leaked.png"));
        Files.copy(root.resolve("train/b/0.png"), root.resolve("train/a/mislabeled.png"));
        DatasetReport r = DataDoctor.builder().build().check(root, JobMonitor.NONE);
        assertThat(r.layout()).isEqualTo(DatasetLayout.SPLIT_FOLDERS);
        assertThat(r.problems(ProblemKind.LEAKAGE)).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(root.resolve("train/a/0.png"));
            assertThat(p.related()).containsExactly(root.resolve("val/a/leaked.png"));
        });
        assertThat(r.problems(ProblemKind.CONFLICTING_LABELS)).hasSize(1);
        assertThat(r.total(Split.VAL)).isEqualTo(3);
    }

    @Test
    void imbalanceIsFlaggedWithBalancedWeights() throws IOException {
        Path root = dir.resolve("lopsided");
        for (int i = 0; i < 30; i++) {
            TestImages.write(root.resolve("many/" + i + ".png"), TestImages.picture(36, 36, i), "png");
        }
        for (int i = 0; i < 5; i++) {
            TestImages.write(root.resolve("few/" + i + ".png"), TestImages.picture(36, 36, 100 + i), "png");
        }
        DatasetReport r = DataDoctor.builder().optSplit(0.2, 0, 1).build().check(root, JobMonitor.NONE);
        assertThat(r.problems(ProblemKind.CLASS_IMBALANCE)).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("6:1").contains("few 3.50").contains("many 0.58"));
        assertThat(r.classes()).extracting(DatasetReport.ClassSummary::suggestedWeight).containsExactly(3.5, 0.5833333134651184);
    }

    @Test
    void progressIsReportedAndCancelStopsTheCheck() {
        List<Double> fractions = new ArrayList<>();
        DataDoctor.builder().optThreads(1).build().check(corpus, new JobMonitor() {
            @Override
            public void progress(double fraction, String message) {
                fractions.add(fraction);
            }

            @Override
            public boolean isCancelled() {
                return false;
            }
        });
        assertThat(fractions).last().isEqualTo(1.0);

        JobMonitor cancelAfterScan = new JobMonitor() {
            int calls;

            @Override
            public void progress(double fraction, String message) {
                calls++;
            }

            @Override
            public boolean isCancelled() {
                return calls > 0;
            }
        };
        assertThatThrownBy(() -> DataDoctor.builder().build().check(corpus, cancelAfterScan)).isInstanceOf(CancellationException.class);
    }

    @Test
    void notAFolderIsAnArgumentError() {
        assertThatThrownBy(() -> DataDoctor.builder().build().check(dir.resolve("missing"), JobMonitor.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing");
    }
}
