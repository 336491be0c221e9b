package dev.thaw.ui.runs;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import dev.thaw.ui.common.Banner;
import dev.thaw.ui.common.Format;
import dev.thaw.ui.common.Icons;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.collections.transformation.SortedList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.control.cell.TextFieldTableCell;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.scene.paint.Color;

/**
 * The Runs tab: every run ever made, sortable and filterable; rename in place (double-click the
 * name) or from the menu, delete with confirmation, Compare for two or more selected runs,
 * Evaluate for one.
 */
public final class RunsView extends BorderPane {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private final RunsViewModel vm;
    private final TableView<RunRow> table = new TableView<>();
    private final ToolBar toolbar;

    public RunsView(RunsViewModel vm) {
        this.vm = vm;
        setId("runs-view");
        getStyleClass().add("panel");

        TextField search = new TextField();
        search.setId("runs-filter");
        search.setPromptText("Filter: name, strategy, backbone, dataset…");
        search.setPrefColumnCount(22);
        search.textProperty().bindBidirectional(vm.filterProperty());
        Button refresh = new Button(null, Icons.of("mdi2r-refresh"));
        refresh.setTooltip(new Tooltip("Read the runs folder again"));
        refresh.setOnAction(e -> vm.refresh());
        Button compare = new Button("Compare", Icons.of("mdi2c-compare-horizontal"));
        compare.setId("runs-compare");
        // Outlined: in a tool bar AtlantaFX draws plain accent buttons flat, white on white when disabled.
        compare.getStyleClass().addAll(Styles.BUTTON_OUTLINED, Styles.ACCENT);
        compare.setTooltip(new Tooltip("Side by side: select two or more runs (Ctrl+click)"));
        compare.disableProperty().bind(vm.canCompare().not());
        compare.setOnAction(e -> vm.compare());
        Button evaluate = new Button("Evaluate", Icons.of("mdi2t-target"));
        evaluate.setId("runs-evaluate");
        evaluate.setTooltip(new Tooltip("Confusion matrix, per-class scores, mistakes, predict and export"));
        evaluate.disableProperty().bind(vm.canEvaluate().not());
        evaluate.setOnAction(e -> vm.evaluate());
        Button rename = new Button(null, Icons.of("mdi2p-pencil-outline"));
        rename.setId("runs-rename");
        rename.setTooltip(new Tooltip("Rename the selected run (or double-click its name)"));
        rename.disableProperty().bind(javafx.beans.binding.Bindings.size(vm.selected()).isNotEqualTo(1));
        rename.setOnAction(e -> renameSelected());
        Button delete = new Button(null, Icons.of("mdi2d-delete-outline"));
        delete.setId("runs-delete");
        delete.getStyleClass().addAll(Styles.BUTTON_OUTLINED, Styles.DANGER);
        delete.setTooltip(new Tooltip("Delete the selected runs' folders (Delete)"));
        delete.disableProperty().bind(vm.canDelete().not());
        delete.setOnAction(e -> deleteSelected());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        toolbar = new ToolBar(search, refresh, spacer, compare, evaluate, rename, delete);

        buildTable();
        Label count = new Label();
        count.getStyleClass().add(Styles.TEXT_MUTED);
        count.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            int all = vm.runs().size();
            int shown = vm.visible().size();
            String s = shown == all ? all + (all == 1 ? " run" : " runs") : shown + " of " + all + " runs";
            return s + " · select two or more to compare";
        }, vm.runs(), vm.visible()));
        count.setPadding(new Insets(4, 8, 4, 8));

        VBox top = new VBox(toolbar, new Banner("runs-error", Banner.Kind.DANGER, "Runs", vm.errorProperty()),
                new Banner("runs-notice", Banner.Kind.SUCCESS, "Runs", vm.noticeProperty()));
        setTop(top);
        setCenter(table);
        setBottom(count);
    }

    /** Adds buttons (the one-click experiment, say) to the tool bar, before Compare. */
    public void addActions(Node... nodes) {
        int at = toolbar.getItems().size() - 4;
        toolbar.getItems().addAll(at, List.of(nodes));
    }

    public TableView<RunRow> table() {
        return table;
    }

    private void buildTable() {
        table.setId("runs-table");
        table.setEditable(true);
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getStyleClass().addAll(Styles.STRIPED, Tweaks.EDGE_TO_EDGE);
        table.setPlaceholder(new Label("No runs yet: train one in the Training tab, or run the one-click experiment"));

        TableColumn<RunRow, String> swatch = new TableColumn<>();
        swatch.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().color()));
        swatch.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String color, boolean empty) {
                super.updateItem(color, empty);
                setGraphic(empty || color == null ? null : new Circle(6, Color.web(color)));
                setAlignment(Pos.CENTER);
            }
        });
        swatch.setSortable(false);
        swatch.setPrefWidth(28);
        swatch.setMaxWidth(28);
        swatch.setMinWidth(28);

        TableColumn<RunRow, String> name = new TableColumn<>("Name");
        name.setId("runs-col-name");
        name.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        name.setCellFactory(TextFieldTableCell.forTableColumn());
        name.setOnEditCommit(e -> vm.rename(e.getRowValue(), e.getNewValue()));
        name.setEditable(true);
        name.setPrefWidth(250);

        TableColumn<RunRow, String> state = text("Status", RunRow::state, 90);
        state.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                getStyleClass().removeAll(Styles.SUCCESS, Styles.DANGER, Styles.WARNING);
                setText(empty ? null : s);
                if (!empty && s != null) {
                    getStyleClass().add(switch (s) {
                        case "completed" -> Styles.SUCCESS;
                        case "failed" -> Styles.DANGER;
                        default -> Styles.WARNING;
                    });
                }
            }
        });
        TableColumn<RunRow, String> strategy = text("Strategy", RunRow::strategy, 130);
        TableColumn<RunRow, String> backbone = text("Backbone", RunRow::backbone, 150);
        TableColumn<RunRow, String> dataset = text("Dataset", RunRow::dataset, 110);
        TableColumn<RunRow, Number> finalAcc = number("Final val acc", RunRow::finalValAccuracy, Format::percent, 95);
        TableColumn<RunRow, Number> bestAcc = number("Best val acc", RunRow::bestValAccuracy, Format::percent, 95);
        TableColumn<RunRow, Number> wall = number("Wall time", RunRow::wallSeconds, s -> Double.isNaN(s) ? "–" : Format.duration(s), 80);
        TableColumn<RunRow, LocalDateTime> date = new TableColumn<>("Started");
        date.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().started()));
        date.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(LocalDateTime t, boolean empty) {
                super.updateItem(t, empty);
                setText(empty || t == null ? null : DATE.format(t));
            }
        });
        date.setComparator(Comparator.nullsFirst(Comparator.naturalOrder()));
        date.setPrefWidth(130);
        table.getColumns().setAll(List.of(swatch, name, state, strategy, backbone, dataset, finalAcc, bestAcc, wall, date));

        SortedList<RunRow> sorted = new SortedList<>(vm.visible());
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);

        table.getSelectionModel().getSelectedItems().addListener((ListChangeListener<RunRow>) c ->
                vm.selected().setAll(List.copyOf(table.getSelectionModel().getSelectedItems())));
        table.setRowFactory(t -> {
            TableRow<RunRow> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && !row.isEmpty()
                        && table.getFocusModel().getFocusedCell().getTableColumn() != name) {
                    vm.evaluate();
                }
            });
            return row;
        });
        MenuItem miCompare = new MenuItem("Compare", Icons.of("mdi2c-compare-horizontal"));
        miCompare.disableProperty().bind(vm.canCompare().not());
        miCompare.setOnAction(e -> vm.compare());
        MenuItem miEvaluate = new MenuItem("Evaluate", Icons.of("mdi2t-target"));
        miEvaluate.disableProperty().bind(vm.canEvaluate().not());
        miEvaluate.setOnAction(e -> vm.evaluate());
        MenuItem miRename = new MenuItem("Rename…", Icons.of("mdi2p-pencil-outline"));
        miRename.setOnAction(e -> renameSelected());
        MenuItem miDelete = new MenuItem("Delete…", Icons.of("mdi2d-delete-outline"));
        miDelete.setOnAction(e -> deleteSelected());
        table.setContextMenu(new ContextMenu(miCompare, miEvaluate, new SeparatorMenuItem(), miRename, miDelete));
        table.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DELETE && table.getEditingCell() == null) {
                deleteSelected();
            }
        });
    }

    private static TableColumn<RunRow, String> text(String title, Function<RunRow, String> value, double width) {
        TableColumn<RunRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(r -> new ReadOnlyStringWrapper(value.apply(r.getValue())));
        c.setPrefWidth(width);
        c.setEditable(false);
        return c;
    }

    private static TableColumn<RunRow, Number> number(String title, java.util.function.ToDoubleFunction<RunRow> value,
            java.util.function.DoubleFunction<String> format, double width) {
        TableColumn<RunRow, Number> c = new TableColumn<>(title);
        c.setCellValueFactory(r -> new ReadOnlyObjectWrapper<>(value.applyAsDouble(r.getValue())));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Number n, boolean empty) {
                super.updateItem(n, empty);
                setText(empty || n == null ? null : format.apply(n.doubleValue()));
            }
        });
        c.setComparator(Comparator.comparingDouble(n -> Double.isNaN(n.doubleValue()) ? -1 : n.doubleValue()));
        c.setStyle("-fx-alignment: CENTER-RIGHT;");
        c.setPrefWidth(width);
        c.setEditable(false);
        return c;
    }

    /** Asks for a new name for the selected run. */
    public void renameSelected() {
        if (vm.selected().size() != 1) {
            return;
        }
        RunRow row = vm.selected().get(0);
        TextInputDialog d = new TextInputDialog(row.name().equals(row.id()) ? "" : row.name());
        d.setTitle("Rename run");
        d.setHeaderText("A name for run " + row.id() + " (empty: show its id)");
        d.initOwner(getScene() == null ? null : getScene().getWindow());
        d.showAndWait().ifPresent(n -> vm.rename(row, n));
    }

    /** Asks for confirmation, then deletes the selected runs. */
    public void deleteSelected() {
        List<RunRow> rows = List.copyOf(vm.selected());
        if (rows.isEmpty()) {
            return;
        }
        String what = rows.size() == 1 ? "the run " + rows.get(0).name() : rows.size() + " runs";
        Alert a = new Alert(Alert.AlertType.CONFIRMATION,
                "This deletes the folder of " + what + ": its metrics, checkpoints and model. It cannot be undone.",
                ButtonType.CANCEL, ButtonType.OK);
        a.setTitle("Delete runs");
        a.setHeaderText("Delete " + what + "?");
        a.initOwner(getScene() == null ? null : getScene().getWindow());
        ((Button) a.getDialogPane().lookupButton(ButtonType.OK)).setText("Delete");
        a.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> vm.delete(rows));
    }
}
