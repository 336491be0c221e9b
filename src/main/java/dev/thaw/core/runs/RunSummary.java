package dev.thaw.core.runs;

import com.google.gson.annotations.SerializedName;

/**
 * How a run ended, written atomically as {@code summary.json} when it stops and printed by
 * {@code thaw train --json} as its last line. The JSON keys are snake_case because other tools read
 * them ({@code run}, {@code strategy}, {@code val_acc}, {@code best_val_acc}, {@code epochs},
 * {@code wall_s}, {@code train_images_per_s}, {@code trainable_params}, {@code total_params} are a
 * contract).
 *
 * @param run the run id (its folder name)
 * @param status {@code completed}, {@code cancelled} or {@code failed}
 * @param strategy {@code fe}, {@code ft} or {@code scratch}
 * @param valAcc validation accuracy after the last epoch run
 * @param bestValAcc best validation accuracy of any epoch (the saved model's)
 * @param bestEpoch the epoch of {@link #bestValAcc}
 * @param epochs epochs run
 * @param epochsPlanned epochs asked for
 * @param wallSeconds the run's wall time, loading and embedding included
 * @param trainImagesPerSecond training images per second of the training loop (validation excluded)
 * @param trainableParams parameters that trained (after warm-up)
 * @param totalParams parameters of the model, head included
 * @param valLoss validation loss after the last epoch
 * @param trainAcc training accuracy of the last epoch
 * @param trainLoss training loss of the last epoch
 * @param trainImages images in the training split that were read
 * @param valImages images in the validation split that were read
 * @param classes number of classes
 * @param skippedImages unreadable images that were skipped
 * @param stoppedEarly true if early stopping ended the run
 * @param backbone the backbone source
 * @param backboneName the backbone's display name
 * @param freeze what the freeze plan does, in words
 * @param embeddingEngine feature extraction: the engine that computed embeddings ({@code PyTorch} or {@code OnnxRuntime}), else {@code null}
 * @param embeddingsCached feature extraction: embeddings found in the cache
 * @param embeddingsComputed feature extraction: embeddings computed by the backbone this run
 * @param backboneSkipped feature extraction: true when every embedding came from the cache
 * @param device where it ran ({@code cpu()}, {@code gpu(0)})
 * @param seed the run's seed
 * @param message why it failed, or {@code null}
 * @param folder the run folder
 */
public record RunSummary(
        @SerializedName("run") String run,
        @SerializedName("status") String status,
        @SerializedName("strategy") String strategy,
        @SerializedName("val_acc") double valAcc,
        @SerializedName("best_val_acc") double bestValAcc,
        @SerializedName("best_epoch") int bestEpoch,
        @SerializedName("epochs") int epochs,
        @SerializedName("epochs_planned") int epochsPlanned,
        @SerializedName("wall_s") double wallSeconds,
        @SerializedName("train_images_per_s") double trainImagesPerSecond,
        @SerializedName("trainable_params") long trainableParams,
        @SerializedName("total_params") long totalParams,
        @SerializedName("val_loss") double valLoss,
        @SerializedName("train_acc") double trainAcc,
        @SerializedName("train_loss") double trainLoss,
        @SerializedName("train_images") int trainImages,
        @SerializedName("val_images") int valImages,
        @SerializedName("classes") int classes,
        @SerializedName("skipped_images") int skippedImages,
        @SerializedName("stopped_early") boolean stoppedEarly,
        @SerializedName("backbone") String backbone,
        @SerializedName("backbone_name") String backboneName,
        @SerializedName("freeze") String freeze,
        @SerializedName("embedding_engine") String embeddingEngine,
        @SerializedName("embeddings_cached") int embeddingsCached,
        @SerializedName("embeddings_computed") int embeddingsComputed,
        @SerializedName("backbone_skipped") boolean backboneSkipped,
        @SerializedName("device") String device,
        @SerializedName("seed") long seed,
        @SerializedName("message") String message,
        @SerializedName("folder") String folder) {
}
