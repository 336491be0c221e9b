package dev.thaw.ui.experiment;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import dev.thaw.ui.common.Banner;
import dev.thaw.ui.common.Format;
import dev.thaw.ui.common.Icons;
import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * The one-click experiment: what it will run, Start and Cancel, progress, and the report with the
 * verdicts and a button to compare the arms.
 */
public final class ExperimentView extends ScrollPane {

    private final VBox verdictBox = new VBox(6);
    private final VBox notesBox = new VBox(4);

    public ExperimentView(ExperimentViewModel vm) {
        setId("experiment-view");
        setFitToWidth(true);
        getStyleClass().add("panel");

        Label title = new Label("Feature extraction vs fine-tuning vs scratch", Icons.of("mdi2f-flask-outline"));
        title.getStyleClass().add(Styles.TITLE_3);
        Label what = new Label("Trains each strategy with several seeds on one split of the current dataset and backbone, then "
                + "says which is better and whether the difference is more than noise (McNemar's test on the validation images).");
        what.setWrapText(true);

        Label data = new Label();
        data.textProperty().bind(vm.datasetProperty().map(Format::path).orElse("(open a dataset first)"));
        Label backbone = new Label();
        backbone.textProperty().bind(vm.backboneProperty().orElse("(choose a backbone first)"));
        Spinner<Integer> seeds = new Spinner<>(1, 10, vm.seedsProperty().get());
        seeds.setId("experiment-seeds");
        seeds.setEditable(true);
        seeds.valueProperty().addListener((o, a, b) -> vm.seedsProperty().set(b));
        seeds.setTooltip(new Tooltip("Runs per arm; the spread between seeds shows how much is noise"));
        Spinner<Integer> epochs = new Spinner<>(1, 200, vm.epochsProperty().get());
        epochs.setId("experiment-epochs");
        epochs.setEditable(true);
        epochs.valueProperty().addListener((o, a, b) -> vm.epochsProperty().set(b));
        Label runs = new Label();
        runs.textProperty().bind(vm.seedsProperty().multiply(3).asString("= %d runs, queued in the Training tab"));
        runs.getStyleClass().add(Styles.TEXT_MUTED);
        GridPane form = new GridPane();
        form.setHgap(10);
        form.setVgap(6);
        form.addRow(0, new Label("Dataset"), data);
        form.addRow(1, new Label("Backbone"), backbone);
        form.addRow(2, new Label("Seeds per arm"), new HBox(8, seeds, runs));
        form.addRow(3, new Label("Epochs per run"), epochs);
        CheckBox adapt = new CheckBox("Adapt BatchNorm statistics to the data first");
        adapt.setId("experiment-adapt-bn");
        adapt.selectedProperty().bindBidirectional(vm.adaptBatchNormProperty());
        adapt.setTooltip(new Tooltip("Re-estimates the frozen backbone's BatchNorm statistics on the training images before "
                + "embedding them (AdaBN, once for all seeds); for images unlike the backbone's own. TorchScript or Thaw backbones"));
        form.addRow(4, new Label("Feature extraction"), adapt);

        Button start = new Button("Run the experiment", Icons.of("mdi2p-play"));
        start.setId("experiment-start");
        start.getStyleClass().add(Styles.ACCENT);
        start.disableProperty().bind(vm.canStart().not());
        start.setOnAction(e -> vm.start());
        Label blocked = new Label();
        blocked.textProperty().bind(vm.blockedReason());
        blocked.getStyleClass().add(Styles.TEXT_MUTED);
        Button cancel = new Button("Cancel", Icons.of("mdi2s-stop"));
        cancel.disableProperty().bind(vm.runningProperty().not());
        cancel.setOnAction(e -> vm.cancel());
        ProgressBar bar = new ProgressBar();
        bar.progressProperty().bind(vm.progressProperty());
        bar.setPrefWidth(260);
        bar.visibleProperty().bind(vm.runningProperty());
        bar.managedProperty().bind(vm.runningProperty());
        Label progress = new Label();
        progress.setId("experiment-progress");
        progress.textProperty().bind(vm.progressTextProperty());
        HBox actions = new HBox(10, start, cancel, bar, progress, blocked);
        actions.setAlignment(Pos.CENTER_LEFT);

        TableView<ExperimentViewModel.ArmRow> table = new TableView<>(vm.arms());
        table.setId("experiment-arms");
        table.getStyleClass().addAll(Styles.DENSE, Tweaks.EDGE_TO_EDGE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        table.setPlaceholder(new Label("The report appears here when every run has ended"));
        table.getColumns().setAll(List.of(
                column("Arm", ExperimentViewModel.ArmRow::label),
                column("Runs", r -> Integer.toString(r.runs())),
                column("Final-epoch val acc (mean ± sd)", ExperimentViewModel.ArmRow::finalAccuracy),
                column("Best-epoch val acc (mean ± sd)", ExperimentViewModel.ArmRow::bestAccuracy),
                column("Wall time per run", ExperimentViewModel.ArmRow::wallTime)));
        table.getColumns().get(0).setPrefWidth(190);
        table.getColumns().get(1).setPrefWidth(60);
        table.getColumns().get(1).setMaxWidth(80);
        for (int i = 2; i < 5; i++) {
            table.getColumns().get(i).setPrefWidth(240);
        }
        table.setFixedCellSize(28);
        table.setPrefHeight(28 * 4.5);
        Label verdictTitle = new Label("Verdict", Icons.of("mdi2s-scale-balance"));
        verdictTitle.getStyleClass().add(Styles.TITLE_4);
        verdictBox.setId("experiment-verdicts");
        Button compare = new Button("Compare the arms", Icons.of("mdi2c-compare-horizontal"));
        compare.setId("experiment-compare");
        compare.setTooltip(new Tooltip("Open the first seed's run of each arm side by side"));
        compare.disableProperty().bind(vm.canCompare().not());
        compare.setOnAction(e -> vm.compareArms());

        vm.verdicts().addListener((ListChangeListener<String>) c -> fill(verdictBox, vm.verdicts(), Styles.TEXT));
        vm.notes().addListener((ListChangeListener<String>) c -> fill(notesBox, vm.notes(), Styles.TEXT_MUTED));

        VBox box = new VBox(12, title, what, form, actions,
                new Banner("experiment-error", Banner.Kind.DANGER, "Experiment", vm.errorProperty()),
                table, notesBox, verdictTitle, verdictBox, compare);
        box.setPadding(new Insets(16));
        box.setMaxWidth(1100);
        setContent(box);
    }

    private static TableColumn<ExperimentViewModel.ArmRow, String> column(String title, Function<ExperimentViewModel.ArmRow, String> f) {
        TableColumn<ExperimentViewModel.ArmRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(r -> new ReadOnlyStringWrapper(f.apply(r.getValue())));
        return c;
    }

    private static void fill(VBox box, List<String> lines, String style) {
        box.getChildren().clear();
        for (String s : lines) {
            Label l = new Label(s);
            l.setWrapText(true);
            l.getStyleClass().addAll(style, "verdict-line");
            box.getChildren().add(l);
        }
    }
}
