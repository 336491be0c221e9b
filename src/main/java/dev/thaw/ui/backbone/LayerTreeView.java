package dev.thaw.ui.backbone;

import dev.thaw.ui.common.Icons;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableRow;
import javafx.scene.control.TreeTableView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;

/**
 * The layer tree: a tick means frozen. Parents show a dash when part of their subtree is frozen;
 * rows the format cannot train show a lock with the reason. Every box reflects the view model's
 * freeze plan; a click asks the view model to change the plan, never the box itself.
 */
public final class LayerTreeView extends TreeTableView<LayerNodeViewModel> {

    private final LayerTreeViewModel vm;

    public LayerTreeView(LayerTreeViewModel vm) {
        this.vm = vm;
        setId("layer-tree");
        setShowRoot(true);
        setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        setPlaceholder(new Label("Choose a backbone to see its layers"));

        TreeTableColumn<LayerNodeViewModel, LayerNodeViewModel> layer = new TreeTableColumn<>("Layer (tick = frozen)");
        layer.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().getValue()));
        layer.setCellFactory(c -> new LayerCell());
        layer.setPrefWidth(200);
        layer.setMinWidth(150);
        layer.setSortable(false);

        TreeTableColumn<LayerNodeViewModel, String> type = textColumn("Type", 88);
        type.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().getValue().node().type()));
        TreeTableColumn<LayerNodeViewModel, String> params = textColumn("Params", 82);
        params.setCellValueFactory(c -> new ReadOnlyStringWrapper(LayerNodeViewModel.formatCount(c.getValue().getValue().node().parameterCount())));
        params.setStyle("-fx-alignment: CENTER-RIGHT;");
        TreeTableColumn<LayerNodeViewModel, String> trainable = textColumn("Trainable", 80);
        trainable.setCellValueFactory(c -> c.getValue().getValue().trainableParamsProperty()
                .asString().map(s -> LayerNodeViewModel.formatCount(Long.parseLong(s))));
        trainable.setStyle("-fx-alignment: CENTER-RIGHT;");
        TreeTableColumn<LayerNodeViewModel, String> shape = textColumn("Output", 96);
        shape.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().getValue().shapeText()));
        getColumns().setAll(java.util.List.of(layer, type, params, trainable, shape));

        setRowFactory(t -> new TreeTableRow<>() {
            @Override
            protected void updateItem(LayerNodeViewModel item, boolean empty) {
                super.updateItem(item, empty);
                getStyleClass().removeAll("freeze-diff");
                if (item != null && !empty && item.changedFromComparedProperty().get()) {
                    getStyleClass().add("freeze-diff");
                }
            }
        });

        vm.rootProperty().addListener((o, a, r) -> setRoot(r == null ? null : item(r, 0)));
        if (vm.rootProperty().get() != null) {
            setRoot(item(vm.rootProperty().get(), 0));
        }
        // Space ticks the selected row, as in any check list.
        setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.SPACE && getSelectionModel().getSelectedItem() != null) {
                vm.toggle(getSelectionModel().getSelectedItem().getValue().node().path());
                e.consume();
            }
        });
        // Repaint diff colours when the compared plan changes.
        vm.comparedPlanProperty().addListener((o, a, b) -> refresh());
    }

    private static TreeTableColumn<LayerNodeViewModel, String> textColumn(String title, double width) {
        TreeTableColumn<LayerNodeViewModel, String> c = new TreeTableColumn<>(title);
        c.setPrefWidth(width);
        c.setMinWidth(width * 0.8);
        c.setSortable(false);
        return c;
    }

    private static TreeItem<LayerNodeViewModel> item(LayerNodeViewModel node, int depth) {
        TreeItem<LayerNodeViewModel> item = new TreeItem<>(node);
        for (LayerNodeViewModel c : node.children()) {
            item.getChildren().add(item(c, depth + 1));
        }
        item.setExpanded(depth < 2);
        return item;
    }

    /** The first column: box, name, lock. */
    private final class LayerCell extends TreeTableCell<LayerNodeViewModel, LayerNodeViewModel> {
        private final CheckBox box = new CheckBox();
        private final Label name = new Label();
        private final HBox graphic = new HBox(6, box, name);
        private LayerNodeViewModel bound;

        LayerCell() {
            setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
            box.setOnAction(e -> {
                if (bound != null) {
                    boolean wasFrozen = bound.isFrozen();
                    vm.setFrozen(bound.node().path(), !wasFrozen);
                    sync();
                }
            });
            graphic.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        }

        private void sync() {
            if (bound != null) {
                box.setSelected(bound.isFrozen());
                box.setIndeterminate(bound.isPartlyFrozen());
            }
        }

        private final javafx.beans.value.ChangeListener<Boolean> listener = (o, a, b) -> sync();

        @Override
        protected void updateItem(LayerNodeViewModel item, boolean empty) {
            super.updateItem(item, empty);
            if (bound != null) {
                bound.frozenProperty().removeListener(listener);
                bound.partlyFrozenProperty().removeListener(listener);
            }
            bound = empty ? null : item;
            if (bound == null) {
                setGraphic(null);
                setTooltip(null);
                return;
            }
            bound.frozenProperty().addListener(listener);
            bound.partlyFrozenProperty().addListener(listener);
            // The backbone row says what it is; its model name is on the root row already.
            name.setText(bound.node().path().equals(dev.thaw.core.model.LayerTree.BACKBONE) ? "backbone" : bound.name());
            box.setId("freeze-" + (bound.node().path().isEmpty() ? "model" : bound.node().path()));
            box.setDisable(bound.isLocked());
            name.setGraphic(bound.isLocked() ? Icons.of(bound.isHead() ? "mdi2f-fire" : "mdi2l-lock-outline") : null);
            name.setContentDisplay(ContentDisplay.RIGHT);
            String reason = bound.lockReason();
            setTooltip(reason == null ? new Tooltip(bound.node().path().isEmpty() ? "The whole model" : bound.node().path())
                    : new Tooltip(reason));
            sync();
            setGraphic(graphic);
        }
    }
}
