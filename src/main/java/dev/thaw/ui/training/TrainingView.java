package dev.thaw.ui.training;

import atlantafx.base.theme.Styles;
import dev.thaw.core.data.Augmentation;
import dev.thaw.core.model.Strategy;
import dev.thaw.ui.common.Icons;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.util.StringConverter;

/**
 * The training panel: strategy and settings, Start / Cancel, live loss and accuracy charts, a
 * progress bar with speed and ETA, the run queue and a log.
 */
public final class TrainingView extends VBox {

    private final TrainingViewModel vm;

    public TrainingView(TrainingViewModel vm) {
        this.vm = vm;
        setId("training-view");
        setSpacing(10);
        setPadding(new Insets(12));

        getChildren().addAll(strategyRow(), settingsRow(), actionRow(), progressRow(), charts(), bottom());
    }

    private Node strategyRow() {
        ToggleGroup group = new ToggleGroup();
        HBox buttons = new HBox();
        buttons.getStyleClass().add("segmented");
        for (Strategy s : Strategy.values()) {
            ToggleButton b = new ToggleButton(s.label());
            b.setId("strategy-" + s.cliName());
            b.setUserData(s);
            b.setToggleGroup(group);
            b.setTooltip(new Tooltip(switch (s) {
                case FEATURE_EXTRACTION -> "Backbone frozen; embeddings computed once and cached; only the new head trains";
                case FINE_TUNING -> "The ticked layers stay frozen; the rest train at a lower learning rate than the head";
                case SCRATCH -> "The same architecture from random weights: the baseline";
            }));
            if (s == Strategy.FEATURE_EXTRACTION) {
                b.getStyleClass().add(Styles.LEFT_PILL);
            } else if (s == Strategy.SCRATCH) {
                b.getStyleClass().add(Styles.RIGHT_PILL);
            } else {
                b.getStyleClass().add(Styles.CENTER_PILL);
            }
            buttons.getChildren().add(b);
        }
        // The group mirrors the view model both ways; a click never leaves nothing selected.
        Runnable sync = () -> group.getToggles().forEach(t -> t.setSelected(t.getUserData() == vm.strategyProperty().get()));
        vm.strategyProperty().addListener((o, a, s) -> sync.run());
        sync.run();
        group.selectedToggleProperty().addListener((o, a, t) -> {
            if (t == null) {
                sync.run();
            } else if (t.getUserData() != vm.strategyProperty().get()) {
                vm.strategyProperty().set((Strategy) t.getUserData());
            }
        });
        Label plan = new Label();
        plan.setId("strategy-plan");
        plan.getStyleClass().add(Styles.TEXT_MUTED);
        plan.textProperty().bind(vm.planDescriptionProperty());
        Label title = new Label("Training", Icons.of("mdi2c-chart-bell-curve-cumulative"));
        title.getStyleClass().add(Styles.TITLE_4);
        // In a narrow window the plan description gives way (ellipsis, full text in its tooltip);
        // the title and the strategy buttons keep their size.
        title.setMinWidth(Region.USE_PREF_SIZE);
        buttons.setMinWidth(Region.USE_PREF_SIZE);
        buttons.getChildren().forEach(b -> ((ToggleButton) b).setMinWidth(Region.USE_PREF_SIZE));
        plan.setMinWidth(0);
        Tooltip planTip = new Tooltip();
        planTip.textProperty().bind(plan.textProperty());
        plan.setTooltip(planTip);
        HBox row = new HBox(14, title, buttons, plan);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    private Node settingsRow() {
        FlowPane flow = new FlowPane(14, 8);
        TextField backboneLr = doubleField("backbone-lr", vm.backboneLrMultiplierProperty(), 0, 10);
        Spinner<Integer> warmup = intSpinner("warmup", vm.warmupEpochsProperty(), 0, 100);
        // Settings that only fine-tuning uses are disabled otherwise, not hidden, so the layout stays put.
        backboneLr.disableProperty().bind(vm.strategyProperty().isNotEqualTo(Strategy.FINE_TUNING));
        warmup.disableProperty().bind(vm.strategyProperty().isNotEqualTo(Strategy.FINE_TUNING));
        flow.getChildren().addAll(
                field("Epochs", intSpinner("epochs", vm.epochsProperty(), 1, 1000)),
                field("Batch", intSpinner("batch", vm.batchSizeProperty(), 1, 1024)),
                field("Learning rate", doubleField("lr", vm.learningRateProperty(), 1e-7, 10)),
                field("Backbone LR ×", backboneLr),
                field("Warm-up epochs", warmup),
                field("Augmentation", augmentation()),
                field("Seed", intSpinner("seed", vm.seedProperty(), 0, Integer.MAX_VALUE)),
                field("Device", device()),
                field("Early stop after", intSpinner("patience", vm.patienceProperty(), 0, 1000)),
                field("BatchNorm", adaptBatchNorm()));
        return flow;
    }

    private static Node field(String label, Node control) {
        Label l = new Label(label);
        l.getStyleClass().add(Styles.TEXT_SMALL);
        l.setLabelFor(control);
        return new VBox(2, l, control);
    }

    private static Spinner<Integer> intSpinner(String id, IntegerProperty p, int min, int max) {
        Spinner<Integer> s = new Spinner<>(min, max, p.get());
        s.setId(id);
        s.setEditable(true);
        s.setPrefWidth(id.equals("seed") ? 110 : 90);
        s.getValueFactory().valueProperty().addListener((o, a, v) -> {
            if (v != null) {
                p.set(v);
            }
        });
        p.addListener((o, a, v) -> s.getValueFactory().setValue(v.intValue()));
        // Typed text that is not a whole number in range reverts, with the reason in the tooltip.
        s.getEditor().focusedProperty().addListener((o, was, now) -> {
            if (!now) {
                commit(s, min, max);
            }
        });
        s.getEditor().setOnAction(e -> commit(s, min, max));
        return s;
    }

    private static void commit(Spinner<Integer> s, int min, int max) {
        String text = s.getEditor().getText().trim();
        try {
            int v = Integer.parseInt(text);
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
            s.getValueFactory().setValue(v);
            s.getEditor().pseudoClassStateChanged(Styles.STATE_DANGER, false);
        } catch (NumberFormatException e) {
            s.getEditor().setText(String.valueOf(s.getValue()));
            s.getEditor().pseudoClassStateChanged(Styles.STATE_DANGER, true);
            s.setTooltip(new Tooltip(s.getId() + ": '" + text + "' is not a whole number from " + min + " to " + max));
        }
    }

    private static TextField doubleField(String id, DoubleProperty p, double min, double max) {
        TextField t = new TextField();
        t.setId(id);
        t.setPrefWidth(90);
        StringConverter<Double> conv = new StringConverter<>() {
            @Override
            public String toString(Double v) {
                return v == null ? "" : (v != 0 && (Math.abs(v) < 1e-3) ? String.format(Locale.ROOT, "%.0e", v) : String.format(Locale.ROOT, "%s", v));
            }

            @Override
            public Double fromString(String s) {
                try {
                    double v = Double.parseDouble(s.trim());
                    if (v < min || v > max || Double.isNaN(v)) {
                        throw new NumberFormatException();
                    }
                    t.pseudoClassStateChanged(Styles.STATE_DANGER, false);
                    t.setTooltip(null);
                    return v;
                } catch (NumberFormatException e) {
                    t.pseudoClassStateChanged(Styles.STATE_DANGER, true);
                    t.setTooltip(new Tooltip(id + ": '" + s + "' is not a number from " + min + " to " + max + "; kept " + p.get()));
                    return p.get();
                }
            }
        };
        TextFormatter<Double> f = new TextFormatter<>(conv, p.get());
        t.setTextFormatter(f);
        f.valueProperty().addListener((o, a, v) -> {
            if (v != null) {
                p.set(v);
            }
        });
        p.addListener((o, a, v) -> f.setValue(v.doubleValue()));
        return t;
    }

    private Node augmentation() {
        ChoiceBox<Augmentation> c = new ChoiceBox<>();
        c.setId("augmentation");
        c.getItems().setAll(Augmentation.values());
        c.valueProperty().bindBidirectional(vm.augmentationProperty());
        c.disableProperty().bind(vm.strategyProperty().isEqualTo(Strategy.FEATURE_EXTRACTION));
        c.setTooltip(new Tooltip("Feature extraction embeds each image once, so it trains without augmentation"));
        return c;
    }

    private Node adaptBatchNorm() {
        CheckBox c = new CheckBox("Adapt to the data");
        c.setId("adapt-bn");
        c.selectedProperty().bindBidirectional(vm.adaptBatchNormProperty());
        c.disableProperty().bind(vm.strategyProperty().isNotEqualTo(Strategy.FEATURE_EXTRACTION).or(vm.backboneTrainableProperty().not()));
        c.setTooltip(new Tooltip("Feature extraction: before embedding, re-estimate the frozen backbone's BatchNorm statistics on the "
                + "training images (AdaBN). No weight changes; helps when your images look unlike the backbone's own data. "
                + "Embeds with libtorch, so the first run is slower; the run keeps the adapted backbone"));
        return c;
    }

    private Node device() {
        ChoiceBox<String> c = new ChoiceBox<>();
        c.setId("device");
        c.getItems().setAll(List.of("auto", "cpu", "gpu"));
        c.valueProperty().bindBidirectional(vm.deviceProperty());
        return c;
    }

    private Node actionRow() {
        Button start = new Button("Start", Icons.of("mdi2p-play"));
        start.setId("start-training");
        start.getStyleClass().add(Styles.ACCENT);
        start.setDefaultButton(false);
        start.disableProperty().bind(vm.canStart().not());
        start.setOnAction(e -> vm.start());
        start.setTooltip(new Tooltip("Queue a run with these settings (Ctrl+Enter)"));
        Button cancel = new Button("Cancel", Icons.of("mdi2s-stop"));
        cancel.setId("cancel-training");
        cancel.getStyleClass().add(Styles.DANGER);
        cancel.disableProperty().bind(vm.busy().not());
        cancel.setOnAction(e -> vm.cancel());
        cancel.setTooltip(new Tooltip("Stop the run being shown within one batch (Esc)"));
        Label blocked = new Label();
        blocked.setId("start-blocked");
        blocked.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.WARNING);
        blocked.textProperty().bind(vm.startBlockedReason());
        HBox row = new HBox(8, start, cancel, blocked);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    private Node progressRow() {
        RunMonitorViewModel m = vm.monitor();
        Label headline = new Label();
        headline.setId("run-headline");
        headline.getStyleClass().add(Styles.TEXT_BOLD);
        headline.textProperty().bind(m.headlineProperty());
        ProgressBar bar = new ProgressBar(0);
        bar.setId("run-progress");
        bar.progressProperty().bind(m.progressProperty());
        bar.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(bar, Priority.ALWAYS);
        Label text = new Label();
        text.setId("run-progress-text");
        text.textProperty().bind(m.progressTextProperty());
        text.setMinWidth(300);
        HBox row = new HBox(10, bar, text);
        row.setAlignment(Pos.CENTER_LEFT);
        return new VBox(4, headline, row);
    }

    private Node charts() {
        RunMonitorViewModel m = vm.monitor();
        LiveChart loss = new LiveChart("Loss", "cross-entropy", false,
                List.of(m.trainLossBatches(), m.trainLoss(), m.valLoss()), List.of("batch-series", "train-series", "val-series"));
        loss.setId("loss-chart");
        LiveChart acc = new LiveChart("Accuracy", "accuracy", true,
                List.of(m.trainAccBatches(), m.trainAcc(), m.valAcc()), List.of("batch-series", "train-series", "val-series"));
        acc.setId("accuracy-chart");
        HBox box = new HBox(8, loss, acc);
        HBox.setHgrow(loss, Priority.ALWAYS);
        HBox.setHgrow(acc, Priority.ALWAYS);
        loss.setMinHeight(220);
        acc.setMinHeight(220);
        VBox.setVgrow(box, Priority.ALWAYS);
        return box;
    }

    private Node bottom() {
        ListView<TrainingViewModel.QueuedRun> queue = new ListView<>(vm.queue());
        queue.setId("run-queue");
        Label none = new Label("No runs yet: choose a strategy and press Start");
        none.setWrapText(true);
        none.setPadding(new Insets(8));
        queue.setPlaceholder(none);
        queue.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(TrainingViewModel.QueuedRun r, boolean empty) {
                super.updateItem(r, empty);
                textProperty().unbind();
                if (r == null || empty) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                Circle dot = new Circle(6);
                dot.setStyle("-fx-fill: " + r.color() + ";");
                Label title = new Label(r.label());
                Label status = new Label();
                status.textProperty().bind(r.statusProperty());
                status.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
                HBox box = new HBox(8, dot, new VBox(1, title, status));
                box.setAlignment(Pos.CENTER_LEFT);
                setText(null);
                setGraphic(box);
            }
        });
        queue.getSelectionModel().selectedItemProperty().addListener((o, a, r) -> {
            if (r != null) {
                vm.watch(r.id());
            }
        });
        ListView<String> log = new ListView<>(vm.monitor().log());
        log.setId("run-log");
        log.getStyleClass().add("log");
        log.setFixedCellSize(20);
        // Follow the newest line. The listener is added once the skin exists, so it runs after the
        // skin has seen the new lines (earlier, scrolling would stop one update short of the end).
        javafx.collections.ListChangeListener<String> follow = c -> log.scrollTo(log.getItems().size() - 1);
        log.skinProperty().addListener((o, a, skin) -> {
            vm.monitor().log().removeListener(follow);
            if (skin != null) {
                vm.monitor().log().addListener(follow);
            }
        });
        Label qTitle = new Label("Queue");
        qTitle.getStyleClass().add(Styles.TEXT_SMALL);
        Label lTitle = new Label("Log");
        lTitle.getStyleClass().add(Styles.TEXT_SMALL);
        VBox q = new VBox(2, qTitle, queue);
        VBox lg = new VBox(2, lTitle, log);
        VBox.setVgrow(queue, Priority.ALWAYS);
        VBox.setVgrow(log, Priority.ALWAYS);
        SplitPane split = new SplitPane(q, lg);
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.4);
        split.setPrefHeight(170);
        split.setMinHeight(120);
        split.setMaxHeight(260);
        return split;
    }
}
