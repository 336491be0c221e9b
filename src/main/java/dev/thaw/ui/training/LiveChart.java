package dev.thaw.ui.training;

import java.util.List;
import javafx.collections.ListChangeListener;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;

/**
 * A line chart that mirrors {@link BoundedSeries}: no animation, no symbols, and one chart update
 * per group of new points (the series arrive in groups from the event relay).
 */
public final class LiveChart extends LineChart<Number, Number> {

    public LiveChart(String title, String yLabel, boolean unitRange, List<BoundedSeries> series, List<String> styleClasses) {
        super(new NumberAxis(), new NumberAxis());
        setTitle(title);
        setAnimated(false);
        setCreateSymbols(false);
        setLegendVisible(true);
        getStyleClass().add("live-chart");
        NumberAxis x = (NumberAxis) getXAxis();
        x.setLabel("epoch");
        x.setForceZeroInRange(true);
        x.setAnimated(false);
        NumberAxis y = (NumberAxis) getYAxis();
        y.setLabel(yLabel);
        y.setAnimated(false);
        if (unitRange) {
            y.setAutoRanging(false);
            y.setLowerBound(0);
            y.setUpperBound(1);
            y.setTickUnit(0.1);
        }
        // Empty axes would auto-range to odd numbers (0..125); show a plain empty frame instead.
        Runnable emptyFrame = () -> {
            boolean empty = series.stream().allMatch(s -> s.points().isEmpty());
            x.setAutoRanging(!empty);
            if (empty) {
                x.setLowerBound(0);
                x.setUpperBound(10);
                x.setTickUnit(1);
            }
            if (!unitRange) {
                y.setAutoRanging(!empty);
                if (empty) {
                    y.setLowerBound(0);
                    y.setUpperBound(1);
                    y.setTickUnit(0.2);
                }
            }
        };
        series.forEach(s -> s.points().addListener((ListChangeListener<BoundedSeries.Point>) c -> emptyFrame.run()));
        emptyFrame.run();
        for (int i = 0; i < series.size(); i++) {
            BoundedSeries s = series.get(i);
            XYChart.Series<Number, Number> fx = new XYChart.Series<>();
            fx.setName(s.name());
            getData().add(fx);
            bind(s, fx);
            if (i < styleClasses.size() && fx.getNode() != null) {
                fx.getNode().getStyleClass().add(styleClasses.get(i));
            }
        }
    }

    private static void bind(BoundedSeries source, XYChart.Series<Number, Number> target) {
        source.points().addListener((ListChangeListener<BoundedSeries.Point>) c -> {
            while (c.next()) {
                if (c.wasReplaced() || c.wasRemoved() && !c.wasAdded()) {
                    target.getData().setAll(source.points().stream().map(LiveChart::data).toList());
                    return;
                }
                if (c.wasAdded()) {
                    target.getData().addAll(c.getAddedSubList().stream().map(LiveChart::data).toList());
                }
            }
        });
        target.getData().setAll(source.points().stream().map(LiveChart::data).toList());
    }

    private static XYChart.Data<Number, Number> data(BoundedSeries.Point p) {
        return new XYChart.Data<>(p.x(), p.y());
    }
}
