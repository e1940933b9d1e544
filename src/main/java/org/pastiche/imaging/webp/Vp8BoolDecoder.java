package org.pastiche.imaging.webp;

/** RFC 6386's boolean entropy decoder (section 7); reads zeros past the end, as libwebp does. */
final class Vp8BoolDecoder {
    private final byte[] buf;
    private final int stop;
    private int pos;
    private int value;
    private int range = 255;
    private int bitCount;
    private int phantom;
    private static final int SLACK = 2;

    Vp8BoolDecoder(byte[] buf, int start, int stop) {
        this.buf = buf;
        this.pos = start;
        this.stop = stop;
        value = next() << 8 | next();
    }

    private int next() {
        if (pos < stop) {
            return buf[pos++] & 0xFF;
        }
        phantom++;
        return 0;
    }

    /**
     * True once the decoder has used more zero bytes past its end than a complete stream needs.
     * This decoder reads one byte further ahead than libwebp's, which itself allows one byte
     * past the end before it calls the data truncated; valid files need at most {@value #SLACK}.
     */
    boolean overrun() {
        return phantom > SLACK;
    }

    int read(int prob) {
        int split = 1 + (((range - 1) * prob) >> 8);
        int bigSplit = split << 8;
        int bit;
        if (value >= bigSplit) {
            bit = 1;
            range -= split;
            value -= bigSplit;
        } else {
            bit = 0;
            range = split;
        }
        while (range < 128) {
            value <<= 1;
            range <<= 1;
            if (++bitCount == 8) {
                bitCount = 0;
                value |= next();
            }
        }
        return bit;
    }

    int bit() {
        return read(128);
    }

    int literal(int bits) {
        int v = 0;
        while (bits-- > 0) {
            v |= bit() << bits;
        }
        return v;
    }

    int signed(int bits) {
        int v = literal(bits);
        return bit() != 0 ? -v : v;
    }

    int tree(int[] tree, int[] probs, int base) {
        int i = 0;
        while ((i = tree[i + read(probs[base + (i >> 1)])]) > 0) {
            // walk down
        }
        return -i;
    }
}
