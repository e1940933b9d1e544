package org.pastiche.inference;

/**
 * When and how large images are tiled.
 *
 * @param maxWholePixels images up to this many pixels run in one piece
 * @param tileSize       tile side in pixels (rounded down to the model's size multiple)
 * @param overlap        least overlap between neighbouring tiles; at most a third of the tile
 * @param statsLongSide  long side of the downscaled copy whose instance-norm statistics all tiles share
 * @param sharedStats    use the tile network with shared statistics when the style has one; false only
 *                       to measure what the shared statistics are worth
 */
public record TilingSettings(long maxWholePixels, int tileSize, int overlap, int statsLongSide, boolean sharedStats) {
    /** Measured with {@code bench --tiling} (docs/engine.md). */
    public static final TilingSettings DEFAULT = new TilingSettings(2_100_000, 1024, 128, 1024, true);

    public TilingSettings {
        if (maxWholePixels < 1 || tileSize < 16 || overlap < 0 || 3 * overlap > tileSize || statsLongSide < 16) {
            throw new IllegalArgumentException("bad tiling settings");
        }
    }

    /** Always tiles (for measurements): any image above one pixel is split. */
    public TilingSettings alwaysTile() {
        return new TilingSettings(1, tileSize, overlap, statsLongSide, sharedStats);
    }

    /** Never tiles (for measurements). */
    public TilingSettings neverTile() {
        return new TilingSettings(Long.MAX_VALUE, tileSize, overlap, statsLongSide, sharedStats);
    }

    public TilingSettings withStatsLongSide(int side) {
        return new TilingSettings(maxWholePixels, tileSize, overlap, side, sharedStats);
    }

    public TilingSettings withSharedStats(boolean shared) {
        return new TilingSettings(maxWholePixels, tileSize, overlap, statsLongSide, shared);
    }

    public TilingSettings withTile(int size, int overlapPixels) {
        return new TilingSettings(maxWholePixels, size, overlapPixels, statsLongSide, sharedStats);
    }
}
