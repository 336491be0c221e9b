package dev.thaw.core.runs;

import com.google.gson.annotations.SerializedName;

/**
 * The small file {@code run.json} that says where a run is in its life; rewritten atomically at
 * each change. A run whose file still says {@code running} after its process ended was killed or
 * crashed; its metrics and checkpoints up to the last finished epoch are intact.
 *
 * @param run the run id
 * @param state {@code running}, {@code completed}, {@code cancelled} or {@code failed}
 * @param started ISO-8601 start time
 * @param updated ISO-8601 time of this state
 * @param epochsCompleted epochs whose metrics and checkpoint are on disk
 * @param message why it failed or was cancelled, or {@code null}
 */
public record RunStatus(
        @SerializedName("run") String run,
        @SerializedName("state") String state,
        @SerializedName("started") String started,
        @SerializedName("updated") String updated,
        @SerializedName("epochs_completed") int epochsCompleted,
        @SerializedName("message") String message) {

    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String CANCELLED = "cancelled";
    public static final String FAILED = "failed";
}
