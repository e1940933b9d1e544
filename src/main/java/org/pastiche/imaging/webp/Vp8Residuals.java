package org.pastiche.imaging.webp;

/**
 * The DCT/WHT coefficients of each macroblock (RFC 6386 section 13, libwebp's
 * {@code ParseResiduals} and {@code GetCoeffs}), dequantized, with the "non-zero" contexts that
 * run along the macroblock row and column.
 */
final class Vp8Residuals {
    private static final int[] BANDS = {0, 1, 2, 3, 6, 4, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7, 0};
    private static final int[] ZIGZAG = {0, 1, 4, 8, 5, 2, 3, 6, 9, 12, 13, 10, 7, 11, 14, 15};
    private static final int[][] CAT3456 = {
        {173, 148, 140}, {176, 155, 140, 135}, {180, 157, 141, 134, 130},
        {254, 254, 243, 230, 196, 177, 153, 140, 133, 130, 129}};

    private final Vp8Header header;
    private final int[] nzTop;
    private final int[] nzDcTop;
    private final short[] dc = new short[16];
    private int nzLeft;
    private int nzDcLeft;

    Vp8Residuals(Vp8Header header, int mbw) {
        this.header = header;
        nzTop = new int[mbw];
        nzDcTop = new int[mbw];
    }

    /** At the start of each macroblock row. */
    void newRow() {
        nzLeft = 0;
        nzDcLeft = 0;
    }

    /** A macroblock whose coefficients are all skipped. */
    void skip(int mbx, boolean i4x4) {
        nzTop[mbx] = 0;
        nzLeft = 0;
        if (!i4x4) {
            nzDcTop[mbx] = 0;
            nzDcLeft = 0;
        }
    }

    /** libwebp's ParseResiduals; returns true if any coefficient is non-zero. */
    boolean parse(Vp8BoolDecoder br, int mbx, int segment, boolean i4x4, short[] out) {
        int[] q = header.dq[segment];
        int first;
        int acType;
        boolean any = false;
        if (!i4x4) {
            short[] dc = this.dc;
            java.util.Arrays.fill(dc, (short) 0);
            int ctx = nzDcTop[mbx] + nzDcLeft;
            int nz = coefficients(br, 1, ctx, q[2], q[3], 0, dc, 0);
            int flag = nz > 0 ? 1 : 0;
            nzDcTop[mbx] = flag;
            nzDcLeft = flag;
            inverseWht(dc, out);
            first = 1;
            acType = 0;
        } else {
            first = 0;
            acType = 3;
        }
        int tnz = nzTop[mbx] & 0x0f;
        int lnz = nzLeft & 0x0f;
        for (int y = 0; y < 4; y++) {
            int l = lnz & 1;
            for (int x = 0; x < 4; x++) {
                int ctx = l + (tnz & 1);
                int off = (4 * y + x) * 16;
                int nz = coefficients(br, acType, ctx, q[0], q[1], first, out, off);
                l = nz > first ? 1 : 0;
                // libwebp's non_zero_y: more than a DC token, or a non-zero DC (from the WHT for i16).
                any |= nz > 1 || out[off] != 0;
                tnz = (tnz >> 1) | (l << 7);
            }
            tnz >>= 4;
            lnz = (lnz >> 1) | (l << 7);
        }
        int outTop = tnz;
        int outLeft = lnz >> 4;
        for (int ch = 0; ch < 4; ch += 2) {
            tnz = nzTop[mbx] >> (4 + ch);
            lnz = nzLeft >> (4 + ch);
            for (int y = 0; y < 2; y++) {
                int l = lnz & 1;
                for (int x = 0; x < 2; x++) {
                    int ctx = l + (tnz & 1);
                    int block = 16 + (ch << 1) + 2 * y + x;
                    int nz = coefficients(br, 2, ctx, q[4], q[5], 0, out, block * 16);
                    l = nz > 0 ? 1 : 0;
                    any |= nz > 1 || out[block * 16] != 0;
                    tnz = (tnz >> 1) | (l << 3);
                }
                tnz >>= 2;
                lnz = (lnz >> 1) | (l << 5);
            }
            outTop |= (tnz << 4) << ch;
            outLeft |= (lnz & 0xf0) << ch;
        }
        nzTop[mbx] = outTop;
        nzLeft = outLeft;
        return any;
    }

    /** libwebp's GetCoeffs: the tokens of one 4x4 block from position {@code n}; returns the end position. */
    private int coefficients(Vp8BoolDecoder br, int type, int ctx, int dcq, int acq, int n, short[] out, int off) {
        int p = prob(type, BANDS[n], ctx);
        for (; n < 16; n++) {
            if (br.read(header.probs[p]) == 0) {
                return n; // end of block
            }
            while (br.read(header.probs[p + 1]) == 0) {
                p = prob(type, BANDS[++n], 0);
                if (n == 16) {
                    return 16;
                }
            }
            int v;
            if (br.read(header.probs[p + 2]) == 0) {
                v = 1;
                p = prob(type, BANDS[n + 1], 1);
            } else {
                v = largeValue(br, p);
                p = prob(type, BANDS[n + 1], 2);
            }
            int signed = br.read(128) != 0 ? -v : v;
            out[off + ZIGZAG[n]] = (short) (signed * (n > 0 ? acq : dcq));
        }
        return 16;
    }

    private static int prob(int type, int band, int ctx) {
        return ((type * 8 + band) * 3 + ctx) * 11;
    }

    private int largeValue(Vp8BoolDecoder br, int p) {
        int v;
        if (br.read(header.probs[p + 3]) == 0) {
            if (br.read(header.probs[p + 4]) == 0) {
                v = 2;
            } else {
                v = 3 + br.read(header.probs[p + 5]);
            }
        } else if (br.read(header.probs[p + 6]) == 0) {
            if (br.read(header.probs[p + 7]) == 0) {
                v = 5 + br.read(159);
            } else {
                v = 7 + 2 * br.read(165);
                v += br.read(145);
            }
        } else {
            int bit1 = br.read(header.probs[p + 8]);
            int bit0 = br.read(header.probs[p + 9 + bit1]);
            int cat = 2 * bit1 + bit0;
            v = 0;
            for (int prob : CAT3456[cat]) {
                v += v + br.read(prob);
            }
            v += 3 + (8 << cat);
        }
        return v;
    }

    private static void inverseWht(short[] in, short[] out) {
        int[] tmp = new int[16];
        for (int i = 0; i < 4; i++) {
            int a0 = in[i] + in[12 + i];
            int a1 = in[4 + i] + in[8 + i];
            int a2 = in[4 + i] - in[8 + i];
            int a3 = in[i] - in[12 + i];
            tmp[i] = a0 + a1;
            tmp[8 + i] = a0 - a1;
            tmp[4 + i] = a3 + a2;
            tmp[12 + i] = a3 - a2;
        }
        for (int i = 0; i < 4; i++) {
            int dc = tmp[i * 4] + 3;
            int a0 = dc + tmp[3 + i * 4];
            int a1 = tmp[1 + i * 4] + tmp[2 + i * 4];
            int a2 = tmp[1 + i * 4] - tmp[2 + i * 4];
            int a3 = dc - tmp[3 + i * 4];
            int o = i * 64;
            out[o] = (short) ((a0 + a1) >> 3);
            out[o + 16] = (short) ((a3 + a2) >> 3);
            out[o + 32] = (short) ((a0 - a1) >> 3);
            out[o + 48] = (short) ((a3 - a2) >> 3);
        }
    }

}
