package dev.thaw.core.train;

import ai.djl.training.tracker.ParameterTracker;

/**
 * Cosine decay from a base learning rate to 1 % of it over the run, driven by the loop's own step
 * counter (not the optimizer's per-parameter counts, which start late for layers that unfreeze
 * after a warm-up).
 */
final class LearningRateSchedule implements ParameterTracker {

    private final double base;
    private final int totalSteps;
    private volatile int step;

    LearningRateSchedule(double base, int totalSteps) {
        this.base = base;
        this.totalSteps = Math.max(1, totalSteps);
    }

    void setStep(int s) {
        this.step = s;
    }

    double current() {
        double progress = Math.min(1.0, (double) step / totalSteps);
        double floor = 0.01 * base;
        return floor + (base - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    @Override
    public float getNewValue(String parameterId, int numUpdate) {
        return (float) current();
    }
}
