package dev.thaw.core.sample;

/**
 * SplitMix64 with a few convenience draws.
 *
 * <p>Written out here rather than using {@link java.util.SplittableRandom} because only the raw
 * 64-bit step of the JDK classes is specified; bounded ints, doubles in a range and Gaussians go
 * through default methods whose algorithms have changed between JDK releases. The committed sample
 * data must re-render pixel for pixel on any JDK, so every draw is defined in this file, and only
 * with integer arithmetic and plain {@code double} arithmetic (which is strict since Java 17).
 */
final class Rng {

    private long state;

    Rng(long seed) {
        this.state = seed;
    }

    /** The SplitMix64 finaliser; also used to hash seeds together. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [lo, hi). */
    double range(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /** Uniform in [0, bound); the tiny bias of the multiply-shift is irrelevant here. */
    int nextInt(int bound) {
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    boolean chance(double p) {
        return nextDouble() < p;
    }

    /** -1 or +1. */
    double sign() {
        return chance(0.5) ? 1.0 : -1.0;
    }

    /**
     * Approximately standard normal (Irwin-Hall with four terms, rescaled to unit variance). It
     * needs no transcendental functions, so it is cheap enough for per-pixel noise and exactly
     * reproducible.
     */
    double gaussian() {
        double s = nextDouble() + nextDouble() + nextDouble() + nextDouble() - 2.0;
        return s * 1.7320508075688772; // sqrt(3): the sum of four U(0,1) has variance 1/3
    }
}
