package dev.thaw.core.data;

import dev.thaw.core.util.JobMonitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks a labeled image folder before anyone trains on it, and says what it found in a
 * {@link DatasetReport}: every image file is read and decoded (in parallel), so unreadable, corrupt,
 * truncated and empty files are named with their reason; classes are counted per split; duplicates,
 * leakage, imbalance, tiny and huge images are flagged. Progress goes to a {@link JobMonitor}, which
 * can cancel the check between files.
 *
 * <p>Thresholds (see docs/decisions): very small = shorter side under {@value #DEFAULT_SMALL_SIDE} px;
 * very large = over 40 megapixels (decoded subsampled); refused = over
 * {@link ImageDecoder#DEFAULT_MAX_PIXELS} pixels; imbalance = largest class over smallest of
 * {@value #DEFAULT_IMBALANCE_RATIO}x or more; few images = under {@value #FEW_IMAGES} in a class.
 *
 * <pre>{@code
 * DatasetReport report = DataDoctor.builder().optSplit(0.2, 0, 42).build().check(folder, monitor);
 * }</pre>
 */
public final class DataDoctor {

    public static final int DEFAULT_SMALL_SIDE = 32;
    public static final long DEFAULT_LARGE_PIXELS = 40_000_000L;
    public static final double DEFAULT_IMBALANCE_RATIO = 3.0;
    static final int FEW_IMAGES = 5;
    /** The doctor only needs to know a file decodes: a small decoded size saves the conversion work. */
    private static final int CHECK_SHORT_SIDE = 64;

    private final double valFraction;
    private final double testFraction;
    private final long seed;
    private final int threads;
    private final int inputSize;
    private final int smallSide;
    private final long largePixels;
    private final double imbalanceRatio;
    private final ImageDecoder decoder;

    private DataDoctor(Builder b) {
        this.valFraction = b.valFraction;
        this.testFraction = b.testFraction;
        this.seed = b.seed;
        this.threads = b.threads;
        this.inputSize = b.inputSize;
        this.smallSide = b.smallSide;
        this.largePixels = b.largePixels;
        this.imbalanceRatio = b.imbalanceRatio;
        this.decoder = b.decoder;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What one file check found: the decoded facts, or the failure. */
    private record FileResult(DatasetScan.Candidate candidate, String hash, int width, int height, String format,
            int subsampling, List<String> notes, ImageLoadException failure) {
    }

    /**
     * Checks {@code root}. Throws {@link IllegalArgumentException} when it is not a folder and
     * {@link CancellationException} when the monitor cancels; anything wrong inside the folder is a
     * problem in the report, never an exception.
     */
    public DatasetReport check(Path root, JobMonitor monitor) {
        long start = System.nanoTime();
        monitor.progress(-1, "Scanning " + root.getFileName());
        DatasetScan scan = DatasetScan.of(root);
        monitor.checkCancelled();
        List<FileResult> results = checkFiles(scan.candidates, monitor);
        monitor.progress(1, "Summarizing");
        DatasetReport report = summarize(scan, results, (System.nanoTime() - start) / 1_000_000);
        monitor.progress(1, String.format(Locale.ROOT, "Checked %,d files", results.size()));
        return report;
    }

    private List<FileResult> checkFiles(List<DatasetScan.Candidate> candidates, JobMonitor monitor) {
        int total = candidates.size();
        if (total == 0) {
            return List.of();
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, total), r -> {
            Thread t = new Thread(r, "thaw-doctor-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<FileResult>> futures = new ArrayList<>(total);
            for (DatasetScan.Candidate c : candidates) {
                futures.add(pool.submit(() -> monitor.isCancelled() ? null : checkFile(c)));
            }
            List<FileResult> results = new ArrayList<>(total);
            long lastReport = 0;
            for (int i = 0; i < total; i++) {
                FileResult r = await(futures.get(i), monitor);
                monitor.checkCancelled();
                results.add(r);
                long now = System.nanoTime();
                if (now - lastReport > 100_000_000L || i == total - 1) {
                    lastReport = now;
                    monitor.progress((double) (i + 1) / total, String.format(Locale.ROOT, "Checking images: %,d of %,d", i + 1, total));
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits for one result, looking at the monitor every 50 ms so a cancel is not stuck behind a huge file. */
    private static FileResult await(Future<FileResult> f, JobMonitor monitor) {
        while (true) {
            monitor.checkCancelled();
            try {
                return f.get(50, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // look at the monitor again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("Interrupted");
            } catch (ExecutionException e) {
                throw new IllegalStateException("checking a file failed unexpectedly", e.getCause());
            }
        }
    }

    private FileResult checkFile(DatasetScan.Candidate c) {
        Path file = c.file();
        try {
            long size = Files.size(file);
            byte[] bytes = size > 0 && size <= ImageDecoder.WHOLE_FILE_LIMIT ? Files.readAllBytes(file) : null;
            String hash = bytes != null ? ContentHash.of(bytes).hex() : size > 0 ? ContentHash.of(file).hex() : null;
            DecodedImage d = decoder.decode(file, bytes, CHECK_SHORT_SIDE);
            return new FileResult(c, hash, d.width(), d.height(), d.format(), d.subsampling(), d.notes(), null);
        } catch (ImageLoadException e) {
            return new FileResult(c, null, 0, 0, null, 0, List.of(), e);
        } catch (IOException e) {
            return new FileResult(c, null, 0, 0, null, 0, List.of(), ImageDecoder.readError(file, e));
        } catch (RuntimeException | OutOfMemoryError e) {
            return new FileResult(c, null, 0, 0, null, 0, List.of(), new ImageLoadException(file, ProblemKind.CORRUPT,
                    "unexpected error while checking: " + ImageDecoder.describe(e), e));
        }
    }

    private DatasetReport summarize(DatasetScan scan, List<FileResult> results, long elapsedMillis) {
        List<Problem> problems = new ArrayList<>(scan.problems);
        boolean presplit = scan.presplit();
        List<String> candidateClasses = scan.classes;

        // Readable images and per-file problems.
        Map<String, Integer> unreadable = new LinkedHashMap<>();
        for (Problem p : scan.problems) {
            String owner = p.kind().skipsFile() && p.file() != null ? scan.classOf(p.file()) : null;
            if (owner != null) {
                unreadable.merge(owner, 1, Integer::sum);
            }
        }
        Set<String> readableClasses = new TreeSet<>();
        List<FileResult> ok = new ArrayList<>();
        for (FileResult r : results) {
            if (r.failure() != null) {
                ImageLoadException e = r.failure();
                problems.add(Problem.of(e.kind(), r.candidate().file(), e.reason()));
                unreadable.merge(r.candidate().className(), 1, Integer::sum);
                continue;
            }
            ok.add(r);
            readableClasses.add(r.candidate().className());
            fileProblems(r, problems);
        }

        // Classes are the folders with image files (so labels match SplitManifest.of(root, ...)).
        List<String> classes = candidateClasses;
        List<SplitPlanner.Item> items = new ArrayList<>();
        for (FileResult r : ok) {
            items.add(new SplitPlanner.Item(r.candidate().file(), classes.indexOf(r.candidate().className()), r.candidate().split(),
                    r.hash()));
        }
        Map<Path, Split> plan = SplitPlanner.plan(items, scan.layout, valFraction, testFraction, seed);
        List<DatasetReport.ImageEntry> entries = new ArrayList<>(ok.size());
        int[][] counts = new int[classes.size()][Split.values().length];
        for (int i = 0; i < ok.size(); i++) {
            FileResult r = ok.get(i);
            SplitPlanner.Item item = items.get(i);
            Split split = plan.get(item.file());
            counts[item.label()][split.ordinal()]++;
            entries.add(new DatasetReport.ImageEntry(item.file(), item.label(), split, r.candidate().split(), r.width(), r.height(),
                    r.format(), r.hash()));
        }
        int[] trainCounts = new int[classes.size()];
        for (int c = 0; c < classes.size(); c++) {
            trainCounts[c] = counts[c][Split.TRAIN.ordinal()];
        }
        float[] weights = ClassWeights.balanced(trainCounts);
        List<DatasetReport.ClassSummary> summaries = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            summaries.add(new DatasetReport.ClassSummary(classes.get(c), counts[c][0], counts[c][1], counts[c][2],
                    unreadable.getOrDefault(classes.get(c), 0), weights[c]));
        }

        duplicates(ok, classes, presplit, problems);
        classProblems(scan, summaries, readableClasses, problems);
        boolean givenVal = ok.stream().anyMatch(r -> r.candidate().split() == Split.VAL);
        datasetProblems(scan, summaries, readableClasses, givenVal, trainCounts, weights, problems);

        problems.sort(Comparator.comparing(Problem::severity).thenComparing(Problem::kind)
                .thenComparing(p -> p.file() == null ? "" : p.file().toString()));
        return new DatasetReport(scan.root, scan.layout, summaries, entries, problems, results.size(), valFraction, testFraction,
                seed, elapsedMillis);
    }

    private void fileProblems(FileResult r, List<Problem> problems) {
        Path file = r.candidate().file();
        int w = r.width();
        int h = r.height();
        if (Math.min(w, h) < smallSide) {
            double factor = (double) Math.round(inputSize / 0.875) / Math.min(w, h);
            problems.add(Problem.of(ProblemKind.SMALL_IMAGE, file, String.format(Locale.ROOT,
                    "very small (%dx%d pixels): enlarged %.0fx for %d px input, it carries little detail", w, h, factor, inputSize)));
        }
        long pixels = (long) w * h;
        if (pixels > largePixels) {
            problems.add(Problem.of(ProblemKind.LARGE_IMAGE, file, String.format(Locale.ROOT,
                    "very large (%dx%d pixels, %.0f megapixels): read subsampled to save memory and slow to decode; "
                            + "consider downsizing it", w, h, pixels / 1e6)));
        }
        for (String note : r.notes()) {
            problems.add(Problem.of(ProblemKind.DECODER_NOTE, file, "decoded, with a note from the " + r.format() + " decoder: " + note));
        }
    }

    private static void duplicates(List<FileResult> ok, List<String> classes, boolean presplit, List<Problem> problems) {
        Map<String, List<FileResult>> byHash = new LinkedHashMap<>();
        for (FileResult r : ok) {
            byHash.computeIfAbsent(r.hash(), k -> new ArrayList<>()).add(r);
        }
        for (List<FileResult> group : byHash.values()) {
            if (group.size() < 2) {
                continue;
            }
            group.sort(Comparator.comparing(r -> r.candidate().file().toString()));
            Path first = group.get(0).candidate().file();
            List<Path> others = group.subList(1, group.size()).stream().map(r -> r.candidate().file()).toList();
            Set<String> groupClasses = new TreeSet<>();
            Set<Split> splits = new TreeSet<>();
            for (FileResult r : group) {
                groupClasses.add(r.candidate().className());
                if (r.candidate().split() != null) {
                    splits.add(r.candidate().split());
                }
            }
            String copies = group.size() == 2 ? "1 other copy" : (group.size() - 1) + " other copies";
            if (groupClasses.size() > 1) {
                problems.add(Problem.of(ProblemKind.CONFLICTING_LABELS, first, "the same image is in the classes "
                        + String.join(", ", groupClasses) + " (" + copies + "): the labels contradict each other; keep the right one",
                        others));
            } else if (presplit && splits.contains(Split.TRAIN) && splits.size() > 1) {
                String held = splits.contains(Split.VAL) ? "val" : "test";
                problems.add(Problem.of(ProblemKind.LEAKAGE, first, "the same image is in train/ and " + held
                        + "/ (" + copies + "): " + held + " accuracy will look better than it is; delete one copy", others));
            } else {
                String where = presplit ? "" : "; Thaw keeps the copies in the same split";
                problems.add(Problem.of(ProblemKind.DUPLICATE, first, group.size() + " identical files in class '"
                        + groupClasses.iterator().next() + "': the image counts " + group.size() + " times" + where, others));
            }
        }
    }

    private static void classProblems(DatasetScan scan, List<DatasetReport.ClassSummary> summaries, Set<String> readableClasses,
            List<Problem> problems) {
        for (DatasetReport.ClassSummary c : summaries) {
            Path folder = classFolder(scan, c.name());
            if (!readableClasses.contains(c.name())) {
                problems.add(Problem.of(ProblemKind.CLASS_WITHOUT_READABLE_IMAGES, folder, "the class '" + c.name()
                        + "' has no readable image (" + c.unreadable() + " unreadable): the model cannot learn it"));
                continue;
            }
            if (c.total() < FEW_IMAGES) {
                problems.add(Problem.of(ProblemKind.FEW_IMAGES, folder, "the class '" + c.name() + "' has only " + c.total()
                        + " readable image" + (c.total() == 1 ? "" : "s") + ": too few to learn it and to measure it; "
                        + "aim for 20 or more"));
            }
            if (scan.presplit()) {
                if (c.train() == 0) {
                    problems.add(Problem.of(ProblemKind.CLASS_MISSING_FROM_SPLIT, folder, "the class '" + c.name()
                            + "' has no training images: the model cannot learn it"));
                } else if (c.val() == 0 && scan.splitFolders.containsKey(Split.VAL)) {
                    problems.add(Problem.of(ProblemKind.CLASS_MISSING_FROM_SPLIT, folder, "the class '" + c.name()
                            + "' has no validation images: its accuracy cannot be measured"));
                }
            }
        }
    }

    private void datasetProblems(DatasetScan scan, List<DatasetReport.ClassSummary> summaries, Set<String> readableClasses,
            boolean givenVal, int[] trainCounts, float[] weights, List<Problem> problems) {
        Path root = scan.root;
        if (readableClasses.isEmpty()) {
            boolean strays = scan.problems.stream().anyMatch(p -> p.kind() == ProblemKind.STRAY_IMAGES);
            String message = strays
                    ? "no class folders with images: the images lie directly in the folder. Put each class in its own "
                            + "sub-folder (ROOT/cats/*.jpg, ROOT/dogs/*.jpg); if this folder is one class, choose its parent folder"
                    : "no readable images in class folders: expected ROOT/CLASS/*.jpg or ROOT/train/CLASS/*.jpg";
            problems.add(Problem.of(ProblemKind.NO_CLASSES, root, message));
            return;
        }
        if (readableClasses.size() == 1) {
            problems.add(Problem.of(ProblemKind.SINGLE_CLASS, root, "only one class ('" + readableClasses.iterator().next()
                    + "') has readable images: a classifier needs at least two. Add a folder per class"));
        }
        if (scan.presplit()) {
            int train = summaries.stream().mapToInt(DatasetReport.ClassSummary::train).sum();
            if (!scan.splitFolders.containsKey(Split.TRAIN) || train == 0) {
                problems.add(Problem.of(ProblemKind.NO_TRAINING_IMAGES, root,
                        "no readable images in a train/ folder: the model has nothing to learn from"));
            }
            if (!givenVal) {
                problems.add(Problem.of(ProblemKind.MISSING_VAL_SPLIT, root, String.format(Locale.ROOT,
                        "no val/ folder with images: Thaw holds out %.0f%% of each class's training images for validation "
                                + "(seed %d)", valFraction * 100, seed)));
            }
        }
        double ratio = ClassWeights.imbalanceRatio(trainCounts);
        if (readableClasses.size() > 1 && ratio >= imbalanceRatio) {
            int max = 0;
            int min = 0;
            for (int c = 0; c < trainCounts.length; c++) {
                if (trainCounts[c] > trainCounts[max]) {
                    max = c;
                }
                if (trainCounts[c] > 0 && (trainCounts[min] == 0 || trainCounts[c] < trainCounts[min])) {
                    min = c;
                }
            }
            StringBuilder w = new StringBuilder();
            for (int c = 0; c < summaries.size(); c++) {
                if (trainCounts[c] > 0) {
                    w.append(w.length() == 0 ? "" : ", ").append(summaries.get(c).name())
                            .append(String.format(Locale.ROOT, " %.2f", weights[c]));
                }
            }
            problems.add(Problem.of(ProblemKind.CLASS_IMBALANCE, root, String.format(Locale.ROOT,
                    "the classes are imbalanced %.0f:1 in training ('%s' %d images, '%s' %d): the model will favour the "
                            + "large classes. Train with class weights; the balanced weights are: %s",
                    ratio, summaries.get(max).name(), trainCounts[max], summaries.get(min).name(), trainCounts[min], w)));
        }
    }

    private static Path classFolder(DatasetScan scan, String className) {
        if (!scan.presplit()) {
            return scan.root.resolve(className);
        }
        Path train = scan.splitFolders.get(Split.TRAIN);
        return (train != null ? train : scan.splitFolders.values().iterator().next()).resolve(className);
    }

    /** Builds a {@link DataDoctor}; every option has a default. */
    public static final class Builder {
        private double valFraction = 0.2;
        private double testFraction = 0;
        private long seed = 42;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int inputSize = 224;
        private int smallSide = DEFAULT_SMALL_SIDE;
        private long largePixels = DEFAULT_LARGE_PIXELS;
        private double imbalanceRatio = DEFAULT_IMBALANCE_RATIO;
        private ImageDecoder decoder = new ImageDecoder();

        private Builder() {
        }

        /** The split to plan for the class-folder layout (default 0.2, 0, seed 42, as runs default). */
        public Builder optSplit(double valFraction, double testFraction, long seed) {
            SplitPlanner.checkFractions(valFraction, testFraction);
            this.valFraction = valFraction;
            this.testFraction = testFraction;
            this.seed = seed;
            return this;
        }

        /** Files checked at once (default: all cores; nothing else should be running). */
        public Builder optThreads(int n) {
            this.threads = Math.max(1, n);
            return this;
        }

        /** The model input size, for the advice on small images (default 224). */
        public Builder optInputSize(int size) {
            this.inputSize = size;
            return this;
        }

        /** Shorter sides under this are "very small" (default {@value DataDoctor#DEFAULT_SMALL_SIDE}). */
        public Builder optSmallSide(int pixels) {
            this.smallSide = pixels;
            return this;
        }

        /** Images with more pixels are "very large" (default 40 megapixels). */
        public Builder optLargePixels(long pixels) {
            this.largePixels = pixels;
            return this;
        }

        /** Largest over smallest class at which imbalance is flagged (default {@value DataDoctor#DEFAULT_IMBALANCE_RATIO}). */
        public Builder optImbalanceRatio(double ratio) {
            this.imbalanceRatio = ratio;
            return this;
        }

        /** The decoder (its limits decide what is refused as too large). */
        public Builder optDecoder(ImageDecoder d) {
            this.decoder = d;
            return this;
        }

        public DataDoctor build() {
            return new DataDoctor(this);
        }
    }
}
