package dev.thaw.ui.main;

import dev.thaw.core.backbone.BackboneLoader;
import dev.thaw.core.backbone.BackboneMetadata;
import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.LayerTree;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.runtime.EngineInfo;
import dev.thaw.core.runtime.EngineRuntime;
import dev.thaw.core.runtime.SampleData;
import dev.thaw.core.model.TrainingEvent;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.train.TrainingService;
import dev.thaw.ui.backbone.BackboneViewModel;
import dev.thaw.ui.backbone.LayerTreeViewModel;
import dev.thaw.ui.common.BackgroundTask;
import dev.thaw.ui.common.EventRelay;
import dev.thaw.ui.common.RunColors;
import dev.thaw.ui.common.TaskExecutor;
import dev.thaw.ui.common.UiSettings;
import dev.thaw.ui.common.UiThread;
import dev.thaw.ui.compare.CompareViewModel;
import dev.thaw.ui.dataset.DatasetViewModel;
import dev.thaw.ui.evaluate.EvaluateViewModel;
import dev.thaw.ui.experiment.ExperimentViewModel;
import dev.thaw.ui.runs.RunsViewModel;
import dev.thaw.ui.training.TrainingViewModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The main window's state and the one place where features meet: the dataset's classes size the
 * backbone's new head, the backbone and the ticked tree feed the training panel, and choosing a
 * strategy applies its preset to the tree while ticking the tree updates the strategy.
 */
public final class MainViewModel {

    private final AppHome home;
    private final TaskExecutor executor;
    private final TrainingService training;
    private final DatasetViewModel dataset;
    private final BackboneViewModel backbone;
    private final TrainingViewModel trainingPanel;
    private final RunColors colors;
    private final RunsViewModel runs;
    private final EventRelay<TrainingEvent> historyRelay;
    private final ExperimentViewModel experiment;
    private final ObjectProperty<UiSettings> settings = new SimpleObjectProperty<>(this, "settings");

    private final StringProperty status = new SimpleStringProperty(this, "status", "Starting…");
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", -1);
    private final BooleanProperty enginesReady = new SimpleBooleanProperty(this, "enginesReady");
    private final ObjectProperty<EngineInfo> engineInfo = new SimpleObjectProperty<>(this, "engineInfo");
    private final StringProperty engineError = new SimpleStringProperty(this, "engineError");
    private boolean syncing;

    public MainViewModel(AppHome home, TaskExecutor executor, UiThread ui) {
        this.home = home;
        this.executor = executor;
        this.settings.set(UiSettings.load(home.settingsFile()));
        this.training = new TrainingService(home);
        BackboneLoader loader = new BackboneLoader(home);
        this.dataset = new DatasetViewModel(executor);
        this.backbone = new BackboneViewModel(home, loader, executor);
        this.colors = new RunColors(home.root().resolve("run-colors.json"));
        this.trainingPanel = new TrainingViewModel(training, colors, ui, home.root().resolve("manifests"));
        this.runs = new RunsViewModel(training.store(), colors, executor);
        // The history shows a run as soon as it starts and again when it ends.
        this.historyRelay = new EventRelay<>(ui, this::onTrainingEvents, 250);
        training.addListener(historyRelay::publish);
        this.experiment = new ExperimentViewModel(training, executor, ui);
        wire();
    }

    private void wire() {
        LayerTreeViewModel tree = backbone.tree();
        trainingPanel.datasetProperty().bind(dataset.folderProperty());
        backbone.numClassesProperty().bind(Bindings.createIntegerBinding(
                () -> dataset.reportProperty().get() == null ? 0 : dataset.reportProperty().get().classes().size(),
                dataset.reportProperty()));
        trainingPanel.classWeightsProperty().bind(dataset.useClassWeightsProperty());
        trainingPanel.splitManifestProperty().bind(dataset.splitManifestProperty());
        trainingPanel.datasetProblemProperty().bind(Bindings.createStringBinding(
                () -> dataset.folderProperty().get() == null || dataset.trainableProperty().get() ? null : dataset.blockingReasonProperty().get(),
                dataset.folderProperty(), dataset.trainableProperty(), dataset.blockingReasonProperty()));
        trainingPanel.backboneSourceProperty().bind(backbone.sourceProperty());
        trainingPanel.backboneTrainableProperty().bind(Bindings.createBooleanBinding(() -> {
            BackboneMetadata md = backbone.metadataProperty().get();
            return md == null || md.trainable();
        }, backbone.metadataProperty()));
        trainingPanel.freezePlanProperty().bind(tree.planProperty());
        trainingPanel.planDescriptionProperty().bind(tree.planDescription());
        // The one-click experiment uses the current dataset and backbone; its runs join the training queue.
        experiment.datasetProperty().bind(dataset.folderProperty());
        experiment.backboneProperty().bind(backbone.sourceProperty());
        experiment.setOnQueued(trainingPanel::track);

        // Strategy -> preset (a user's choice), and tree ticks -> strategy.
        trainingPanel.strategyProperty().addListener((o, a, s) -> {
            if (!syncing) {
                applyStrategyPreset(s);
            }
        });
        tree.planProperty().addListener((o, a, plan) -> {
            if (!syncing) {
                followPlan(plan);
            }
        });
        // A new backbone starts from the current strategy's preset.
        tree.treeProperty().addListener((o, a, t) -> {
            if (t != null && (a == null || !a.backbone().equals(t.backbone()))) {
                applyStrategyPreset(trainingPanel.strategyProperty().get());
            }
        });

        // Remember the last dataset and backbone.
        dataset.folderProperty().addListener((o, a, dir) -> {
            if (dir != null) {
                updateSettings(settings.get().withLastDataset(dir.toString()));
            }
        });
        backbone.sourceProperty().addListener((o, a, src) -> {
            if (src != null) {
                updateSettings(settings.get().withLastBackbone(src));
            }
        });
    }

    private void onTrainingEvents(List<TrainingEvent> events) {
        if (events.stream().anyMatch(e -> e instanceof TrainingEvent.Started || e instanceof TrainingEvent.Completed
                || e instanceof TrainingEvent.Cancelled || e instanceof TrainingEvent.Failed)) {
            runs.refresh();
        }
    }

    /** A comparison of {@code selected} (two or more runs), loading in the background. */
    public CompareViewModel compare(List<RunStore.RunInfo> selected) {
        CompareViewModel c = new CompareViewModel(executor, colors);
        c.load(selected);
        return c;
    }

    /** An evaluation of one run, loading in the background; its Predict and Export use the real engine. */
    public EvaluateViewModel evaluate(RunStore.RunInfo run) {
        EvaluateViewModel e = new EvaluateViewModel(executor, dir -> dev.thaw.core.eval.Predictor.open(dir, home), this::export);
        e.load(run, colors.of(run.id()));
        return e;
    }

    private String export(dev.thaw.core.runs.RunFolder run, Path out, dev.thaw.core.util.JobMonitor m) {
        m.progress(-1, "Exporting " + run.id());
        dev.thaw.core.eval.ModelExport.ExportResult r = dev.thaw.core.eval.ModelExport.export(run, out, home);
        return "Exported " + run.id() + " to " + out + ": a DJL model folder (" + out.relativize(r.djlFolder()) + ")"
                + r.torchScript().map(t -> ", a TorchScript file (" + out.relativize(t) + ")").orElse("")
                + " and a report (" + out.relativize(r.report()) + "). README.txt there says how to load them.";
    }

    private void applyStrategyPreset(Strategy s) {
        LayerTreeViewModel tree = backbone.tree();
        if (tree.treeProperty().get() == null) {
            return;
        }
        syncing = true;
        try {
            tree.applyPreset(switch (s) {
                case FEATURE_EXTRACTION -> LayerTreeViewModel.Preset.HEAD_ONLY;
                case FINE_TUNING -> LayerTreeViewModel.Preset.LAST_TWO_STAGES;
                case SCRATCH -> LayerTreeViewModel.Preset.ALL;
            });
        } finally {
            syncing = false;
        }
    }

    /** Ticking the tree says which strategy the user means: frozen backbone is feature extraction. */
    private void followPlan(FreezePlan plan) {
        LayerTree t = backbone.tree().treeProperty().get();
        if (t == null) {
            return;
        }
        Strategy current = trainingPanel.strategyProperty().get();
        Strategy next = current;
        if (t.canonical(plan).equals(t.headOnly())) {
            next = current == Strategy.SCRATCH ? current : Strategy.FEATURE_EXTRACTION;
        } else if (current == Strategy.FEATURE_EXTRACTION) {
            next = Strategy.FINE_TUNING;
        }
        if (next != current) {
            syncing = true;
            try {
                trainingPanel.strategyProperty().set(next);
            } finally {
                syncing = false;
            }
        }
    }

    private void updateSettings(UiSettings s) {
        settings.set(s);
        s.save(home.settingsFile());
    }

    /**
     * Starts the engines in the background, then opens the last dataset and backbone (or the
     * sample target dataset and the bundled backbone). Call once the window shows.
     */
    public void start() {
        BackgroundTask<EngineInfo> task = BackgroundTask.of("Starting engines", m -> EngineRuntime.start(home, m));
        task.messageProperty().addListener((o, a, b) -> status.set(b));
        task.progressProperty().addListener((o, a, b) -> progress.set(b.doubleValue()));
        executor.execute(task
                .onSuccess(info -> {
                    engineInfo.set(info);
                    enginesReady.set(true);
                    status.set(info.summary());
                    progress.set(0);
                    String src = settings.get().lastBackbone();
                    backbone.load(src != null && stillThere(src) ? src : defaultBackbone());
                })
                .onFailure(e -> {
                    engineError.set(e.getMessage());
                    status.set("The PyTorch engine could not start: " + e.getMessage());
                    progress.set(0);
                }));
        runs.refresh();
        String last = settings.get().lastDataset();
        if (last != null && Files.isDirectory(Path.of(last))) {
            dataset.open(Path.of(last));
        } else {
            SampleData.folder(SampleData.TARGET).ifPresent(dataset::open);
        }
    }

    private static boolean stillThere(String source) {
        return source.contains(":") && !source.matches("^[A-Za-z]:[\\\\/].*") || source.equals("sample") || Files.isRegularFile(Path.of(source));
    }

    private static String defaultBackbone() {
        return BackboneLoader.bundledFile().isPresent() ? "sample" : "arch:" + dev.thaw.core.backbone.Architectures.MINI_RESNET;
    }

    /** Stops training (cancelling what runs) and the relay. */
    public void close() {
        historyRelay.close();
        experiment.close();
        trainingPanel.close();
        training.close();
    }

    public ObjectProperty<UiSettings> settingsProperty() {
        return settings;
    }

    /** Saves window geometry with the rest of the settings. */
    public void saveGeometry(double w, double h, double x, double y, boolean maximized) {
        updateSettings(settings.get().withGeometry(w, h, x, y, maximized));
    }

    public DatasetViewModel dataset() {
        return dataset;
    }

    public BackboneViewModel backbone() {
        return backbone;
    }

    public TrainingViewModel training() {
        return trainingPanel;
    }

    /** The one-click experiment. */
    public ExperimentViewModel experiment() {
        return experiment;
    }

    /** The run history (Runs tab). */
    public RunsViewModel runs() {
        return runs;
    }

    public RunColors colors() {
        return colors;
    }

    public TaskExecutor executor() {
        return executor;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public BooleanProperty enginesReadyProperty() {
        return enginesReady;
    }

    public ObjectProperty<EngineInfo> engineInfoProperty() {
        return engineInfo;
    }

    public StringProperty engineErrorProperty() {
        return engineError;
    }
}
