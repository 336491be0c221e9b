package dev.thaw.ui.main;

import dev.thaw.core.runtime.AppHome;
import dev.thaw.core.runtime.EngineInfo;
import dev.thaw.core.runtime.EngineRuntime;
import dev.thaw.core.runtime.SampleData;
import dev.thaw.ui.common.BackgroundTask;
import dev.thaw.ui.common.TaskExecutor;
import dev.thaw.ui.dataset.DatasetViewModel;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** The main window's state: engine start-up and the feature view models it hosts. */
public final class MainViewModel {

    private final AppHome home;
    private final TaskExecutor executor;
    private final DatasetViewModel dataset;

    private final StringProperty status = new SimpleStringProperty(this, "status", "Starting…");
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", -1);
    private final BooleanProperty enginesReady = new SimpleBooleanProperty(this, "enginesReady");
    private final ObjectProperty<EngineInfo> engineInfo = new SimpleObjectProperty<>(this, "engineInfo");
    private final StringProperty engineError = new SimpleStringProperty(this, "engineError");

    public MainViewModel(AppHome home, TaskExecutor executor) {
        this.home = home;
        this.executor = executor;
        this.dataset = new DatasetViewModel(executor);
    }

    /** Starts the engines in the background and opens the sample target dataset. Call once the window shows. */
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
                })
                .onFailure(e -> {
                    engineError.set(e.getMessage());
                    status.set("The PyTorch engine could not start: " + e.getMessage());
                    progress.set(0);
                }));
        SampleData.folder(SampleData.TARGET).ifPresent(dataset::open);
    }

    public DatasetViewModel dataset() {
        return dataset;
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
