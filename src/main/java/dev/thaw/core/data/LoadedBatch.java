package dev.thaw.core.data;

import java.util.List;

/**
 * A batch of decoded, transformed images ready to become a tensor.
 *
 * @param data {@code count * 3 * size * size} floats, image after image, each CHW
 * @param labels class index per loaded image ({@code count} entries)
 * @param files the files in the order loaded
 * @param skipped files of this batch that could not be read (not in {@code data}); the engine counts
 *     them in the run summary. The same broken file is reported again in every epoch that reads it.
 */
public record LoadedBatch(float[] data, int[] labels, List<LabeledImage> files, List<SkippedImage> skipped) {

    /** Images actually loaded. */
    public int count() {
        return labels.length;
    }
}
