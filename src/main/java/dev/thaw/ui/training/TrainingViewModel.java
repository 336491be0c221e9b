package dev.thaw.ui.training;

import dev.thaw.core.data.Augmentation;
import dev.thaw.core.data.SplitManifest;
import dev.thaw.core.model.FreezePlan;
import dev.thaw.core.model.RunSpec;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.model.TrainingEvent;
import dev.thaw.core.train.RunHandle;
import dev.thaw.core.train.TrainingService;
import dev.thaw.ui.common.EventRelay;
import dev.thaw.ui.common.Format;
import dev.thaw.ui.common.RunColors;
import dev.thaw.ui.common.UiThread;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The training panel: the run settings, Start and Cancel, the queue of runs, and the live view of
 * the run being watched. Inputs from the other panels (dataset folder, backbone source, freeze
 * plan, class weights) are bound in by the main window.
 */
public final class TrainingViewModel {

    /** A run in the queue. */
    public static final class QueuedRun {
        private final String id;
        private final String label;
        private final String color;
        private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("queued");
        private boolean finished;

        QueuedRun(String id, String label, String color) {
            this.id = id;
            this.label = label;
            this.color = color;
        }

        public String id() {
            return id;
        }

        public String label() {
            return label;
        }

        /** The run's colour (CSS hex), the same everywhere it is shown. */
        public String color() {
            return color;
        }

        public ReadOnlyStringProperty statusProperty() {
            return status.getReadOnlyProperty();
        }

        public boolean isFinished() {
            return finished;
        }
    }

    private final TrainingService service;
    private final Path manifestsDir;
    private final ObjectProperty<SplitManifest> splitManifest = new SimpleObjectProperty<>(this, "splitManifest");
    private final RunColors colors;
    private final EventRelay<TrainingEvent> relay;
    private final RunMonitorViewModel monitor = new RunMonitorViewModel();
    private final ObservableList<QueuedRun> queue = FXCollections.observableArrayList();
    private final Map<String, RunHandle> handles = new HashMap<>();
    private final Map<String, QueuedRun> byId = new HashMap<>();
    private final IntegerProperty unfinished = new SimpleIntegerProperty(this, "unfinished");

    // Inputs, bound by the main window.
    private final ObjectProperty<Path> dataset = new SimpleObjectProperty<>(this, "dataset");
    private final StringProperty backboneSource = new SimpleStringProperty(this, "backboneSource");
    private final BooleanProperty backboneTrainable = new SimpleBooleanProperty(this, "backboneTrainable", true);
    private final ObjectProperty<FreezePlan> freezePlan = new SimpleObjectProperty<>(this, "freezePlan", FreezePlan.NONE);
    private final StringProperty planDescription = new SimpleStringProperty(this, "planDescription", "");
    private final BooleanProperty classWeights = new SimpleBooleanProperty(this, "classWeights");
    private final StringProperty datasetProblem = new SimpleStringProperty(this, "datasetProblem");

    // Settings.
    private final ObjectProperty<Strategy> strategy = new SimpleObjectProperty<>(this, "strategy", Strategy.FEATURE_EXTRACTION);
    private final IntegerProperty epochs = new SimpleIntegerProperty(this, "epochs", RunSpec.defaultEpochs(Strategy.FEATURE_EXTRACTION));
    private final IntegerProperty batchSize = new SimpleIntegerProperty(this, "batchSize", RunSpec.DEFAULT_BATCH_SIZE);
    private final DoubleProperty learningRate = new SimpleDoubleProperty(this, "learningRate",
            RunSpec.defaultLearningRate(Strategy.FEATURE_EXTRACTION));
    private final DoubleProperty backboneLrMultiplier = new SimpleDoubleProperty(this, "backboneLrMultiplier",
            RunSpec.DEFAULT_BACKBONE_LR_MULTIPLIER);
    private final IntegerProperty warmupEpochs = new SimpleIntegerProperty(this, "warmupEpochs", 0);
    private final ObjectProperty<Augmentation> augmentation = new SimpleObjectProperty<>(this, "augmentation",
            RunSpec.defaultAugmentation(Strategy.FEATURE_EXTRACTION));
    private final IntegerProperty seed = new SimpleIntegerProperty(this, "seed", (int) RunSpec.DEFAULT_SEED);
    private final StringProperty device = new SimpleStringProperty(this, "device", "auto");
    private final IntegerProperty patience = new SimpleIntegerProperty(this, "patience", 5);
    private final BooleanProperty adaptBatchNorm = new SimpleBooleanProperty(this, "adaptBatchNorm");

    /**
     * @param manifestsDir where the dataset panel's split is saved for the runs that use it, so
     *     every run on a dataset trains and validates on exactly the images the panel shows
     */
    public TrainingViewModel(TrainingService service, RunColors colors, UiThread ui, Path manifestsDir) {
        this.service = service;
        this.manifestsDir = manifestsDir;
        this.colors = colors;
        this.relay = new EventRelay<>(ui, this::onEvents, 100);
        service.addListener(relay::publish);
        // Each strategy comes with its own sensible defaults; the user can change them after.
        strategy.addListener((o, a, s) -> {
            epochs.set(RunSpec.defaultEpochs(s));
            learningRate.set(RunSpec.defaultLearningRate(s));
            augmentation.set(RunSpec.defaultAugmentation(s));
        });
    }

    /** Why Start is disabled, or {@code null} when a run can start. */
    public StringBinding startBlockedReason() {
        return Bindings.createStringBinding(() -> {
            if (dataset.get() == null) {
                return "Open a dataset first";
            }
            if (datasetProblem.get() != null && !datasetProblem.get().isBlank()) {
                return datasetProblem.get();
            }
            if (backboneSource.get() == null) {
                return "Choose a backbone first";
            }
            if (!backboneTrainable.get() && strategy.get() != Strategy.FEATURE_EXTRACTION) {
                return "This backbone cannot train (ONNX): use feature extraction";
            }
            return null;
        }, dataset, datasetProblem, backboneSource, backboneTrainable, strategy);
    }

    public BooleanBinding canStart() {
        return startBlockedReason().isNull();
    }

    /** The run spec the current settings describe. */
    public RunSpec buildSpec() {
        Strategy s = strategy.get();
        RunSpec.Builder b = RunSpec.builder()
                .setBackbone(backboneSource.get())
                .setData(dataset.get())
                .setStrategy(s)
                .optEpochs(epochs.get())
                .optBatchSize(batchSize.get())
                .optLearningRate(learningRate.get())
                .optAugmentation(augmentation.get())
                .optSeed(seed.get())
                .optDevice(device.get())
                .optEarlyStoppingPatience(patience.get())
                .optClassWeights(classWeights.get());
        if (s == Strategy.FEATURE_EXTRACTION) {
            // Only a backbone libtorch runs can re-estimate statistics; the box is disabled for the others.
            b.optAdaptBatchNorm(adaptBatchNorm.get() && backboneTrainable.get());
        }
        if (s == Strategy.FINE_TUNING) {
            b.optBackboneLrMultiplier(backboneLrMultiplier.get()).optWarmupEpochs(warmupEpochs.get());
        }
        if (s != Strategy.SCRATCH || !freezePlan.get().frozen().isEmpty()) {
            b.optFreezePlan(freezePlan.get());
        }
        SplitManifest m = splitManifest.get();
        if (m != null && manifestsDir != null && m.root().equals(dataset.get())) {
            b.optSplitManifest(saveManifest(m));
        }
        return b.build();
    }

    /** Queues a run with the current settings; the monitor follows it once nothing else is running. */
    public String start() {
        if (!canStart().get()) {
            return null;
        }
        RunSpec spec = buildSpec();
        RunHandle h = service.submit(spec);
        track(h, label(spec));
        return h.runId();
    }

    /** The queue's label of a run: strategy, backbone, seed. */
    public static String label(RunSpec spec) {
        return String.format(Locale.ROOT, "%s · %s · seed %d", spec.strategy().label(), shortSource(spec.backbone()), spec.seed());
    }

    /**
     * Shows a run queued elsewhere (the one-click experiment, say) in the queue with its colour, and
     * lets Cancel reach it. Call on the UI thread, before or soon after the run starts.
     */
    public void track(RunHandle h, String label) {
        if (byId.containsKey(h.runId())) {
            return;
        }
        QueuedRun row = new QueuedRun(h.runId(), label, colors.of(h.runId()));
        handles.put(h.runId(), h);
        byId.put(h.runId(), row);
        queue.add(row);
        unfinished.set(unfinished.get() + 1);
        if (monitor.phaseProperty().get() != RunMonitorViewModel.Phase.RUNNING) {
            monitor.watch(h.runId());
            monitor.appendLog(List.of("Queued " + label + " (run " + h.runId() + ")"));
        }
    }

    /** Saves {@code m} under a name derived from its content, so equal splits share one file. */
    private Path saveManifest(SplitManifest m) {
        Path file = manifestsDir.resolve(m.root().getFileName() + "-" + Integer.toHexString(m.hashCode()) + ".json");
        if (!java.nio.file.Files.isRegularFile(file)) {
            m.save(file);
        }
        return file;
    }

    private static String shortSource(String source) {
        int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
        return slash >= 0 ? source.substring(slash + 1) : source;
    }

    /** Cancels the run being watched (or, if it already ended, the next unfinished one). */
    public void cancel() {
        String id = monitor.runIdProperty().get();
        QueuedRun row = id == null ? null : byId.get(id);
        if (row == null || row.isFinished()) {
            row = queue.stream().filter(r -> !r.isFinished()).findFirst().orElse(null);
        }
        if (row != null) {
            RunHandle h = handles.get(row.id());
            if (h != null) {
                h.cancel();
                row.status.set("cancelling…");
            }
        }
    }

    /** Cancels everything running or queued. */
    public void cancelAll() {
        for (QueuedRun r : queue) {
            if (!r.isFinished()) {
                handles.get(r.id()).cancel();
                r.status.set("cancelling…");
            }
        }
    }

    /** Shows {@code id}'s live view (it must be in the queue). */
    public void watch(String id) {
        if (byId.containsKey(id)) {
            monitor.watch(id);
        }
    }

    /** True while any run is queued or running. */
    public BooleanBinding busy() {
        return unfinished.greaterThan(0);
    }

    void onEvents(List<TrainingEvent> events) {
        for (TrainingEvent e : events) {
            QueuedRun row = byId.get(e.runId());
            if (row == null) {
                continue;
            }
            if (e instanceof TrainingEvent.Started) {
                row.status.set("running");
                String watched = monitor.runIdProperty().get();
                QueuedRun w = watched == null ? null : byId.get(watched);
                if (w == null || w.isFinished() || watched.equals(e.runId())) {
                    if (!e.runId().equals(watched)) {
                        monitor.watch(e.runId());
                    }
                }
            } else if (e instanceof TrainingEvent.EpochEnded ep) {
                row.status.set(String.format(Locale.ROOT, "epoch %d/%d · val %s", ep.epoch(), ep.epochs(), Format.percent(ep.valAccuracy())));
            } else if (e instanceof TrainingEvent.Completed c) {
                row.finished = true;
                row.status.set("done · val " + Format.percent(c.finalValAccuracy()) + " (best " + Format.percent(c.bestValAccuracy()) + ")");
            } else if (e instanceof TrainingEvent.Cancelled) {
                row.finished = true;
                row.status.set("cancelled");
            } else if (e instanceof TrainingEvent.Failed f) {
                row.finished = true;
                row.status.set("failed: " + f.message());
            }
        }
        monitor.accept(events);
        unfinished.set((int) queue.stream().filter(r -> !r.isFinished()).count());
    }

    public void close() {
        relay.close();
    }

    public RunMonitorViewModel monitor() {
        return monitor;
    }

    public ObservableList<QueuedRun> queue() {
        return queue;
    }

    public ObjectProperty<Path> datasetProperty() {
        return dataset;
    }

    /** The split the dataset panel made (readable images only), or {@code null} to let the engine split. */
    public ObjectProperty<SplitManifest> splitManifestProperty() {
        return splitManifest;
    }

    public StringProperty backboneSourceProperty() {
        return backboneSource;
    }

    public BooleanProperty backboneTrainableProperty() {
        return backboneTrainable;
    }

    public ObjectProperty<FreezePlan> freezePlanProperty() {
        return freezePlan;
    }

    public StringProperty planDescriptionProperty() {
        return planDescription;
    }

    /** Feature extraction: re-estimate the backbone's BatchNorm statistics on the training images first (AdaBN). */
    public BooleanProperty adaptBatchNormProperty() {
        return adaptBatchNorm;
    }

    public BooleanProperty classWeightsProperty() {
        return classWeights;
    }

    /** A reason the dataset cannot be trained on (a single class, say), or {@code null}. */
    public StringProperty datasetProblemProperty() {
        return datasetProblem;
    }

    public ObjectProperty<Strategy> strategyProperty() {
        return strategy;
    }

    public IntegerProperty epochsProperty() {
        return epochs;
    }

    public IntegerProperty batchSizeProperty() {
        return batchSize;
    }

    public DoubleProperty learningRateProperty() {
        return learningRate;
    }

    public DoubleProperty backboneLrMultiplierProperty() {
        return backboneLrMultiplier;
    }

    public IntegerProperty warmupEpochsProperty() {
        return warmupEpochs;
    }

    public ObjectProperty<Augmentation> augmentationProperty() {
        return augmentation;
    }

    public IntegerProperty seedProperty() {
        return seed;
    }

    public StringProperty deviceProperty() {
        return device;
    }

    public IntegerProperty patienceProperty() {
        return patience;
    }
}
