package dev.thaw.core.experiment;

import dev.thaw.core.runs.McNemar;
import dev.thaw.core.runs.RunStore;
import dev.thaw.core.runs.RunSummary;
import dev.thaw.core.runs.ValPredictions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

/**
 * What an experiment found: per arm (strategy) the mean and sample standard deviation of final and
 * best validation accuracy over its seeds and the mean wall time, and for each pair of arms a paired
 * test with a plain-language verdict.
 *
 * <p><b>The paired test.</b> For each arm, each validation image gets one verdict by majority vote
 * across the arm's seeds (right in more than half of them); McNemar's exact test then compares two
 * arms on the images both have. Voting pools the seeds without counting one image several times,
 * which per-seed-pair tests would (and they are not independent). The votes use the
 * <em>final</em>-epoch predictions: the best epoch is chosen on this same validation set, so its
 * numbers are optimistic. Best-epoch numbers are reported next to final ones for that reason.
 *
 * <p>Only completed runs count; others are listed in {@link #notes()}.
 */
public final class ExperimentReport {

    /** Significance level of the verdicts. */
    public static final double ALPHA = 0.05;

    /**
     * One arm over its seeds.
     *
     * @param arm {@code fe}, {@code ft} or {@code scratch}
     * @param label the arm in words
     * @param runs completed runs counted
     * @param meanFinal mean final-epoch validation accuracy
     * @param sdFinal sample standard deviation of it (NaN with one run)
     * @param meanBest mean best-epoch validation accuracy
     * @param sdBest sample standard deviation of it
     * @param meanWallSeconds mean wall time
     * @param voteAccuracy accuracy of the per-image majority vote
     * @param runIds the runs counted
     */
    public record Arm(String arm, String label, int runs, double meanFinal, double sdFinal, double meanBest, double sdBest,
            double meanWallSeconds, double voteAccuracy, List<String> runIds) {
    }

    /**
     * Two arms compared on their majority votes.
     *
     * @param a the first arm
     * @param b the second arm
     * @param test McNemar on the votes (aOnly: images A's vote gets right and B's wrong)
     * @param shared validation images both arms were judged on
     * @param meanFinalDifference A's mean final accuracy minus B's, in accuracy units (0.05 = 5 points)
     * @param significant whether p &lt; {@value #ALPHA}
     * @param verdict the plain-language verdict
     */
    public record Pair(String a, String b, McNemar test, int shared, double meanFinalDifference, boolean significant,
            String verdict) {
    }

    private final List<Arm> arms;
    private final List<Pair> pairs;
    private final List<String> notes;

    private ExperimentReport(List<Arm> arms, List<Pair> pairs, List<String> notes) {
        this.arms = List.copyOf(arms);
        this.pairs = List.copyOf(pairs);
        this.notes = List.copyOf(notes);
    }

    public List<Arm> arms() {
        return arms;
    }

    public List<Pair> pairs() {
        return pairs;
    }

    /** Runs left out and why, and the reminder about best-epoch numbers. */
    public List<String> notes() {
        return notes;
    }

    /** The arm {@code name} ({@code fe}, {@code ft}, {@code scratch}), if it has runs. */
    public Optional<Arm> arm(String name) {
        return arms.stream().filter(a -> a.arm().equals(name)).findFirst();
    }

    /** Arms in words, for verdicts. */
    public static String label(String arm) {
        return switch (arm) {
            case "fe" -> "feature extraction";
            case "ft" -> "fine-tuning";
            case "scratch" -> "training from scratch";
            default -> arm;
        };
    }

    /** The report on {@code runs}, grouped into arms by their experiment tag (or their strategy). */
    public static ExperimentReport of(List<RunStore.RunInfo> runs) {
        Map<String, List<RunStore.RunInfo>> byArm = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (String arm : List.of("fe", "ft", "scratch")) {
            byArm.put(arm, new ArrayList<>());
        }
        for (RunStore.RunInfo r : runs) {
            String arm = r.experiment() != null ? r.experiment().arm()
                    : r.summary() != null ? r.summary().strategy() : r.spec() != null ? r.spec().strategy().cliName() : null;
            if (arm == null) {
                notes.add("Left out " + r.id() + ": its spec and summary are unreadable");
                continue;
            }
            if (r.summary() == null || !"completed".equals(r.summary().status())) {
                notes.add("Left out " + r.id() + " (" + label(arm) + "): " + r.state());
                continue;
            }
            byArm.computeIfAbsent(arm, k -> new ArrayList<>()).add(r);
        }
        byArm.values().removeIf(List::isEmpty);

        List<Arm> arms = new ArrayList<>();
        Map<String, Map<String, Boolean>> votes = new HashMap<>();
        Map<String, Double> meanFinal = new HashMap<>();
        for (Map.Entry<String, List<RunStore.RunInfo>> e : byArm.entrySet()) {
            SummaryStatistics fin = new SummaryStatistics();
            SummaryStatistics best = new SummaryStatistics();
            SummaryStatistics wall = new SummaryStatistics();
            List<String> ids = new ArrayList<>();
            List<ValPredictions> preds = new ArrayList<>();
            for (RunStore.RunInfo r : e.getValue()) {
                RunSummary s = r.summary();
                fin.addValue(s.valAcc());
                best.addValue(s.bestValAcc());
                wall.addValue(s.wallSeconds());
                ids.add(r.id());
                Optional<ValPredictions> p = ValPredictions.read(r.folder(), ValPredictions.Epoch.LAST);
                if (p.isEmpty()) {
                    p = ValPredictions.read(r.folder(), ValPredictions.Epoch.BEST);
                    if (p.isPresent()) {
                        notes.add(r.id() + " has no final-epoch predictions; its best-epoch ones vote instead");
                    }
                }
                p.ifPresent(preds::add);
            }
            Map<String, Boolean> vote = vote(preds);
            votes.put(e.getKey(), vote);
            meanFinal.put(e.getKey(), fin.getMean());
            double voteAcc = vote.isEmpty() ? Double.NaN : vote.values().stream().filter(v -> v).count() / (double) vote.size();
            arms.add(new Arm(e.getKey(), label(e.getKey()), (int) fin.getN(), fin.getMean(), sd(fin), best.getMean(), sd(best),
                    wall.getMean(), voteAcc, ids));
        }

        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < arms.size(); i++) {
            for (int j = i + 1; j < arms.size(); j++) {
                pairs.add(pair(arms.get(i).arm(), arms.get(j).arm(), votes, meanFinal));
            }
        }
        notes.add("Best-epoch accuracy is chosen on the validation set itself, so it is optimistic; "
                + "final-epoch accuracy and the paired tests (on final-epoch predictions) are the fair comparison.");
        return new ExperimentReport(arms, pairs, notes);
    }

    private static double sd(SummaryStatistics s) {
        return s.getN() < 2 ? Double.NaN : s.getStandardDeviation();
    }

    /** Per image (file), true when it is right in more than half of the runs that judged it. */
    static Map<String, Boolean> vote(List<ValPredictions> preds) {
        Map<String, int[]> tally = new LinkedHashMap<>();
        for (ValPredictions p : preds) {
            for (ValPredictions.Row r : p.rows()) {
                int[] t = tally.computeIfAbsent(r.file(), k -> new int[2]);
                t[0] += r.correct() ? 1 : 0;
                t[1]++;
            }
        }
        Map<String, Boolean> out = new LinkedHashMap<>();
        tally.forEach((f, t) -> out.put(f, 2 * t[0] > t[1]));
        return out;
    }

    private static Pair pair(String a, String b, Map<String, Map<String, Boolean>> votes, Map<String, Double> meanFinal) {
        Map<String, Boolean> va = votes.get(a);
        Map<String, Boolean> vb = votes.get(b);
        int aOnly = 0;
        int bOnly = 0;
        int shared = 0;
        for (Map.Entry<String, Boolean> e : va.entrySet()) {
            Boolean o = vb.get(e.getKey());
            if (o == null) {
                continue;
            }
            shared++;
            if (e.getValue() && !o) {
                aOnly++;
            } else if (!e.getValue() && o) {
                bOnly++;
            }
        }
        McNemar test = McNemar.of(aOnly, bOnly);
        double diff = meanFinal.get(a) - meanFinal.get(b);
        boolean significant = shared > 0 && test.significant(ALPHA);
        String verdict;
        if (shared == 0) {
            verdict = label(a) + " vs " + label(b) + ": no validation images in common, so no paired test";
        } else if (significant) {
            boolean aWins = aOnly > bOnly;
            String winner = aWins ? a : b;
            String loser = aWins ? b : a;
            double points = Math.abs(diff) * 100;
            String by = (aWins == diff > 0) ? String.format(Locale.ROOT, "%.1f points of mean final accuracy", points)
                    : String.format(Locale.ROOT, "%d of %d validation images by majority vote", Math.abs(aOnly - bOnly), shared);
            verdict = String.format(Locale.ROOT, "%s beat %s by %s (p%s; %d vs %d images right in one and wrong in the other, of %d)",
                    capitalize(label(winner)), label(loser), by, p(test.pValue()), Math.max(aOnly, bOnly), Math.min(aOnly, bOnly),
                    shared);
        } else {
            verdict = String.format(Locale.ROOT,
                    "%s vs %s: within noise: the difference is %d of %d validation images (p%s; mean final accuracy differs by %.1f points)",
                    capitalize(label(a)), label(b), Math.abs(aOnly - bOnly), shared, p(test.pValue()), Math.abs(diff) * 100);
        }
        return new Pair(a, b, test, shared, diff, significant, verdict);
    }

    /** A p-value for people, with its sign: {@code =0.0312}, {@code =2.3e-08}, {@code <1e-15}. */
    public static String pText(double p) {
        return p(p);
    }

    /** A p-value for people: below 1e-15 the binomial tail underflows, so it is printed as a bound. */
    static String p(double p) {
        if (p < 1e-15) {
            return "<1e-15";
        }
        return "=" + (p < 1e-4 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.3g", p));
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
