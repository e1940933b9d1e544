package org.pastiche.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MomentsAccumulatorTest {
    /** Boxes of different sizes, combined, give the mean and standard deviation of all their values. */
    @Test
    void combinesBoxesLikeADirectComputation() {
        NormLayout layout = new NormLayout(new int[] {2, 1}, new double[] {1e-5, 1e-3});
        Random rnd = new Random(3);
        int[] sizes = {7, 1, 40, 13};
        double[][] values = new double[3][];
        int total = 0;
        for (int n : sizes) {
            total += n;
        }
        for (int c = 0; c < 3; c++) {
            values[c] = new double[total];
        }
        MomentsAccumulator acc = new MomentsAccumulator(layout);
        int at = 0;
        for (int n : sizes) {
            float[] moments = new float[6];
            for (int c = 0; c < 3; c++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    double v = 1000 + 50 * c + rnd.nextGaussian() * (c + 1); // large mean, small spread
                    v = (float) v;
                    values[c][at + i] = v;
                    sum += v;
                }
                double mean = sum / n;
                double m2 = 0;
                for (int i = 0; i < n; i++) {
                    m2 += (values[c][at + i] - mean) * (values[c][at + i] - mean);
                }
                // layout: norm 0 = channels 0, 1 (means at 0, 1; variances at 2, 3); norm 1 = channel 2 (4; 5)
                int meanAt = c < 2 ? c : 4;
                int varAt = c < 2 ? 2 + c : 5;
                moments[meanAt] = (float) mean;
                moments[varAt] = (float) (m2 / n);
            }
            acc.add(n, moments);
            at += n;
        }
        float[] stats = acc.stats();
        assertEquals(total, acc.count(), 0);
        for (int c = 0; c < 3; c++) {
            double mean = 0;
            for (double v : values[c]) {
                mean += v;
            }
            mean /= total;
            double var = 0;
            for (double v : values[c]) {
                var += (v - mean) * (v - mean);
            }
            var /= total;
            double eps = c < 2 ? 1e-5 : 1e-3;
            int meanAt = c < 2 ? c : 4;
            int stdAt = c < 2 ? 2 + c : 5;
            assertEquals(mean, stats[meanAt], 1e-4 * Math.abs(mean));
            assertEquals(Math.sqrt(var + eps), stats[stdAt], 1e-4 * Math.sqrt(var + eps));
        }
    }

    @Test
    void refusesMomentsOfAnotherLayout() {
        MomentsAccumulator acc = new MomentsAccumulator(new NormLayout(new int[] {2}, new double[] {1e-5}));
        assertThrows(IllegalArgumentException.class, () -> acc.add(1, new float[3]));
        assertThrows(IllegalStateException.class, acc::stats);
        assertThrows(IllegalArgumentException.class, () -> NormLayout.parse("2,x", "1e-5,1e-5"));
        assertEquals(6, NormLayout.parse("1, 2", "1e-05,0.001").statsLength());
    }
}
