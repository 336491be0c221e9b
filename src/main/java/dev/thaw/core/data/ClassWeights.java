package dev.thaw.core.data;

/**
 * Per-class loss weights for imbalanced data: "balanced" weights, {@code n / (k * n_c)} for {@code n}
 * training images in {@code k} classes of which {@code n_c} are in class {@code c} (scikit-learn's
 * {@code class_weight="balanced"}). Every class then carries the same total weight, and the mean
 * weight per image stays 1, so the learning rate means the same with and without them.
 */
public final class ClassWeights {

    private ClassWeights() {
    }

    /** Balanced weights from per-class counts; a class with no images gets 1 (it never appears in the loss). */
    public static float[] balanced(int[] counts) {
        long total = 0;
        int present = 0;
        for (int c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("class counts cannot be negative");
            }
            total += c;
            present += c > 0 ? 1 : 0;
        }
        float[] weights = new float[counts.length];
        for (int i = 0; i < counts.length; i++) {
            weights[i] = counts[i] == 0 ? 1f : (float) ((double) total / ((double) present * counts[i]));
        }
        return weights;
    }

    /** Balanced weights from the training split of {@code manifest}, indexed by label. */
    public static float[] balanced(SplitManifest manifest) {
        return balanced(manifest.trainCounts());
    }

    /** Largest class count over smallest non-empty one (1 when balanced or when fewer than 2 classes have images). */
    public static double imbalanceRatio(int[] counts) {
        int max = 0;
        int min = Integer.MAX_VALUE;
        for (int c : counts) {
            if (c > 0) {
                max = Math.max(max, c);
                min = Math.min(min, c);
            }
        }
        return max == 0 ? 1 : (double) max / min;
    }
}
