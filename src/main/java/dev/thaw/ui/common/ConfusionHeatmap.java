package dev.thaw.ui.common;

import dev.thaw.core.eval.ConfusionMatrix;
import java.util.function.BiConsumer;
import javafx.geometry.HPos;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;

/**
 * A confusion matrix as a heatmap: rows are the true classes, columns the predictions, each cell
 * shaded by the share of its row (so small classes read as clearly as large ones) and labelled with
 * its count. The diagonal is tinted in {@code color}, mistakes in red. A click on a cell reports
 * (truth, predicted).
 */
public final class ConfusionHeatmap extends VBox {

    public ConfusionHeatmap(String title, String color, ConfusionMatrix m, int cellSize, BiConsumer<Integer, Integer> onCell) {
        getStyleClass().add("confusion-heatmap");
        setSpacing(4);
        Label head = new Label(title);
        head.getStyleClass().add("heatmap-title");
        getChildren().add(head);
        if (m == null) {
            getChildren().add(new Label("No validation predictions"));
            return;
        }
        GridPane grid = new GridPane();
        grid.setHgap(1);
        grid.setVgap(1);
        int n = m.classes().size();
        Label corner = new Label("true \\ predicted");
        corner.getStyleClass().add("heatmap-axis");
        grid.add(corner, 0, 0);
        Color diag = Color.web(color);
        Color wrong = Color.web("#e15759");
        for (int c = 0; c < n; c++) {
            Label l = new Label(abbreviate(m.classes().get(c)));
            l.setTooltip(new Tooltip("predicted " + m.classes().get(c)));
            l.getStyleClass().add("heatmap-axis");
            // Column names read upwards, so long class names fit over narrow cells; the Group lays out the rotated label.
            l.setRotate(-90);
            javafx.scene.Group g = new javafx.scene.Group(l);
            GridPane.setHalignment(g, HPos.CENTER);
            GridPane.setValignment(g, javafx.geometry.VPos.BOTTOM);
            grid.add(g, c + 1, 0);
        }
        for (int t = 0; t < n; t++) {
            Label rl = new Label(m.classes().get(t));
            rl.getStyleClass().add("heatmap-axis");
            grid.add(rl, 0, t + 1);
            int support = m.support(t);
            for (int p = 0; p < n; p++) {
                int count = m.count(t, p);
                double share = support == 0 ? 0 : (double) count / support;
                Color base = t == p ? diag : wrong;
                Color fill = Color.WHITE.interpolate(base, count == 0 ? 0 : 0.12 + 0.88 * share);
                Label cell = new Label(Integer.toString(count));
                cell.setId("cell-" + t + "-" + p);
                cell.getStyleClass().add("heatmap-cell");
                cell.setAlignment(Pos.CENTER);
                cell.setMinSize(cellSize, cellSize);
                cell.setPrefSize(cellSize, cellSize);
                cell.setStyle("-fx-background-color: " + web(fill) + "; -fx-text-fill: "
                        + (fill.getBrightness() < 0.6 || share > 0.55 ? "white" : "#24292f") + ";");
                cell.setTooltip(new Tooltip(count + " of " + support + " " + m.classes().get(t) + " images predicted as "
                        + m.classes().get(p) + (onCell == null || count == 0 ? "" : " (click to see them)")));
                if (onCell != null && count > 0) {
                    int tt = t;
                    int pp = p;
                    cell.getStyleClass().add("clickable");
                    cell.setOnMouseClicked(e -> onCell.accept(tt, pp));
                }
                grid.add(cell, p + 1, t + 1);
            }
        }
        getChildren().add(grid);
    }

    private static String abbreviate(String s) {
        return s.length() <= 16 ? s : s.substring(0, 15) + "…";
    }

    private static String web(Color c) {
        return String.format(java.util.Locale.ROOT, "#%02x%02x%02x", (int) Math.round(c.getRed() * 255), (int) Math.round(c.getGreen() * 255),
                (int) Math.round(c.getBlue() * 255));
    }
}
