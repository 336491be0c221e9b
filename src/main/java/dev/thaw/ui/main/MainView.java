package dev.thaw.ui.main;

import atlantafx.base.theme.Styles;
import dev.thaw.ui.backbone.BackboneView;
import dev.thaw.ui.common.Icons;
import dev.thaw.ui.common.Thumbnails;
import dev.thaw.ui.compare.CompareView;
import dev.thaw.ui.compare.CompareViewModel;
import dev.thaw.ui.evaluate.EvaluateView;
import dev.thaw.ui.evaluate.EvaluateViewModel;
import dev.thaw.ui.experiment.ExperimentView;
import dev.thaw.ui.runs.RunsView;
import dev.thaw.ui.dataset.DatasetView;
import dev.thaw.ui.training.TrainingView;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.controlsfx.control.StatusBar;

/** The workbench window's content: tool bar, backbone panel beside the dataset and training tabs, status bar. */
public final class MainView extends BorderPane {

    private final TabPane tabs = new TabPane();
    private final MainViewModel vm;
    private final Thumbnails thumbnails;
    private final RunsView runsView;
    private Tab experimentTab;

    public MainView(MainViewModel vm) {
        this.vm = vm;
        this.thumbnails = new Thumbnails(vm.executor());
        setId("main-view");
        DatasetView datasetView = new DatasetView(vm.dataset());
        BackboneView backboneView = new BackboneView(vm.backbone());
        TrainingView trainingView = new TrainingView(vm.training());

        Label brand = new Label("Thaw", Icons.of("mdi2s-snowflake-melt"));
        brand.getStyleClass().add(Styles.TITLE_4);
        brand.setPadding(new Insets(0, 12, 0, 4));
        Button openData = new Button("Dataset…", Icons.of("mdi2f-folder-open-outline"));
        openData.setTooltip(new Tooltip("Open a labeled image folder (Ctrl+O)"));
        openData.setOnAction(e -> datasetView.chooseFolder());
        Button openBackbone = new Button("Backbone…", Icons.of("mdi2f-file-upload-outline"));
        openBackbone.setTooltip(new Tooltip("Open a TorchScript, ONNX or Thaw backbone file (Ctrl+B)"));
        openBackbone.setOnAction(e -> backboneView.chooseFile());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Button start = new Button("Start", Icons.of("mdi2p-play"));
        start.setId("toolbar-start");
        // Not Styles.ACCENT: in a tool bar AtlantaFX draws accent buttons flat, white on white.
        start.getStyleClass().addAll(Styles.BUTTON_OUTLINED, Styles.ACCENT);
        start.disableProperty().bind(vm.training().canStart().not());
        start.setOnAction(e -> {
            vm.training().start();
            tabs.getSelectionModel().select(1);
        });
        Button cancel = new Button("Cancel", Icons.of("mdi2s-stop"));
        cancel.disableProperty().bind(vm.training().busy().not());
        cancel.setOnAction(e -> vm.training().cancel());
        Button experiment = new Button("Experiment…", Icons.of("mdi2f-flask-outline"));
        experiment.setId("toolbar-experiment");
        experiment.setTooltip(new Tooltip("Feature extraction vs fine-tuning vs scratch on this dataset and backbone"));
        experiment.setOnAction(e -> openExperiment());
        setTop(new ToolBar(brand, openData, openBackbone, experiment, spacer, start, cancel));

        Tab datasetTab = new Tab("Dataset", datasetView);
        datasetTab.setGraphic(Icons.of("mdi2i-image-multiple-outline"));
        Tab trainingTab = new Tab("Training", trainingView);
        trainingTab.setGraphic(Icons.of("mdi2c-chart-line"));
        runsView = new RunsView(vm.runs());
        Tab runsTab = new Tab("Runs", runsView);
        runsTab.setId("runs-tab");
        runsTab.setGraphic(Icons.of("mdi2h-history"));
        vm.runs().setOnCompare(this::openComparison);
        vm.runs().setOnEvaluate(this::openEvaluation);
        vm.experiment().setOnCompare(this::openComparison);
        Button runsExperiment = new Button("Experiment…", Icons.of("mdi2f-flask-outline"));
        runsExperiment.setId("runs-experiment");
        runsExperiment.setTooltip(new Tooltip("One click: feature extraction vs fine-tuning vs scratch, several seeds each, with a verdict"));
        runsExperiment.setOnAction(e -> openExperiment());
        runsView.addActions(runsExperiment);
        for (Tab t : java.util.List.of(datasetTab, trainingTab, runsTab)) {
            t.setClosable(false);
        }
        tabs.getTabs().addAll(datasetTab, trainingTab, runsTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.ALL_TABS);
        tabs.setId("main-tabs");

        SplitPane split = new SplitPane(backboneView, tabs);
        split.setDividerPositions(0.43);
        SplitPane.setResizableWithParent(backboneView, false);
        setCenter(split);
        // The backbone panel serves the Dataset and Training tabs; run history, comparisons and
        // evaluations get the whole width.
        double[] divider = {0.43};
        tabs.getSelectionModel().selectedIndexProperty().addListener((o, a, i) -> {
            boolean wide = i.intValue() >= 2;
            boolean shown = split.getItems().contains(backboneView);
            if (wide && shown) {
                divider[0] = split.getDividerPositions()[0];
                split.getItems().remove(backboneView);
            } else if (!wide && !shown) {
                split.getItems().add(0, backboneView);
                split.setDividerPositions(divider[0]);
            }
        });

        StatusBar status = new StatusBar();
        status.setId("status-bar");
        status.textProperty().bind(vm.statusProperty());
        status.progressProperty().bind(vm.progressProperty());
        setBottom(status);

        sceneProperty().addListener((o, a, scene) -> {
            if (scene == null) {
                return;
            }
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN), datasetView::chooseFolder);
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.B, KeyCombination.SHORTCUT_DOWN), backboneView::chooseFile);
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN), () -> {
                if (vm.training().canStart().get()) {
                    vm.training().start();
                    tabs.getSelectionModel().select(1);
                }
            });
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.DIGIT1, KeyCombination.SHORTCUT_DOWN),
                    () -> tabs.getSelectionModel().select(0));
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.DIGIT2, KeyCombination.SHORTCUT_DOWN),
                    () -> tabs.getSelectionModel().select(1));
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.DIGIT3, KeyCombination.SHORTCUT_DOWN),
                    () -> tabs.getSelectionModel().select(2));
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ESCAPE), () -> {
                if (vm.training().busy().get()) {
                    vm.training().cancel();
                }
            });
        });
    }

    public TabPane tabs() {
        return tabs;
    }

    public RunsView runsView() {
        return runsView;
    }

    /**
     * Shows the one-click experiment's tab. There is one for the window, built once and shown again
     * after it is closed (its view listens to the window-long experiment view model).
     */
    public ExperimentView openExperiment() {
        if (experimentTab == null) {
            experimentTab = new Tab("Experiment", new ExperimentView(vm.experiment()));
            experimentTab.setId("experiment-tab");
            experimentTab.setGraphic(Icons.of("mdi2f-flask-outline"));
        }
        if (!tabs.getTabs().contains(experimentTab)) {
            tabs.getTabs().add(experimentTab);
        }
        tabs.getSelectionModel().select(experimentTab);
        return (ExperimentView) experimentTab.getContent();
    }

    /** Opens a closable tab evaluating {@code run}; closing it frees the model it loaded for predictions. */
    public EvaluateView openEvaluation(dev.thaw.core.runs.RunStore.RunInfo run) {
        EvaluateViewModel e = vm.evaluate(run);
        EvaluateView view = new EvaluateView(e, thumbnails);
        String name = run.displayName();
        Tab tab = new Tab("Evaluate " + (name.length() > 36 ? name.substring(0, 35) + "…" : name), view);
        tab.setGraphic(Icons.of("mdi2t-target"));
        tab.setOnClosed(ev -> e.close());
        tabs.getTabs().add(tab);
        tabs.getSelectionModel().select(tab);
        return view;
    }

    /** Opens a closable tab comparing {@code runs}. */
    public CompareView openComparison(java.util.List<dev.thaw.core.runs.RunStore.RunInfo> runs) {
        CompareViewModel c = vm.compare(runs);
        CompareView view = new CompareView(c, thumbnails);
        String title = runs.size() == 2 ? runs.get(0).displayName() + " vs " + runs.get(1).displayName() : "Compare " + runs.size() + " runs";
        Tab tab = new Tab(title.length() > 48 ? "Compare " + runs.size() + " runs" : title, view);
        tab.setGraphic(Icons.of("mdi2c-compare-horizontal"));
        tab.getStyleClass().add("compare-tab");
        tabs.getTabs().add(tab);
        tabs.getSelectionModel().select(tab);
        return view;
    }
}
