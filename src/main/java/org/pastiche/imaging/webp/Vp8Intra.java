package org.pastiche.imaging.webp;

/**
 * Intra prediction (RFC 6386 section 12, libwebp's {@code src/dsp/dec.c}) and the inverse DCT, on
 * a work area of stride {@link #BPS} whose row above and column to the left of each block hold
 * the neighbours (or the 127/129 borders of the standard).
 */
final class Vp8Intra {
    static final int BPS = 32;

    /** Sub-block modes in RFC 6386 numbering: DC, TM, VE, HE, LD, RD, VR, VL, HD, HU. */
    static final int B_DC = 0;
    static final int B_TM = 1;
    static final int B_VE = 2;
    static final int B_HE = 3;
    /** 16x16 and chroma modes, numbered like the sub-block modes they stand for as contexts. */
    static final int DC_PRED = B_DC;
    static final int TM_PRED = B_TM;
    static final int V_PRED = B_VE;
    static final int H_PRED = B_HE;

    private Vp8Intra() {}

    private static final int DC_NOTOP = 4;
    private static final int DC_NOLEFT = 5;
    private static final int DC_NOTOPLEFT = 6;

    static int checkMode(int mbx, int mby, int mode) {
        if (mode == DC_PRED) {
            if (mbx == 0) {
                return mby == 0 ? DC_NOTOPLEFT : DC_NOLEFT;
            }
            return mby == 0 ? DC_NOTOP : DC_PRED;
        }
        return mode;
    }

    /** 16x16 luma or 8x8 chroma prediction. */
    static void predict(int[] w, int dst, int size, int mode) {
        int shift = size == 16 ? 4 : 3;
        switch (mode) {
            case DC_PRED, DC_NOTOP, DC_NOLEFT, DC_NOTOPLEFT -> {
                int dc;
                if (mode == DC_NOTOPLEFT) {
                    dc = 0x80;
                } else {
                    int top = 0;
                    int left = 0;
                    for (int i = 0; i < size; i++) {
                        top += w[dst - BPS + i];
                        left += w[dst + i * BPS - 1];
                    }
                    if (mode == DC_PRED) {
                        dc = (top + left + size) >> (shift + 1);
                    } else if (mode == DC_NOTOP) {
                        dc = (left + (size >> 1)) >> shift;
                    } else {
                        dc = (top + (size >> 1)) >> shift;
                    }
                }
                fill(w, dst, size, dc);
            }
            case V_PRED -> {
                for (int j = 0; j < size; j++) {
                    System.arraycopy(w, dst - BPS, w, dst + j * BPS, size);
                }
            }
            case H_PRED -> {
                for (int j = 0; j < size; j++) {
                    int v = w[dst + j * BPS - 1];
                    for (int i = 0; i < size; i++) {
                        w[dst + j * BPS + i] = v;
                    }
                }
            }
            default -> trueMotion(w, dst, size);
        }
    }

    private static void fill(int[] w, int dst, int size, int v) {
        for (int j = 0; j < size; j++) {
            for (int i = 0; i < size; i++) {
                w[dst + j * BPS + i] = v;
            }
        }
    }

    private static void trueMotion(int[] w, int dst, int size) {
        int tl = w[dst - BPS - 1];
        for (int j = 0; j < size; j++) {
            int left = w[dst + j * BPS - 1];
            for (int i = 0; i < size; i++) {
                w[dst + j * BPS + i] = clip8(w[dst - BPS + i] + left - tl);
            }
        }
    }

    private static int avg3(int a, int b, int c) {
        return (a + 2 * b + c + 2) >> 2;
    }

    private static int avg2(int a, int b) {
        return (a + b + 1) >> 1;
    }

    private static void set(int[] w, int dst, int x, int y, int v) {
        w[dst + x + y * BPS] = v;
    }

    /** 4x4 prediction, RFC 6386 section 12.3 (libwebp's VE4 ... HU4). */
    static void predict4(int[] w, int d, int mode) {
        int t = d - BPS;
        int x0 = w[t - 1];
        int a = w[t];
        int b = w[t + 1];
        int c = w[t + 2];
        int dd = w[t + 3];
        int e = w[t + 4];
        int f = w[t + 5];
        int g = w[t + 6];
        int h = w[t + 7];
        int i0 = w[d - 1];
        int j0 = w[d - 1 + BPS];
        int k0 = w[d - 1 + 2 * BPS];
        int l0 = w[d - 1 + 3 * BPS];
        switch (mode) {
            case B_DC -> {
                int dc = 4;
                for (int i = 0; i < 4; i++) {
                    dc += w[t + i] + w[d - 1 + i * BPS];
                }
                fill(w, d, 4, dc >> 3);
            }
            case B_TM -> trueMotion(w, d, 4);
            case B_VE -> {
                int[] v = {avg3(x0, a, b), avg3(a, b, c), avg3(b, c, dd), avg3(c, dd, e)};
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 4; x++) {
                        set(w, d, x, y, v[x]);
                    }
                }
            }
            case B_HE -> {
                int[] v = {avg3(x0, i0, j0), avg3(i0, j0, k0), avg3(j0, k0, l0), avg3(k0, l0, l0)};
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 4; x++) {
                        set(w, d, x, y, v[y]);
                    }
                }
            }
            case 4 -> { // LD
                set(w, d, 0, 0, avg3(a, b, c));
                int v = avg3(b, c, dd);
                set(w, d, 1, 0, v);
                set(w, d, 0, 1, v);
                v = avg3(c, dd, e);
                set(w, d, 2, 0, v);
                set(w, d, 1, 1, v);
                set(w, d, 0, 2, v);
                v = avg3(dd, e, f);
                set(w, d, 3, 0, v);
                set(w, d, 2, 1, v);
                set(w, d, 1, 2, v);
                set(w, d, 0, 3, v);
                v = avg3(e, f, g);
                set(w, d, 3, 1, v);
                set(w, d, 2, 2, v);
                set(w, d, 1, 3, v);
                v = avg3(f, g, h);
                set(w, d, 3, 2, v);
                set(w, d, 2, 3, v);
                set(w, d, 3, 3, avg3(g, h, h));
            }
            case 5 -> { // RD
                set(w, d, 0, 3, avg3(j0, k0, l0));
                int v = avg3(i0, j0, k0);
                set(w, d, 1, 3, v);
                set(w, d, 0, 2, v);
                v = avg3(x0, i0, j0);
                set(w, d, 2, 3, v);
                set(w, d, 1, 2, v);
                set(w, d, 0, 1, v);
                v = avg3(a, x0, i0);
                set(w, d, 3, 3, v);
                set(w, d, 2, 2, v);
                set(w, d, 1, 1, v);
                set(w, d, 0, 0, v);
                v = avg3(b, a, x0);
                set(w, d, 3, 2, v);
                set(w, d, 2, 1, v);
                set(w, d, 1, 0, v);
                v = avg3(c, b, a);
                set(w, d, 3, 1, v);
                set(w, d, 2, 0, v);
                set(w, d, 3, 0, avg3(dd, c, b));
            }
            case 6 -> { // VR
                int v = avg2(x0, a);
                set(w, d, 0, 0, v);
                set(w, d, 1, 2, v);
                v = avg2(a, b);
                set(w, d, 1, 0, v);
                set(w, d, 2, 2, v);
                v = avg2(b, c);
                set(w, d, 2, 0, v);
                set(w, d, 3, 2, v);
                set(w, d, 3, 0, avg2(c, dd));
                set(w, d, 0, 3, avg3(k0, j0, i0));
                set(w, d, 0, 2, avg3(j0, i0, x0));
                v = avg3(i0, x0, a);
                set(w, d, 0, 1, v);
                set(w, d, 1, 3, v);
                v = avg3(x0, a, b);
                set(w, d, 1, 1, v);
                set(w, d, 2, 3, v);
                v = avg3(a, b, c);
                set(w, d, 2, 1, v);
                set(w, d, 3, 3, v);
                set(w, d, 3, 1, avg3(b, c, dd));
            }
            case 7 -> { // VL
                set(w, d, 0, 0, avg2(a, b));
                int v = avg2(b, c);
                set(w, d, 1, 0, v);
                set(w, d, 0, 2, v);
                v = avg2(c, dd);
                set(w, d, 2, 0, v);
                set(w, d, 1, 2, v);
                v = avg2(dd, e);
                set(w, d, 3, 0, v);
                set(w, d, 2, 2, v);
                set(w, d, 0, 1, avg3(a, b, c));
                v = avg3(b, c, dd);
                set(w, d, 1, 1, v);
                set(w, d, 0, 3, v);
                v = avg3(c, dd, e);
                set(w, d, 2, 1, v);
                set(w, d, 1, 3, v);
                v = avg3(dd, e, f);
                set(w, d, 3, 1, v);
                set(w, d, 2, 3, v);
                set(w, d, 3, 2, avg3(e, f, g));
                set(w, d, 3, 3, avg3(f, g, h));
            }
            case 8 -> { // HD
                int v = avg2(i0, x0);
                set(w, d, 0, 0, v);
                set(w, d, 2, 1, v);
                v = avg2(j0, i0);
                set(w, d, 0, 1, v);
                set(w, d, 2, 2, v);
                v = avg2(k0, j0);
                set(w, d, 0, 2, v);
                set(w, d, 2, 3, v);
                set(w, d, 0, 3, avg2(l0, k0));
                set(w, d, 3, 0, avg3(a, b, c));
                set(w, d, 2, 0, avg3(x0, a, b));
                v = avg3(i0, x0, a);
                set(w, d, 1, 0, v);
                set(w, d, 3, 1, v);
                v = avg3(j0, i0, x0);
                set(w, d, 1, 1, v);
                set(w, d, 3, 2, v);
                v = avg3(k0, j0, i0);
                set(w, d, 1, 2, v);
                set(w, d, 3, 3, v);
                set(w, d, 1, 3, avg3(l0, k0, j0));
            }
            default -> { // HU
                set(w, d, 0, 0, avg2(i0, j0));
                int v = avg2(j0, k0);
                set(w, d, 2, 0, v);
                set(w, d, 0, 1, v);
                v = avg2(k0, l0);
                set(w, d, 2, 1, v);
                set(w, d, 0, 2, v);
                set(w, d, 1, 0, avg3(i0, j0, k0));
                v = avg3(j0, k0, l0);
                set(w, d, 3, 0, v);
                set(w, d, 1, 1, v);
                v = avg3(k0, l0, l0);
                set(w, d, 3, 1, v);
                set(w, d, 1, 2, v);
                set(w, d, 3, 2, l0);
                set(w, d, 2, 2, l0);
                set(w, d, 0, 3, l0);
                set(w, d, 1, 3, l0);
                set(w, d, 2, 3, l0);
                set(w, d, 3, 3, l0);
            }
        }
    }

    private static int mul1(int a) {
        return ((a * 20091) >> 16) + a;
    }

    private static int mul2(int a) {
        return (a * 35468) >> 16;
    }

    /** libwebp's TransformOne: the inverse DCT of one block, added to the prediction. */
    static void transform(short[] in, int off, int[] w, int dst) {
        boolean any = false;
        for (int i = 0; i < 16; i++) {
            if (in[off + i] != 0) {
                any = true;
                break;
            }
        }
        if (!any) {
            return;
        }
        int[] c = new int[16];
        int t = 0;
        for (int i = 0; i < 4; i++) {
            int a = in[off + i] + in[off + 8 + i];
            int b = in[off + i] - in[off + 8 + i];
            int cc = mul2(in[off + 4 + i]) - mul1(in[off + 12 + i]);
            int d = mul1(in[off + 4 + i]) + mul2(in[off + 12 + i]);
            c[t] = a + d;
            c[t + 1] = b + cc;
            c[t + 2] = b - cc;
            c[t + 3] = a - d;
            t += 4;
        }
        for (int i = 0; i < 4; i++) {
            int dc = c[i] + 4;
            int a = dc + c[8 + i];
            int b = dc - c[8 + i];
            int cc = mul2(c[4 + i]) - mul1(c[12 + i]);
            int d = mul1(c[4 + i]) + mul2(c[12 + i]);
            int row = dst + i * BPS;
            w[row] = clip8(w[row] + ((a + d) >> 3));
            w[row + 1] = clip8(w[row + 1] + ((b + cc) >> 3));
            w[row + 2] = clip8(w[row + 2] + ((b - cc) >> 3));
            w[row + 3] = clip8(w[row + 3] + ((a - d) >> 3));
        }
    }

    static int clip8(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

}
