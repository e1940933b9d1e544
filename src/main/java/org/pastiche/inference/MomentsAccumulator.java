package org.pastiche.inference;

/**
 * Combines per-box instance-norm moments (means and population variances of every channel over a
 * box of the image) into the moments of the union of the boxes, in double precision, with Chan,
 * Golub and LeVeque's parallel formula; then turns them into a {@code stats} vector.
 * The boxes must partition the image; each is weighted by its area (in input pixels: every norm's
 * resolution is the input's divided by 1, 2 or 4, and boxes are aligned to 4, so the areas at
 * every norm are proportional).
 */
public final class MomentsAccumulator {
    private final NormLayout layout;
    private final double[] mean;
    private final double[] m2;
    private double count;

    public MomentsAccumulator(NormLayout layout) {
        this.layout = layout;
        int n = layout.statsLength();
        this.mean = new double[n / 2];
        this.m2 = new double[n / 2];
    }

    /** Adds one box of {@code weight} pixels whose moments are {@code moments} (the tile network's layout). */
    public void add(double weight, float[] moments) {
        if (moments.length != layout.statsLength()) {
            throw new IllegalArgumentException("moments has " + moments.length + " values, expected "
                    + layout.statsLength());
        }
        if (weight <= 0) {
            return;
        }
        double total = count + weight;
        int o = 0;
        int ch = 0;
        for (int c : layout.channels()) {
            for (int i = 0; i < c; i++) {
                double m = moments[o + i];
                double v = moments[o + c + i];
                double d = m - mean[ch + i];
                mean[ch + i] += d * weight / total;
                m2[ch + i] += v * weight + d * d * count * weight / total;
            }
            o += 2 * c;
            ch += c;
        }
        count = total;
    }

    public double count() {
        return count;
    }

    /** Means and standard deviations sqrt(var + eps), laid out as the {@code stats} vector. */
    public float[] stats() {
        if (count <= 0) {
            throw new IllegalStateException("no moments added");
        }
        float[] s = new float[layout.statsLength()];
        int o = 0;
        int ch = 0;
        for (int l = 0; l < layout.channels().length; l++) {
            int c = layout.channels()[l];
            for (int i = 0; i < c; i++) {
                s[o + i] = (float) mean[ch + i];
                s[o + c + i] = (float) Math.sqrt(Math.max(0, m2[ch + i] / count) + layout.eps()[l]);
            }
            o += 2 * c;
            ch += c;
        }
        return s;
    }
}
