package dev.thaw.core.eval;

import dev.thaw.core.util.Csv;
import dev.thaw.core.runs.RunCurves;
import dev.thaw.core.runs.RunFolder;
import dev.thaw.core.runs.RunSummary;
import dev.thaw.core.runs.ValPredictions;
import dev.thaw.core.train.ModelDescriptor;
import dev.thaw.core.util.Json;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/** A run's report as files: charts drawn with java.awt (no JavaFX in core) and CSV tables. */
final class ReportWriter {

    private static final Color TRAIN = new Color(0x1f77b4);
    private static final Color VAL = new Color(0xd62728);

    private ReportWriter() {
    }

    static Path write(RunFolder run, Path dir, ModelDescriptor d, List<Path> files) throws IOException {
        Files.createDirectories(dir);
        RunCurves curves = RunCurves.read(run);
        StringBuilder m = new StringBuilder("epoch,elapsed_s,train_loss,train_acc,val_loss,val_acc,lr\n");
        for (RunCurves.EpochPoint e : curves.epochs()) {
            m.append(String.format(Locale.ROOT, "%d,%s,%s,%s,%s,%s,%s%n", e.epoch(), num(e.elapsedSeconds()), num(e.trainLoss()),
                    num(e.trainAccuracy()), num(e.valLoss()), num(e.valAccuracy()), num(e.learningRate())));
        }
        files.add(text(dir.resolve("metrics.csv"), m.toString()));
        Optional<ValPredictions> preds = ValPredictions.read(run, ValPredictions.Epoch.BEST);
        if (preds.isPresent()) {
            ConfusionMatrix cm = preds.get().confusion();
            StringBuilder pc = new StringBuilder("class,support,precision,recall,f1\n");
            for (ConfusionMatrix.ClassMetrics c : cm.perClass()) {
                pc.append(Csv.cell(c.name())).append(',').append(c.support()).append(',').append(num(c.precision())).append(',')
                        .append(num(c.recall())).append(',').append(num(c.f1())).append('\n');
            }
            files.add(text(dir.resolve("per_class.csv"), pc.toString()));
            StringBuilder cc = new StringBuilder("truth\\predicted");
            for (String c : cm.classes()) {
                cc.append(',').append(Csv.cell(c));
            }
            cc.append('\n');
            for (int i = 0; i < cm.classes().size(); i++) {
                cc.append(Csv.cell(cm.classes().get(i)));
                for (int j = 0; j < cm.classes().size(); j++) {
                    cc.append(',').append(cm.count(i, j));
                }
                cc.append('\n');
            }
            files.add(text(dir.resolve("confusion.csv"), cc.toString()));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("run", run.id());
        summary.put("summary", run.readSummary().orElse(null));
        summary.put("classes", d.classes());
        summary.put("model_epoch", d.epoch());
        summary.put("model_val_acc", d.valAccuracy());
        preds.ifPresent(p -> summary.put("macro_f1", p.confusion().macroF1()));
        Json.write(dir.resolve("summary.json"), summary);
        files.add(dir.resolve("summary.json"));
        Path png = dir.resolve("curves.png");
        ImageIO.write(chart(curves, run.readSummary().map(RunSummary::run).orElse(run.id())), "png", png.toFile());
        files.add(png);
        return dir;
    }

    /** Two panels side by side: loss and accuracy per epoch, train and validation. */
    static BufferedImage chart(RunCurves curves, String title) {
        int w = 1000;
        int h = 420;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, 20, 24);
        panel(g, curves.epochs(), 20, 40, w / 2 - 30, h - 60, "loss", RunCurves.EpochPoint::trainLoss, RunCurves.EpochPoint::valLoss,
                false);
        panel(g, curves.epochs(), w / 2 + 10, 40, w / 2 - 30, h - 60, "accuracy", RunCurves.EpochPoint::trainAccuracy,
                RunCurves.EpochPoint::valAccuracy, true);
        g.dispose();
        return img;
    }

    private static void panel(Graphics2D g, List<RunCurves.EpochPoint> pts, int x, int y, int w, int h, String name,
            ToDoubleFunction<RunCurves.EpochPoint> train, ToDoubleFunction<RunCurves.EpochPoint> val, boolean unit) {
        int left = x + 50;
        int bottom = y + h - 30;
        int pw = w - 60;
        int ph = h - 50;
        double lo = unit ? 0 : Double.MAX_VALUE;
        double hi = unit ? 1 : -Double.MAX_VALUE;
        if (!unit) {
            for (RunCurves.EpochPoint p : pts) {
                for (double v : new double[] {train.applyAsDouble(p), val.applyAsDouble(p)}) {
                    if (Double.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
            if (lo > hi) {
                lo = 0;
                hi = 1;
            }
            lo = Math.min(0, lo);
            hi = hi <= lo ? lo + 1 : hi * 1.05;
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(new Color(0xe0e0e0));
        for (int i = 0; i <= 4; i++) {
            int yy = bottom - i * ph / 4;
            g.drawLine(left, yy, left + pw, yy);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(left, bottom - ph, pw, ph);
        for (int i = 0; i <= 4; i++) {
            double v = lo + (hi - lo) * i / 4;
            g.drawString(String.format(Locale.ROOT, unit ? "%.2f" : "%.3g", v), x, bottom - i * ph / 4 + 4);
        }
        int n = pts.size();
        int maxEpoch = Math.max(1, n == 0 ? 1 : pts.get(n - 1).epoch());
        g.drawString("epoch", left + pw / 2 - 15, bottom + 22);
        g.drawString("1", left, bottom + 14);
        g.drawString(Integer.toString(maxEpoch), left + pw - 12, bottom + 14);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(name, left + 5, y + 12);
        line(g, pts, train, TRAIN, left, bottom, pw, ph, lo, hi, maxEpoch);
        line(g, pts, val, VAL, left, bottom, pw, ph, lo, hi, maxEpoch);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(TRAIN);
        g.drawString("train", left + pw - 90, y + 12);
        g.setColor(VAL);
        g.drawString("validation", left + pw - 55, y + 12);
    }

    private static void line(Graphics2D g, List<RunCurves.EpochPoint> pts, ToDoubleFunction<RunCurves.EpochPoint> f, Color c, int left,
            int bottom, int pw, int ph, double lo, double hi, int maxEpoch) {
        g.setColor(c);
        g.setStroke(new BasicStroke(2f));
        List<int[]> xy = new ArrayList<>();
        for (RunCurves.EpochPoint p : pts) {
            double v = f.applyAsDouble(p);
            if (!Double.isFinite(v)) {
                continue;
            }
            int px = left + (int) Math.round((maxEpoch == 1 ? 0.5 : (p.epoch() - 1.0) / (maxEpoch - 1)) * pw);
            int py = bottom - (int) Math.round((v - lo) / (hi - lo) * ph);
            xy.add(new int[] {px, py});
        }
        for (int i = 0; i < xy.size(); i++) {
            g.fillOval(xy.get(i)[0] - 3, xy.get(i)[1] - 3, 6, 6);
            if (i > 0) {
                g.drawLine(xy.get(i - 1)[0], xy.get(i - 1)[1], xy.get(i)[0], xy.get(i)[1]);
            }
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static Path text(Path file, String s) throws IOException {
        Files.writeString(file, s, StandardCharsets.UTF_8);
        return file;
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }
}
