package dev.thaw.ui.experiment;

import dev.thaw.core.experiment.Experiment;
import dev.thaw.core.experiment.ExperimentReport;
import dev.thaw.core.model.RunSpec;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.runs.RunFolder;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.train.RunHandle;
import dev.thaw.core.train.TrainingService;
import dev.thaw.ui.common.BackgroundTask;
import dev.thaw.ui.common.EventRelay;
import dev.thaw.ui.common.Format;
import dev.thaw.ui.common.TaskExecutor;
import dev.thaw.ui.common.UiThread;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The one-click experiment "feature extraction vs fine-tuning vs scratch": every arm trained with
 * the same seeds on one split of the current dataset and backbone, queued on the training service
 * (the training panel shows the runs); when all have ended, the report: per arm the mean and spread
 * of final- and best-epoch validation accuracy, and the paired tests in plain words.
 */
public final class ExperimentViewModel {

    /** One arm's line of the report, formatted. */
    public record ArmRow(String arm, String label, int runs, String finalAccuracy, String bestAccuracy, String wallTime) {
    }

    private final TrainingService service;
    private final TaskExecutor executor;
    private final EventRelay<Experiment.Progress> relay;
    private final ObjectProperty<Path> dataset = new SimpleObjectProperty<>(this, "dataset");
    private final StringProperty backbone = new SimpleStringProperty(this, "backbone");
    private final IntegerProperty seeds = new SimpleIntegerProperty(this, "seeds", 3);
    private final IntegerProperty epochs = new SimpleIntegerProperty(this, "epochs", RunSpec.defaultEpochs(Strategy.FINE_TUNING));
    private final BooleanProperty adaptBatchNorm = new SimpleBooleanProperty(this, "adaptBatchNorm");
    private final BooleanProperty running = new SimpleBooleanProperty(this, "running");
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", 0);
    private final StringProperty progressText = new SimpleStringProperty(this, "progressText", "");
    private final ObjectProperty<ExperimentReport> report = new SimpleObjectProperty<>(this, "report");
    private final ObservableList<ArmRow> arms = FXCollections.observableArrayList();
    private final ObservableList<String> verdicts = FXCollections.observableArrayList();
    private final ObservableList<String> notes = FXCollections.observableArrayList();
    private final StringProperty error = new SimpleStringProperty(this, "error");
    private Experiment experiment;
    private BiConsumer<RunHandle, String> onQueued = (h, l) -> { };
    private Consumer<List<RunStore.RunInfo>> onCompare = r -> { };

    public ExperimentViewModel(TrainingService service, TaskExecutor executor, UiThread ui) {
        this.service = Objects.requireNonNull(service);
        this.executor = Objects.requireNonNull(executor);
        this.relay = new EventRelay<>(ui, list -> showProgress(list.get(list.size() - 1)), 200);
    }

    /** Why Start is disabled, or {@code null}. */
    public StringBinding blockedReason() {
        return Bindings.createStringBinding(() -> {
            if (running.get()) {
                return "An experiment is running";
            }
            if (dataset.get() == null) {
                return "Open a dataset first";
            }
            if (backbone.get() == null || backbone.get().isBlank()) {
                return "Choose a backbone first";
            }
            return null;
        }, running, dataset, backbone);
    }

    public BooleanBinding canStart() {
        return blockedReason().isNull();
    }

    /** The settings Start uses: three arms, each with the chosen epochs, the chosen number of seeds. */
    public Experiment.Settings settings() {
        List<Experiment.ArmSettings> a = new ArrayList<>();
        for (Strategy s : List.of(Strategy.FEATURE_EXTRACTION, Strategy.FINE_TUNING, Strategy.SCRATCH)) {
            a.add(Experiment.ArmSettings.defaults(s).withEpochs(epochs.get()).withAdaptBatchNorm(adaptBatchNorm.get()));
        }
        return Experiment.Settings.defaults(dataset.get(), backbone.get()).withSeeds(seeds.get()).withArms(a);
    }

    /** Splits the dataset once and queues every arm and seed (in the background); the report follows when all end. */
    public void start() {
        if (!canStart().get()) {
            return;
        }
        Experiment.Settings s = settings();
        running.set(true);
        error.set(null);
        report.set(null);
        arms.clear();
        verdicts.clear();
        notes.clear();
        progress.set(-1);
        progressText.set("Splitting " + s.data().getFileName() + " once for every run…");
        record Started(Experiment experiment, List<String> labels) {
        }
        executor.execute(BackgroundTask.of("Starting the experiment", m -> {
            Experiment e = Experiment.start(service, s, relay::publish);
            List<String> labels = new ArrayList<>();
            for (RunHandle h : e.runs()) {
                String label;
                try {
                    RunSpec spec = new RunFolder(h.folder()).readSpec();
                    label = String.format(Locale.ROOT, "%s · seed %d · experiment", spec.strategy().label(), spec.seed());
                } catch (RuntimeException ex) {
                    label = h.runId();
                }
                labels.add(label);
            }
            return new Started(e, labels);
        }).onSuccess(st -> {
            experiment = st.experiment();
            List<RunHandle> hs = st.experiment().runs();
            for (int i = 0; i < hs.size(); i++) {
                onQueued.accept(hs.get(i), st.labels().get(i));
            }
            progressText.set(hs.size() + " runs queued: " + s.seeds() + " seeds × " + s.arms().size() + " arms on one split");
            st.experiment().done().whenComplete((r, ex) -> relay.publish(new Experiment.Progress(hs.size(), hs.size(), 1.0, null)));
        }).onFailure(e -> {
            running.set(false);
            error.set("The experiment could not start: " + e.getMessage());
        }));
    }

    private void showProgress(Experiment.Progress p) {
        if (p.message() == null && p.runsDone() == p.runsTotal()) {
            progress.set(1);
            progressText.set("All " + p.runsTotal() + " runs ended; reading the report…");
            loadReport();
            return;
        }
        progress.set(p.fraction());
        progressText.set(String.format(Locale.ROOT, "%d of %d runs done · %s", p.runsDone(), p.runsTotal(),
                p.message() == null ? "" : p.message()));
    }

    private void loadReport() {
        Experiment e = experiment;
        if (e == null) {
            running.set(false);
            return;
        }
        executor.execute(BackgroundTask.of("Reading the experiment's runs", m -> e.report())
                .onSuccess(this::showReport)
                .onFailure(ex -> error.set("Cannot read the experiment's runs: " + ex.getMessage()))
                .onFinished(() -> running.set(false)));
    }

    void showReport(ExperimentReport r) {
        report.set(r);
        arms.setAll(r.arms().stream().map(a -> new ArmRow(a.arm(), capitalize(a.label()), a.runs(), meanSd(a.meanFinal(), a.sdFinal()),
                meanSd(a.meanBest(), a.sdBest()), Double.isNaN(a.meanWallSeconds()) ? "–" : Format.duration(a.meanWallSeconds()))).toList());
        verdicts.setAll(r.pairs().stream().map(ExperimentReport.Pair::verdict).toList());
        notes.setAll(r.notes());
        progressText.set(r.arms().isEmpty() ? "No run completed" : "Done");
    }

    /** "84.2 % ± 1.3" (mean and sample standard deviation, in points); no spread with one run. */
    static String meanSd(double mean, double sd) {
        if (Double.isNaN(mean)) {
            return "–";
        }
        return Double.isNaN(sd) ? Format.percent(mean) : Format.percent(mean) + String.format(Locale.ROOT, " ± %.1f", 100 * sd);
    }

    private static String capitalize(String s) {
        return s == null || s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Cancels the running and queued runs of the experiment. */
    public void cancel() {
        if (experiment != null) {
            experiment.cancel();
        }
    }

    /** Compares the arms: the first seed's run of each arm, side by side. */
    public void compareArms() {
        ExperimentReport r = report.get();
        if (r == null) {
            return;
        }
        executor.execute(BackgroundTask.of("Reading the arms' runs", m -> {
            List<RunStore.RunInfo> picked = new ArrayList<>();
            for (ExperimentReport.Arm a : r.arms()) {
                if (!a.runIds().isEmpty()) {
                    service.store().find(a.runIds().get(0)).ifPresent(picked::add);
                }
            }
            return picked;
        }).onSuccess(picked -> {
            if (picked.size() < 2) {
                error.set("Fewer than two arms have a completed run to compare");
            } else {
                onCompare.accept(picked);
            }
        }).onFailure(e -> error.set(e.getMessage())));
    }

    public BooleanBinding canCompare() {
        return Bindings.createBooleanBinding(() -> report.get() != null && report.get().arms().size() >= 2, report);
    }

    /** The main window adds each queued run to the training queue. */
    public void setOnQueued(BiConsumer<RunHandle, String> action) {
        this.onQueued = Objects.requireNonNull(action);
    }

    public void setOnCompare(Consumer<List<RunStore.RunInfo>> action) {
        this.onCompare = Objects.requireNonNull(action);
    }

    public void close() {
        relay.close();
    }

    public ObjectProperty<Path> datasetProperty() {
        return dataset;
    }

    public StringProperty backboneProperty() {
        return backbone;
    }

    public IntegerProperty seedsProperty() {
        return seeds;
    }

    /** The feature-extraction arm re-estimates the backbone's BatchNorm statistics first (AdaBN). */
    public BooleanProperty adaptBatchNormProperty() {
        return adaptBatchNorm;
    }

    /** Epochs of every run, the same for all arms. */
    public IntegerProperty epochsProperty() {
        return epochs;
    }

    public BooleanProperty runningProperty() {
        return running;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public StringProperty progressTextProperty() {
        return progressText;
    }

    public ObjectProperty<ExperimentReport> reportProperty() {
        return report;
    }

    public ObservableList<ArmRow> arms() {
        return arms;
    }

    /** The paired tests' verdicts, one sentence each. */
    public ObservableList<String> verdicts() {
        return verdicts;
    }

    /** Runs left out and why, and the reminder that best-epoch numbers are chosen on validation. */
    public ObservableList<String> notes() {
        return notes;
    }

    public StringProperty errorProperty() {
        return error;
    }
}
