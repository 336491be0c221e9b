package dev.thaw.ui.compare;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import dev.thaw.core.eval.ConfusionMatrix;
import dev.thaw.core.runs.ConfigDiff;
import dev.thaw.core.runs.RunComparison;
import dev.thaw.ui.common.Banner;
import dev.thaw.ui.common.ConfusionHeatmap;
import dev.thaw.ui.common.Format;
import dev.thaw.ui.common.Icons;
import dev.thaw.ui.common.Thumbnails;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableRow;
import javafx.scene.control.TreeTableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;

/**
 * Runs side by side: curves and metrics, settings and layers, per-class results, and the images
 * that flipped between run A and run B. Every run is drawn in its own colour.
 */
public final class CompareView extends BorderPane {

    /** At most this many flipped images are shown per direction (the count says how many there are). */
    static final int MAX_TILES = 120;

    private final CompareViewModel vm;
    private final Thumbnails thumbnails;
    private final HBox legend = new HBox(14);
    private final LineChart<Number, Number> lossChart = chart("Loss", "loss", false);
    private final LineChart<Number, Number> accChart = chart("Accuracy", "accuracy", true);
    private final TableView<CompareViewModel.MetricRow> metrics = new TableView<>();
    private final TableView<ConfigDiff.Row> config = new TableView<>();
    private final TreeTableView<CompareViewModel.FreezeNode> freeze = new TreeTableView<>();
    private final TableView<RunComparison.ClassRow> perClass = new TableView<>();
    private final HBox confusions = new HBox(24);
    private final ComboBox<CompareViewModel.RunRef> pickA = new ComboBox<>();
    private final ComboBox<CompareViewModel.RunRef> pickB = new ComboBox<>();
    private final FlowPane aOnly = gallery("flips-a-only");
    private final FlowPane bOnly = gallery("flips-b-only");
    private final Label aOnlyTitle = new Label();
    private final Label bOnlyTitle = new Label();
    private final TabPane sections = new TabPane();

    public CompareView(CompareViewModel vm, Thumbnails thumbnails) {
        this.vm = vm;
        this.thumbnails = thumbnails;
        setId("compare-view");
        getStyleClass().add("panel");

        // Header: who is compared, the x axis, A and B.
        legend.setAlignment(Pos.CENTER_LEFT);
        legend.setId("compare-legend");
        ToggleGroup xGroup = new ToggleGroup();
        ToggleButton byEpoch = new ToggleButton("Per epoch");
        byEpoch.setId("x-epoch");
        ToggleButton bySecond = new ToggleButton("Per second");
        bySecond.setId("x-seconds");
        byEpoch.setToggleGroup(xGroup);
        bySecond.setToggleGroup(xGroup);
        byEpoch.getStyleClass().add(Styles.LEFT_PILL);
        bySecond.getStyleClass().add(Styles.RIGHT_PILL);
        byEpoch.setSelected(vm.xAxisProperty().get() == CompareViewModel.XAxis.EPOCH);
        bySecond.setSelected(!byEpoch.isSelected());
        xGroup.selectedToggleProperty().addListener((o, a, t) -> {
            if (t == null) {
                (a == null ? byEpoch : (ToggleButton) a).setSelected(true);
            } else {
                vm.xAxisProperty().set(t == byEpoch ? CompareViewModel.XAxis.EPOCH : CompareViewModel.XAxis.SECONDS);
            }
        });
        pickA.setId("pick-a");
        pickB.setId("pick-b");
        pickA.setItems(vm.runs());
        pickB.setItems(vm.runs());
        pickA.getSelectionModel().selectedIndexProperty().addListener((o, a, i) -> {
            if (i.intValue() >= 0) {
                vm.aProperty().set(i.intValue());
            }
        });
        pickB.getSelectionModel().selectedIndexProperty().addListener((o, a, i) -> {
            if (i.intValue() >= 0) {
                vm.bProperty().set(i.intValue());
            }
        });
        vm.aProperty().addListener((o, a, i) -> pickA.getSelectionModel().select(i.intValue()));
        vm.bProperty().addListener((o, a, i) -> pickB.getSelectionModel().select(i.intValue()));
        HBox pickers = new HBox(6, new Label("A"), pickA, new Label("B"), pickB);
        pickers.setAlignment(Pos.CENTER_LEFT);
        pickers.visibleProperty().bind(javafx.beans.binding.Bindings.size(vm.runs()).greaterThan(2));
        pickers.managedProperty().bind(pickers.visibleProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(18, 18);
        busy.visibleProperty().bind(vm.loadingProperty());
        HBox header = new HBox(12, legend, spacer, busy, pickers, new HBox(byEpoch, bySecond));
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(8, 10, 8, 10));
        header.getStyleClass().add("compare-header");

        VBox top = new VBox(header,
                new Banner("compare-split-warning", Banner.Kind.WARNING, "Different validation images", vm.splitWarningProperty()),
                new Banner("compare-error", Banner.Kind.DANGER, "Cannot compare", vm.errorProperty()));
        setTop(top);

        sections.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        sections.setId("compare-sections");
        sections.getTabs().addAll(overviewTab(), layersTab(), classesTab(), flipsTab());
        setCenter(sections);

        vm.runs().addListener((ListChangeListener<CompareViewModel.RunRef>) c -> rebuildRunColumns());
        vm.lossSeries().addListener((ListChangeListener<CompareViewModel.Series>) c -> fill(lossChart, vm.lossSeries()));
        vm.accuracySeries().addListener((ListChangeListener<CompareViewModel.Series>) c -> fill(accChart, vm.accuracySeries()));
        vm.xAxisProperty().addListener((o, a, x) -> {
            lossChart.getXAxis().setLabel(x.label());
            accChart.getXAxis().setLabel(x.label());
        });
        vm.freezeTreeProperty().addListener((o, a, t) -> freeze.setRoot(t == null ? null : item(t)));
        // Heatmaps and galleries are many nodes: they are built when their tab is first shown (and
        // rebuilt there when A, B or the runs change), so opening a comparison stays quick.
        vm.confusions().addListener((ListChangeListener<ConfusionMatrix>) c -> invalidate(2));
        vm.rightInAOnly().addListener((ListChangeListener<RunComparison.Flip>) c -> invalidate(3));
        vm.rightInBOnly().addListener((ListChangeListener<RunComparison.Flip>) c -> invalidate(FLIPS_B));
        sections.getSelectionModel().selectedIndexProperty().addListener((o, a, i) -> fillIfStale(i.intValue()));
        rebuildRunColumns();
    }

    public TabPane sections() {
        return sections;
    }

    /** Stale flags: one per tab (index = tab), and one more for the flipped tab's second gallery. */
    private static final int FLIPS_B = 4;
    private final boolean[] stale = new boolean[5];

    private void invalidate(int part) {
        stale[part] = true;
        fillIfStale(sections.getSelectionModel().getSelectedIndex());
    }

    private void fillIfStale(int tab) {
        if (tab == 2 && stale[2]) {
            stale[2] = false;
            fillConfusions();
        } else if (tab == 3) {
            // each gallery is rebuilt only when its own list changed
            if (stale[3]) {
                stale[3] = false;
                fillGallery(aOnly, aOnlyTitle, vm.rightInAOnly(), true);
            }
            if (stale[FLIPS_B]) {
                stale[FLIPS_B] = false;
                fillGallery(bOnly, bOnlyTitle, vm.rightInBOnly(), false);
            }
        }
    }

    // ---- Overview: curves, metrics, the paired test ----

    private Tab overviewTab() {
        HBox charts = new HBox(8, lossChart, accChart);
        HBox.setHgrow(lossChart, Priority.ALWAYS);
        HBox.setHgrow(accChart, Priority.ALWAYS);
        lossChart.setId("compare-loss-chart");
        accChart.setId("compare-accuracy-chart");
        Label note = new Label("Solid: validation · dashed: training");
        note.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);

        metrics.setId("compare-metrics");
        metrics.setItems(vm.metrics());
        metrics.getStyleClass().addAll(Styles.DENSE, Tweaks.EDGE_TO_EDGE);
        metrics.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        metrics.setFixedCellSize(26);
        metrics.prefHeightProperty().bind(metrics.fixedCellSizeProperty().multiply(javafx.beans.binding.Bindings.size(vm.metrics()).add(1.3)));
        metrics.setMinHeight(120);

        Label verdict = new Label();
        verdict.setId("compare-verdict");
        verdict.setWrapText(true);
        verdict.setMinHeight(Region.USE_PREF_SIZE);
        verdict.textProperty().bind(vm.pairVerdictProperty());
        Label verdictTitle = new Label("A against B, image by image", Icons.of("mdi2s-scale-balance"));
        verdictTitle.getStyleClass().add(Styles.TITLE_4);
        VBox verdictBox = new VBox(4, verdictTitle, verdict);
        verdictBox.getStyleClass().add("verdict-box");
        verdictBox.setPadding(new Insets(8, 10, 8, 10));

        VBox box = new VBox(6, charts, note, metrics, verdictBox);
        VBox.setVgrow(charts, Priority.ALWAYS);
        box.setPadding(new Insets(8));
        Tab t = new Tab("Curves & metrics", box);
        t.setGraphic(Icons.of("mdi2c-chart-line"));
        return t;
    }

    private static LineChart<Number, Number> chart(String title, String yLabel, boolean unit) {
        NumberAxis x = new NumberAxis();
        x.setLabel("epoch");
        x.setForceZeroInRange(false);
        x.setAnimated(false);
        NumberAxis y = new NumberAxis();
        y.setLabel(yLabel);
        y.setAnimated(false);
        if (unit) {
            y.setAutoRanging(false);
            y.setLowerBound(0);
            y.setUpperBound(1);
            y.setTickUnit(0.1);
        } else {
            y.setForceZeroInRange(true);
        }
        LineChart<Number, Number> c = new LineChart<>(x, y);
        c.setTitle(title);
        c.setAnimated(false);
        c.setCreateSymbols(false);
        c.setLegendVisible(false);
        c.getStyleClass().add("compare-chart");
        c.setMinHeight(220);
        c.setPrefHeight(300);
        return c;
    }

    private static void fill(LineChart<Number, Number> chart, List<CompareViewModel.Series> series) {
        chart.getData().clear();
        for (CompareViewModel.Series s : series) {
            XYChart.Series<Number, Number> fx = new XYChart.Series<>();
            fx.setName(s.name());
            for (int i = 0; i < s.x().length; i++) {
                fx.getData().add(new XYChart.Data<>(s.x()[i], s.y()[i]));
            }
            chart.getData().add(fx);
            Node line = fx.getNode();
            if (line != null) {
                line.setStyle("-fx-stroke: " + s.color() + "; -fx-stroke-width: " + (s.dashed() ? "1.5" : "2.5")
                        + (s.dashed() ? "; -fx-stroke-dash-array: 6 5; -fx-opacity: 0.8" : "") + ";");
            }
        }
    }

    // ---- Settings and layers ----

    private Tab layersTab() {
        config.setId("compare-config");
        config.setItems(vm.configDiff());
        config.getStyleClass().addAll(Styles.DENSE, Tweaks.EDGE_TO_EDGE);
        config.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        config.setPlaceholder(new Label("The runs' settings are identical"));
        Label configTitle = new Label("Settings that differ", Icons.of("mdi2t-tune-variant"));
        configTitle.getStyleClass().add(Styles.TITLE_4);
        VBox left = new VBox(6, configTitle, config);
        VBox.setVgrow(config, Priority.ALWAYS);

        freeze.setId("compare-freeze-tree");
        freeze.setShowRoot(true);
        freeze.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        freeze.setPlaceholder(new Label("The first run has no layer tree (tree.json)"));
        freeze.setRowFactory(t -> new TreeTableRow<>() {
            @Override
            protected void updateItem(CompareViewModel.FreezeNode n, boolean empty) {
                super.updateItem(n, empty);
                getStyleClass().removeAll("freeze-diff", "freeze-diff-inside");
                if (!empty && n != null) {
                    if (ownDiff(n)) {
                        getStyleClass().add("freeze-diff");
                    } else if (n.differs()) {
                        getStyleClass().add("freeze-diff-inside");
                    }
                }
            }
        });
        Label freezeTitle = new Label("Freeze masks on the layer tree", Icons.of("mdi2s-snowflake"));
        freezeTitle.getStyleClass().add(Styles.TITLE_4);
        Label freezeNote = new Label();
        freezeNote.setId("compare-freeze-summary");
        freezeNote.setWrapText(true);
        freezeNote.textProperty().bind(vm.freezeSummaryProperty());
        VBox right = new VBox(6, freezeTitle, freezeNote, freeze);
        VBox.setVgrow(freeze, Priority.ALWAYS);

        SplitPane split = new SplitPane(left, right);
        split.setDividerPositions(0.42);
        split.setPadding(new Insets(8));
        Tab t = new Tab("Settings & layers", split);
        t.setGraphic(Icons.of("mdi2f-file-tree-outline"));
        return t;
    }

    static boolean ownDiff(CompareViewModel.FreezeNode n) {
        return n.frozen().stream().filter(java.util.Objects::nonNull).distinct().count() > 1;
    }

    private static TreeItem<CompareViewModel.FreezeNode> item(CompareViewModel.FreezeNode n) {
        TreeItem<CompareViewModel.FreezeNode> it = new TreeItem<>(n);
        for (CompareViewModel.FreezeNode c : n.children()) {
            it.getChildren().add(item(c));
        }
        it.setExpanded(n.path().isEmpty() || n.differs() && n.children().stream().anyMatch(CompareViewModel.FreezeNode::differs)
                || n.differs() && n.path().split("\\.").length < 2);
        return it;
    }

    // ---- Classes ----

    private Tab classesTab() {
        perClass.setId("compare-per-class");
        perClass.setItems(vm.perClass());
        perClass.getStyleClass().addAll(Styles.DENSE, Tweaks.EDGE_TO_EDGE);
        perClass.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        Label title = new Label("Per-class accuracy (difference from the first run)", Icons.of("mdi2t-table"));
        title.getStyleClass().add(Styles.TITLE_4);
        confusions.setId("compare-confusions");
        confusions.setPadding(new Insets(4));
        ScrollPane cm = new ScrollPane(confusions);
        cm.setFitToHeight(true);
        Label cmTitle = new Label("Confusion matrices (rows: true class; shade: share of the row)", Icons.of("mdi2g-grid"));
        cmTitle.getStyleClass().add(Styles.TITLE_4);
        VBox box = new VBox(6, title, perClass, cmTitle, cm);
        VBox.setVgrow(perClass, Priority.ALWAYS);
        box.setPadding(new Insets(8));
        Tab t = new Tab("Classes", box);
        t.setGraphic(Icons.of("mdi2s-shape-outline"));
        return t;
    }

    private void fillConfusions() {
        confusions.getChildren().clear();
        for (int i = 0; i < vm.confusions().size() && i < vm.runs().size(); i++) {
            CompareViewModel.RunRef r = vm.runs().get(i);
            ConfusionMatrix m = vm.confusions().get(i);
            int n = m == null ? 1 : m.classes().size();
            confusions.getChildren().add(new ConfusionHeatmap(r.name(), r.color(), m, n > 10 ? 26 : 38, null));
        }
    }

    // ---- Flipped images ----

    private Tab flipsTab() {
        aOnlyTitle.setId("flips-a-title");
        bOnlyTitle.setId("flips-b-title");
        aOnlyTitle.getStyleClass().add(Styles.TITLE_4);
        bOnlyTitle.getStyleClass().add(Styles.TITLE_4);
        VBox box = new VBox(8, aOnlyTitle, aOnly, bOnlyTitle, bOnly);
        box.setPadding(new Insets(8));
        ScrollPane sp = new ScrollPane(box);
        sp.setFitToWidth(true);
        Tab t = new Tab("Flipped images", sp);
        t.setGraphic(Icons.of("mdi2s-swap-horizontal"));
        return t;
    }

    private static FlowPane gallery(String id) {
        FlowPane f = new FlowPane(8, 8);
        f.setId(id);
        return f;
    }

    private void fillGallery(FlowPane pane, Label title, List<RunComparison.Flip> flips, boolean rightInA) {
        String a = name(vm.aProperty().get());
        String b = name(vm.bProperty().get());
        String right = rightInA ? a : b;
        String wrong = rightInA ? b : a;
        title.setText(String.format(Locale.ROOT, "Right in %s, wrong in %s: %d %s%s", right, wrong, flips.size(),
                flips.size() == 1 ? "image" : "images", flips.size() > MAX_TILES ? " (the first " + MAX_TILES + " shown)" : ""));
        pane.getChildren().clear();
        String colorA = color(vm.aProperty().get());
        String colorB = color(vm.bProperty().get());
        for (RunComparison.Flip f : flips.subList(0, Math.min(MAX_TILES, flips.size()))) {
            StackPane thumb = thumbnails.view(f.image(), 72);
            Label truth = new Label(f.truth());
            truth.getStyleClass().add(Styles.TEXT_BOLD);
            // Flip's A is the run that got it right.
            String predA = rightInA ? f.predictedA() : f.predictedB();
            double probA = rightInA ? f.probabilityA() : f.probabilityB();
            String predB = rightInA ? f.predictedB() : f.predictedA();
            double probB = rightInA ? f.probabilityB() : f.probabilityA();
            Label la = prediction("A", predA, probA, colorA, predA.equals(f.truth()));
            Label lb = prediction("B", predB, probB, colorB, predB.equals(f.truth()));
            VBox tile = new VBox(2, thumb, truth, la, lb);
            tile.getStyleClass().add("flip-tile");
            tile.setPrefWidth(150);
            tile.setAlignment(Pos.TOP_CENTER);
            javafx.scene.control.Tooltip.install(tile, new javafx.scene.control.Tooltip(f.file()));
            pane.getChildren().add(tile);
        }
    }

    private static Label prediction(String which, String predicted, double p, String color, boolean right) {
        Label l = new Label(which + ": " + predicted + (Double.isNaN(p) ? "" : " " + Format.percent(p)),
                Icons.of(right ? "mdi2c-check" : "mdi2c-close"));
        l.getStyleClass().add(Styles.TEXT_SMALL);
        l.setStyle("-fx-text-fill: " + color + ";");
        return l;
    }

    private String name(int i) {
        return i >= 0 && i < vm.runs().size() ? vm.runs().get(i).name() : "?";
    }

    private String color(int i) {
        return i >= 0 && i < vm.runs().size() ? vm.runs().get(i).color() : "#888888";
    }

    // ---- Columns that depend on the runs ----

    private void rebuildRunColumns() {
        legend.getChildren().clear();
        List<CompareViewModel.RunRef> runs = vm.runs();
        for (CompareViewModel.RunRef r : runs) {
            Label l = new Label(r.name(), new Circle(6, Color.web(r.color())));
            l.getStyleClass().add(Styles.TEXT_BOLD);
            legend.getChildren().add(l);
        }
        pickA.getSelectionModel().select(vm.aProperty().get());
        pickB.getSelectionModel().select(vm.bProperty().get());

        TableColumn<CompareViewModel.MetricRow, String> metric = new TableColumn<>("Metric");
        metric.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().metric()));
        metric.setPrefWidth(230);
        metric.setMinWidth(210);
        metric.setMaxWidth(280);
        metrics.getColumns().setAll(List.of(metric));
        TableColumn<ConfigDiff.Row, String> key = new TableColumn<>("Setting");
        key.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().key()));
        key.setPrefWidth(170);
        key.setMaxWidth(220);
        config.getColumns().setAll(List.of(key));
        TableColumn<RunComparison.ClassRow, String> cls = new TableColumn<>("Class");
        cls.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().className()));
        cls.setMaxWidth(260);
        TableColumn<RunComparison.ClassRow, Number> support = new TableColumn<>("Images");
        support.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().support()));
        support.setStyle("-fx-alignment: CENTER-RIGHT;");
        perClass.getColumns().setAll(List.of(cls, support));

        TreeTableColumn<CompareViewModel.FreezeNode, String> layer = new TreeTableColumn<>("Layer");
        layer.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().getValue().path().isEmpty() ? "model"
                : c.getValue().getValue().name()));
        layer.setPrefWidth(260);
        TreeTableColumn<CompareViewModel.FreezeNode, String> params = new TreeTableColumn<>("Params");
        params.setCellValueFactory(c -> new ReadOnlyStringWrapper(Format.count(c.getValue().getValue().params())));
        params.setStyle("-fx-alignment: CENTER-RIGHT;");
        params.setPrefWidth(80);
        freeze.getColumns().setAll(List.of(layer, params));

        for (int i = 0; i < runs.size(); i++) {
            int idx = i;
            CompareViewModel.RunRef r = runs.get(i);
            TableColumn<CompareViewModel.MetricRow, String> mc = new TableColumn<>();
            mc.setGraphic(header(r));
            mc.setCellValueFactory(c -> new ReadOnlyStringWrapper(idx < c.getValue().values().size() ? c.getValue().values().get(idx) : ""));
            mc.setStyle("-fx-alignment: CENTER-RIGHT;");
            mc.setPrefWidth(200);
            mc.setMinWidth(150);
            metrics.getColumns().add(mc);

            TableColumn<ConfigDiff.Row, String> cc = new TableColumn<>();
            cc.setGraphic(header(r));
            cc.setPrefWidth(220);
            cc.setMinWidth(150);
            cc.setCellValueFactory(c -> {
                String v = idx < c.getValue().values().size() ? c.getValue().values().get(idx) : null;
                return new ReadOnlyStringWrapper(v == null ? "(not set)" : v);
            });
            config.getColumns().add(cc);

            TableColumn<RunComparison.ClassRow, RunComparison.ClassRow> pc = new TableColumn<>();
            pc.setGraphic(header(r));
            pc.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
            pc.setCellFactory(col -> new TableCell<>() {
                @Override
                protected void updateItem(RunComparison.ClassRow row, boolean empty) {
                    super.updateItem(row, empty);
                    getStyleClass().removeAll(Styles.SUCCESS, Styles.DANGER);
                    if (empty || row == null || idx >= row.accuracy().size()) {
                        setText(null);
                        return;
                    }
                    double acc = row.accuracy().get(idx);
                    double d = row.deltaVsFirst().get(idx);
                    String delta = idx == 0 || Double.isNaN(d) ? "" : String.format(Locale.ROOT, "  (%+.1f)", 100 * d);
                    setText(Format.percent(acc) + delta);
                    if (idx > 0 && !Double.isNaN(d) && Math.abs(d) >= 0.005) {
                        getStyleClass().add(d > 0 ? Styles.SUCCESS : Styles.DANGER);
                    }
                }
            });
            pc.setStyle("-fx-alignment: CENTER-RIGHT;");
            pc.setMinWidth(130);
            perClass.getColumns().add(pc);

            TreeTableColumn<CompareViewModel.FreezeNode, Boolean> fc = new TreeTableColumn<>();
            fc.setGraphic(header(r));
            fc.setCellValueFactory(c -> {
                List<Boolean> f = c.getValue().getValue().frozen();
                return new ReadOnlyObjectWrapper<>(idx < f.size() ? f.get(idx) : null);
            });
            fc.setCellFactory(col -> new TreeTableCell<>() {
                @Override
                protected void updateItem(Boolean frozen, boolean empty) {
                    super.updateItem(frozen, empty);
                    if (empty || frozen == null || getTableRow() == null || getTableRow().getItem() == null
                            || getTableRow().getItem().path().isEmpty()) {
                        setText(null);
                        setGraphic(null);
                        return;
                    }
                    setText(frozen ? "frozen" : "trains");
                    setGraphic(Icons.of(frozen ? "mdi2s-snowflake" : "mdi2f-fire"));
                    getStyleClass().removeAll("frozen-cell", "trains-cell");
                    getStyleClass().add(frozen ? "frozen-cell" : "trains-cell");
                }
            });
            fc.setPrefWidth(120);
            fc.setMinWidth(130);
            freeze.getColumns().add(fc);
        }
        if (vm.freezeTreeProperty().get() != null) {
            freeze.setRoot(item(vm.freezeTreeProperty().get()));
        }
        invalidate(2);
    }

    private static Node header(CompareViewModel.RunRef r) {
        Label l = new Label(r.shortName(), new Circle(5, Color.web(r.color())));
        l.setTooltip(new javafx.scene.control.Tooltip(r.id()));
        return l;
    }
}
