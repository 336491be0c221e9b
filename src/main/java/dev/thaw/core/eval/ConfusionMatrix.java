package dev.thaw.core.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts of (true class, predicted class) pairs, with per-class precision, recall and F1.
 *
 * @param classes class names, indexing rows (truth) and columns (prediction)
 * @param counts {@code counts[truth][predicted]}
 */
public record ConfusionMatrix(List<String> classes, int[][] counts) {

    public ConfusionMatrix {
        classes = List.copyOf(classes);
        if (counts.length != classes.size()) {
            throw new IllegalArgumentException("need one row per class");
        }
        int[][] copy = new int[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            if (counts[i].length != classes.size()) {
                throw new IllegalArgumentException("need one column per class");
            }
            copy[i] = counts[i].clone();
        }
        counts = copy;
    }

    /** Builds the matrix from parallel arrays of true and predicted labels. */
    public static ConfusionMatrix of(List<String> classes, int[] truth, int[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("truth and predictions differ in length");
        }
        int[][] m = new int[classes.size()][classes.size()];
        for (int i = 0; i < truth.length; i++) {
            m[truth[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(classes, m);
    }

    public int count(int truth, int predicted) {
        return counts[truth][predicted];
    }

    public int total() {
        int t = 0;
        for (int[] row : counts) {
            for (int v : row) {
                t += v;
            }
        }
        return t;
    }

    public int correct() {
        int c = 0;
        for (int i = 0; i < counts.length; i++) {
            c += counts[i][i];
        }
        return c;
    }

    public double accuracy() {
        int t = total();
        return t == 0 ? Double.NaN : (double) correct() / t;
    }

    /** Images whose true class is {@code c}. */
    public int support(int c) {
        int s = 0;
        for (int v : counts[c]) {
            s += v;
        }
        return s;
    }

    private int predictedAs(int c) {
        int s = 0;
        for (int[] row : counts) {
            s += row[c];
        }
        return s;
    }

    /** Of the images predicted as {@code c}, the share that are {@code c}; NaN if none was predicted. */
    public double precision(int c) {
        int p = predictedAs(c);
        return p == 0 ? Double.NaN : (double) counts[c][c] / p;
    }

    /** Of the images of class {@code c}, the share predicted as {@code c} (per-class accuracy). */
    public double recall(int c) {
        int s = support(c);
        return s == 0 ? Double.NaN : (double) counts[c][c] / s;
    }

    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        if (Double.isNaN(p) || Double.isNaN(r)) {
            return Double.NaN;
        }
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Mean F1 over classes that have images (classes never predicted count as F1 0). */
    public double macroF1() {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < classes.size(); c++) {
            if (support(c) > 0) {
                double f = f1(c);
                sum += Double.isNaN(f) ? 0 : f;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** One row per class. */
    public List<ClassMetrics> perClass() {
        List<ClassMetrics> out = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            out.add(new ClassMetrics(classes.get(c), support(c), precision(c), recall(c), f1(c)));
        }
        return out;
    }

    /** Precision, recall and F1 of one class. */
    public record ClassMetrics(String name, int support, double precision, double recall, double f1) {
    }
}
