package dev.thaw.ui.dataset;

import atlantafx.base.controls.Message;
import atlantafx.base.theme.Styles;
import dev.thaw.ui.common.Icons;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;

/** The dataset panel: a drop zone, a folder chooser and the class table. Binds to its view model only. */
public final class DatasetView extends VBox {

    private final DatasetViewModel vm;

    public DatasetView(DatasetViewModel vm) {
        this.vm = vm;
        setId("dataset-view");
        setSpacing(10);
        setPadding(new Insets(16));

        Label title = new Label("Dataset");
        title.getStyleClass().add(Styles.TITLE_3);
        Label name = new Label();
        name.setId("dataset-name");
        name.getStyleClass().add(Styles.TEXT_BOLD);
        name.textProperty().bind(Bindings.createStringBinding(
                () -> vm.folderProperty().get() == null ? "No dataset open" : String.valueOf(vm.folderProperty().get().getFileName()),
                vm.folderProperty()));
        Label path = new Label();
        path.getStyleClass().add(Styles.TEXT_MUTED);
        path.textProperty().bind(Bindings.createStringBinding(
                () -> vm.folderProperty().get() == null ? "" : vm.folderProperty().get().toString(), vm.folderProperty()));
        Label description = new Label();
        description.setId("dataset-description");
        description.textProperty().bind(vm.description());

        Button open = new Button("Open folder…", Icons.of("mdi2f-folder-open-outline"));
        open.setId("open-dataset");
        open.setTooltip(new Tooltip("Choose a folder of labeled images (Ctrl+O)"));
        open.setOnAction(e -> chooseFolder());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(12, new VBox(2, title, name, path), spacer, open);
        header.setAlignment(Pos.TOP_LEFT);

        Message error = new Message("Cannot open this folder", "");
        error.setId("dataset-error");
        error.getStyleClass().add(Styles.DANGER);
        error.descriptionProperty().bind(vm.errorProperty());
        error.visibleProperty().bind(vm.errorProperty().isNotNull());
        error.managedProperty().bind(error.visibleProperty());

        TableView<DatasetViewModel.ClassRow> table = new TableView<>(vm.rows());
        table.setId("class-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().add(column("Class", DatasetViewModel.ClassRow::name));
        table.getColumns().add(column("Train", DatasetViewModel.ClassRow::train));
        table.getColumns().add(column("Val", DatasetViewModel.ClassRow::val));
        table.getColumns().add(column("Test", DatasetViewModel.ClassRow::test));
        table.getColumns().add(column("Total", DatasetViewModel.ClassRow::total));
        table.setPlaceholder(new Label("Drop a folder of labeled images here"));
        VBox.setVgrow(table, Priority.ALWAYS);

        getChildren().addAll(header, description, error, table);

        setOnDragOver(this::dragOver);
        setOnDragDropped(this::dragDropped);
    }

    private static <T> TableColumn<DatasetViewModel.ClassRow, T> column(String title,
            java.util.function.Function<DatasetViewModel.ClassRow, T> getter) {
        TableColumn<DatasetViewModel.ClassRow, T> c = new TableColumn<>(title);
        c.setCellValueFactory(cd -> new javafx.beans.property.ReadOnlyObjectWrapper<>(getter.apply(cd.getValue())));
        return c;
    }

    /** Opens a folder chooser (also bound to Ctrl+O by the main window). */
    public void chooseFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Open a labeled image folder");
        Path current = vm.folderProperty().get();
        if (current != null && current.getParent() != null && current.getParent().toFile().isDirectory()) {
            chooser.setInitialDirectory(current.getParent().toFile());
        }
        File dir = chooser.showDialog(getScene() == null ? null : getScene().getWindow());
        if (dir != null) {
            vm.open(dir.toPath());
        }
    }

    private void dragOver(DragEvent e) {
        if (e.getDragboard().hasFiles()) {
            e.acceptTransferModes(TransferMode.COPY_OR_MOVE);
        }
        e.consume();
    }

    private void dragDropped(DragEvent e) {
        List<File> files = e.getDragboard().getFiles();
        boolean ok = files != null && !files.isEmpty();
        if (ok) {
            vm.open(files.get(0).toPath());
        }
        e.setDropCompleted(ok);
        e.consume();
    }
}
