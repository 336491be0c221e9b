package dev.thaw.ui.evaluate;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import dev.thaw.core.eval.ConfusionMatrix;
import dev.thaw.core.eval.Predictor;
import dev.thaw.ui.common.Banner;
import dev.thaw.ui.common.ConfusionHeatmap;
import dev.thaw.ui.common.Format;
import dev.thaw.ui.common.Icons;
import dev.thaw.ui.common.Thumbnails;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;

/**
 * One run evaluated: the confusion matrix (click a cell for its images), per-class precision,
 * recall and F1, the misclassified images, and prediction on images dropped anywhere on the view.
 * Export writes the trained model to a folder the user chooses.
 */
public final class EvaluateView extends BorderPane {

    static final int MAX_TILES = 150;

    private final EvaluateViewModel vm;
    private final Thumbnails thumbnails;
    private final StackPane matrixHolder = new StackPane();
    private final FlowPane cellGallery = new FlowPane(8, 8);
    private final FlowPane wrongGallery = new FlowPane(8, 8);
    private final VBox predictionList = new VBox(8);
    private final TabPane right = new TabPane();
    private final Tab predictTab;

    public EvaluateView(EvaluateViewModel vm, Thumbnails thumbnails) {
        this.vm = vm;
        this.thumbnails = thumbnails;
        setId("evaluate-view");
        getStyleClass().add("panel");

        Label title = new Label();
        title.getStyleClass().add(Styles.TITLE_4);
        title.textProperty().bind(vm.runProperty().map(r -> r.displayName()).orElse(""));
        Circle swatch = new Circle(7);
        swatch.fillProperty().bind(vm.colorProperty().map(Color::web));
        title.setGraphic(swatch);
        Label summary = new Label();
        summary.setId("evaluate-summary");
        summary.textProperty().bind(vm.summaryProperty());
        summary.getStyleClass().add(Styles.TEXT_MUTED);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Button choose = new Button("Predict images…", Icons.of("mdi2i-image-search-outline"));
        choose.setId("evaluate-choose-images");
        choose.setTooltip(new Tooltip("Choose image files to classify with this run's model (or drop them here)"));
        choose.setOnAction(e -> chooseImages());
        Button export = new Button("Export…", Icons.of("mdi2e-export"));
        export.setId("evaluate-export");
        export.getStyleClass().add(Styles.ACCENT);
        export.setTooltip(new Tooltip("Write the trained model (DJL model folder, TorchScript where possible, report) to a folder"));
        export.disableProperty().bind(vm.exportingProperty());
        export.setOnAction(e -> chooseExportFolder());
        ProgressBar exportProgress = new ProgressBar();
        exportProgress.progressProperty().bind(vm.exportProgressProperty());
        exportProgress.visibleProperty().bind(vm.exportingProperty());
        exportProgress.managedProperty().bind(vm.exportingProperty());
        exportProgress.setPrefWidth(120);
        HBox header = new HBox(12, new VBox(2, title, summary), spacer, choose, exportProgress, export);
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(8, 10, 8, 10));
        setTop(new VBox(header, new Banner("evaluate-error", Banner.Kind.DANGER, "Evaluate", vm.errorProperty()),
                new Banner("evaluate-notice", Banner.Kind.SUCCESS, "Done", vm.noticeProperty())));

        // Left: the matrix and the per-class table.
        matrixHolder.setId("evaluate-matrix");
        matrixHolder.setAlignment(Pos.TOP_LEFT);
        TableView<ConfusionMatrix.ClassMetrics> perClass = new TableView<>(vm.perClass());
        perClass.setId("evaluate-per-class");
        perClass.getStyleClass().addAll(Styles.DENSE, Tweaks.EDGE_TO_EDGE);
        perClass.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        perClass.getColumns().setAll(List.of(
                column("Class", ConfusionMatrix.ClassMetrics::name),
                column("Images", m -> Integer.toString(m.support())),
                column("Precision", m -> Format.percent(m.precision())),
                column("Recall", m -> Format.percent(m.recall())),
                column("F1", m -> Format.percent(m.f1()))));
        Label matrixTitle = new Label("Confusion matrix (rows: true class) · click a cell", Icons.of("mdi2g-grid"));
        matrixTitle.getStyleClass().add(Styles.TITLE_4);
        ScrollPane matrixScroll = new ScrollPane(matrixHolder);
        matrixScroll.setFitToWidth(true);
        VBox left = new VBox(8, matrixTitle, matrixScroll, perClass);
        perClass.setFixedCellSize(26);
        perClass.prefHeightProperty().bind(perClass.fixedCellSizeProperty().multiply(
                javafx.beans.binding.Bindings.size(vm.perClass()).add(1.4)));
        perClass.setMinHeight(110);
        perClass.setMaxHeight(Region.USE_PREF_SIZE);
        VBox.setVgrow(matrixScroll, Priority.ALWAYS);
        left.setPadding(new Insets(8));

        // Right: the cell's images, the mistakes, predictions.
        Label cellTitle = new Label();
        cellTitle.setId("evaluate-cell-title");
        cellTitle.textProperty().bind(vm.cellTitleProperty());
        cellTitle.getStyleClass().add(Styles.TEXT_BOLD);
        cellGallery.setId("evaluate-cell-images");
        wrongGallery.setId("evaluate-misclassified");
        Tab cellTab = new Tab("Cell images", scroll(new VBox(8, cellTitle, cellGallery)));
        cellTab.setGraphic(Icons.of("mdi2c-cursor-default-click-outline"));
        Label wrongTitle = new Label();
        wrongTitle.textProperty().bind(javafx.beans.binding.Bindings.size(vm.misclassified()).asString("%d misclassified validation images"));
        wrongTitle.getStyleClass().add(Styles.TEXT_BOLD);
        Tab wrongTab = new Tab("Misclassified", scroll(new VBox(8, wrongTitle, wrongGallery)));
        wrongTab.setGraphic(Icons.of("mdi2c-close-circle-outline"));
        Label dropHint = new Label("Drop image files anywhere on this view, or use Predict images…, to see the model's top "
                + EvaluateViewModel.TOP_K + " classes", Icons.of("mdi2t-tray-arrow-down"));
        dropHint.setWrapText(true);
        dropHint.getStyleClass().add(Styles.TEXT_MUTED);
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(20, 20);
        busy.visibleProperty().bind(vm.predictingProperty());
        busy.managedProperty().bind(vm.predictingProperty());
        predictionList.setId("evaluate-predictions");
        predictTab = new Tab("Predict", scroll(new VBox(8, new HBox(8, dropHint, busy), predictionList)));
        predictTab.setGraphic(Icons.of("mdi2c-crystal-ball"));
        right.getTabs().addAll(cellTab, wrongTab, predictTab);
        right.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        right.setId("evaluate-tabs");

        SplitPane split = new SplitPane(left, right);
        split.setDividerPositions(0.45);
        setCenter(split);

        vm.confusionProperty().addListener((o, a, m) -> matrixHolder.getChildren().setAll(new ConfusionHeatmap(
                "Validation, saved model", vm.colorProperty().get(), m, m.classes().size() > 10 ? 28 : 44, (t, p) -> {
                    vm.selectCell(t, p);
                    right.getSelectionModel().select(cellTab);
                })));
        vm.cellImages().addListener((ListChangeListener<EvaluateViewModel.ImageResult>) c -> fill(cellGallery, vm.cellImages()));
        vm.misclassified().addListener((ListChangeListener<EvaluateViewModel.ImageResult>) c -> fill(wrongGallery, vm.misclassified()));
        vm.predicted().addListener((ListChangeListener<EvaluateViewModel.Prediction>) c -> fillPredictions());

        setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY, TransferMode.LINK);
                e.consume();
            }
        });
        setOnDragDropped(e -> {
            boolean ok = e.getDragboard().hasFiles();
            if (ok) {
                vm.predict(e.getDragboard().getFiles().stream().map(File::toPath).toList());
                right.getSelectionModel().select(predictTab);
            }
            e.setDropCompleted(ok);
            e.consume();
        });
    }

    private static ScrollPane scroll(VBox content) {
        content.setPadding(new Insets(8));
        ScrollPane sp = new ScrollPane(content);
        sp.setFitToWidth(true);
        return sp;
    }

    private static TableColumn<ConfusionMatrix.ClassMetrics, String> column(String title,
            java.util.function.Function<ConfusionMatrix.ClassMetrics, String> f) {
        TableColumn<ConfusionMatrix.ClassMetrics, String> c = new TableColumn<>(title);
        c.setCellValueFactory(r -> new ReadOnlyStringWrapper(f.apply(r.getValue())));
        if (!title.equals("Class")) {
            c.setStyle("-fx-alignment: CENTER-RIGHT;");
        }
        return c;
    }

    private void fill(FlowPane pane, List<EvaluateViewModel.ImageResult> images) {
        pane.getChildren().clear();
        for (EvaluateViewModel.ImageResult r : images.subList(0, Math.min(MAX_TILES, images.size()))) {
            Label truth = new Label(r.truth());
            truth.getStyleClass().add(Styles.TEXT_BOLD);
            Label pred = new Label("→ " + r.predicted() + (Double.isNaN(r.probability()) ? "" : " " + Format.percent(r.probability())),
                    Icons.of(r.correct() ? "mdi2c-check" : "mdi2c-close"));
            pred.getStyleClass().addAll(Styles.TEXT_SMALL, r.correct() ? Styles.SUCCESS : Styles.DANGER);
            VBox tile = new VBox(2, thumbnails.view(r.image(), 72), truth, pred);
            tile.setAlignment(Pos.TOP_CENTER);
            tile.setPrefWidth(140);
            tile.getStyleClass().add("gallery-tile");
            Tooltip.install(tile, new Tooltip(r.file()));
            pane.getChildren().add(tile);
        }
        if (images.size() > MAX_TILES) {
            pane.getChildren().add(new Label("… and " + (images.size() - MAX_TILES) + " more"));
        }
    }

    private void fillPredictions() {
        predictionList.getChildren().clear();
        for (EvaluateViewModel.Prediction p : vm.predicted()) {
            VBox lines = new VBox(2);
            Label name = new Label(p.image().getFileName().toString());
            name.getStyleClass().add(Styles.TEXT_BOLD);
            lines.getChildren().add(name);
            if (p.error() != null) {
                Label err = new Label(p.error());
                err.setWrapText(true);
                err.getStyleClass().add(Styles.DANGER);
                lines.getChildren().add(err);
            }
            for (int i = 0; i < p.top().size(); i++) {
                Predictor.Prediction t = p.top().get(i);
                ProgressBar bar = new ProgressBar(t.probability());
                bar.setPrefWidth(160);
                bar.getStyleClass().add(i == 0 ? Styles.SUCCESS : Styles.SMALL);
                Label l = new Label(String.format(Locale.ROOT, "%s  %s", t.label(), Format.percent(t.probability())));
                l.getStyleClass().add(i == 0 ? Styles.TEXT_BOLD : Styles.TEXT_MUTED);
                l.getStyleClass().add("top-k-label");
                HBox row = new HBox(8, bar, l);
                row.setAlignment(Pos.CENTER_LEFT);
                lines.getChildren().add(row);
            }
            HBox tile = new HBox(12, thumbnails.view(p.image(), 72), lines);
            tile.getStyleClass().add("prediction-tile");
            tile.setAlignment(Pos.CENTER_LEFT);
            predictionList.getChildren().add(tile);
        }
    }

    /** Asks for image files and predicts them. */
    public void chooseImages() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Images to classify");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Images", "*.png", "*.jpg", "*.jpeg", "*.bmp", "*.gif", "*.webp",
                "*.tif", "*.tiff"));
        List<File> files = fc.showOpenMultipleDialog(getScene() == null ? null : getScene().getWindow());
        if (files != null && !files.isEmpty()) {
            vm.predict(files.stream().map(File::toPath).toList());
            right.getSelectionModel().select(predictTab);
        }
    }

    /** Asks for a folder and exports the model into it. */
    public void chooseExportFolder() {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Export " + (vm.runProperty().get() == null ? "the model" : vm.runProperty().get().displayName()) + " to");
        File dir = dc.showDialog(getScene() == null ? null : getScene().getWindow());
        if (dir != null) {
            vm.export(dir.toPath());
        }
    }

    public TabPane tabs() {
        return right;
    }
}
