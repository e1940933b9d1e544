package org.pastiche.imaging.webp;

/**
 * The VP8 loop filter (RFC 6386 section 15, libwebp's {@code DoFilter} and {@code src/dsp/dec.c}),
 * run over the whole reconstructed frame in macroblock order: left edge, inner vertical edges,
 * top edge, inner horizontal edges; the simple filter touches luma only.
 */
final class Vp8LoopFilter {
    private final Vp8Header h;
    private final int mbw;
    private final int mbh;
    private final byte[] yp;
    private final int ys;
    private final byte[] up;
    private final byte[] vp;
    private final int uvs;

    Vp8LoopFilter(Vp8Header h, int mbw, int mbh, byte[] yp, int ys, byte[] up, byte[] vp, int uvs) {
        this.h = h;
        this.mbw = mbw;
        this.mbh = mbh;
        this.yp = yp;
        this.ys = ys;
        this.up = up;
        this.vp = vp;
        this.uvs = uvs;
    }

    /** {@code info} per macroblock: segment | i4x4 << 2 | inner edges filtered << 3. */
    void apply(int[] info) {
        int[][] strength = new int[8][]; // [segment * 2 + i4x4] -> {limit, ilevel, hevThresh}
        for (int s = 0; s < 4; s++) {
            int base = h.useSegment ? h.segFilter[s] + (h.absoluteDelta ? 0 : h.filterLevel) : h.filterLevel;
            for (int i4 = 0; i4 <= 1; i4++) {
                int level = base;
                if (h.useLfDelta) {
                    level += h.refLfDelta[0];
                    if (i4 == 1) {
                        level += h.modeLfDelta[0];
                    }
                }
                level = level < 0 ? 0 : Math.min(level, 63);
                if (level > 0) {
                    int ilevel = level;
                    if (h.sharpness > 0) {
                        ilevel >>= h.sharpness > 4 ? 2 : 1;
                        ilevel = Math.min(ilevel, 9 - h.sharpness);
                    }
                    ilevel = Math.max(ilevel, 1);
                    strength[s * 2 + i4] = new int[] {2 * level + ilevel, ilevel, level >= 40 ? 2 : level >= 15 ? 1 : 0};
                } else {
                    strength[s * 2 + i4] = new int[] {0, 0, 0};
                }
            }
        }
        for (int mby = 0; mby < mbh; mby++) {
            for (int mbx = 0; mbx < mbw; mbx++) {
                int f = info[mby * mbw + mbx];
                int[] st = strength[(f & 3) * 2 + ((f >> 2) & 1)];
                int limit = st[0];
                if (limit == 0) {
                    continue;
                }
                boolean inner = (f & 8) != 0;
                int yo = mby * 16 * ys + mbx * 16;
                if (h.simpleFilter) {
                    if (mbx > 0) {
                        simpleFilter(yp, yo, 1, ys, 16, limit + 4);
                    }
                    if (inner) {
                        for (int k = 1; k < 4; k++) {
                            simpleFilter(yp, yo + 4 * k, 1, ys, 16, limit);
                        }
                    }
                    if (mby > 0) {
                        simpleFilter(yp, yo, ys, 1, 16, limit + 4);
                    }
                    if (inner) {
                        for (int k = 1; k < 4; k++) {
                            simpleFilter(yp, yo + 4 * k * ys, ys, 1, 16, limit);
                        }
                    }
                } else {
                    int il = st[1];
                    int hev = st[2];
                    int uo = mby * 8 * uvs + mbx * 8;
                    if (mbx > 0) {
                        filterLoop(yp, yo, 1, ys, 16, limit + 4, il, hev, true);
                        filterLoop(up, uo, 1, uvs, 8, limit + 4, il, hev, true);
                        filterLoop(vp, uo, 1, uvs, 8, limit + 4, il, hev, true);
                    }
                    if (inner) {
                        for (int k = 1; k < 4; k++) {
                            filterLoop(yp, yo + 4 * k, 1, ys, 16, limit, il, hev, false);
                        }
                        filterLoop(up, uo + 4, 1, uvs, 8, limit, il, hev, false);
                        filterLoop(vp, uo + 4, 1, uvs, 8, limit, il, hev, false);
                    }
                    if (mby > 0) {
                        filterLoop(yp, yo, ys, 1, 16, limit + 4, il, hev, true);
                        filterLoop(up, uo, uvs, 1, 8, limit + 4, il, hev, true);
                        filterLoop(vp, uo, uvs, 1, 8, limit + 4, il, hev, true);
                    }
                    if (inner) {
                        for (int k = 1; k < 4; k++) {
                            filterLoop(yp, yo + 4 * k * ys, ys, 1, 16, limit, il, hev, false);
                        }
                        filterLoop(up, uo + 4 * uvs, uvs, 1, 8, limit, il, hev, false);
                        filterLoop(vp, uo + 4 * uvs, uvs, 1, 8, limit, il, hev, false);
                    }
                }
            }
        }
    }

    private static int px(byte[] p, int i) {
        return p[i] & 0xFF;
    }

    private static int sclip1(int v) {
        return v < -128 ? -128 : Math.min(v, 127);
    }

    private static int sclip2(int v) {
        return v < -16 ? -16 : Math.min(v, 15);
    }

    /** Filters {@code size} positions across an edge: {@code step} crosses it, {@code along} runs beside it. */
    private static void simpleFilter(byte[] p, int off, int step, int along, int size, int thresh) {
        int thresh2 = 2 * thresh + 1;
        for (int i = 0; i < size; i++) {
            int o = off + i * along;
            int p1 = px(p, o - 2 * step);
            int p0 = px(p, o - step);
            int q0 = px(p, o);
            int q1 = px(p, o + step);
            if (4 * Math.abs(p0 - q0) + Math.abs(p1 - q1) <= thresh2) {
                filter2(p, o, step);
            }
        }
    }

    private static void filterLoop(byte[] p, int off, int step, int along, int size, int thresh, int ithresh,
            int hevThresh, boolean edge) {
        int thresh2 = 2 * thresh + 1;
        for (int i = 0; i < size; i++) {
            int o = off + i * along;
            int p3 = px(p, o - 4 * step);
            int p2 = px(p, o - 3 * step);
            int p1 = px(p, o - 2 * step);
            int p0 = px(p, o - step);
            int q0 = px(p, o);
            int q1 = px(p, o + step);
            int q2 = px(p, o + 2 * step);
            int q3 = px(p, o + 3 * step);
            if (4 * Math.abs(p0 - q0) + Math.abs(p1 - q1) > thresh2) {
                continue;
            }
            if (Math.abs(p3 - p2) > ithresh || Math.abs(p2 - p1) > ithresh || Math.abs(p1 - p0) > ithresh
                    || Math.abs(q3 - q2) > ithresh || Math.abs(q2 - q1) > ithresh || Math.abs(q1 - q0) > ithresh) {
                continue;
            }
            if (Math.abs(p1 - p0) > hevThresh || Math.abs(q1 - q0) > hevThresh) {
                filter2(p, o, step);
            } else if (edge) {
                filter6(p, o, step);
            } else {
                filter4(p, o, step);
            }
        }
    }

    private static void filter2(byte[] p, int o, int step) {
        int p1 = px(p, o - 2 * step);
        int p0 = px(p, o - step);
        int q0 = px(p, o);
        int q1 = px(p, o + step);
        int a = 3 * (q0 - p0) + sclip1(p1 - q1);
        int a1 = sclip2((a + 4) >> 3);
        int a2 = sclip2((a + 3) >> 3);
        p[o - step] = (byte) Vp8Intra.clip8(p0 + a2);
        p[o] = (byte) Vp8Intra.clip8(q0 - a1);
    }

    private static void filter4(byte[] p, int o, int step) {
        int p1 = px(p, o - 2 * step);
        int p0 = px(p, o - step);
        int q0 = px(p, o);
        int q1 = px(p, o + step);
        int a = 3 * (q0 - p0);
        int a1 = sclip2((a + 4) >> 3);
        int a2 = sclip2((a + 3) >> 3);
        int a3 = (a1 + 1) >> 1;
        p[o - 2 * step] = (byte) Vp8Intra.clip8(p1 + a3);
        p[o - step] = (byte) Vp8Intra.clip8(p0 + a2);
        p[o] = (byte) Vp8Intra.clip8(q0 - a1);
        p[o + step] = (byte) Vp8Intra.clip8(q1 - a3);
    }

    private static void filter6(byte[] p, int o, int step) {
        int p2 = px(p, o - 3 * step);
        int p1 = px(p, o - 2 * step);
        int p0 = px(p, o - step);
        int q0 = px(p, o);
        int q1 = px(p, o + step);
        int q2 = px(p, o + 2 * step);
        int a = sclip1(3 * (q0 - p0) + sclip1(p1 - q1));
        int a1 = (27 * a + 63) >> 7;
        int a2 = (18 * a + 63) >> 7;
        int a3 = (9 * a + 63) >> 7;
        p[o - 3 * step] = (byte) Vp8Intra.clip8(p2 + a3);
        p[o - 2 * step] = (byte) Vp8Intra.clip8(p1 + a2);
        p[o - step] = (byte) Vp8Intra.clip8(p0 + a1);
        p[o] = (byte) Vp8Intra.clip8(q0 - a1);
        p[o + step] = (byte) Vp8Intra.clip8(q1 - a2);
        p[o + 2 * step] = (byte) Vp8Intra.clip8(q2 - a3);
    }

}
