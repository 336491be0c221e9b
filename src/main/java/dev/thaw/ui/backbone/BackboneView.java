package dev.thaw.ui.backbone;

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
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/**
 * The backbone panel: a source menu, a file chooser and drop target for TorchScript, ONNX and
 * Thaw weights, the backbone's metadata, the freeze presets and the layer tree.
 */
public final class BackboneView extends VBox {

    private final BackboneViewModel vm;

    public BackboneView(BackboneViewModel vm) {
        this.vm = vm;
        setId("backbone-view");
        getStyleClass().add("panel");
        setSpacing(8);
        setPadding(new Insets(12));

        Label title = new Label("Backbone", Icons.of("mdi2l-layers-triple-outline"));
        title.getStyleClass().add(Styles.TITLE_4);

        ComboBox<BackboneViewModel.Choice> sources = new ComboBox<>(vm.choices());
        sources.setId("backbone-source");
        sources.setPromptText("Choose a backbone…");
        sources.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(sources, Priority.ALWAYS);
        sources.setOnAction(e -> {
            BackboneViewModel.Choice c = sources.getValue();
            if (c != null && !c.source().equals(vm.sourceProperty().get())) {
                vm.load(c.source());
            }
        });
        // Show the loaded source in the box (also when it was loaded from a file or at start-up).
        vm.sourceProperty().addListener((o, a, s) -> sources.setValue(vm.choices().stream()
                .filter(c -> c.source().equals(s)).findFirst().orElse(null)));
        Button open = new Button(null, Icons.of("mdi2f-file-upload-outline"));
        open.setId("open-backbone");
        open.setTooltip(new Tooltip("Open a TorchScript (.pt), ONNX (.onnx) or Thaw (.params) backbone file (Ctrl+B)"));
        open.setOnAction(e -> chooseFile());
        HBox sourceRow = new HBox(6, sources, open);
        sourceRow.setAlignment(Pos.CENTER_LEFT);

        ProgressBar bar = new ProgressBar();
        bar.progressProperty().bind(vm.progressProperty());
        bar.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(bar, Priority.ALWAYS);
        Button cancel = new Button("Cancel");
        cancel.getStyleClass().add(Styles.SMALL);
        cancel.setOnAction(e -> vm.cancelLoad());
        Label msg = new Label();
        msg.textProperty().bind(vm.messageProperty());
        msg.getStyleClass().add(Styles.TEXT_SMALL);
        msg.setWrapText(true);
        VBox loadingBox = new VBox(4, new HBox(6, bar, cancel), msg);
        loadingBox.visibleProperty().bind(vm.loadingProperty());
        loadingBox.managedProperty().bind(loadingBox.visibleProperty());

        Message error = new Message("Cannot load this backbone", "");
        error.setId("backbone-error");
        error.getStyleClass().add(Styles.DANGER);
        error.descriptionProperty().bind(vm.errorProperty());
        error.visibleProperty().bind(vm.errorProperty().isNotNull());
        error.managedProperty().bind(error.visibleProperty());

        Label name = new Label();
        name.setId("backbone-name");
        name.getStyleClass().add(Styles.TEXT_BOLD);
        name.textProperty().bind(Bindings.createStringBinding(
                () -> vm.metadataProperty().get() == null ? "" : vm.metadataProperty().get().name(), vm.metadataProperty()));
        Label description = new Label();
        description.setId("backbone-description");
        description.setWrapText(true);
        description.textProperty().bind(vm.description());
        Label assumptions = new Label();
        assumptions.setWrapText(true);
        assumptions.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        assumptions.textProperty().bind(vm.assumptions());
        assumptions.visibleProperty().bind(vm.assumptions().isNotEmpty());
        assumptions.managedProperty().bind(assumptions.visibleProperty());

        LayerTreeViewModel tvm = vm.tree();
        MenuButton presets = new MenuButton("Presets", Icons.of("mdi2t-tune-variant"));
        presets.setId("freeze-presets");
        for (LayerTreeViewModel.Preset p : LayerTreeViewModel.Preset.values()) {
            MenuItem item = new MenuItem(p.label());
            item.setId("preset-" + p.name().toLowerCase(java.util.Locale.ROOT));
            item.setOnAction(e -> tvm.applyPreset(p));
            presets.getItems().add(item);
        }
        presets.disableProperty().bind(tvm.treeProperty().isNull());
        Label summary = new Label();
        summary.setId("trainable-summary");
        summary.textProperty().bind(tvm.summary());
        summary.getStyleClass().add(Styles.TEXT_SMALL);
        summary.visibleProperty().bind(tvm.treeProperty().isNotNull());
        Label plan = new Label();
        plan.setId("plan-description");
        plan.textProperty().bind(tvm.planDescription());
        plan.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.ACCENT);
        HBox presetRow = new HBox(8, presets, new VBox(2, plan, summary));
        presetRow.setAlignment(Pos.CENTER_LEFT);

        LayerTreeView treeView = new LayerTreeView(tvm);
        VBox.setVgrow(treeView, Priority.ALWAYS);

        Label hint = new Label("Tick a layer to freeze it. Drop a .pt / .onnx / .params file here to load it.");
        hint.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        hint.setWrapText(true);

        getChildren().addAll(title, sourceRow, loadingBox, error, name, description, assumptions, presetRow, treeView, hint);

        setOnDragOver(this::dragOver);
        setOnDragDropped(this::dragDropped);
        setOnDragExited(e -> getStyleClass().remove("drop-target"));
    }

    /** Opens the file chooser (also Ctrl+B from the main window). */
    public void chooseFile() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Open a backbone");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Backbones (*.pt, *.onnx, *.params)", "*.pt", "*.pth", "*.torchscript", "*.onnx", "*.params"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        File f = chooser.showOpenDialog(getScene() == null ? null : getScene().getWindow());
        if (f != null) {
            vm.loadFile(f.toPath());
        }
    }

    private void dragOver(DragEvent e) {
        List<File> files = e.getDragboard().hasFiles() ? e.getDragboard().getFiles() : List.of();
        if (files.size() == 1 && BackboneViewModel.isBackboneFile(files.get(0).toPath())) {
            e.acceptTransferModes(TransferMode.COPY);
            if (!getStyleClass().contains("drop-target")) {
                getStyleClass().add("drop-target");
            }
            e.consume();
        }
    }

    private void dragDropped(DragEvent e) {
        List<File> files = e.getDragboard().hasFiles() ? e.getDragboard().getFiles() : List.of();
        boolean ok = files.size() == 1 && BackboneViewModel.isBackboneFile(files.get(0).toPath());
        if (ok) {
            Path p = files.get(0).toPath();
            vm.loadFile(p);
        }
        getStyleClass().remove("drop-target");
        e.setDropCompleted(ok);
        e.consume();
    }
}
