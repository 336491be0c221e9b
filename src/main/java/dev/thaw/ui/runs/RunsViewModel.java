package dev.thaw.ui.runs;

import dev.thaw.core.runs.RunStore;
import dev.thaw.ui.common.BackgroundTask;
import dev.thaw.ui.common.RunColors;
import dev.thaw.ui.common.TaskExecutor;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * The run history: every run in the {@link RunStore}, newest first, filtered by a search text;
 * delete and rename persist in the run folders. Selecting two or more runs allows Compare, one run
 * with predictions allows Evaluate; what those open is decided by the main window.
 */
public final class RunsViewModel {

    private final RunStore store;
    private final RunColors colors;
    private final TaskExecutor executor;
    private final ObservableList<RunRow> runs = FXCollections.observableArrayList();
    private final FilteredList<RunRow> visible = new FilteredList<>(runs);
    private final ObservableList<RunRow> selected = FXCollections.observableArrayList();
    private final StringProperty filter = new SimpleStringProperty(this, "filter", "");
    private final StringProperty error = new SimpleStringProperty(this, "error");
    private final StringProperty notice = new SimpleStringProperty(this, "notice");
    private final BooleanProperty loading = new SimpleBooleanProperty(this, "loading");
    private Consumer<List<RunStore.RunInfo>> onCompare = r -> { };
    private Consumer<RunStore.RunInfo> onEvaluate = r -> { };
    private boolean refreshAgain;

    public RunsViewModel(RunStore store, RunColors colors, TaskExecutor executor) {
        this.store = Objects.requireNonNull(store);
        this.colors = Objects.requireNonNull(colors);
        this.executor = Objects.requireNonNull(executor);
        visible.predicateProperty().bind(Bindings.createObjectBinding(() -> {
            String f = filter.get();
            return r -> r.matches(f);
        }, filter));
    }

    /** Reads the runs folder again, in the background. Calls while a read runs coalesce into one more read. */
    public void refresh() {
        if (loading.get()) {
            refreshAgain = true;
            return;
        }
        loading.set(true);
        executor.execute(BackgroundTask.of("Reading runs", m -> store.list().stream().map(i -> new RunRow(i, colors.of(i.id()))).toList())
                .onSuccess(runs::setAll)
                .onFailure(e -> error.set("Cannot read the runs in " + store.root() + ": " + e.getMessage()))
                .onFinished(() -> {
                    loading.set(false);
                    if (refreshAgain) {
                        refreshAgain = false;
                        refresh();
                    }
                }));
    }

    /** Deletes the runs' folders (the view asks for confirmation first), then reads the list again. */
    public void delete(List<RunRow> rows) {
        List<RunRow> todo = List.copyOf(rows);
        executor.execute(BackgroundTask.of("Deleting runs", m -> {
            StringBuilder problems = new StringBuilder();
            int deleted = 0;
            for (RunRow r : todo) {
                try {
                    store.delete(r.id());
                    deleted++;
                } catch (RuntimeException e) {
                    problems.append(problems.length() == 0 ? "" : "; ").append(e.getMessage());
                }
            }
            if (problems.length() > 0) {
                throw new IllegalStateException(problems.toString());
            }
            return deleted;
        }).onSuccess(n -> notice.set(n == 1 ? "Deleted run " + todo.get(0).name() : "Deleted " + n + " runs"))
                .onFailure(e -> error.set(e.getMessage()))
                .onFinished(this::refresh));
    }

    /** Gives the run a display name (blank clears it); kept in its folder, so it survives restarts. */
    public void rename(RunRow row, String name) {
        executor.execute(BackgroundTask.of("Renaming " + row.id(), m -> store.rename(row.id(), name))
                .onSuccess(info -> {
                    int i = runs.indexOf(row);
                    RunRow updated = new RunRow(info, row.color());
                    if (i >= 0) {
                        runs.set(i, updated);
                    }
                    int s = selected.indexOf(row);
                    if (s >= 0) {
                        selected.set(s, updated);
                    }
                })
                .onFailure(e -> error.set("Cannot rename " + row.id() + ": " + e.getMessage())));
    }

    /** Two or more selected runs. */
    public BooleanBinding canCompare() {
        return Bindings.size(selected).greaterThanOrEqualTo(2);
    }

    /** Exactly one selected run, and it has validation predictions. */
    public BooleanBinding canEvaluate() {
        return Bindings.createBooleanBinding(() -> selected.size() == 1 && selected.get(0).hasPredictions(), selected);
    }

    public BooleanBinding canDelete() {
        return Bindings.isNotEmpty(selected);
    }

    /** Asks the main window to compare the selected runs (in the table's order). */
    public void compare() {
        if (canCompare().get()) {
            onCompare.accept(selected.stream().map(RunRow::info).toList());
        }
    }

    /** Asks the main window to evaluate the selected run. */
    public void evaluate() {
        if (canEvaluate().get()) {
            onEvaluate.accept(selected.get(0).info());
        }
    }

    public void setOnCompare(Consumer<List<RunStore.RunInfo>> action) {
        this.onCompare = Objects.requireNonNull(action);
    }

    public void setOnEvaluate(Consumer<RunStore.RunInfo> action) {
        this.onEvaluate = Objects.requireNonNull(action);
    }

    public RunStore store() {
        return store;
    }

    /** Every run, newest first. */
    public ObservableList<RunRow> runs() {
        return runs;
    }

    /** The runs that match the filter. */
    public FilteredList<RunRow> visible() {
        return visible;
    }

    /** The runs selected in the table (the view keeps this in step). */
    public ObservableList<RunRow> selected() {
        return selected;
    }

    public StringProperty filterProperty() {
        return filter;
    }

    /** The last error, naming the run or folder; null when none. */
    public StringProperty errorProperty() {
        return error;
    }

    /** The last thing done worth saying; null when none. */
    public StringProperty noticeProperty() {
        return notice;
    }

    public BooleanProperty loadingProperty() {
        return loading;
    }
}
