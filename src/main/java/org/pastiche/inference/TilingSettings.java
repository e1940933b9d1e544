package org.pastiche.inference;

/**
 * When and how large images are tiled.
 *
 * @param maxWholePixels    images up to this many pixels run in one piece
 * @param tileSize          tile side in pixels (rounded down to the model's size multiple)
 * @param overlap           least overlap between neighbouring tiles; at most a third of the tile. The
 *                          refined statistics are exact only if half the overlap covers the network's
 *                          reach (about 60 px for the lab's networks)
 * @param statsLongSide     long side of the downscaled copy whose instance-norm statistics start the tiling
 * @param sharedStats       use the tile network with shared statistics when the style has one; false only
 *                          to measure what the shared statistics are worth
 * @param statsPasses       refinement passes that bring the statistics of the downscaled copy to those
 *                          of the full image (each costs about one more run over the tiles: docs/engine.md);
 *                          {@link #AUTO}: as many as {@code refineBudgetPixels} allows, at most
 *                          {@link #MAX_AUTO_PASSES}
 * @param refineBudgetPixels with {@link #AUTO}: an image of N pixels gets {@code budget / N - 1} passes
 *                          (at most {@link #MAX_AUTO_PASSES}), so that no tiled image costs more than one
 *                          of {@code budget} pixels without passes
 */
public record TilingSettings(long maxWholePixels, int tileSize, int overlap, int statsLongSide, boolean sharedStats,
        int statsPasses, long refineBudgetPixels) {
    /** {@link #statsPasses()}: decide by image size. */
    public static final int AUTO = -1;
    /** The most passes {@link #AUTO} chooses (2 passes: 40-43 dB vs whole at 2 MP with candy; docs/engine.md). */
    public static final int MAX_AUTO_PASSES = 2;

    /**
     * Measured with {@code bench --tiling} and {@code bench --megapixels} (docs/engine.md): by default
     * 2 passes up to 4 MP, 1 up to 6 MP, none above (a 12 MP image keeps its 30 s target).
     */
    public static final TilingSettings DEFAULT = new TilingSettings(2_100_000, 1024, 128, 1024, true, AUTO,
            12_000_000);

    public TilingSettings {
        if (maxWholePixels < 1 || tileSize < 16 || overlap < 0 || 3 * overlap > tileSize || statsLongSide < 16
                || statsPasses < AUTO || refineBudgetPixels < 0) {
            throw new IllegalArgumentException("bad tiling settings");
        }
    }

    /**
     * The most passes {@link #AUTO} chooses for a style whose output is snapped to a palette inside its
     * graph ({@link StyleModel#snapped()}). Its argmin turns what is left of the statistics' error
     * into pixels of another palette colour wherever two colours nearly tie, and each pass cuts that
     * error several-fold: measured with the poster style ({@code bench --tiling --style gongnongbing
     * --stats-passes 6 --image assets/samples/astronaut.jpg}, 2 MP, 1024 px tiles and copy) 0.9574 /
     * 0.9835 / 0.9987 / 0.9997 / 0.9999 of the pixels as whole after 0 / 1 / 2 / 3 / 4 passes, no
     * better after 5 or 6; on chelsea.jpg in 384 px tiles from a 256 px copy ({@code PosterSnapTest})
     * 0.9947 after 2 passes, 0.9999 after 4, all pixels after 6 (the smoothed-colour student of
     * training/reports/gongnongbing/poster_figures.md, session 9: 0.9889, 0.9998, all but one).
     */
    public static final int MAX_AUTO_PASSES_SNAPPED = 4;

    /** Refinement passes for an image of {@code pixels} that is tiled (a continuous output). */
    public int passesFor(long pixels) {
        return passesFor(pixels, false);
    }

    /**
     * Refinement passes for an image of {@code pixels} that is tiled; {@code snapped}: the style's
     * output is snapped to a palette, so {@link #AUTO} may choose up to {@link #MAX_AUTO_PASSES_SNAPPED}
     * passes, within the same pixel budget (no tiled image costs more than one of
     * {@code refineBudgetPixels} without passes, so large images still get fewer).
     */
    public int passesFor(long pixels, boolean snapped) {
        if (statsPasses != AUTO) {
            return statsPasses;
        }
        long affordable = refineBudgetPixels / Math.max(1, pixels) - 1;
        return (int) Math.max(0, Math.min(snapped ? MAX_AUTO_PASSES_SNAPPED : MAX_AUTO_PASSES, affordable));
    }

    /** Always tiles (for measurements): any image above one pixel is split. */
    public TilingSettings alwaysTile() {
        return new TilingSettings(1, tileSize, overlap, statsLongSide, sharedStats, statsPasses, refineBudgetPixels);
    }

    /** Never tiles (for measurements). */
    public TilingSettings neverTile() {
        return new TilingSettings(Long.MAX_VALUE, tileSize, overlap, statsLongSide, sharedStats, statsPasses,
                refineBudgetPixels);
    }

    public TilingSettings withStatsLongSide(int side) {
        return new TilingSettings(maxWholePixels, tileSize, overlap, side, sharedStats, statsPasses, refineBudgetPixels);
    }

    public TilingSettings withSharedStats(boolean shared) {
        return new TilingSettings(maxWholePixels, tileSize, overlap, statsLongSide, shared, statsPasses,
                refineBudgetPixels);
    }

    public TilingSettings withTile(int size, int overlapPixels) {
        return new TilingSettings(maxWholePixels, size, overlapPixels, statsLongSide, sharedStats, statsPasses,
                refineBudgetPixels);
    }

    /** {@code passes} refinement passes at any size, or {@link #AUTO}. */
    public TilingSettings withStatsPasses(int passes) {
        return new TilingSettings(maxWholePixels, tileSize, overlap, statsLongSide, sharedStats, passes,
                refineBudgetPixels);
    }
}
