package org.pastiche.imaging;

import java.util.Arrays;

/**
 * A layout of equal, overlapping tiles covering an image, and the feathered weights that blend them.
 * Along each axis tiles are spread evenly, overlapping by at least {@code overlap} pixels, and are
 * no larger than needed; an axis shorter than the tile gets one tile, rounded up to the size
 * multiple and padded by reflection.
 * In each overlap the outer quarters belong to one tile alone (their pixels saw a padded border)
 * and the middle half cross-fades with a smoothstep; the weights of the tiles sum to exactly 1
 * everywhere, so blending identical tiles changes nothing.
 */
public record TileGrid(int width, int height, int tileWidth, int tileHeight, int[] xs, int[] ys) {
    /**
     * The least tile side given to a network, whatever the image: the networks pad by reflection
     * inside (4 px before the 9x9 convolution, 1 px at quarter resolution), which fails on fewer
     * rows than that ("Pad reflect: pre-pad exceeds maximum"). Thinner images are mirrored out to
     * this side and cropped back, so a 1 x 1 or 7 x 2000 photo is painted too.
     */
    public static final int MIN_SIDE = 16;

    /**
     * @param tileSize the largest tile side; rounded down to {@code multiple}
     * @param overlap  the least overlap between neighbours
     * @param multiple the model's size multiple: tile sides and tile positions are multiples of it,
     *                 and the last tile ends at the image size rounded up to it, so that every tile
     *                 sees the image on the same sampling grid as a whole-image run (strided layers)
     */
    public static TileGrid plan(int width, int height, int tileSize, int overlap, int multiple) {
        int m = Math.max(1, multiple);
        int tile = Math.max(m, tileSize / m * m);
        if (overlap < 0 || 3 * overlap > tile) {
            // Up to a third, only neighbouring tiles ever share a cross-fade.
            throw new IllegalArgumentException("overlap " + overlap + " must be within 0..tile/3 (tile " + tile + ")");
        }
        int[][] x = axis(roundUp(width, m), tile, overlap, m);
        int[][] y = axis(roundUp(height, m), tile, overlap, m);
        return new TileGrid(width, height, x[0][0], y[0][0], x[1], y[1]);
    }

    /** One tile covering the whole image, padded to the multiple. */
    public static TileGrid whole(int width, int height, int multiple) {
        int m = Math.max(1, multiple);
        return new TileGrid(width, height, roundUp(Math.max(width, MIN_SIDE), m), roundUp(Math.max(height, MIN_SIDE), m),
                new int[] {0}, new int[] {0});
    }

    public int tileCount() {
        return xs.length * ys.length;
    }

    private static int roundUp(int n, int m) {
        return (n + m - 1) / m * m;
    }

    /**
     * Tile side and positions along an axis of padded length {@code n} (a multiple of {@code m}):
     * the smallest side (a multiple of m, at most {@code tile}) that covers n with as few tiles as
     * the largest tile would need, overlapping by at least {@code overlap}, at positions that are
     * multiples of m. 4000 px in 1024 px tiles becomes five 852 px tiles, not five 1024 px ones,
     * which would compute 20 % more pixels for nothing.
     */
    private static int[][] axis(int n, int tile, int overlap, int m) {
        if (n <= tile) {
            return new int[][] {{Math.max(n, roundUp(MIN_SIDE, m))}, {0}};
        }
        int count = (int) Math.ceil((double) (n - overlap) / (tile - overlap));
        int side = roundUp((int) Math.ceil((double) (n + (count - 1) * overlap) / count), m);
        side = Math.min(tile, Math.max(side, roundUp(3 * overlap, m))); // overlap within a third of the tile
        while (true) {
            int[] p = positions(n, side, count, m);
            if (minOverlap(p, side) >= overlap) {
                return new int[][] {{side}, p};
            }
            if (side + m <= tile) {
                side += m;
            } else {
                count++;
            }
        }
    }

    private static int[] positions(int n, int side, int count, int m) {
        int[] p = new int[count];
        for (int k = 0; k < count; k++) {
            p[k] = (int) Math.round((double) k * (n - side) / (count - 1) / m) * m;
        }
        return p;
    }

    private static int minOverlap(int[] p, int side) {
        int min = Integer.MAX_VALUE;
        for (int k = 0; k + 1 < p.length; k++) {
            min = Math.min(min, p[k] + side - p[k + 1]);
        }
        return min;
    }

    /**
     * Cuts that split the image, padded to {@code multiple}, into one interior box per tile column:
     * box k is {@code [cutsX[k], cutsX[k+1])}, inside tile k, cut at the middle of each overlap and
     * at multiples of {@code multiple}. The boxes partition the padded image exactly, so moments
     * computed per box add up to the whole image's.
     */
    public int[] cutsX(int multiple) {
        return cuts(xs, tileWidth, roundUp(width, Math.max(1, multiple)), Math.max(1, multiple));
    }

    public int[] cutsY(int multiple) {
        return cuts(ys, tileHeight, roundUp(height, Math.max(1, multiple)), Math.max(1, multiple));
    }

    private static int[] cuts(int[] pos, int tile, int padded, int m) {
        int[] c = new int[pos.length + 1];
        c[pos.length] = Math.min(padded, pos[pos.length - 1] + tile);
        for (int k = 1; k < pos.length; k++) {
            c[k] = (pos[k] + pos[k - 1] + tile) / 2 / m * m;
        }
        return c;
    }

    /** Weights along x of tile column {@code k}, for the tile's pixels {@code 0 .. tileWidth-1}. */
    public float[] weightsX(int k) {
        return normalised(xs, tileWidth, width, k);
    }

    public float[] weightsY(int k) {
        return normalised(ys, tileHeight, height, k);
    }

    /** Divides by the sum over all tiles, so that rounding of positions can never leave a gap or a bump. */
    private static float[] normalised(int[] pos, int tile, int n, int k) {
        double[] sum = new double[n];
        for (int j = 0; j < pos.length; j++) {
            float[] w = axisWeights(pos, tile, j);
            for (int i = 0; i < tile && pos[j] + i < n; i++) {
                sum[pos[j] + i] += w[i];
            }
        }
        float[] w = axisWeights(pos, tile, k);
        for (int i = 0; i < tile && pos[k] + i < n; i++) {
            w[i] = sum[pos[k] + i] > 0 ? (float) (w[i] / sum[pos[k] + i]) : 0f;
        }
        return w;
    }

    private static float[] axisWeights(int[] pos, int tile, int k) {
        float[] w = new float[tile];
        Arrays.fill(w, 1f);
        if (k > 0) {
            // Rising edge shared with the previous tile; the previous one falls by exactly 1 - this.
            int start = pos[k];
            int ov = pos[k - 1] + tile - start;
            for (int i = 0; i < tile; i++) {
                w[i] *= rise(start + i, start, ov);
            }
        }
        if (k < pos.length - 1) {
            int start = pos[k + 1];
            int ov = pos[k] + tile - start;
            for (int i = 0; i < tile; i++) {
                w[i] *= 1f - rise(pos[k] + i, start, ov);
            }
        }
        return w;
    }

    /** 0 before the middle half of the overlap {@code [start, start+ov)}, 1 after it, smooth in between. */
    private static float rise(int c, int start, int ov) {
        double a = start + ov / 4.0;
        double b = start + 3 * ov / 4.0;
        double t = (c + 0.5 - a) / (b - a);
        if (t <= 0) {
            return 0f;
        }
        if (t >= 1) {
            return 1f;
        }
        return (float) (t * t * (3 - 2 * t));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TileGrid g && g.width == width && g.height == height && g.tileWidth == tileWidth
                && g.tileHeight == tileHeight && Arrays.equals(g.xs, xs) && Arrays.equals(g.ys, ys);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(xs) * 31 + Arrays.hashCode(ys) + width * 7 + height;
    }

    @Override
    public String toString() {
        return "TileGrid[" + width + "x" + height + ", " + xs.length + "x" + ys.length + " tiles of "
                + tileWidth + "x" + tileHeight + "]";
    }
}
