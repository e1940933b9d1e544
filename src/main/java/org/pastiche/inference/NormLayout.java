package org.pastiche.inference;

import java.util.Arrays;

/**
 * The instance norms of a network, in network order: their channel counts and epsilons. The
 * {@code stats} vector holds, norm after norm, C means then C standard deviations sqrt(var + eps);
 * the tile network's {@code moments} the same with variances (no eps) instead.
 */
public record NormLayout(int[] channels, double[] eps) {
    public NormLayout {
        if (channels.length == 0 || channels.length != eps.length) {
            throw new IllegalArgumentException("channels and eps differ in length");
        }
        for (int i = 0; i < channels.length; i++) {
            if (channels[i] <= 0 || !(eps[i] >= 0)) {
                throw new IllegalArgumentException("bad norm " + i);
            }
        }
    }

    /** Parses the tile model's metadata values ({@code "8,16,32"} and {@code "1e-05,1e-05,1e-05"}). */
    public static NormLayout parse(String channels, String eps) {
        try {
            int[] c = Arrays.stream(channels.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            double[] e = Arrays.stream(eps.split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
            return new NormLayout(c, e);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unreadable norm layout: " + e.getMessage(), e);
        }
    }

    /** The length of {@code stats} and {@code moments}. */
    public int statsLength() {
        int n = 0;
        for (int c : channels) {
            n += 2 * c;
        }
        return n;
    }

    /** Moments (means, variances) -> statistics (means, sqrt(variance + eps)). */
    public float[] momentsToStats(float[] moments) {
        check(moments);
        float[] s = moments.clone();
        int o = 0;
        for (int l = 0; l < channels.length; l++) {
            int c = channels[l];
            for (int i = o + c; i < o + 2 * c; i++) {
                s[i] = (float) Math.sqrt(Math.max(0, moments[i]) + eps[l]);
            }
            o += 2 * c;
        }
        return s;
    }

    /**
     * The correction that turns statistics {@code from} into {@code to}, in the statistics' layout:
     * per norm the mean differences (to - from), then the standard deviation ratios (to / from).
     */
    public float[] correction(float[] to, float[] from) {
        check(to);
        check(from);
        float[] k = new float[to.length];
        int o = 0;
        for (int c : channels) {
            for (int i = o; i < o + c; i++) {
                k[i] = to[i] - from[i];
                k[i + c] = to[i + c] / from[i + c];
            }
            o += 2 * c;
        }
        return k;
    }

    /** {@code stats} corrected by {@code k} (see {@link #correction}): means + a, deviations * b. */
    public float[] corrected(float[] stats, float[] k) {
        check(stats);
        check(k);
        float[] s = new float[stats.length];
        int o = 0;
        for (int c : channels) {
            for (int i = o; i < o + c; i++) {
                s[i] = stats[i] + k[i];
                s[i + c] = stats[i + c] * k[i + c];
            }
            o += 2 * c;
        }
        return s;
    }

    /**
     * How far the statistics {@code from} are from {@code to}, in {@code to}'s units: per norm the
     * channels' average of |mean difference| / deviation plus |log of the deviation ratio|,
     * averaged over the norms. 0 when they are equal; about the size of the correction
     * {@link #correction}{@code (to, from)} asks for.
     */
    public double mismatch(float[] to, float[] from) {
        check(to);
        check(from);
        double sum = 0;
        int o = 0;
        for (int c : channels) {
            double norm = 0;
            for (int i = o; i < o + c; i++) {
                norm += Math.abs((double) to[i] - from[i]) / to[i + c] + Math.abs(Math.log((double) to[i + c] / from[i + c]));
            }
            sum += norm / c;
            o += 2 * c;
        }
        return sum / channels.length;
    }

    private void check(float[] v) {
        if (v.length != statsLength()) {
            throw new IllegalArgumentException(v.length + " values, the norms have " + statsLength());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NormLayout l && Arrays.equals(l.channels, channels) && Arrays.equals(l.eps, eps);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(channels) * 31 + Arrays.hashCode(eps);
    }

    @Override
    public String toString() {
        return "NormLayout" + Arrays.toString(channels);
    }
}
