package dev.thaw.ui.evaluate;

import dev.thaw.core.eval.ConfusionMatrix;
import dev.thaw.core.eval.Predictor;
import dev.thaw.core.runs.RunFolder;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runs.ValPredictions;
import dev.thaw.core.util.JobMonitor;
import dev.thaw.ui.common.BackgroundTask;
import dev.thaw.ui.common.Format;
import dev.thaw.ui.common.TaskExecutor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * One run evaluated: its confusion matrix (a cell click lists that cell's images), per-class
 * precision, recall and F1, the misclassified images, predictions on images the user drops, and
 * export of the trained model. Everything that reads files or runs the model happens in the
 * background.
 */
public final class EvaluateViewModel {

    /** Opens a run's trained model for prediction (the app uses {@link Predictor#open}). */
    @FunctionalInterface
    public interface PredictorFactory {
        Predictor open(Path runFolder) throws Exception;
    }

    /** Exports a run's model into a folder and says in a sentence what it wrote where (the app uses core's ModelExport). */
    @FunctionalInterface
    public interface Exporter {
        String export(RunFolder run, Path outDir, JobMonitor monitor) throws Exception;
    }

    /** A validation image shown in a gallery: file, true class, predicted class and its probability. */
    public record ImageResult(Path image, String file, String truth, String predicted, double probability) {
        public boolean correct() {
            return truth.equals(predicted);
        }
    }

    /** The model's top classes for one dropped image, or why it could not predict. */
    public record Prediction(Path image, List<Predictor.Prediction> top, String error) {
    }

    static final int TOP_K = 3;

    private final TaskExecutor executor;
    private final PredictorFactory predictors;
    private final Exporter exporter;
    private final ObjectProperty<RunStore.RunInfo> run = new SimpleObjectProperty<>(this, "run");
    private final StringProperty color = new SimpleStringProperty(this, "color", "#4e79a7");
    private final ObjectProperty<ValPredictions> predictions = new SimpleObjectProperty<>(this, "predictions");
    private final ObjectProperty<ConfusionMatrix> confusion = new SimpleObjectProperty<>(this, "confusion");
    private final ObservableList<ConfusionMatrix.ClassMetrics> perClass = FXCollections.observableArrayList();
    private final ObservableList<ImageResult> misclassified = FXCollections.observableArrayList();
    private final ObservableList<ImageResult> cellImages = FXCollections.observableArrayList();
    private final StringProperty cellTitle = new SimpleStringProperty(this, "cellTitle", "Click a cell of the matrix to see its images");
    private final StringProperty summary = new SimpleStringProperty(this, "summary", "");
    private final ObservableList<Prediction> predicted = FXCollections.observableArrayList();
    private final BooleanProperty predicting = new SimpleBooleanProperty(this, "predicting");
    private final BooleanProperty exporting = new SimpleBooleanProperty(this, "exporting");
    private final DoubleProperty exportProgress = new SimpleDoubleProperty(this, "exportProgress", -1);
    private final StringProperty notice = new SimpleStringProperty(this, "notice");
    private final StringProperty error = new SimpleStringProperty(this, "error");
    private Predictor predictor;
    private volatile boolean closed;

    public EvaluateViewModel(TaskExecutor executor, PredictorFactory predictors, Exporter exporter) {
        this.executor = executor;
        this.predictors = predictors;
        this.exporter = exporter;
    }

    /** Reads the run's validation predictions in the background. */
    public void load(RunStore.RunInfo info, String runColor) {
        run.set(info);
        color.set(runColor);
        executor.execute(BackgroundTask.of("Reading " + info.id(), m -> ValPredictions.read(info.folder(), ValPredictions.Epoch.BEST)
                .orElseThrow(() -> new IllegalArgumentException("The run " + info.displayName() + " has no validation predictions ("
                        + info.folder().file(RunFolder.PREDICTIONS) + "): it stopped before its first epoch ended")))
                .onSuccess(this::apply)
                .onFailure(e -> error.set(e.getMessage())));
    }

    void apply(ValPredictions p) {
        predictions.set(p);
        ConfusionMatrix m = p.confusion();
        confusion.set(m);
        perClass.setAll(m.perClass());
        misclassified.setAll(p.misclassified().stream().map(r -> result(p, r)).toList());
        summary.set(String.format(Locale.ROOT, "Saved model (best epoch%s): %s on %d validation images, %d wrong · macro F1 %s",
                run.get() != null && run.get().summary() != null ? " " + run.get().summary().bestEpoch() : "",
                Format.percent(m.accuracy()), m.total(), m.total() - m.correct(), Format.percent(m.macroF1())));
    }

    private static ImageResult result(ValPredictions p, ValPredictions.Row r) {
        return new ImageResult(p.dataRoot() == null ? null : r.resolve(p.dataRoot()), r.file(), p.classes().get(r.truth()),
                p.classes().get(r.predicted()), r.probability());
    }

    /** Shows the images of one confusion-matrix cell. */
    public void selectCell(int truth, int predictedClass) {
        ValPredictions p = predictions.get();
        if (p == null) {
            return;
        }
        List<ValPredictions.Row> rows = p.cell(truth, predictedClass);
        cellImages.setAll(rows.stream().map(r -> result(p, r)).toList());
        String t = p.classes().get(truth);
        String q = p.classes().get(predictedClass);
        cellTitle.set(truth == predictedClass
                ? String.format(Locale.ROOT, "%s predicted right: %d %s", t, rows.size(), rows.size() == 1 ? "image" : "images")
                : String.format(Locale.ROOT, "%s predicted as %s: %d %s", t, q, rows.size(), rows.size() == 1 ? "image" : "images"));
    }

    /**
     * Predicts the top classes of each image with the run's model, in the background (the model is
     * opened once and kept for the next drop). Results appear newest first.
     */
    public void predict(List<Path> images) {
        RunStore.RunInfo info = run.get();
        if (info == null || images.isEmpty()) {
            return;
        }
        predicting.set(true);
        executor.execute(BackgroundTask.of("Predicting " + images.size() + " images", m -> {
            List<Prediction> out = new ArrayList<>();
            // Held while the model is in use, so close() cannot free it under a prediction.
            synchronized (this) {
                Predictor p = predictor();
                for (int i = 0; i < images.size(); i++) {
                    m.checkCancelled();
                    m.progress((double) i / images.size(), "Predicting " + images.get(i).getFileName());
                    Path img = images.get(i);
                    try {
                        out.add(new Prediction(img, p.predict(img, TOP_K), null));
                    } catch (RuntimeException e) {
                        out.add(new Prediction(img, List.of(), e.getMessage()));
                    }
                }
            }
            return out;
        }).onSuccess(out -> predicted.addAll(0, out))
                .onFailure(e -> error.set("Cannot open the model of " + info.displayName() + ": " + e.getMessage()))
                .onFinished(() -> predicting.set(false)));
    }

    private synchronized Predictor predictor() throws Exception {
        if (closed) {
            throw new java.util.concurrent.CancellationException("The evaluation was closed");
        }
        if (predictor == null) {
            predictor = predictors.open(run.get().folder().dir());
        }
        return predictor;
    }

    /** Exports the run's model into {@code outDir} in the background; a notice names the folder written. */
    public void export(Path outDir) {
        RunStore.RunInfo info = run.get();
        if (info == null || outDir == null) {
            return;
        }
        exporting.set(true);
        BackgroundTask<String> task = BackgroundTask.of("Exporting " + info.displayName(), m -> exporter.export(info.folder(), outDir, m));
        task.progressProperty().addListener((o, a, b) -> exportProgress.set(b.doubleValue()));
        executor.execute(task.onSuccess(notice::set)
                .onFailure(e -> error.set("Cannot export " + info.displayName() + " to " + outDir + ": " + e.getMessage()))
                .onFinished(() -> {
                    exporting.set(false);
                    exportProgress.set(-1);
                }));
    }

    /**
     * Closes the model, if one was opened, in the background (closing frees native memory), after a
     * prediction in progress ends; no model is opened after this.
     */
    public void close() {
        closed = true;
        executor.execute(BackgroundTask.of("Closing the model", m -> {
            synchronized (this) {
                if (predictor != null) {
                    predictor.close();
                    predictor = null;
                }
            }
            return null;
        }));
    }

    public ObjectProperty<RunStore.RunInfo> runProperty() {
        return run;
    }

    public StringProperty colorProperty() {
        return color;
    }

    public ObjectProperty<ValPredictions> predictionsProperty() {
        return predictions;
    }

    public ObjectProperty<ConfusionMatrix> confusionProperty() {
        return confusion;
    }

    public ObservableList<ConfusionMatrix.ClassMetrics> perClass() {
        return perClass;
    }

    public ObservableList<ImageResult> misclassified() {
        return misclassified;
    }

    public ObservableList<ImageResult> cellImages() {
        return cellImages;
    }

    public StringProperty cellTitleProperty() {
        return cellTitle;
    }

    public StringProperty summaryProperty() {
        return summary;
    }

    /** Predictions on dropped images, newest first. */
    public ObservableList<Prediction> predicted() {
        return predicted;
    }

    public BooleanProperty predictingProperty() {
        return predicting;
    }

    public BooleanProperty exportingProperty() {
        return exporting;
    }

    public DoubleProperty exportProgressProperty() {
        return exportProgress;
    }

    public StringProperty noticeProperty() {
        return notice;
    }

    public StringProperty errorProperty() {
        return error;
    }
}
