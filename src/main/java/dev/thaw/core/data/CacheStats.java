package dev.thaw.core.data;

/**
 * How the pipeline's decoded-image cache is doing.
 *
 * @param hits loads served from the cache (no decoding)
 * @param misses loads that decoded the file
 * @param entries images held
 * @param bytes bytes held by their pixels
 * @param budgetBytes the most it may hold
 * @param failures files remembered as unreadable (not decoded again)
 */
public record CacheStats(long hits, long misses, int entries, long bytes, long budgetBytes, int failures) {

    /** Share of loads served from the cache, 0 when nothing was loaded. */
    public double hitRate() {
        long total = hits + misses;
        return total == 0 ? 0 : (double) hits / total;
    }
}
