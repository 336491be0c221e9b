package dev.thaw.core.runs;

import com.google.gson.annotations.SerializedName;

/**
 * {@code experiment.json} in a run folder: the run is one arm and seed of an experiment, all of
 * whose runs share one split manifest (see {@code dev.thaw.core.experiment.Experiment}).
 *
 * @param experiment the experiment id (shared by all its runs)
 * @param arm the arm: the strategy's CLI name ({@code fe}, {@code ft}, {@code scratch})
 * @param seed the run's seed
 * @param index which repetition of the arm this is (1-based)
 */
public record ExperimentTag(
        @SerializedName("experiment") String experiment,
        @SerializedName("arm") String arm,
        @SerializedName("seed") long seed,
        @SerializedName("index") int index) {
}
