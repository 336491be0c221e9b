package dev.thaw.core.experiment;

import dev.thaw.core.data.SplitManifest;
import dev.thaw.core.model.RunSpec;
import dev.thaw.core.model.Strategy;
import dev.thaw.core.model.TrainingEvent;
import dev.thaw.core.runs.ExperimentTag;
import dev.thaw.core.runs.RunFolder;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.train.RunHandle;
import dev.thaw.core.train.RunResult;
import dev.thaw.core.train.TrainingService;
import dev.thaw.core.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The one-click experiment "feature extraction vs fine-tuning vs scratch": every arm trained with
 * several seeds, all on <b>one</b> split manifest so every run is validated on the same images,
 * queued on a {@link TrainingService}. Each run folder gets an {@code experiment.json}
 * ({@link ExperimentTag}); the experiment itself is kept in {@code RUNS/.experiments/ID/}
 * ({@code experiment.json} with its settings and runs, {@code split.json}). When all runs have
 * ended, {@link #report()} reads them back into an {@link ExperimentReport}.
 */
public final class Experiment {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);
    /** Folder under the runs folder where experiments are kept (hidden from run listings). */
    public static final String FOLDER = ".experiments";

    /**
     * How one arm trains.
     *
     * @param strategy the arm's strategy
     * @param epochs epochs per run
     * @param learningRate the head's learning rate
     * @param freeze the freeze preset ({@code last:1}) or {@code null} for the strategy's default
     * @param backboneLrMultiplier fine-tuning: the backbone's learning rate as a multiple of the head's
     * @param adaptBatchNorm feature extraction: re-estimate the backbone's BatchNorm statistics on
     *     the training images first ({@link RunSpec#adaptBatchNorm()}); the seeds share one adaptation
     */
    public record ArmSettings(Strategy strategy, int epochs, double learningRate, String freeze, double backboneLrMultiplier,
            boolean adaptBatchNorm) {

        public ArmSettings {
            if (adaptBatchNorm && strategy != Strategy.FEATURE_EXTRACTION) {
                throw new IllegalArgumentException("BatchNorm re-estimation is a feature-extraction option, not one for " + strategy.label());
            }
        }

        /**
         * The defaults: feature extraction 30 epochs at 0.01; fine-tuning the last stage with the
         * backbone at 0.1x; scratch like {@code thaw train --strategy scratch}.
         */
        public static ArmSettings defaults(Strategy s) {
            return switch (s) {
                case FEATURE_EXTRACTION -> new ArmSettings(s, 30, 0.01, null, RunSpec.DEFAULT_BACKBONE_LR_MULTIPLIER, false);
                case FINE_TUNING -> new ArmSettings(s, RunSpec.defaultEpochs(s), RunSpec.defaultLearningRate(s), "last:1",
                        RunSpec.DEFAULT_BACKBONE_LR_MULTIPLIER, false);
                case SCRATCH -> new ArmSettings(s, RunSpec.defaultEpochs(s), RunSpec.defaultLearningRate(s), null,
                        RunSpec.DEFAULT_BACKBONE_LR_MULTIPLIER, false);
            };
        }

        public ArmSettings withEpochs(int n) {
            return new ArmSettings(strategy, n, learningRate, freeze, backboneLrMultiplier, adaptBatchNorm);
        }

        /** This arm with BatchNorm re-estimation on or off; other strategies than feature extraction ignore it. */
        public ArmSettings withAdaptBatchNorm(boolean on) {
            return new ArmSettings(strategy, epochs, learningRate, freeze, backboneLrMultiplier,
                    on && strategy == Strategy.FEATURE_EXTRACTION);
        }
    }

    /**
     * What to run.
     *
     * @param data the dataset folder
     * @param splitManifest a saved split to use, or {@code null} to split {@code data} once (seed {@code splitSeed})
     * @param backbone the backbone source
     * @param seeds runs per arm
     * @param firstSeed the first run's seed; the others follow it
     * @param splitSeed the split's seed when {@code splitManifest} is null
     * @param valFraction held out for validation when {@code data} is not split
     * @param arms the arms, in order
     * @param batchSize images per batch
     * @param device {@code auto}, {@code cpu} or {@code gpu}
     */
    public record Settings(Path data, Path splitManifest, String backbone, int seeds, long firstSeed, long splitSeed,
            double valFraction, List<ArmSettings> arms, int batchSize, String device) {

        public Settings {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(backbone, "backbone");
            arms = List.copyOf(arms);
            if (seeds < 1) {
                throw new IllegalArgumentException("seeds must be at least 1, was " + seeds);
            }
            if (arms.isEmpty()) {
                throw new IllegalArgumentException("an experiment needs at least one arm");
            }
        }

        /** Three arms with their defaults, 3 seeds (1, 2, 3), split seed 42, 20% validation. */
        public static Settings defaults(Path data, String backbone) {
            return new Settings(data, null, backbone, 3, 1, RunSpec.DEFAULT_SEED, RunSpec.DEFAULT_VAL_FRACTION,
                    List.of(ArmSettings.defaults(Strategy.FEATURE_EXTRACTION), ArmSettings.defaults(Strategy.FINE_TUNING),
                            ArmSettings.defaults(Strategy.SCRATCH)),
                    RunSpec.DEFAULT_BATCH_SIZE, "auto");
        }

        public Settings withSeeds(int n) {
            return new Settings(data, splitManifest, backbone, n, firstSeed, splitSeed, valFraction, arms, batchSize, device);
        }

        public Settings withSplitManifest(Path manifest) {
            return new Settings(data, manifest, backbone, seeds, firstSeed, splitSeed, valFraction, arms, batchSize, device);
        }

        public Settings withArms(List<ArmSettings> a) {
            return new Settings(data, splitManifest, backbone, seeds, firstSeed, splitSeed, valFraction, a, batchSize, device);
        }

        public Settings withBatchSize(int n) {
            return new Settings(data, splitManifest, backbone, seeds, firstSeed, splitSeed, valFraction, arms, n, device);
        }

        public Settings withDevice(String d) {
            return new Settings(data, splitManifest, backbone, seeds, firstSeed, splitSeed, valFraction, arms, batchSize, d);
        }
    }

    /**
     * Where the experiment is.
     *
     * @param runsDone runs that have ended (completed, cancelled or failed)
     * @param runsTotal all runs
     * @param fraction 0..1 over all runs, counting the current run's epochs
     * @param message what is happening now
     */
    public record Progress(int runsDone, int runsTotal, double fraction, String message) {
    }

    private final String id;
    private final Settings settings;
    private final Path folder;
    private final Path manifest;
    private final RunStore store;
    private final List<RunHandle> handles = new ArrayList<>();
    private final List<ExperimentTag> tags = new ArrayList<>();
    private final Set<String> runIds = ConcurrentHashMap.newKeySet();
    private final Map<String, Double> runFraction = new ConcurrentHashMap<>();
    private final List<Consumer<Progress>> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<List<RunResult>> done;
    private volatile Progress progress;
    private final TrainingService service;
    private final Consumer<TrainingEvent> eventListener = this::onEvent;

    private Experiment(TrainingService service, Settings settings, String id, Path folder, Path manifest) {
        this.service = service;
        this.store = service.store();
        this.settings = settings;
        this.id = id;
        this.folder = folder;
        this.manifest = manifest;
        this.done = new CompletableFuture<>();
    }

    /**
     * Makes the split (unless one is given), queues every arm x seed and returns without waiting for
     * the runs. Making the split lists the dataset folder, so call this off the FX thread. Throws
     * {@link IllegalArgumentException} naming the folder or file when the data or manifest is unusable.
     */
    public static Experiment start(TrainingService service, Settings settings) {
        return start(service, settings, null);
    }

    /** Like {@link #start(TrainingService, Settings)}, with a listener that hears progress from the start. */
    public static Experiment start(TrainingService service, Settings settings, Consumer<Progress> listener) {
        String id = "exp-" + STAMP.format(LocalDateTime.now());
        Path root = service.store().root().resolve(FOLDER);
        Path folder = root.resolve(id);
        for (int i = 2; Files.exists(folder); i++) {
            folder = root.resolve(id + "-" + i);
        }
        id = folder.getFileName().toString();
        SplitManifest split;
        if (settings.splitManifest() != null) {
            if (!Files.isRegularFile(settings.splitManifest())) {
                throw new IllegalArgumentException("Split manifest not found: " + settings.splitManifest());
            }
            split = SplitManifest.load(settings.splitManifest());
        } else {
            if (!Files.isDirectory(settings.data())) {
                throw new IllegalArgumentException("Dataset folder not found: " + settings.data());
            }
            split = SplitManifest.of(settings.data(), settings.valFraction(), 0, settings.splitSeed());
        }
        if (split.classes().size() < 2 || split.train().isEmpty() || split.val().isEmpty()) {
            throw new IllegalArgumentException("The dataset " + settings.data() + " needs at least 2 classes with training and "
                    + "validation images (it has " + split.classes().size() + " classes, " + split.train().size() + " training and "
                    + split.val().size() + " validation images)");
        }
        Path manifest = folder.resolve("split.json");
        split.save(manifest);
        Experiment e = new Experiment(service, settings, id, folder, manifest);
        if (listener != null) {
            e.listeners.add(listener);
        }
        e.queue();
        return e;
    }

    private void queue() {
        service.addListener(eventListener);
        progress = new Progress(0, settings.arms().size() * settings.seeds(), 0, "Queued");
        for (int k = 0; k < settings.seeds(); k++) {
            for (ArmSettings arm : settings.arms()) {
                long seed = settings.firstSeed() + k;
                RunSpec spec = RunSpec.builder().setBackbone(settings.backbone()).setData(settings.data())
                        .setStrategy(arm.strategy()).optSplitManifest(manifest.toAbsolutePath()).optSplitSeed(settings.splitSeed())
                        .optValFraction(settings.valFraction()).optEpochs(arm.epochs()).optLearningRate(arm.learningRate())
                        .optFreeze(arm.freeze()).optBackboneLrMultiplier(arm.backboneLrMultiplier()).optSeed(seed)
                        .optAdaptBatchNorm(arm.adaptBatchNorm())
                        .optBatchSize(settings.batchSize()).optDevice(settings.device()).build();
                RunHandle h = service.submit(spec);
                ExperimentTag tag = new ExperimentTag(id, arm.strategy().cliName(), seed, k + 1);
                new RunFolder(h.folder()).writeExperiment(tag);
                handles.add(h);
                tags.add(tag);
                runIds.add(h.runId());
            }
        }
        writeExperimentFile();
        CompletableFuture<?>[] all = handles.stream().map(RunHandle::result).toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(all).whenComplete((v, t) -> {
            service.removeListener(eventListener);
            List<RunResult> results = handles.stream().map(h -> h.result().join()).toList();
            publish(new Progress(results.size(), results.size(), 1, "Experiment " + id + " finished"));
            done.complete(results);
        });
    }

    private void writeExperimentFile() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("id", id);
        j.put("created", java.time.Instant.now().toString());
        j.put("settings", settings);
        j.put("split", manifest.getFileName().toString());
        List<Map<String, Object>> runs = new ArrayList<>();
        for (int i = 0; i < handles.size(); i++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("run", handles.get(i).runId());
            r.put("arm", tags.get(i).arm());
            r.put("seed", tags.get(i).seed());
            runs.add(r);
        }
        j.put("runs", runs);
        Json.write(folder.resolve("experiment.json"), j);
    }

    private void onEvent(TrainingEvent e) {
        String run = e.runId();
        if (!runIds.contains(run)) {
            return;
        }
        String message = null;
        if (e instanceof TrainingEvent.EpochEnded ee) {
            runFraction.put(run, (double) ee.epoch() / Math.max(1, ee.epochs()));
            message = String.format(Locale.ROOT, "%s: epoch %d/%d, val acc %.3f", describe(run), ee.epoch(), ee.epochs(),
                    ee.valAccuracy());
        } else if (e instanceof TrainingEvent.Completed || e instanceof TrainingEvent.Cancelled
                || e instanceof TrainingEvent.Failed) {
            runFraction.put(run, 1.0);
            message = describe(run) + ": " + (e instanceof TrainingEvent.Completed c
                    ? String.format(Locale.ROOT, "done, final val acc %.3f (best %.3f)", c.finalValAccuracy(), c.bestValAccuracy())
                    : e instanceof TrainingEvent.Failed f ? "failed: " + f.message() : "cancelled");
        } else if (e instanceof TrainingEvent.Started) {
            message = describe(run) + ": started";
        }
        if (message != null) {
            int total = handles.size();
            int finished = (int) handles.stream().filter(h -> runFraction.getOrDefault(h.runId(), 0.0) >= 1.0).count();
            double f = handles.stream().mapToDouble(h -> runFraction.getOrDefault(h.runId(), 0.0)).sum() / Math.max(1, total);
            publish(new Progress(finished, total, f, message));
        }
    }

    private String describe(String run) {
        for (int i = 0; i < handles.size(); i++) {
            if (handles.get(i).runId().equals(run)) {
                ExperimentTag t = tags.get(i);
                return String.format(Locale.ROOT, "[%d/%d] %s seed %d", i + 1, handles.size(), ExperimentReport.label(t.arm()),
                        t.seed());
            }
        }
        return run;
    }

    private void publish(Progress p) {
        progress = p;
        for (Consumer<Progress> l : listeners) {
            try {
                l.accept(p);
            } catch (RuntimeException ex) {
                org.slf4j.LoggerFactory.getLogger(Experiment.class).warn("An experiment listener failed", ex);
            }
        }
    }

    public String id() {
        return id;
    }

    public Settings settings() {
        return settings;
    }

    /** The shared split manifest every run uses. */
    public Path splitManifest() {
        return manifest;
    }

    /** {@code RUNS/.experiments/ID}. */
    public Path folder() {
        return folder;
    }

    /** The queued runs, in queue order (seed by seed, arms in order within a seed). */
    public List<RunHandle> runs() {
        return List.copyOf(handles);
    }

    /** Listeners hear progress on the training thread; they must return quickly. */
    public void addListener(Consumer<Progress> l) {
        listeners.add(l);
    }

    public void removeListener(Consumer<Progress> l) {
        listeners.remove(l);
    }

    public Progress progress() {
        return progress;
    }

    /** Cancels the running run and every queued one. */
    public void cancel() {
        handles.forEach(RunHandle::cancel);
    }

    /** Completes (never exceptionally) when every run has ended. */
    public CompletableFuture<List<RunResult>> done() {
        return done;
    }

    /** The report on this experiment's runs as they are on disk now. */
    public ExperimentReport report() {
        return ExperimentReport.of(store.experiment(id));
    }
}
