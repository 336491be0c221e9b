package dev.thaw.ui.main;

import atlantafx.base.theme.Styles;
import dev.thaw.ui.common.Icons;
import dev.thaw.ui.dataset.DatasetView;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ToolBar;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import org.controlsfx.control.StatusBar;

/** The workbench window's content: tool bar, the feature panels, and a status bar. */
public final class MainView extends BorderPane {

    private final DatasetView datasetView;

    public MainView(MainViewModel vm) {
        setId("main-view");
        Label brand = new Label("Thaw", Icons.of("mdi2s-snowflake-melt"));
        brand.getStyleClass().addAll(Styles.TITLE_4);
        brand.setPadding(new Insets(0, 12, 0, 4));
        ToolBar toolBar = new ToolBar(brand);
        setTop(toolBar);

        datasetView = new DatasetView(vm.dataset());
        setCenter(datasetView);

        StatusBar status = new StatusBar();
        status.setId("status-bar");
        status.textProperty().bind(vm.statusProperty());
        status.progressProperty().bind(vm.progressProperty());
        setBottom(status);
        BorderPane.setAlignment(status, Pos.CENTER);

        sceneProperty().addListener((o, a, scene) -> {
            if (scene != null) {
                scene.getAccelerators().put(new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN),
                        datasetView::chooseFolder);
            }
        });
    }
}
