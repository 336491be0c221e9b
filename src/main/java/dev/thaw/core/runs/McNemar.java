package dev.thaw.core.runs;

import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * McNemar's test for two classifiers judged on the same images: only the images where they
 * disagree carry information. {@code aOnly} images are right in A and wrong in B, {@code bOnly}
 * the reverse. Under "A and B are equally good" each disagreement is a fair coin.
 *
 * <p>The p-value is the exact two-sided binomial one (right for the small counts a validation set
 * of a few hundred images gives); the continuity-corrected chi-square statistic is reported too.
 */
public record McNemar(int aOnly, int bOnly, double pValue, double chiSquare) {

    public static McNemar of(int aOnly, int bOnly) {
        if (aOnly < 0 || bOnly < 0) {
            throw new IllegalArgumentException("counts must be non-negative");
        }
        int n = aOnly + bOnly;
        if (n == 0) {
            return new McNemar(0, 0, 1.0, 0.0);
        }
        int k = Math.min(aOnly, bOnly);
        double p = Math.min(1.0, 2 * new BinomialDistribution(null, n, 0.5).cumulativeProbability(k));
        double chi = Math.pow(Math.max(0, Math.abs(aOnly - bOnly) - 1), 2) / n;
        return new McNemar(aOnly, bOnly, p, chi);
    }

    /** From per-image correctness of A and B on the same images, in the same order. */
    public static McNemar of(boolean[] aCorrect, boolean[] bCorrect) {
        if (aCorrect.length != bCorrect.length) {
            throw new IllegalArgumentException("A and B were judged on different numbers of images");
        }
        int a = 0;
        int b = 0;
        for (int i = 0; i < aCorrect.length; i++) {
            if (aCorrect[i] && !bCorrect[i]) {
                a++;
            } else if (!aCorrect[i] && bCorrect[i]) {
                b++;
            }
        }
        return of(a, b);
    }

    /** Images on which the two disagree. */
    public int disagreements() {
        return aOnly + bOnly;
    }

    /** True if the difference is unlikely to be chance at level {@code alpha}. */
    public boolean significant(double alpha) {
        return pValue < alpha;
    }
}
