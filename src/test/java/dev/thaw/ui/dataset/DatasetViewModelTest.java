package dev.thaw.ui.dataset;

import dev.thaw.ui.common.ThumbnailLoader;
import dev.thaw.ui.common.DecodingThumbnailLoader;
import static org.assertj.core.api.Assertions.assertThat;

import dev.thaw.core.data.DataDoctor;
import dev.thaw.core.data.DatasetReport;
import dev.thaw.core.data.ImageLoadException;
import dev.thaw.core.data.ProblemKind;
import dev.thaw.core.data.Severity;
import dev.thaw.core.data.SplitManifest;
import dev.thaw.core.runtime.SampleData;
import dev.thaw.ui.common.CurrentThreadTaskExecutor;
import dev.thaw.ui.common.TaskExecutor;
import dev.thaw.ui.common.UiThread;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dataset panel's logic without a toolkit: jobs run on the test thread, state changes at once. */
class DatasetViewModelTest {

    @TempDir
    Path tmp;

    private final List<Path> revealed = new ArrayList<>();

    private DatasetViewModel vm(TaskExecutor executor, ThumbnailLoader loader) {
        return new DatasetViewModel(executor, UiThread.DIRECT, DataDoctor.builder().optThreads(2).build(), loader, revealed::add);
    }

    private DatasetViewModel vm() {
        return vm(new CurrentThreadTaskExecutor(), new DecodingThumbnailLoader());
    }

    private static ProblemRow problemAt(DatasetViewModel vm, String where) {
        return vm.allProblems().stream().filter(p -> p.where().equals(where)).findFirst()
                .orElseThrow(() -> new AssertionError("no problem for " + where + " in " + vm.allProblems()));
    }

    private static ClassRow row(DatasetViewModel vm, String name) {
        return vm.rows().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theSampleTargetDatasetOpensWithItsCountsPerClassAndNothingBlocking() {
        DatasetViewModel vm = vm();
        Path sample = SampleData.folder(SampleData.TARGET).orElseThrow();

        vm.open(sample);

        assertThat(vm.errorProperty().get()).isNull();
        assertThat(vm.folderProperty().get()).isEqualTo(sample);
        assertThat(vm.rows()).hasSize(8).allSatisfy(r -> {
            assertThat(r.train()).isEqualTo(24);
            assertThat(r.val()).isEqualTo(40);
            assertThat(r.test()).isZero();
            assertThat(r.unreadable()).isZero();
            assertThat(r.suggestedWeight()).isEqualTo(1.0);
        });
        assertThat(vm.rows().get(0).name()).isEqualTo("asterisk");
        assertThat(vm.trainableProperty().get()).isTrue();
        assertThat(vm.blockingReasonProperty().get()).isNull();
        assertThat(vm.summaryProperty().get()).contains("8 classes").contains("512 images").contains("train / val as given");
        assertThat(vm.allProblems()).isEmpty();
        assertThat(vm.imbalancedProperty().get()).isFalse();
        assertThat(vm.useClassWeightsProperty().get()).isFalse();
        assertThat(vm.scanningProperty().get()).isFalse();

        SplitManifest manifest = vm.splitManifestProperty().get();
        assertThat(manifest.train()).hasSize(192);
        assertThat(manifest.val()).hasSize(320);
        assertThat(manifest.classes()).hasSize(8);

        // Six samples per class, from the training images, all decoded.
        assertThat(vm.loadingThumbnailsProperty().get()).isFalse();
        assertThat(vm.rows()).allSatisfy(r -> assertThat(r.samples()).hasSize(DatasetViewModel.SAMPLES_PER_CLASS)
                .allSatisfy(t -> {
                    assertThat(t.caption()).startsWith("train/" + r.name() + "/");
                    assertThat(t.details()).contains("64 × 64").contains("JPEG");
                    assertThat(t.imageProperty().get()).isNotNull();
                    assertThat(t.imageProperty().get().getWidth()).isEqualTo(64);
                }));
        // Spread over the class, not its first six files.
        assertThat(vm.rows().get(0).samples().get(1).caption()).isEqualTo("train/asterisk/0004.jpg");
    }

    @Test
    void aSingleClassIsShownButBlocksTrainingAndSaysWhy() throws IOException {
        Path flowers = Folders.images(tmp.resolve("flowers"), "daisy", 6);
        Files.write(flowers.resolve("daisy/empty.jpg"), new byte[0]);
        DatasetViewModel vm = vm();

        vm.open(flowers);

        assertThat(vm.errorProperty().get()).isNull();
        assertThat(vm.rows()).extracting(ClassRow::name).containsExactly("daisy");
        assertThat(vm.trainableProperty().get()).isFalse();
        assertThat(vm.blockingReasonProperty().get()).containsIgnoringCase("only one class").contains("'daisy'");
        assertThat(vm.splitManifestProperty().get()).isNull();
        // Errors come first in the list.
        assertThat(vm.problems().get(0).severity()).isEqualTo(Severity.ERROR);
        assertThat(vm.problems().get(0).kind()).isEqualTo(ProblemKind.SINGLE_CLASS);
        assertThat(vm.problems().get(0).where()).isEqualTo("Whole dataset");
        assertThat(vm.errorCountProperty().get()).isEqualTo(1);
    }

    @Test
    void badFilesAreListedByNameWithTheirReasons() throws IOException {
        Path pets = Folders.images(tmp.resolve("pets"), "cats", 6);
        Folders.images(pets, "dogs", 6);
        Files.write(pets.resolve("cats/zero.jpg"), new byte[0]);
        Files.writeString(pets.resolve("cats/notes.jpg"), "My notes about the cats, not a picture.\n", StandardCharsets.UTF_8);
        byte[] png = Folders.png(64, 99);
        Files.write(pets.resolve("dogs/cut.png"), Arrays.copyOf(png, png.length / 2));
        Files.write(pets.resolve("dogs/fine.png"), Folders.png(40, 123));
        DatasetViewModel vm = vm();

        vm.open(pets);

        assertThat(vm.errorProperty().get()).isNull();
        assertThat(vm.trainableProperty().get()).isTrue();
        assertThat(problemAt(vm, "cats/zero.jpg").reason()).containsIgnoringCase("empty");
        assertThat(problemAt(vm, "cats/zero.jpg").kind()).isEqualTo(ProblemKind.EMPTY_FILE);
        assertThat(problemAt(vm, "cats/notes.jpg").reason()).contains("text file").contains("My notes");
        assertThat(problemAt(vm, "dogs/cut.png").kind()).isEqualTo(ProblemKind.TRUNCATED);
        assertThat(problemAt(vm, "dogs/cut.png").file()).isEqualTo(pets.resolve("dogs/cut.png"));
        assertThat(vm.allProblems()).noneMatch(p -> p.where().contains("fine.png"));
        assertThat(row(vm, "cats").unreadable()).isEqualTo(2);
        assertThat(row(vm, "dogs").unreadable()).isEqualTo(1);
        assertThat(row(vm, "dogs").total()).isEqualTo(7);
        assertThat(vm.summaryProperty().get()).contains("3 files skipped").contains("Thaw splits it 80 / 20 %").contains("seed 42");
        assertThat(vm.warningCountProperty().get()).isEqualTo(3);

        // Filters: by severity, and by text in the file or reason.
        vm.showWarningsProperty().set(false);
        assertThat(vm.problems()).noneMatch(p -> p.severity() == Severity.WARNING);
        vm.showWarningsProperty().set(true);
        vm.problemFilterProperty().set("NOTES");
        assertThat(vm.problems()).extracting(ProblemRow::where).containsExactly("cats/notes.jpg");
        vm.problemFilterProperty().set("");
        assertThat(vm.problems()).hasSameSizeAs(vm.allProblems());

        vm.showInFolder(problemAt(vm, "dogs/cut.png").file());
        assertThat(revealed).containsExactly(pets.resolve("dogs/cut.png"));
    }

    @Test
    void whatCannotBeOpenedIsNamedInTheErrorAndThePreviousDatasetStays() throws IOException {
        Path good = Folders.images(Folders.images(tmp.resolve("good"), "a", 5), "b", 5);
        Path file = Files.writeString(tmp.resolve("labels.csv"), "file,label\n");
        Path empty = Files.createDirectories(tmp.resolve("nothing here"));
        Path loose = Files.createDirectories(tmp.resolve("loose"));
        Files.write(loose.resolve("one.png"), Folders.png(40, 1));
        Files.write(loose.resolve("two.png"), Folders.png(40, 2));
        Path missing = tmp.resolve("gone");
        DatasetViewModel vm = vm();
        vm.open(good);
        DatasetReport shown = vm.reportProperty().get();
        List<ClassRow> rows = List.copyOf(vm.rows());

        for (Path bad : List.of(file, empty, loose, missing)) {
            vm.open(bad);

            String name = bad.getFileName().toString();
            assertThat(vm.errorTitleProperty().get()).as(name).isEqualTo("Cannot open '" + name + "'");
            assertThat(vm.errorProperty().get()).as(name).contains(name).doesNotContain("Exception");
            assertThat(vm.reportProperty().get()).as(name).isSameAs(shown);
            assertThat(vm.folderProperty().get()).as(name).isEqualTo(good);
            assertThat(vm.rows()).as(name).isEqualTo(rows);
            assertThat(vm.scanningProperty().get()).isFalse();
        }
        vm.open(file);
        assertThat(vm.errorProperty().get()).contains("is a file, not a folder");
        vm.open(empty);
        assertThat(vm.errorProperty().get()).contains("is empty");
        vm.open(loose);
        assertThat(vm.errorProperty().get()).contains("no class folders").contains("sub-folder");
        vm.open(missing);
        assertThat(vm.errorProperty().get()).contains("does not exist");

        vm.dismissError();
        assertThat(vm.errorProperty().get()).isNull();
    }

    @Test
    void imbalanceShowsTheWarningAndTheWeightsAndTurnsClassWeightsOn() throws IOException {
        Path birds = Folders.images(Folders.images(tmp.resolve("birds"), "sparrow", 30), "owl", 5);
        DatasetViewModel vm = vm();

        vm.open(birds);

        assertThat(vm.imbalancedProperty().get()).isTrue();
        assertThat(vm.imbalanceWarningProperty().get()).contains("'owl'").contains("'sparrow'").contains("6 to 1");
        assertThat(vm.classWeightsProperty().get()).contains("owl 3.50").contains("sparrow 0.58");
        assertThat(vm.useClassWeightsProperty().get()).isTrue();
        assertThat(vm.suggestedClassWeights()).hasSize(2);
        assertThat(row(vm, "owl").suggestedWeight()).isGreaterThan(row(vm, "sparrow").suggestedWeight());
        assertThat(vm.trainableProperty().get()).isTrue();

        // The user's choice survives a re-check of the same folder...
        vm.useClassWeightsProperty().set(false);
        vm.recheck();
        assertThat(vm.useClassWeightsProperty().get()).isFalse();

        // ...and a balanced folder turns the warning and the weights off.
        vm.open(Folders.images(Folders.images(tmp.resolve("balanced"), "x", 6), "y", 6));
        assertThat(vm.imbalancedProperty().get()).isFalse();
        assertThat(vm.imbalanceWarningProperty().get()).isNull();
        assertThat(vm.useClassWeightsProperty().get()).isFalse();
    }

    @Test
    void aNewerOpenCancelsTheOlderCheck() throws IOException {
        Path first = Folders.images(Folders.images(tmp.resolve("first"), "a", 5), "b", 5);
        Path second = Folders.images(Folders.images(tmp.resolve("second"), "c", 5), "d", 5);
        QueuedExecutor executor = new QueuedExecutor();
        DatasetViewModel vm = vm(executor, new DecodingThumbnailLoader());

        vm.open(first);
        vm.open(second);
        assertThat(vm.scanningProperty().get()).isTrue();
        executor.runAll();

        assertThat(vm.folderProperty().get()).isEqualTo(second);
        assertThat(vm.rows()).extracting(ClassRow::name).containsExactly("c", "d");
        assertThat(vm.errorProperty().get()).isNull();
        assertThat(vm.noticeProperty().get()).isNull();
        assertThat(vm.scanningProperty().get()).isFalse();
    }

    @Test
    void cancelStopsTheCheckAndKeepsWhatWasShown() throws IOException {
        Path first = Folders.images(Folders.images(tmp.resolve("first"), "a", 5), "b", 5);
        Path second = Folders.images(Folders.images(tmp.resolve("second"), "c", 5), "d", 5);
        QueuedExecutor executor = new QueuedExecutor();
        DatasetViewModel vm = vm(executor, new DecodingThumbnailLoader());
        vm.open(first);
        executor.runAll();

        vm.open(second);
        assertThat(vm.progressMessageProperty().get()).isEqualTo("Checking second");
        vm.cancel();
        executor.runAll();

        assertThat(vm.folderProperty().get()).isEqualTo(first);
        assertThat(vm.rows()).extracting(ClassRow::name).containsExactly("a", "b");
        assertThat(vm.noticeProperty().get()).contains("Stopped checking 'second'").contains("Still showing 'first'");
        assertThat(vm.errorProperty().get()).isNull();
        assertThat(vm.scanningProperty().get()).isFalse();
    }

    @Test
    void aThumbnailThatCannotBeMadeSaysWhy() throws IOException {
        Path pets = Folders.images(Folders.images(tmp.resolve("pets"), "cats", 3), "dogs", 3);
        Path refused = pets.resolve("cats/cats-001.png");
        ThumbnailLoader loader = file -> {
            if (file.equals(refused)) {
                throw new ImageLoadException(file, "the file is gone (moved or deleted)");
            }
            return new javafx.scene.image.WritableImage(4, 4);
        };
        DatasetViewModel vm = vm(new CurrentThreadTaskExecutor(), loader);

        vm.open(pets);

        Thumbnail t = row(vm, "cats").samples().stream().filter(s -> s.file().equals(refused)).findFirst().orElseThrow();
        assertThat(t.imageProperty().get()).isNull();
        assertThat(t.failureProperty().get()).contains("gone");
        assertThat(row(vm, "dogs").samples()).allSatisfy(s -> assertThat(s.imageProperty().get()).isNotNull());

        vm.select(t);
        assertThat(vm.selectedSampleTextProperty().get()).startsWith("cats/cats-001.png").contains("40 × 40").contains("PNG");
    }

    @Test
    void dropsOpenOneFolderAndRefuseEverythingElseWithTheReason() throws IOException {
        Path folder = Folders.images(Folders.images(tmp.resolve("shapes"), "a", 5), "b", 5);
        Path file = Files.writeString(tmp.resolve("photo.jpg"), "x");
        DatasetViewModel vm = vm();

        assertThat(vm.judgeDrop(List.of(folder)).accepted()).isTrue();
        assertThat(vm.judgeDrop(List.of(folder)).message()).contains("'shapes'");
        assertThat(vm.judgeDrop(List.of(file)).accepted()).isFalse();
        assertThat(vm.judgeDrop(List.of(file)).message()).contains("'photo.jpg' is a file");
        assertThat(vm.judgeDrop(List.of(folder, file)).message()).contains("Drop one folder, not 2 items");

        vm.dragEntered(List.of(file));
        assertThat(vm.dropHintProperty().get().accepted()).isFalse();
        assertThat(vm.drop(List.of(file))).isFalse();
        assertThat(vm.dropHintProperty().get()).isNull();
        assertThat(vm.errorProperty().get()).contains("'photo.jpg' is a file, not a folder");
        assertThat(vm.reportProperty().get()).isNull();

        vm.dragEntered(List.of(folder));
        vm.dragExited();
        assertThat(vm.dropHintProperty().get()).isNull();
        assertThat(vm.drop(List.of(folder))).isTrue();
        assertThat(vm.errorProperty().get()).isNull();
        assertThat(vm.folderProperty().get()).isEqualTo(folder);
    }

    @Test
    void nothingOpenIsNotTrainable() {
        DatasetViewModel vm = vm();
        assertThat(vm.trainableProperty().get()).isFalse();
        assertThat(vm.blockingReasonProperty().get()).contains("No dataset is open");
        assertThat(vm.splitManifestProperty().get()).isNull();
        assertThat(vm.suggestedClassWeights()).isNull();
    }
}
