package dev.thaw.ui.dataset;

import dev.thaw.ui.common.ThumbnailLoader;
import dev.thaw.ui.common.DecodingThumbnailLoader;
import dev.thaw.core.data.DataDoctor;
import dev.thaw.core.data.DatasetLayout;
import dev.thaw.core.data.DatasetReport;
import dev.thaw.core.data.ImageLoadException;
import dev.thaw.core.data.Problem;
import dev.thaw.core.data.ProblemKind;
import dev.thaw.core.data.Severity;
import dev.thaw.core.data.Split;
import dev.thaw.core.data.SplitManifest;
import dev.thaw.core.util.JobMonitor;
import dev.thaw.ui.common.BackgroundTask;
import dev.thaw.ui.common.EventRelay;
import dev.thaw.ui.common.Format;
import dev.thaw.ui.common.TaskExecutor;
import dev.thaw.ui.common.UiThread;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.scene.image.Image;

/**
 * The dataset panel's state and logic: which folder is open, what the data doctor found in it, and
 * what the training panel needs from it ({@link #trainableProperty()}, {@link #blockingReasonProperty()},
 * {@link #useClassWeightsProperty()}, {@link #splitManifestProperty()}).
 *
 * <p>{@link #open(Path)} checks a folder in the background with progress, a message and cancel; a newer
 * open cancels the older check. A folder that cannot be opened (not a folder, empty, no class folders)
 * sets {@link #errorProperty()} naming it and leaves the previous dataset shown. Once a report is shown,
 * a few sample images per class are decoded in the background into {@link Thumbnail}s.
 *
 * <p>All state changes on the UI thread; nothing here touches a control, so tests run it with
 * {@code CurrentThreadTaskExecutor} and {@link UiThread#DIRECT}, without a toolkit. Nothing is
 * remembered between sessions: the main window saves {@link #folderProperty()}.
 */
public final class DatasetViewModel {

    /** Sample images shown per class. */
    public static final int SAMPLES_PER_CLASS = 6;

    private final TaskExecutor executor;
    private final DataDoctor doctor;
    private final ThumbnailLoader thumbnailLoader;
    private final FileRevealer revealer;
    private final EventRelay<LoadedThumbnail> thumbnailRelay;

    // What is shown.
    private final ReadOnlyObjectWrapper<Path> folder = new ReadOnlyObjectWrapper<>(this, "folder");
    private final ReadOnlyObjectWrapper<DatasetReport> report = new ReadOnlyObjectWrapper<>(this, "report");
    private final ReadOnlyObjectWrapper<SplitManifest> splitManifest = new ReadOnlyObjectWrapper<>(this, "splitManifest");
    private final ObservableList<ClassRow> rows = FXCollections.observableArrayList();
    private final ObservableList<ClassRow> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final ObservableList<ProblemRow> allProblems = FXCollections.observableArrayList();
    private final ObservableList<ProblemRow> allProblemsView = FXCollections.unmodifiableObservableList(allProblems);
    private final FilteredList<ProblemRow> problems = new FilteredList<>(allProblems);
    private final BooleanProperty showErrors = new SimpleBooleanProperty(this, "showErrors", true);
    private final BooleanProperty showWarnings = new SimpleBooleanProperty(this, "showWarnings", true);
    private final BooleanProperty showInfo = new SimpleBooleanProperty(this, "showInfo", true);
    private final StringProperty problemFilter = new SimpleStringProperty(this, "problemFilter", "");
    private final ReadOnlyIntegerWrapper errorCount = new ReadOnlyIntegerWrapper(this, "errorCount");
    private final ReadOnlyIntegerWrapper warningCount = new ReadOnlyIntegerWrapper(this, "warningCount");
    private final ReadOnlyIntegerWrapper infoCount = new ReadOnlyIntegerWrapper(this, "infoCount");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", EMPTY_SUMMARY);
    private final ReadOnlyBooleanWrapper imbalanced = new ReadOnlyBooleanWrapper(this, "imbalanced");
    private final ReadOnlyStringWrapper imbalanceWarning = new ReadOnlyStringWrapper(this, "imbalanceWarning");
    private final ReadOnlyStringWrapper classWeights = new ReadOnlyStringWrapper(this, "classWeights");
    private final BooleanProperty useClassWeights = new SimpleBooleanProperty(this, "useClassWeights");
    private final ReadOnlyBooleanWrapper trainable = new ReadOnlyBooleanWrapper(this, "trainable");
    private final ReadOnlyStringWrapper blockingReason = new ReadOnlyStringWrapper(this, "blockingReason", NOTHING_OPEN);
    private final ObjectProperty<Thumbnail> selectedSample = new SimpleObjectProperty<>(this, "selectedSample");
    private final ReadOnlyStringWrapper selectedSampleText = new ReadOnlyStringWrapper(this, "selectedSampleText");

    // The check that is running.
    private final ReadOnlyBooleanWrapper scanning = new ReadOnlyBooleanWrapper(this, "scanning");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", -1);
    private final ReadOnlyStringWrapper progressMessage = new ReadOnlyStringWrapper(this, "progressMessage", "");
    private final ReadOnlyBooleanWrapper loadingThumbnails = new ReadOnlyBooleanWrapper(this, "loadingThumbnails");

    // What the user is told.
    private final ReadOnlyStringWrapper errorTitle = new ReadOnlyStringWrapper(this, "errorTitle");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice");
    private final ReadOnlyObjectWrapper<DropVerdict> dropHint = new ReadOnlyObjectWrapper<>(this, "dropHint");

    private BackgroundTask<Outcome> scan;
    private BackgroundTask<Void> thumbnailJob;

    static final String EMPTY_SUMMARY = "Drop a folder of labeled images on this panel, or open one.";
    static final String NOTHING_OPEN = "No dataset is open: open a folder of labeled images first.";

    /**
     * The app's panel: the FX thread, the default doctor checking on all cores but one (the window must
     * stay smooth while it works), thumbnails by Thaw's decoder, the system file manager.
     */
    public DatasetViewModel(TaskExecutor executor) {
        this(executor, UiThread.FX, DataDoctor.builder().optThreads(Runtime.getRuntime().availableProcessors() - 1).build(),
                new DecodingThumbnailLoader(), FileRevealer.system());
    }

    /**
     * @param executor runs the checks and the thumbnail loading
     * @param ui where state changes (thumbnails arrive through it)
     * @param doctor checks folders (its split settings decide the split Thaw makes)
     * @param thumbnails makes the sample pictures
     * @param revealer shows files in the file manager
     */
    public DatasetViewModel(TaskExecutor executor, UiThread ui, DataDoctor doctor, ThumbnailLoader thumbnails, FileRevealer revealer) {
        this.executor = Objects.requireNonNull(executor);
        this.doctor = Objects.requireNonNull(doctor);
        this.thumbnailLoader = Objects.requireNonNull(thumbnails);
        this.revealer = Objects.requireNonNull(revealer);
        this.thumbnailRelay = new EventRelay<>(ui, batch -> batch.forEach(t -> t.thumbnail().loaded(t.image(), t.failure())), 0);
        problems.predicateProperty().bind(Bindings.createObjectBinding(this::problemPredicate, showErrors, showWarnings, showInfo,
                problemFilter));
        selectedSampleText.bind(Bindings.createStringBinding(() -> {
            Thumbnail t = selectedSample.get();
            return t == null ? null : t.caption() + "  ·  " + t.details();
        }, selectedSample));
    }

    // ---------------------------------------------------------------- actions

    /** Checks {@code dir} in the background and shows it; cancels a check still running. */
    public void open(Path dir) {
        Objects.requireNonNull(dir, "dir");
        Path target = dir.toAbsolutePath().normalize();
        cancelJobs();
        clearError();
        notice.set(null);
        BackgroundTask<Outcome> task = BackgroundTask.of("Checking " + displayName(target), m -> load(target, m));
        scan = task;
        scanning.set(true);
        progress.bind(task.progressProperty());
        progressMessage.bind(task.messageProperty());
        executor.execute(task
                .onSuccess(outcome -> {
                    if (scan != task) {
                        return;
                    }
                    if (outcome.loaded() != null) {
                        show(outcome.loaded());
                    } else {
                        showError("Cannot open '" + displayName(target) + "'", outcome.refusal());
                    }
                })
                .onFailure(e -> {
                    if (scan == task) {
                        showError("Cannot open '" + displayName(target) + "'", describeFailure(target, e));
                    }
                })
                .onCancelled(() -> {
                    if (scan == task) {
                        Path shown = folder.get();
                        notice.set("Stopped checking '" + displayName(target) + "'."
                                + (shown == null ? "" : " Still showing '" + displayName(shown) + "'."));
                    }
                })
                .onFinished(() -> {
                    if (scan == task) {
                        progress.unbind();
                        progressMessage.unbind();
                        scanning.set(false);
                        scan = null;
                    }
                }));
    }

    /** Checks the open folder again (after the user fixed files). */
    public void recheck() {
        Path f = folder.get();
        if (f != null) {
            open(f);
        }
    }

    /** Stops the running check; the dataset shown before stays. */
    public void cancel() {
        if (scan != null) {
            scan.cancel();
        }
    }

    public void dismissError() {
        clearError();
    }

    public void dismissNotice() {
        notice.set(null);
    }

    /** Shows {@code file} in the system's file manager, in the background. */
    public void showInFolder(Path file) {
        if (file == null) {
            return;
        }
        executor.execute(BackgroundTask.<Void>of("Showing " + displayName(file), m -> {
            revealer.reveal(file);
            return null;
        }).onFailure(e -> showError("Cannot show '" + displayName(file) + "' in the file manager",
                e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
    }

    /** Selects a sample image (the view shows its file name and size). */
    public void select(Thumbnail sample) {
        selectedSample.set(sample);
    }

    // ---------------------------------------------------------------- drag and drop

    /**
     * What a drop of {@code items} would do: one folder is opened; a file, several items or nothing are
     * refused with the reason. Looks only at whether the single item is a folder (one file-system lookup).
     */
    public DropVerdict judgeDrop(List<Path> items) {
        if (items == null || items.isEmpty()) {
            return new DropVerdict(null, "Only folders can be dropped here.");
        }
        if (items.size() > 1) {
            return new DropVerdict(null, "Drop one folder, not " + items.size() + " items: the dataset folder that holds the class "
                    + "folders (or train/ and val/).");
        }
        Path item = items.get(0).toAbsolutePath().normalize();
        if (Files.isDirectory(item)) {
            return new DropVerdict(item, "Drop to open '" + displayName(item) + "'");
        }
        return new DropVerdict(null, "'" + displayName(item) + "' is a file: drop the folder that holds the class folders");
    }

    /** A drag with {@code items} entered the panel: the hint says what a drop would do. */
    public void dragEntered(List<Path> items) {
        dropHint.set(judgeDrop(items));
    }

    /** The drag left the panel or ended. */
    public void dragExited() {
        dropHint.set(null);
    }

    /** {@code items} were dropped: opens the folder, or says why not. Returns whether a folder is being opened. */
    public boolean drop(List<Path> items) {
        DropVerdict verdict = dropHint.get() != null ? dropHint.get() : judgeDrop(items);
        dropHint.set(null);
        if (verdict.accepted()) {
            open(verdict.folder());
            return true;
        }
        if (items != null && items.size() == 1) {
            Path item = items.get(0).toAbsolutePath().normalize();
            showError("Cannot open '" + displayName(item) + "'", notAFolder(item));
        } else {
            showError("Cannot open these items", verdict.message());
        }
        return false;
    }

    // ---------------------------------------------------------------- the background work

    /** Everything shown for one report, made off the UI thread. */
    private record Loaded(DatasetReport report, SplitManifest manifest, List<ClassRow> rows, List<ProblemRow> problems,
            String summary, String imbalanceWarning, String weights, String blockingReason) {
    }

    private record LoadedThumbnail(Thumbnail thumbnail, Image image, String failure) {
    }

    /**
     * The outcome of a check: what to show, or why the folder cannot be opened at all (a user's mistake,
     * not a failure: the task succeeds with it, so nothing is logged as an error).
     */
    private record Outcome(Loaded loaded, String refusal) {
        static Outcome refused(String why) {
            return new Outcome(null, why);
        }
    }

    private Outcome load(Path root, JobMonitor monitor) {
        if (!Files.isDirectory(root)) {
            return Outcome.refused(Files.exists(root) ? notAFolder(root)
                    : "The folder " + root + " does not exist: it may have been moved, renamed or deleted.");
        }
        DatasetReport r;
        try {
            r = doctor.check(root, monitor);
        } catch (IllegalArgumentException e) {
            return Outcome.refused(e.getMessage());
        }
        if (r.classes().isEmpty()) {
            return Outcome.refused(noClasses(r));
        }
        monitor.checkCancelled();
        SplitManifest manifest = null;
        if (r.canTrain()) {
            try {
                manifest = SplitManifest.of(r);
            } catch (IllegalArgumentException e) {
                // nothing to train on after all; the blocking reason says why
            }
        }
        return new Outcome(new Loaded(r, manifest, classRows(r), problemRows(r), summarize(r), imbalance(r), weights(r),
                blockingReason(r)), null);
    }

    private static String noClasses(DatasetReport r) {
        Path root = r.root();
        String name = displayName(root);
        if (isEmptyFolder(root)) {
            return "The folder '" + name + "' is empty (" + root + "). Choose a folder with one sub-folder of images per class.";
        }
        String why = r.problems(ProblemKind.NO_CLASSES).stream().map(Problem::message).findFirst()
                .orElse("no class folders with images");
        return "'" + name + "' has no class folders with images (" + root + "): " + why + ".";
    }

    private static boolean isEmptyFolder(Path root) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(root, p -> !p.getFileName().toString().startsWith("."))) {
            return !s.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    private static String notAFolder(Path file) {
        return "'" + displayName(file) + "' is a file, not a folder (" + file + "). Open the folder that holds one sub-folder "
                + "per class, or train/ and val/ folders.";
    }

    private static List<ClassRow> classRows(DatasetReport r) {
        // Samples come from the training images (what the model learns from), from the other splits only
        // when a class has too few of them.
        List<List<DatasetReport.ImageEntry>> byClass = new ArrayList<>();
        for (int c = 0; c < r.classes().size(); c++) {
            byClass.add(new ArrayList<>());
        }
        for (Split split : Split.values()) {
            for (DatasetReport.ImageEntry e : r.images()) {
                List<DatasetReport.ImageEntry> list = byClass.get(e.label());
                if (e.split() == split && (split == Split.TRAIN || list.size() < SAMPLES_PER_CLASS)) {
                    list.add(e);
                }
            }
        }
        List<ClassRow> out = new ArrayList<>();
        for (int c = 0; c < r.classes().size(); c++) {
            DatasetReport.ClassSummary s = r.classes().get(c);
            List<Thumbnail> samples = new ArrayList<>();
            for (DatasetReport.ImageEntry e : spread(byClass.get(c), SAMPLES_PER_CLASS)) {
                samples.add(new Thumbnail(e.file(), relative(r.root(), e.file()), String.format(Locale.ROOT, "%d × %d  ·  %s  ·  %s",
                        e.width(), e.height(), e.format() == null ? "image" : e.format().toUpperCase(Locale.ROOT),
                        e.split().folderName())));
            }
            out.add(new ClassRow(s.name(), s.train(), s.val(), s.test(), s.unreadable(), s.suggestedWeight(), samples));
        }
        return out;
    }

    /** Up to {@code n} items spread evenly over {@code list} (neighbouring files are often near copies). */
    static <T> List<T> spread(List<T> list, int n) {
        if (list.size() <= n) {
            return List.copyOf(list);
        }
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(list.get((int) ((long) i * list.size() / n)));
        }
        return out;
    }

    private static List<ProblemRow> problemRows(DatasetReport r) {
        List<ProblemRow> out = new ArrayList<>(r.problems().size());
        for (Problem p : r.problems()) {
            boolean wholeDataset = p.file() == null || p.file().equals(r.root());
            out.add(new ProblemRow(p.severity(), p.kind(), p.file(), wholeDataset ? "Whole dataset" : relative(r.root(), p.file()),
                    capitalize(p.message()), p.related()));
        }
        return out;
    }

    private static String summarize(DatasetReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.classes().size()).append(r.classes().size() == 1 ? " class" : " classes");
        sb.append("  ·  ").append(Format.count(r.usableImages())).append(r.usableImages() == 1 ? " image" : " images");
        sb.append("  ·  ");
        boolean hasTest = r.total(Split.TEST) > 0;
        if (r.layout() == DatasetLayout.SPLIT_FOLDERS) {
            boolean givenVal = r.images().stream().anyMatch(e -> e.folderSplit() == Split.VAL);
            if (givenVal) {
                sb.append(hasTest ? "train / val / test as given" : "train / val as given");
            } else {
                sb.append(String.format(Locale.ROOT, "train as given; Thaw holds out %.0f %% for val (seed %d)",
                        r.valFraction() * 100, r.splitSeed()));
            }
        } else {
            double train = 1 - r.valFraction() - r.testFraction();
            sb.append(r.testFraction() > 0
                    ? String.format(Locale.ROOT, "one folder per class; Thaw splits it %.0f / %.0f / %.0f %% train / val / test, seed %d",
                            train * 100, r.valFraction() * 100, r.testFraction() * 100, r.splitSeed())
                    : String.format(Locale.ROOT, "one folder per class; Thaw splits it %.0f / %.0f %% train / val, seed %d",
                            train * 100, r.valFraction() * 100, r.splitSeed()));
        }
        int skipped = r.skippedFiles().size();
        if (skipped > 0) {
            sb.append("  ·  ").append(Format.count(skipped)).append(skipped == 1 ? " file skipped" : " files skipped");
        }
        return sb.toString();
    }

    private static String imbalance(DatasetReport r) {
        if (r.problems(ProblemKind.CLASS_IMBALANCE).isEmpty()) {
            return null;
        }
        DatasetReport.ClassSummary largest = null;
        DatasetReport.ClassSummary smallest = null;
        for (DatasetReport.ClassSummary c : r.classes()) {
            if (c.train() > 0) {
                largest = largest == null || c.train() > largest.train() ? c : largest;
                smallest = smallest == null || c.train() < smallest.train() ? c : smallest;
            }
        }
        return String.format(Locale.ROOT, "Training images per class range from %d ('%s') to %d ('%s'), %.0f to 1: the model "
                + "will favour the large classes. Class weights make every class count the same in the loss.",
                smallest.train(), smallest.name(), largest.train(), largest.name(), (double) largest.train() / smallest.train());
    }

    private static String weights(DatasetReport r) {
        List<String> parts = new ArrayList<>();
        for (DatasetReport.ClassSummary c : r.classes()) {
            if (c.train() > 0) {
                parts.add(String.format(Locale.ROOT, "%s %.2f", c.name(), c.suggestedWeight()));
            }
        }
        return String.join("  ·  ", parts);
    }

    private static String blockingReason(DatasetReport r) {
        List<String> errors = r.problems(Severity.ERROR).stream().map(p -> capitalize(p.message())).toList();
        return errors.isEmpty() ? null : String.join(". ", errors) + ".";
    }

    private void show(Loaded loaded) {
        DatasetReport r = loaded.report();
        boolean sameFolder = r.root().equals(folder.get());
        boolean nowImbalanced = loaded.imbalanceWarning() != null;
        selectedSample.set(null);
        // Texts and flags first, the lists after them, the report last: whoever watches the rows or the
        // report finds everything else already in place.
        folder.set(r.root());
        splitManifest.set(loaded.manifest());
        summary.set(loaded.summary());
        errorCount.set((int) r.count(Severity.ERROR));
        warningCount.set((int) r.count(Severity.WARNING));
        infoCount.set((int) r.count(Severity.INFO));
        imbalanceWarning.set(loaded.imbalanceWarning());
        classWeights.set(loaded.weights());
        // A re-check keeps the user's choice unless the imbalance itself changed.
        if (!sameFolder || imbalanced.get() != nowImbalanced) {
            useClassWeights.set(nowImbalanced);
        }
        imbalanced.set(nowImbalanced);
        blockingReason.set(loaded.blockingReason());
        trainable.set(loaded.blockingReason() == null);
        allProblems.setAll(loaded.problems());
        rows.setAll(loaded.rows());
        report.set(r);
        loadThumbnails(loaded.rows());
    }

    private void loadThumbnails(List<ClassRow> classRows) {
        // Round robin over the classes, so every strip fills at the same pace.
        List<Thumbnail> order = new ArrayList<>();
        for (int i = 0; i < SAMPLES_PER_CLASS; i++) {
            for (ClassRow row : classRows) {
                if (i < row.samples().size()) {
                    order.add(row.samples().get(i));
                }
            }
        }
        if (order.isEmpty()) {
            return;
        }
        BackgroundTask<Void> task = BackgroundTask.of("Loading sample images", m -> {
            for (int i = 0; i < order.size(); i++) {
                m.checkCancelled();
                Thumbnail t = order.get(i);
                try {
                    thumbnailRelay.publish(new LoadedThumbnail(t, thumbnailLoader.load(t.file()), null));
                } catch (ImageLoadException e) {
                    thumbnailRelay.publish(new LoadedThumbnail(t, null, e.reason()));
                } catch (RuntimeException | OutOfMemoryError e) {
                    thumbnailRelay.publish(new LoadedThumbnail(t, null, "cannot be shown: " + e));
                }
                m.progress((i + 1.0) / order.size(), null);
            }
            return null;
        });
        thumbnailJob = task;
        loadingThumbnails.set(true);
        executor.execute(task.onFinished(() -> {
            if (thumbnailJob == task) {
                loadingThumbnails.set(false);
                thumbnailJob = null;
            }
        }));
    }

    private void cancelJobs() {
        if (scan != null) {
            scan.cancel();
            scan = null;
            progress.unbind();
            progressMessage.unbind();
        }
        if (thumbnailJob != null) {
            thumbnailJob.cancel();
            thumbnailJob = null;
            loadingThumbnails.set(false);
        }
    }

    private void showError(String title, String message) {
        errorTitle.set(title);
        error.set(message);
    }

    private void clearError() {
        error.set(null);
        errorTitle.set(null);
    }

    private static String describeFailure(Path root, Throwable e) {
        // Never a stack trace: the exception's own sentence (the executor logged the rest).
        StringBuilder sb = new StringBuilder("Thaw could not check the folder " + root + ": ");
        String m = e.getMessage();
        sb.append(m == null || m.isBlank() ? e.getClass().getSimpleName() : m);
        if (e.getCause() != null && e.getCause().getMessage() != null && !sb.toString().contains(e.getCause().getMessage())) {
            sb.append(" (").append(e.getCause().getMessage()).append(")");
        }
        return sb.toString();
    }

    private Predicate<ProblemRow> problemPredicate() {
        boolean errors = showErrors.get();
        boolean warnings = showWarnings.get();
        boolean info = showInfo.get();
        String text = problemFilter.get() == null ? "" : problemFilter.get().strip().toLowerCase(Locale.ROOT);
        return p -> switch (p.severity()) {
            case ERROR -> errors;
            case WARNING -> warnings;
            case INFO -> info;
        } && (text.isEmpty() || p.where().toLowerCase(Locale.ROOT).contains(text) || p.reason().toLowerCase(Locale.ROOT).contains(text)
                || p.kind().title().toLowerCase(Locale.ROOT).contains(text));
    }

    static String displayName(Path p) {
        Path name = p.getFileName();
        return name == null ? p.toString() : name.toString();
    }

    private static String relative(Path root, Path file) {
        try {
            Path rel = root.relativize(file);
            return rel.toString().startsWith("..") ? file.toString() : rel.toString().replace('\\', '/');
        } catch (IllegalArgumentException e) {
            return file.toString();
        }
    }

    private static String capitalize(String s) {
        return s == null || s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    // ---------------------------------------------------------------- state

    /** The folder shown (the last one opened successfully); null before any. */
    public ReadOnlyObjectProperty<Path> folderProperty() {
        return folder.getReadOnlyProperty();
    }

    /** The data doctor's report of the folder shown. */
    public ReadOnlyObjectProperty<DatasetReport> reportProperty() {
        return report.getReadOnlyProperty();
    }

    /** The split the training panel trains on (the doctor's planned split); null when the dataset cannot be trained on. */
    public ReadOnlyObjectProperty<SplitManifest> splitManifestProperty() {
        return splitManifest.getReadOnlyProperty();
    }

    /** One row per class, in label order. */
    public ObservableList<ClassRow> rows() {
        return rowsView;
    }

    /** The problems the filters let through, errors first. */
    public ObservableList<ProblemRow> problems() {
        return problems;
    }

    /** Every problem of the report, errors first. */
    public ObservableList<ProblemRow> allProblems() {
        return allProblemsView;
    }

    public BooleanProperty showErrorsProperty() {
        return showErrors;
    }

    public BooleanProperty showWarningsProperty() {
        return showWarnings;
    }

    public BooleanProperty showInfoProperty() {
        return showInfo;
    }

    /** Text the problems' file or reason must contain (case ignored). */
    public StringProperty problemFilterProperty() {
        return problemFilter;
    }

    public ReadOnlyIntegerProperty errorCountProperty() {
        return errorCount.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty warningCountProperty() {
        return warningCount.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty infoCountProperty() {
        return infoCount.getReadOnlyProperty();
    }

    /** "8 classes · 512 images · train / val as given", or a hint when nothing is open. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** True when the doctor flagged class imbalance. */
    public ReadOnlyBooleanProperty imbalancedProperty() {
        return imbalanced.getReadOnlyProperty();
    }

    /** The doctor's imbalance warning; null when the classes are balanced enough. */
    public ReadOnlyStringProperty imbalanceWarningProperty() {
        return imbalanceWarning.getReadOnlyProperty();
    }

    /** The suggested weights, "cats 0.75  ·  dogs 1.50". */
    public ReadOnlyStringProperty classWeightsProperty() {
        return classWeights.getReadOnlyProperty();
    }

    /**
     * Whether training should weight the loss by class (the report's suggested weights). Set on when
     * a newly opened folder is imbalanced, off when it is not; the user may change it.
     */
    public BooleanProperty useClassWeightsProperty() {
        return useClassWeights;
    }

    /** The suggested class weights by label, or null when nothing is open. */
    public float[] suggestedClassWeights() {
        DatasetReport r = report.get();
        return r == null ? null : r.suggestedClassWeights();
    }

    /** False when nothing is open or the doctor found an error; {@link #blockingReasonProperty()} says why. */
    public ReadOnlyBooleanProperty trainableProperty() {
        return trainable.getReadOnlyProperty();
    }

    /** Why the dataset cannot be trained on; null when it can. */
    public ReadOnlyStringProperty blockingReasonProperty() {
        return blockingReason.getReadOnlyProperty();
    }

    public ObjectProperty<Thumbnail> selectedSampleProperty() {
        return selectedSample;
    }

    /** "train/circle/0003.jpg · 64 × 64 · JPEG · train" for the selected sample; null when none. */
    public ReadOnlyStringProperty selectedSampleTextProperty() {
        return selectedSampleText.getReadOnlyProperty();
    }

    /** True while a folder is being checked. */
    public ReadOnlyBooleanProperty scanningProperty() {
        return scanning.getReadOnlyProperty();
    }

    /** The running check's progress in [0, 1], or negative when unknown. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** What the running check is doing ("Checking images: 120 of 512"). */
    public ReadOnlyStringProperty progressMessageProperty() {
        return progressMessage.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingThumbnailsProperty() {
        return loadingThumbnails.getReadOnlyProperty();
    }

    /** The title of the last error ("Cannot open 'photos'"); null when none. */
    public ReadOnlyStringProperty errorTitleProperty() {
        return errorTitle.getReadOnlyProperty();
    }

    /** The last error, naming the folder or file and what to do; null when none. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** A passing remark ("Stopped checking 'x'"); null when none. */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    /** What a drop would do while a drag is over the panel; null when no drag is. */
    public ReadOnlyObjectProperty<DropVerdict> dropHintProperty() {
        return dropHint.getReadOnlyProperty();
    }
}
