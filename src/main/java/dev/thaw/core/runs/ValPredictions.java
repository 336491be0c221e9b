package dev.thaw.core.runs;

import dev.thaw.core.data.SplitManifest;
import dev.thaw.core.eval.ConfusionMatrix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's prediction for every validation image, read from {@value RunFolder#PREDICTIONS} (the best
 * epoch, whose weights are the saved model) or {@value RunFolder#PREDICTIONS_LAST} (the final
 * epoch).
 *
 * <p>The CSV has the columns {@code file,label,predicted,correct,probability,p:CLASS...}: the file
 * relative to the dataset folder, the true and predicted class names, the predicted class's
 * probability and the full probability vector. Runs made before probabilities were recorded have
 * only the first four columns; they load with {@link Row#probability()} NaN and no vector.
 *
 * @param classes class names; indexes in rows point into this list
 * @param dataRoot the dataset folder the files are relative to, or {@code null} if unknown
 * @param rows one per validation image, in validation order
 */
public record ValPredictions(List<String> classes, Path dataRoot, List<Row> rows) {

    /** Which epoch's predictions. */
    public enum Epoch {
        /** The best validation epoch: the saved model's predictions (chosen on the validation set, so optimistic). */
        BEST,
        /** The last epoch run. */
        LAST
    }

    /**
     * One validation image.
     *
     * @param file the path relative to the dataset folder, with {@code /} separators
     * @param truth the true class index
     * @param predicted the predicted class index
     * @param probability the predicted class's probability, NaN when the run did not record it
     * @param probabilities one probability per class, or {@code null} when not recorded
     */
    public record Row(String file, int truth, int predicted, double probability, float[] probabilities) {

        public boolean correct() {
            return truth == predicted;
        }

        /** The image file under {@code dataRoot}. */
        public Path resolve(Path dataRoot) {
            return dataRoot.resolve(file.replace('/', java.io.File.separatorChar));
        }
    }

    public ValPredictions {
        classes = List.copyOf(classes);
        rows = List.copyOf(rows);
    }

    /** The confusion matrix of these predictions. */
    public ConfusionMatrix confusion() {
        int[] t = new int[rows.size()];
        int[] p = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            t[i] = rows.get(i).truth();
            p[i] = rows.get(i).predicted();
        }
        return ConfusionMatrix.of(classes, t, p);
    }

    /** Share of rows predicted right; NaN when there are none. */
    public double accuracy() {
        return rows.isEmpty() ? Double.NaN : (double) rows.stream().filter(Row::correct).count() / rows.size();
    }

    /** Rows by file (relative path). */
    public Map<String, Row> byFile() {
        Map<String, Row> m = new LinkedHashMap<>();
        for (Row r : rows) {
            m.put(r.file(), r);
        }
        return m;
    }

    /** Rows predicted wrong. */
    public List<Row> misclassified() {
        return rows.stream().filter(r -> !r.correct()).toList();
    }

    /** Rows whose true class is {@code truth} and predicted class is {@code predicted} (a confusion-matrix cell). */
    public List<Row> cell(int truth, int predicted) {
        return rows.stream().filter(r -> r.truth() == truth && r.predicted() == predicted).toList();
    }

    /** True when the probabilities were recorded (runs made by this version on). */
    public boolean hasProbabilities() {
        return !rows.isEmpty() && rows.get(0).probabilities() != null;
    }

    /**
     * Reads a run's predictions; empty when the file is absent (a run that failed before its first
     * epoch, or an old run without a last-epoch file).
     *
     * @throws IllegalArgumentException when the file exists but cannot be parsed, naming it and the line
     */
    public static Optional<ValPredictions> read(RunFolder f, Epoch which) {
        Path file = f.file(which == Epoch.LAST ? RunFolder.PREDICTIONS_LAST : RunFolder.PREDICTIONS);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        List<String> classes = new ArrayList<>();
        Path root = null;
        Path split = f.file(RunFolder.SPLIT);
        if (Files.isRegularFile(split)) {
            try {
                SplitManifest m = SplitManifest.load(split);
                classes.addAll(m.classes());
                root = m.root();
            } catch (RuntimeException e) {
                // fall back to the classes named in the CSV
            }
        }
        if (root == null) {
            try {
                root = f.readSpec().data();
            } catch (RuntimeException e) {
                root = null;
            }
        }
        return Optional.of(parse(file, classes, root));
    }

    /** Parses a predictions CSV; {@code knownClasses} (may be empty) fixes the class order. */
    static ValPredictions parse(Path file, List<String> knownClasses, Path root) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            return new ValPredictions(knownClasses, root, List.of());
        }
        List<String> header = splitCsv(lines.get(0));
        int fileCol = header.indexOf("file");
        int labelCol = header.indexOf("label");
        int predCol = header.indexOf("predicted");
        int probCol = header.indexOf("probability");
        if (fileCol < 0 || labelCol < 0 || predCol < 0) {
            throw new IllegalArgumentException("Not a predictions file: " + file + " (its header lacks file, label or predicted)");
        }
        List<String> classes = new ArrayList<>(knownClasses);
        Map<String, Integer> vectorCol = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).startsWith("p:")) {
                String c = header.get(i).substring(2);
                vectorCol.put(c, i);
                if (!classes.contains(c)) {
                    classes.add(c);
                }
            }
        }
        List<String[]> raw = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = splitCsv(line);
            if (cells.size() <= Math.max(fileCol, Math.max(labelCol, predCol))) {
                if (n == lines.size() - 1) {
                    break; // a line cut short by a kill
                }
                throw new IllegalArgumentException("Line " + (n + 1) + " of " + file + " has " + cells.size() + " columns");
            }
            raw.add(cells.toArray(String[]::new));
            for (String c : new String[] {cells.get(labelCol), cells.get(predCol)}) {
                if (!classes.contains(c)) {
                    classes.add(c);
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (String[] cells : raw) {
            float[] vector = null;
            if (!vectorCol.isEmpty()) {
                vector = new float[classes.size()];
                boolean complete = true;
                for (Map.Entry<String, Integer> e : vectorCol.entrySet()) {
                    double v = number(cells, e.getValue());
                    complete &= !Double.isNaN(v);
                    vector[classes.indexOf(e.getKey())] = (float) v;
                }
                vector = complete ? vector : null;
            }
            int truth = classes.indexOf(cells[labelCol]);
            int pred = classes.indexOf(cells[predCol]);
            double prob = probCol >= 0 ? number(cells, probCol) : Double.NaN;
            rows.add(new Row(cells[fileCol], truth, pred, prob, vector));
        }
        return new ValPredictions(classes, root, rows);
    }

    private static double number(String[] cells, int col) {
        if (col >= cells.length || cells[col].isBlank()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(cells[col]);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Splits one CSV line, honouring double quotes. */
    static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return Collections.unmodifiableList(out);
    }
}
