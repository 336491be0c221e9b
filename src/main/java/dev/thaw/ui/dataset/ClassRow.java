package dev.thaw.ui.dataset;

import java.util.List;

/**
 * One row of the class table and one group of bars in the class-count chart.
 *
 * @param name the class (its folder's name)
 * @param train readable training images
 * @param val readable validation images
 * @param test readable test images
 * @param unreadable image files of the class that are skipped
 * @param suggestedWeight the balanced loss weight the doctor suggests
 * @param samples a few of its images, spread over the class, for the thumbnail strip
 */
public record ClassRow(String name, int train, int val, int test, int unreadable, double suggestedWeight,
        List<Thumbnail> samples) {

    public ClassRow {
        samples = List.copyOf(samples);
    }

    /** Readable images in all splits. */
    public int total() {
        return train + val + test;
    }
}
