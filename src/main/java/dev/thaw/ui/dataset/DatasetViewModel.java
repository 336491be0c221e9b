package dev.thaw.ui.dataset;

import dev.thaw.core.data.FolderSummary;
import dev.thaw.ui.common.BackgroundTask;
import dev.thaw.ui.common.TaskExecutor;
import java.nio.file.Path;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** State of the dataset panel: which folder is open, what it holds, and what went wrong. */
public final class DatasetViewModel {

    /** One row of the class table. */
    public record ClassRow(String name, int train, int val, int test, int total) {
    }

    private final TaskExecutor executor;
    private final ObjectProperty<Path> folder = new SimpleObjectProperty<>(this, "folder");
    private final ObjectProperty<FolderSummary> summary = new SimpleObjectProperty<>(this, "summary");
    private final ObservableList<ClassRow> rows = FXCollections.observableArrayList();
    private final StringProperty error = new SimpleStringProperty(this, "error");
    private final BooleanProperty loading = new SimpleBooleanProperty(this, "loading");
    private BackgroundTask<FolderSummary> current;

    public DatasetViewModel(TaskExecutor executor) {
        this.executor = executor;
    }

    /** Opens {@code dir} in the background; the previous dataset stays shown if it fails. */
    public void open(Path dir) {
        if (current != null) {
            current.cancel();
        }
        error.set(null);
        loading.set(true);
        BackgroundTask<FolderSummary> task = BackgroundTask.of("Reading " + dir.getFileName(), m -> FolderSummary.of(dir));
        current = task;
        executor.execute(task
                .onSuccess(s -> {
                    if (current == task) {
                        show(s);
                    }
                })
                .onFailure(e -> {
                    if (current == task) {
                        error.set(e.getMessage() == null ? "Cannot read " + dir : e.getMessage());
                    }
                })
                .onFinished(() -> {
                    if (current == task) {
                        loading.set(false);
                    }
                }));
    }

    private void show(FolderSummary s) {
        folder.set(s.root());
        summary.set(s);
        rows.clear();
        for (String c : s.classes()) {
            if (s.presplit()) {
                int tr = s.count("train", c);
                int va = s.count("val", c);
                int te = s.count("test", c);
                rows.add(new ClassRow(c, tr, va, te, tr + va + te));
            } else {
                int all = s.count("all", c);
                rows.add(new ClassRow(c, all, 0, 0, all));
            }
        }
    }

    public ObjectProperty<Path> folderProperty() {
        return folder;
    }

    public ObjectProperty<FolderSummary> summaryProperty() {
        return summary;
    }

    public ObservableList<ClassRow> rows() {
        return rows;
    }

    public StringProperty errorProperty() {
        return error;
    }

    public BooleanProperty loadingProperty() {
        return loading;
    }

    /** "8 classes · 512 images · train / val as given", or a hint when nothing is open. */
    public StringBinding description() {
        return Bindings.createStringBinding(() -> {
            FolderSummary s = summary.get();
            if (s == null) {
                return "Drop a folder with one sub-folder per class, or train/ and val/ folders.";
            }
            String layout = s.presplit() ? "train / val as given" : "one folder per class (Thaw makes the split)";
            return s.classes().size() + " classes · " + s.total() + " images · " + layout;
        }, summary);
    }
}
