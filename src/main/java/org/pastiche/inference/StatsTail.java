package org.pastiche.inference;

import java.util.Arrays;

/**
 * The tile network's {@code stats} input protocol, the one place its magic numbers live (mirrored by
 * {@code TAIL_DEFAULT} in {@code training/pastiche_lab/export.py}; change both together).
 *
 * <p>ONNX Runtime's Java API cannot feed optional inputs, so the tile network's extra arguments ride
 * on the end of {@code stats}: {@code [S]} alone (normalise with the S values, moments over the
 * whole tile); {@code [S + 4]}, the last four the box (x0, y0, x1, y1, in the tile's pixels, as
 * floats) that {@code moments} is computed over; {@code [S + 5]}, the last one the mode. Values
 * left out take the defaults (the whole tile, mode {@link #MODE_GIVEN}).
 */
public final class StatsTail {
    /** A box edge beyond any tile: the box reaches the tile's right or bottom edge. */
    public static final int TO_THE_EDGE = 1 << 24;
    /** Mode 0: every norm normalises with the given statistics. */
    public static final int MODE_GIVEN = 0;
    /**
     * Mode 1: every norm normalises with the box's own statistics corrected by the S values read as
     * (a, b): mean + a, deviation * b (see {@link NormLayout#correction}).
     */
    public static final int MODE_OWN_CORRECTED = 1;
    /**
     * The box of the output pass, which needs no moments: a 4 x 4 box keeps the network from
     * computing them over the whole tile (ONNX Runtime runs every node, requested output or not).
     */
    public static final int OUTPUT_PASS_BOX = 4;

    private StatsTail() {}

    /** {@code stats} and the box (x0, y0, x1, y1): moments over that box, mode {@link #MODE_GIVEN}. */
    public static float[] withBox(float[] stats, int x0, int y0, int x1, int y1) {
        float[] v = Arrays.copyOf(stats, stats.length + 4);
        v[stats.length] = x0;
        v[stats.length + 1] = y0;
        v[stats.length + 2] = x1;
        v[stats.length + 3] = y1;
        return v;
    }

    /** {@code stats} for the output pass of a tile network that has moments (a tiny box; see {@link #OUTPUT_PASS_BOX}). */
    public static float[] forOutputPass(float[] stats) {
        return withBox(stats, 0, 0, OUTPUT_PASS_BOX, OUTPUT_PASS_BOX);
    }

    /**
     * The corrections {@code k} as a command for mode {@link #MODE_OWN_CORRECTED}: every norm takes
     * its own statistics over the whole input, corrected by {@code k}.
     */
    public static float[] ownCorrected(float[] k) {
        float[] v = withBox(k, 0, 0, TO_THE_EDGE, TO_THE_EDGE);
        float[] command = Arrays.copyOf(v, v.length + 1);
        command[v.length] = MODE_OWN_CORRECTED;
        return command;
    }
}
