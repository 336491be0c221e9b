package dev.thaw.ui.dataset;

import atlantafx.base.controls.CustomTextField;
import atlantafx.base.controls.Message;
import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import dev.thaw.core.data.Severity;
import dev.thaw.ui.common.Format;
import dev.thaw.ui.common.Icons;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.WeakChangeListener;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.geometry.Side;
import javafx.scene.Node;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.StackedBarChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.util.Duration;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The dataset panel: a header with the folder and its summary, a drop zone, the check's progress,
 * the data doctor's report (class table with sample thumbnails, class-count chart, problems list,
 * imbalance warning) and the errors. It only builds controls, binds them to the
 * {@link DatasetViewModel} and forwards actions; all logic and all file work are in the view model.
 */
public final class DatasetView extends StackPane {

    /** Size thumbnails are shown at in the class table (they are decoded at twice this, for HiDPI screens). */
    static final double SAMPLE_SIZE = 44;

    private final DatasetViewModel vm;
    private ContextMenu sampleMenu;
    private ContextMenu problemMenu;
    private Path problemMenuFile;

    public DatasetView(DatasetViewModel vm) {
        this.vm = vm;
        setId("dataset-view");
        getStyleClass().add("dataset-view");

        VBox page = new VBox(10, header(), progressRow(), errorMessage(), noticeMessage(), blockingMessage(), imbalanceMessage(),
                bodyOrDropZone());
        page.setPadding(new Insets(16));
        getChildren().addAll(page, dropOverlay());

        // Drops: see onDragOver for why files are accepted too.
        addEventHandler(DragEvent.DRAG_ENTERED, e -> dragEntered(files(e.getDragboard())));
        addEventHandler(DragEvent.DRAG_OVER, this::dragOver);
        addEventHandler(DragEvent.DRAG_EXITED, e -> vm.dragExited());
        addEventHandler(DragEvent.DRAG_DROPPED, this::dragDropped);
    }

    // ---------------------------------------------------------------- header

    private Node header() {
        Label name = new Label();
        name.setId("dataset-name");
        name.getStyleClass().add(Styles.TITLE_3);
        name.setGraphic(Icons.of("mdi2f-folder-multiple-image"));
        name.textProperty().bind(Bindings.createStringBinding(
                () -> vm.folderProperty().get() == null ? "No dataset open" : DatasetViewModel.displayName(vm.folderProperty().get()),
                vm.folderProperty()));
        Label path = new Label();
        path.setId("dataset-path");
        path.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        path.textProperty().bind(Bindings.createStringBinding(
                () -> vm.folderProperty().get() == null ? "" : Format.path(vm.folderProperty().get()), vm.folderProperty()));
        path.managedProperty().bind(vm.folderProperty().isNotNull());
        path.visibleProperty().bind(path.managedProperty());
        Label description = new Label();
        description.setId("dataset-description");
        description.setWrapText(true);
        description.textProperty().bind(vm.summaryProperty());

        Button recheck = new Button("Re-check", Icons.of("mdi2r-refresh"));
        recheck.setId("recheck-dataset");
        recheck.setTooltip(new Tooltip("Check the folder again, after you changed files in it"));
        recheck.disableProperty().bind(vm.folderProperty().isNull().or(vm.scanningProperty()));
        recheck.setOnAction(e -> vm.recheck());

        Button open = new Button("Open folder…", Icons.of("mdi2f-folder-open-outline"));
        open.setId("open-dataset");
        open.getStyleClass().add(Styles.ACCENT);
        open.setTooltip(new Tooltip("Choose a folder of labeled images (Ctrl+O)"));
        open.setOnAction(e -> chooseFolder());

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        VBox titles = new VBox(2, name, path, description);
        HBox.setHgrow(titles, Priority.SOMETIMES);
        HBox header = new HBox(8, titles, spacer, recheck, open);
        header.setAlignment(Pos.TOP_LEFT);
        header.getStyleClass().add("dataset-header");
        return header;
    }

    private Node progressRow() {
        ProgressBar bar = new ProgressBar();
        bar.setPrefWidth(220);
        bar.progressProperty().bind(vm.progressProperty());
        Label message = new Label();
        message.setId("dataset-progress-message");
        message.textProperty().bind(vm.progressMessageProperty());
        Button cancel = new Button("Cancel", Icons.of("mdi2c-close"));
        cancel.setId("cancel-check");
        cancel.getStyleClass().add(Styles.SMALL);
        cancel.setOnAction(e -> vm.cancel());
        HBox row = new HBox(10, bar, message, cancel);
        row.setId("dataset-progress");
        row.setAlignment(Pos.CENTER_LEFT);
        row.visibleProperty().bind(vm.scanningProperty());
        row.managedProperty().bind(row.visibleProperty());
        return row;
    }

    // ---------------------------------------------------------------- messages

    private Node errorMessage() {
        return new MessageSlot("dataset-error", Styles.DANGER, "mdi2a-alert-circle-outline", vm.errorTitleProperty(),
                vm.errorProperty(), vm::dismissError);
    }

    private Node noticeMessage() {
        return new MessageSlot("dataset-notice", null, "mdi2i-information-outline", new ReadOnlyObjectWrapper<>(null),
                vm.noticeProperty(), vm::dismissNotice);
    }

    private Node blockingMessage() {
        StringBinding reason = Bindings.createStringBinding(
                () -> vm.reportProperty().get() == null || vm.trainableProperty().get() ? null : vm.blockingReasonProperty().get(),
                vm.reportProperty(), vm.trainableProperty(), vm.blockingReasonProperty());
        return new MessageSlot("dataset-blocking", Styles.DANGER, "mdi2c-cancel",
                new ReadOnlyObjectWrapper<>("This dataset cannot be trained on"), reason, null);
    }

    private Node imbalanceMessage() {
        Message warning = new Message("Imbalanced classes", "", Icons.of("mdi2s-scale-unbalanced"));
        warning.setId("imbalance-warning");
        warning.getStyleClass().add(Styles.WARNING);
        warning.descriptionProperty().bind(Bindings.createStringBinding(
                () -> vm.imbalanceWarningProperty().get() == null ? null
                        : vm.imbalanceWarningProperty().get() + "\nSuggested class weights:  " + vm.classWeightsProperty().get(),
                vm.imbalanceWarningProperty(), vm.classWeightsProperty()));
        HBox.setHgrow(warning, Priority.ALWAYS);
        warning.setMaxWidth(Double.MAX_VALUE);

        CheckBox use = new CheckBox("Use class weights\nin training");
        use.setId("use-class-weights");
        use.setTooltip(new Tooltip("Weight the loss by the suggested class weights, so that small classes count as much as large ones"));
        use.selectedProperty().bindBidirectional(vm.useClassWeightsProperty());
        use.setMinWidth(Region.USE_PREF_SIZE);

        HBox row = new HBox(12, warning, use);
        row.setAlignment(Pos.CENTER_LEFT);
        row.visibleProperty().bind(vm.imbalancedProperty());
        row.managedProperty().bind(row.visibleProperty());
        return row;
    }

    // ---------------------------------------------------------------- body

    private Node bodyOrDropZone() {
        SplitPane top = new SplitPane(classTable(), classChart());
        top.setDividerPositions(0.62);
        SplitPane body = new SplitPane(top, problemsPane());
        body.setId("dataset-body");
        body.setOrientation(Orientation.VERTICAL);
        body.setDividerPositions(0.6);
        body.visibleProperty().bind(vm.reportProperty().isNotNull());

        Node dropZone = dropZone();
        dropZone.visibleProperty().bind(vm.reportProperty().isNull());

        StackPane stack = new StackPane(body, dropZone);
        VBox.setVgrow(stack, Priority.ALWAYS);
        return stack;
    }

    private Node dropZone() {
        FontIcon icon = Icons.of("mdi2f-folder-download-outline");
        icon.getStyleClass().add("drop-zone-icon");
        Label title = new Label("Drop a dataset folder here");
        title.getStyleClass().add(Styles.TITLE_3);
        Label layouts = new Label("""
                One sub-folder per class, and Thaw makes the split:     flowers/daisy/*.jpg    flowers/tulip/*.jpg
                or train/ and val/ folders, kept as given:     flowers/train/daisy/*.jpg    flowers/val/daisy/*.jpg""");
        layouts.getStyleClass().add(Styles.TEXT_MUTED);
        layouts.setWrapText(true);
        layouts.setLineSpacing(4);
        Button open = new Button("Open folder…", Icons.of("mdi2f-folder-open-outline"));
        open.setId("drop-zone-open");
        open.setOnAction(e -> chooseFolder());
        VBox zone = new VBox(12, icon, title, layouts, open);
        zone.setId("drop-zone");
        zone.getStyleClass().add("drop-zone");
        zone.setAlignment(Pos.CENTER);
        zone.setMaxSize(760, 320);
        StackPane.setAlignment(zone, Pos.TOP_CENTER);
        StackPane.setMargin(zone, new Insets(24, 0, 0, 0));
        return zone;
    }

    private Node dropOverlay() {
        Label hint = new Label();
        hint.setId("drop-hint");
        hint.getStyleClass().add(Styles.TITLE_4);
        hint.setWrapText(true);
        hint.setMaxWidth(640);
        hint.textProperty().bind(Bindings.createStringBinding(
                () -> vm.dropHintProperty().get() == null ? "" : vm.dropHintProperty().get().message(), vm.dropHintProperty()));
        hint.graphicProperty().bind(Bindings.createObjectBinding(() -> {
            DropVerdict v = vm.dropHintProperty().get();
            return v == null ? null : Icons.of(v.accepted() ? "mdi2f-folder-download" : "mdi2f-file-cancel-outline");
        }, vm.dropHintProperty()));
        StackPane overlay = new StackPane(hint);
        overlay.setId("drop-overlay");
        overlay.getStyleClass().add("drop-overlay");
        overlay.setMouseTransparent(true);
        overlay.visibleProperty().bind(vm.dropHintProperty().isNotNull());
        vm.dropHintProperty().addListener((o, a, v) -> {
            overlay.getStyleClass().removeAll("accepted", "refused");
            if (v != null) {
                overlay.getStyleClass().add(v.accepted() ? "accepted" : "refused");
            }
        });
        return overlay;
    }

    // ---------------------------------------------------------------- class table and chart

    private Node classTable() {
        TableView<ClassRow> table = new TableView<>(vm.rows());
        table.setId("class-table");
        table.getStyleClass().addAll(Styles.STRIPED, Tweaks.EDGE_TO_EDGE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);

        TableColumn<ClassRow, String> name = column("Class", ClassRow::name);
        name.setMinWidth(90);
        name.setPrefWidth(150);
        TableColumn<ClassRow, Integer> train = number("Train", ClassRow::train);
        TableColumn<ClassRow, Integer> val = number("Val", ClassRow::val);
        TableColumn<ClassRow, Integer> test = number("Test", ClassRow::test);
        test.visibleProperty().bind(Bindings.createBooleanBinding(() -> vm.rows().stream().anyMatch(r -> r.test() > 0), vm.rows()));
        TableColumn<ClassRow, Integer> skipped = number("Skipped", ClassRow::unreadable);
        skipped.setMinWidth(88);
        skipped.visibleProperty().bind(Bindings.createBooleanBinding(() -> vm.rows().stream().anyMatch(r -> r.unreadable() > 0),
                vm.rows()));
        TableColumn<ClassRow, String> weight = column("Weight", r -> String.format(Locale.ROOT, "%.2f", r.suggestedWeight()));
        weight.getStyleClass().add(Tweaks.ALIGN_RIGHT);
        weight.setMinWidth(84);
        Label weightHeader = new Label("Weight");
        weightHeader.setTooltip(new Tooltip("The suggested loss weight of the class: balanced, so that every class counts the same\n"
                + "(training images / (classes × training images of this class))"));
        weight.setText(null);
        weight.setGraphic(weightHeader);
        TableColumn<ClassRow, ClassRow> samples = new TableColumn<>("Samples");
        samples.setId("samples-column");
        samples.setSortable(false);
        samples.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(cd.getValue()));
        samples.setCellFactory(c -> new SamplesCell());
        samples.setMinWidth(DatasetViewModel.SAMPLES_PER_CLASS * (SAMPLE_SIZE + 4) + 16);
        table.getColumns().addAll(List.of(name, train, val, test, skipped, weight, samples));
        table.setPlaceholder(new Label("No classes"));

        Label selected = new Label();
        selected.setId("sample-details");
        selected.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        selected.textProperty().bind(Bindings.createStringBinding(() -> vm.selectedSampleTextProperty().get() == null
                ? "Click a sample to see its file; right-click to show it in its folder."
                : vm.selectedSampleTextProperty().get(), vm.selectedSampleTextProperty()));
        selected.setGraphic(Icons.of("mdi2i-image-outline"));

        VBox box = new VBox(6, table, selected);
        VBox.setVgrow(table, Priority.ALWAYS);
        box.setMinWidth(320);
        return box;
    }

    private static <T> TableColumn<ClassRow, T> column(String title, Function<ClassRow, T> getter) {
        TableColumn<ClassRow, T> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(getter.apply(cd.getValue())));
        return c;
    }

    private static TableColumn<ClassRow, Integer> number(String title, Function<ClassRow, Integer> getter) {
        TableColumn<ClassRow, Integer> c = column(title, getter);
        c.getStyleClass().add(Tweaks.ALIGN_RIGHT);
        c.setMinWidth(58);
        c.setPrefWidth(62);
        return c;
    }

    /** The sample strip of one class: placeholders at once, pictures as the background loader delivers them. */
    private final class SamplesCell extends TableCell<ClassRow, ClassRow> {
        @Override
        protected void updateItem(ClassRow row, boolean empty) {
            super.updateItem(row, empty);
            setText(null);
            if (empty || row == null) {
                setGraphic(null);
                return;
            }
            HBox strip = new HBox(4);
            strip.getStyleClass().add("sample-strip");
            for (Thumbnail t : row.samples()) {
                strip.getChildren().add(tile(t));
            }
            setGraphic(strip);
        }
    }

    /**
     * One sample: its picture once loaded, a broken-image icon if it cannot be shown. Tiles are made for
     * every visible row at once, so the tooltip is made on first hover and the context menu is shared.
     */
    private Node tile(Thumbnail t) {
        ImageView view = new ImageView();
        view.setFitWidth(SAMPLE_SIZE);
        view.setFitHeight(SAMPLE_SIZE);
        view.setPreserveRatio(true);
        view.setSmooth(true);
        view.imageProperty().bind(t.imageProperty());
        StackPane tile = new StackPane(view);
        tile.getStyleClass().add("sample-tile");
        tile.setMinSize(SAMPLE_SIZE, SAMPLE_SIZE);
        tile.setPrefSize(SAMPLE_SIZE, SAMPLE_SIZE);
        tile.setMaxSize(SAMPLE_SIZE, SAMPLE_SIZE);
        ChangeListener<String> failed = (o, a, why) -> {
            if (why != null && tile.getChildren().size() == 1) {
                tile.getChildren().add(Icons.of("mdi2i-image-broken-variant"));
            }
        };
        tile.getProperties().put("failure-listener", failed); // the weak listener below lives as long as the tile
        t.failureProperty().addListener(new WeakChangeListener<>(failed));
        failed.changed(t.failureProperty(), null, t.failureProperty().get());

        tile.addEventHandler(MouseEvent.MOUSE_ENTERED, e -> {
            if (!tile.getProperties().containsKey("tooltip")) {
                ImageView large = new ImageView();
                large.imageProperty().bind(t.imageProperty());
                Tooltip tip = new Tooltip();
                tip.textProperty().bind(Bindings.createStringBinding(() -> t.caption() + "\n" + t.details()
                        + (t.failureProperty().get() == null ? "" : "\nCannot show it: " + t.failureProperty().get()),
                        t.failureProperty()));
                tip.setGraphic(large);
                tip.setShowDelay(Duration.millis(300));
                Tooltip.install(tile, tip);
                tile.getProperties().put("tooltip", tip);
            }
        });
        tile.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY) {
                vm.select(t);
            }
        });
        tile.setOnContextMenuRequested(e -> {
            vm.select(t);
            sampleMenu().show(tile, e.getScreenX(), e.getScreenY());
            e.consume();
        });
        return tile;
    }

    /** The context menu of all samples; it acts on the selected sample. */
    private ContextMenu sampleMenu() {
        if (sampleMenu == null) {
            MenuItem show = new MenuItem("Show in folder", Icons.of("mdi2f-folder-search-outline"));
            show.setOnAction(e -> selectedFile().ifPresent(vm::showInFolder));
            MenuItem copy = new MenuItem("Copy path", Icons.of("mdi2c-content-copy"));
            copy.setOnAction(e -> selectedFile().ifPresent(DatasetView::copyPath));
            sampleMenu = new ContextMenu(show, copy);
        }
        return sampleMenu;
    }

    private Optional<Path> selectedFile() {
        return Optional.ofNullable(vm.selectedSampleProperty().get()).map(Thumbnail::file);
    }

    private Node classChart() {
        NumberAxis counts = new NumberAxis();
        counts.setLabel("Images");
        counts.setMinorTickVisible(false);
        CategoryAxis classes = new CategoryAxis();
        classes.setAnimated(false);
        counts.setAnimated(false);
        StackedBarChart<Number, String> chart = new StackedBarChart<>(counts, classes);
        chart.setId("class-chart");
        chart.setAnimated(false);
        chart.setLegendSide(Side.TOP);
        chart.setCategoryGap(6);
        chart.setMinWidth(260);
        chart.setMinHeight(160);
        vm.rows().addListener((ListChangeListener<ClassRow>) c -> fillChart(chart, classes));
        fillChart(chart, classes);
        // Bars no thicker than a line of text, however few the classes.
        chart.categoryGapProperty().bind(Bindings.createDoubleBinding(() -> {
            double perClass = (chart.getHeight() - 110) / Math.max(1, vm.rows().size());
            return Math.max(4, perClass - 28);
        }, chart.heightProperty(), vm.rows()));
        return chart;
    }

    /** Rebuilds the bars: one per class, stacked by split, the first class at the top. */
    private void fillChart(StackedBarChart<Number, String> chart, CategoryAxis axis) {
        List<ClassRow> rows = vm.rows();
        List<String> names = new ArrayList<>();
        for (int i = rows.size() - 1; i >= 0; i--) {
            names.add(rows.get(i).name());
        }
        boolean hasTest = rows.stream().anyMatch(r -> r.test() > 0);
        List<XYChart.Series<Number, String>> series = new ArrayList<>();
        series.add(series("train", rows, ClassRow::train));
        series.add(series("val", rows, ClassRow::val));
        if (hasTest) {
            series.add(series("test", rows, ClassRow::test));
        }
        // Categories first: a stacked chart gets confused when data arrives for unknown categories.
        chart.getData().clear();
        axis.setCategories(FXCollections.observableArrayList(names));
        chart.getData().setAll(series);
    }

    private static XYChart.Series<Number, String> series(String name, List<ClassRow> rows, Function<ClassRow, Integer> count) {
        XYChart.Series<Number, String> s = new XYChart.Series<>();
        s.setName(name);
        for (ClassRow r : rows) {
            s.getData().add(new XYChart.Data<>(count.apply(r), r.name()));
        }
        return s;
    }

    // ---------------------------------------------------------------- problems

    private Node problemsPane() {
        Label title = new Label("Problems");
        title.getStyleClass().add(Styles.TITLE_4);

        ToggleButton errors = severityToggle("problems-errors", "Errors", "mdi2c-close-circle-outline", vm.showErrorsProperty(),
                vm.errorCountProperty());
        ToggleButton warnings = severityToggle("problems-warnings", "Warnings", "mdi2a-alert-outline", vm.showWarningsProperty(),
                vm.warningCountProperty());
        ToggleButton info = severityToggle("problems-info", "Notes", "mdi2i-information-outline", vm.showInfoProperty(),
                vm.infoCountProperty());
        errors.getStyleClass().add(Styles.LEFT_PILL);
        warnings.getStyleClass().add(Styles.CENTER_PILL);
        info.getStyleClass().add(Styles.RIGHT_PILL);

        CustomTextField filter = new CustomTextField();
        filter.setId("problem-filter");
        filter.setPromptText("Filter by file or reason");
        filter.setLeft(Icons.of("mdi2m-magnify"));
        filter.textProperty().bindBidirectional(vm.problemFilterProperty());
        filter.setPrefWidth(240);

        Label shown = new Label();
        shown.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        shown.textProperty().bind(Bindings.createStringBinding(() -> vm.problems().size() == vm.allProblems().size() ? ""
                : "showing " + vm.problems().size() + " of " + vm.allProblems().size(), vm.problems(), vm.allProblems()));

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, title, new HBox(errors, warnings, info), shown, spacer, filter);
        bar.setAlignment(Pos.CENTER_LEFT);

        ListView<ProblemRow> list = new ListView<>(vm.problems());
        list.setId("problem-list");
        list.getStyleClass().add(Styles.STRIPED);
        list.setCellFactory(ProblemCell::new);
        Label none = new Label();
        none.textProperty().bind(Bindings.createStringBinding(() -> vm.allProblems().isEmpty()
                ? "No problems found: every image is readable." : "No problems match the filter.", vm.allProblems()));
        none.graphicProperty().bind(Bindings.createObjectBinding(() -> Icons.of(vm.allProblems().isEmpty()
                ? "mdi2c-check-circle-outline" : "mdi2f-filter-remove-outline"), vm.allProblems()));
        none.getStyleClass().add(Styles.TEXT_MUTED);
        list.setPlaceholder(none);
        VBox.setVgrow(list, Priority.ALWAYS);

        VBox pane = new VBox(6, bar, list);
        pane.setPadding(new Insets(8, 0, 0, 0));
        pane.setMinHeight(120);
        return pane;
    }

    private static ToggleButton severityToggle(String id, String label, String icon, BooleanProperty shown,
            ReadOnlyIntegerProperty count) {
        ToggleButton b = new ToggleButton(null, Icons.of(icon));
        b.setId(id);
        b.textProperty().bind(Bindings.createStringBinding(() -> label + "  " + count.get(), count));
        b.selectedProperty().bindBidirectional(shown);
        b.setTooltip(new Tooltip("Show or hide " + label.toLowerCase(Locale.ROOT)));
        return b;
    }

    /** Icon, where, kind and the reason; the related files below. Double-click shows the file in its folder. */
    private final class ProblemCell extends ListCell<ProblemRow> {
        private final FontIcon icon = new FontIcon();
        private final Label where = new Label();
        private final Label kind = new Label();
        private final Label reason = new Label();
        private final Label related = new Label();
        private final HBox graphic;
        private final Tooltip tooltip = new Tooltip();

        ProblemCell(ListView<ProblemRow> list) {
            where.getStyleClass().add(Styles.TEXT_BOLD);
            kind.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
            reason.setWrapText(true);
            related.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
            related.setWrapText(true);
            icon.getStyleClass().add("problem-icon");
            HBox head = new HBox(8, where, kind);
            head.setAlignment(Pos.BASELINE_LEFT);
            VBox text = new VBox(2, head, reason, related);
            // As wide as the list (less the icon and the scroll bar), so long reasons wrap instead of scrolling sideways.
            for (Label l : List.of(reason, related)) {
                l.prefWidthProperty().bind(list.widthProperty().subtract(64));
                l.setMinWidth(0);
                l.setMinHeight(Region.USE_PREF_SIZE);
            }
            text.setMinWidth(0);
            graphic = new HBox(10, icon, text);
            graphic.setAlignment(Pos.TOP_LEFT);
            setPrefWidth(0);
            setOnContextMenuRequested(e -> {
                if (getItem() != null && getItem().hasFile()) {
                    problemMenuFile = getItem().file();
                    problemMenu().show(this, e.getScreenX(), e.getScreenY());
                }
                e.consume();
            });
            setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && getItem() != null && getItem().hasFile()) {
                    vm.showInFolder(getItem().file());
                }
            });
        }

        @Override
        protected void updateItem(ProblemRow p, boolean empty) {
            super.updateItem(p, empty);
            setText(null);
            if (empty || p == null) {
                setGraphic(null);
                setTooltip(null);
                return;
            }
            icon.setIconLiteral(severityIcon(p.severity()));
            icon.getStyleClass().removeAll(Styles.DANGER, Styles.WARNING, Styles.ACCENT);
            icon.getStyleClass().add(switch (p.severity()) {
                case ERROR -> Styles.DANGER;
                case WARNING -> Styles.WARNING;
                case INFO -> Styles.ACCENT;
            });
            where.setText(p.where());
            kind.setText(p.kind().title());
            reason.setText(p.reason());
            boolean hasRelated = !p.related().isEmpty();
            related.setVisible(hasRelated);
            related.setManaged(hasRelated);
            related.setText(hasRelated ? "Also: " + String.join(", ", p.related().stream().limit(5)
                    .map(f -> String.valueOf(f.getFileName())).toList()) + (p.related().size() > 5 ? ", …" : "") : "");
            tooltip.setText(p.file() == null ? p.kind().title() : p.file().toString());
            setTooltip(tooltip);
            setGraphic(graphic);
        }
    }

    /** The context menu of all problems; it acts on the problem it was opened on. */
    private ContextMenu problemMenu() {
        if (problemMenu == null) {
            MenuItem show = new MenuItem("Show in folder", Icons.of("mdi2f-folder-search-outline"));
            show.setOnAction(e -> vm.showInFolder(problemMenuFile));
            MenuItem copy = new MenuItem("Copy path", Icons.of("mdi2c-content-copy"));
            copy.setOnAction(e -> copyPath(problemMenuFile));
            problemMenu = new ContextMenu(show, copy);
        }
        return problemMenu;
    }

    static String severityIcon(Severity s) {
        return switch (s) {
            case ERROR -> "mdi2c-close-circle";
            case WARNING -> "mdi2a-alert";
            case INFO -> "mdi2i-information-outline";
        };
    }

    // ---------------------------------------------------------------- actions

    /** Opens a folder chooser (the main window binds it to Ctrl+O). */
    public void chooseFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Open a folder of labeled images");
        Path current = vm.folderProperty().get();
        // The parent of the open dataset; checking that it exists is one stat of a folder just read.
        if (current != null && current.getParent() != null && current.getParent().toFile().isDirectory()) {
            chooser.setInitialDirectory(current.getParent().toFile());
        }
        File dir = chooser.showDialog(getScene() == null ? null : getScene().getWindow());
        if (dir != null) {
            vm.open(dir.toPath());
        }
    }

    private static void copyPath(Path file) {
        if (file != null) {
            ClipboardContent content = new ClipboardContent();
            content.putString(file.toString());
            Clipboard.getSystemClipboard().setContent(content);
        }
    }

    // ---------------------------------------------------------------- drag and drop

    private static List<Path> files(Dragboard board) {
        if (board == null || !board.hasFiles()) {
            return List.of();
        }
        return board.getFiles().stream().map(File::toPath).toList();
    }

    private void dragEntered(List<Path> items) {
        if (!items.isEmpty()) {
            vm.dragEntered(items);
        }
    }

    private void dragOver(DragEvent e) {
        // Files are accepted as well as folders (never as a move): a refused drop must still arrive, so the
        // panel can say why it was refused; the hint already shows it in red while hovering.
        if (e.getDragboard() != null && e.getDragboard().hasFiles()) {
            e.acceptTransferModes(TransferMode.COPY, TransferMode.LINK);
            if (vm.dropHintProperty().get() == null) {
                vm.dragEntered(files(e.getDragboard()));
            }
        }
        e.consume();
    }

    private void dragDropped(DragEvent e) {
        List<Path> items = files(e.getDragboard());
        boolean opened = !items.isEmpty() && vm.drop(items);
        e.setDropCompleted(opened);
        e.consume();
    }

}
