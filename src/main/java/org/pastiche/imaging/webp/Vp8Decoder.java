package org.pastiche.imaging.webp;

import static org.pastiche.imaging.webp.Vp8Intra.BPS;
import static org.pastiche.imaging.webp.Vp8Intra.B_DC;
import static org.pastiche.imaging.webp.Vp8Intra.DC_PRED;
import static org.pastiche.imaging.webp.Vp8Intra.H_PRED;
import static org.pastiche.imaging.webp.Vp8Intra.TM_PRED;
import static org.pastiche.imaging.webp.Vp8Intra.V_PRED;

import java.io.IOException;
import java.util.Arrays;

/**
 * A VP8 key-frame decoder (the bitstream inside a lossy WebP), written after RFC 6386 and
 * libwebp's {@code src/dec} so that its Y, U and V planes are the ones libwebp reconstructs, bit
 * for bit: intra prediction from the unfiltered neighbours, then the loop filter over the whole
 * frame. WebP holds a single key frame; anything else is refused. Memory: the padded planes
 * (1.5 bytes a pixel) and their cropped copy; the caller checks the size against its pixel limit
 * first ({@link #size}).
 */
public final class Vp8Decoder {
    /** Sub-block mode tree in RFC 6386 numbering (see {@link Vp8Intra}). */
    private static final int[] BMODE_TREE = {0, 2, -1, 4, -2, 6, 8, 12, -3, 10, -5, -6, -4, 14, -7, 16, -8, -9};

    /** A decoded frame: Y is {@code width x height}, U and V {@code (width+1)/2 x (height+1)/2}. */
    public record Frame(int width, int height, byte[] y, byte[] u, byte[] v) {}

    private final byte[] data;
    private final int pos0;
    private final int end;
    private int width;
    private int height;
    private int mbw;
    private int mbh;
    // Planes padded to whole macroblocks.
    private int ys;
    private int uvs;
    private byte[] yp;
    private byte[] up;
    private byte[] vp;

    private Vp8Decoder(byte[] data, int offset, int length) {
        this.data = data;
        this.pos0 = offset;
        this.end = offset + length;
    }

    /** Decodes the VP8 bitstream in {@code data[offset, offset+length)}. */
    public static Frame decode(byte[] data, int offset, int length) throws IOException {
        return new Vp8Decoder(data, offset, length).run();
    }

    /** Width and height from the first 10 bytes of a VP8 key frame, without decoding. */
    public static int[] size(byte[] head) throws IOException {
        if (head.length < 10 || (head[0] & 1) != 0 || (head[3] & 0xFF) != 0x9d || (head[4] & 0xFF) != 0x01
                || (head[5] & 0xFF) != 0x2a) {
            throw new IOException("not a VP8 key frame");
        }
        return new int[] {((head[6] & 0xFF) | (head[7] & 0xFF) << 8) & 0x3FFF,
            ((head[8] & 0xFF) | (head[9] & 0xFF) << 8) & 0x3FFF};
    }

    private Frame run() throws IOException {
        if (end - pos0 < 10) {
            throw new IOException("the VP8 data is truncated");
        }
        byte[] head = new byte[10];
        System.arraycopy(data, pos0, head, 0, 10);
        int[] wh = size(head);
        int tag = (data[pos0] & 0xFF) | (data[pos0 + 1] & 0xFF) << 8 | (data[pos0 + 2] & 0xFF) << 16;
        if (((tag >> 4) & 1) == 0) {
            throw new IOException("the VP8 frame is not shown");
        }
        int firstSize = tag >>> 5;
        width = wh[0];
        height = wh[1];
        if (width == 0 || height == 0) {
            throw new IOException("the VP8 frame has no pixels");
        }
        int first = pos0 + 10;
        if (first + firstSize > end) {
            throw new IOException("the VP8 data is truncated");
        }
        mbw = (width + 15) >> 4;
        mbh = (height + 15) >> 4;
        Vp8BoolDecoder br = new Vp8BoolDecoder(data, first, first + firstSize);
        Vp8Header h = new Vp8Header(br, data, first + firstSize, end);
        ys = mbw * 16;
        uvs = mbw * 8;
        yp = new byte[Math.multiplyExact(ys, mbh * 16)];
        up = new byte[Math.multiplyExact(uvs, mbh * 8)];
        vp = new byte[up.length];
        int[] filterInfo = new int[mbw * mbh];
        int[] intraTop = new int[4 * mbw];
        int[] intraLeft = new int[4];
        int[] modes = new int[16];
        short[] coeffs = new short[384];
        Vp8Residuals residuals = new Vp8Residuals(h, mbw);
        for (int mby = 0; mby < mbh; mby++) {
            Vp8BoolDecoder tokens = h.partitions[mby & (h.partitions.length - 1)];
            Arrays.fill(intraLeft, B_DC);
            residuals.newRow();
            for (int mbx = 0; mbx < mbw; mbx++) {
                // libwebp's ParseIntraMode, then VP8DecodeMB.
                int segment = 0;
                if (h.updateMap) {
                    segment = br.read(h.segProbs[0]) == 0 ? br.read(h.segProbs[1]) : br.read(h.segProbs[2]) + 2;
                }
                boolean skip = h.useSkipProb && br.read(h.skipProb) != 0;
                boolean i4x4 = br.read(145) == 0;
                if (!i4x4) {
                    int ymode = br.read(156) != 0 ? (br.read(128) != 0 ? TM_PRED : H_PRED)
                            : (br.read(163) != 0 ? V_PRED : DC_PRED);
                    modes[0] = ymode;
                    Arrays.fill(intraTop, 4 * mbx, 4 * mbx + 4, ymode);
                    Arrays.fill(intraLeft, ymode);
                } else {
                    for (int y = 0; y < 4; y++) {
                        int ymode = intraLeft[y];
                        for (int x = 0; x < 4; x++) {
                            int base = (intraTop[4 * mbx + x] * 10 + ymode) * 9;
                            ymode = br.tree(BMODE_TREE, Vp8Header.BMODE_PROBS, base);
                            intraTop[4 * mbx + x] = ymode;
                            modes[4 * y + x] = ymode;
                        }
                        intraLeft[y] = ymode;
                    }
                }
                int uvMode = br.read(142) == 0 ? DC_PRED : br.read(114) == 0 ? V_PRED : br.read(183) != 0 ? TM_PRED : H_PRED;

                Arrays.fill(coeffs, (short) 0);
                boolean nonZero = false;
                if (!skip) {
                    nonZero = residuals.parse(tokens, mbx, segment, i4x4, coeffs);
                } else {
                    residuals.skip(mbx, i4x4);
                }
                filterInfo[mby * mbw + mbx] = segment | (i4x4 ? 4 : 0) | (i4x4 || nonZero ? 8 : 0);
                reconstruct(mbx, mby, i4x4, modes, uvMode, coeffs);
            }
            if (br.overrun() || tokens.overrun()) {
                throw new IOException("the VP8 data ends early (the file is truncated or corrupt)");
            }
        }
        if (h.filterLevel > 0) {
            new Vp8LoopFilter(h, mbw, mbh, yp, ys, up, vp, uvs).apply(filterInfo);
        }
        return crop();
    }


    /** Work area like libwebp's yuv_b_: stride 32, Y at (8, 1) with its top row, left column and top-right. */
    private final int[] work = new int[BPS * 17 + BPS * 9];
    private static final int Y_OFF = BPS + 8;
    private static final int U_OFF = Y_OFF + BPS * 16 + BPS;
    private static final int V_OFF = U_OFF + 16;

    private void reconstruct(int mbx, int mby, boolean i4x4, int[] modes, int uvMode, short[] coeffs) {
        int[] w = work;
        // Edges: left column (129 at the left border), top row (127 at the top border), top-left.
        for (int j = -1; j < 16; j++) {
            w[Y_OFF + j * BPS - 1] = mbx > 0 && j >= 0 ? yp[(mby * 16 + j) * ys + mbx * 16 - 1] & 0xFF : 129;
        }
        for (int j = -1; j < 8; j++) {
            w[U_OFF + j * BPS - 1] = mbx > 0 && j >= 0 ? up[(mby * 8 + j) * uvs + mbx * 8 - 1] & 0xFF : 129;
            w[V_OFF + j * BPS - 1] = mbx > 0 && j >= 0 ? vp[(mby * 8 + j) * uvs + mbx * 8 - 1] & 0xFF : 129;
        }
        if (mby > 0) {
            int row = (mby * 16 - 1) * ys + mbx * 16;
            for (int i = -1; i < 20; i++) {
                int v;
                if (i == -1) {
                    v = mbx > 0 ? yp[row - 1] & 0xFF : 129;
                } else if (i < 16) {
                    v = yp[row + i] & 0xFF;
                } else {
                    v = mbx < mbw - 1 ? yp[row + i] & 0xFF : yp[row + 15] & 0xFF;
                }
                w[Y_OFF - BPS + i] = v;
            }
            int urow = (mby * 8 - 1) * uvs + mbx * 8;
            for (int i = -1; i < 8; i++) {
                w[U_OFF - BPS + i] = i < 0 ? (mbx > 0 ? up[urow - 1] & 0xFF : 129) : up[urow + i] & 0xFF;
                w[V_OFF - BPS + i] = i < 0 ? (mbx > 0 ? vp[urow - 1] & 0xFF : 129) : vp[urow + i] & 0xFF;
            }
        } else {
            for (int i = -1; i < 20; i++) {
                w[Y_OFF - BPS + i] = 127;
            }
            for (int i = -1; i < 8; i++) {
                w[U_OFF - BPS + i] = 127;
                w[V_OFF - BPS + i] = 127;
            }
        }
        if (i4x4) {
            // The top-right of the right-hand sub-blocks below the first row is the macroblock's own.
            for (int k = 1; k < 4; k++) {
                for (int i = 0; i < 4; i++) {
                    w[Y_OFF + (4 * k - 1) * BPS + 16 + i] = w[Y_OFF - BPS + 16 + i];
                }
            }
            for (int n = 0; n < 16; n++) {
                int dst = Y_OFF + (n >> 2) * 4 * BPS + (n & 3) * 4;
                Vp8Intra.predict4(w, dst, modes[n]);
                Vp8Intra.transform(coeffs, n * 16, w, dst);
            }
        } else {
            Vp8Intra.predict(w, Y_OFF, 16, Vp8Intra.checkMode(mbx, mby, modes[0]));
            for (int n = 0; n < 16; n++) {
                Vp8Intra.transform(coeffs, n * 16, w, Y_OFF + (n >> 2) * 4 * BPS + (n & 3) * 4);
            }
        }
        int uvPred = Vp8Intra.checkMode(mbx, mby, uvMode);
        Vp8Intra.predict(w, U_OFF, 8, uvPred);
        Vp8Intra.predict(w, V_OFF, 8, uvPred);
        for (int n = 0; n < 4; n++) {
            int off = (n >> 1) * 4 * BPS + (n & 1) * 4;
            Vp8Intra.transform(coeffs, (16 + n) * 16, w, U_OFF + off);
            Vp8Intra.transform(coeffs, (20 + n) * 16, w, V_OFF + off);
        }
        for (int j = 0; j < 16; j++) {
            int o = (mby * 16 + j) * ys + mbx * 16;
            for (int i = 0; i < 16; i++) {
                yp[o + i] = (byte) w[Y_OFF + j * BPS + i];
            }
        }
        for (int j = 0; j < 8; j++) {
            int o = (mby * 8 + j) * uvs + mbx * 8;
            for (int i = 0; i < 8; i++) {
                up[o + i] = (byte) w[U_OFF + j * BPS + i];
                vp[o + i] = (byte) w[V_OFF + j * BPS + i];
            }
        }
    }

    // ------------------------------------------------------------------ output

    private Frame crop() {
        int uvw = (width + 1) / 2;
        int uvh = (height + 1) / 2;
        byte[] y = new byte[width * height];
        byte[] u = new byte[uvw * uvh];
        byte[] v = new byte[uvw * uvh];
        for (int j = 0; j < height; j++) {
            System.arraycopy(yp, j * ys, y, j * width, width);
        }
        for (int j = 0; j < uvh; j++) {
            System.arraycopy(up, j * uvs, u, j * uvw, uvw);
            System.arraycopy(vp, j * uvs, v, j * uvw, uvw);
        }
        return new Frame(width, height, y, u, v);
    }

}
