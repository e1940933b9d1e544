package org.pastiche.imaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The common PNG decoded directly into ARGB: 8-bit RGB or RGBA, not interlaced, every chunk's CRC
 * right, one zlib stream in consecutive IDAT chunks that inflates to exactly the image's filtered
 * rows. ImageIO's reader takes about three times as long for such a file (docs/engine.md, "Fourth
 * round"); for the same file it gives the same pixels ({@code FastPngTest}).
 *
 * <p>Anything else, and anything doubtful (palette, gray, 16 bits, interlacing, a tRNS or PLTE chunk,
 * an unknown critical chunk, a wrong CRC, a truncated or overlong stream, an unknown row filter,
 * a chunk that lies about its length, bytes after IEND, a file much larger than its pixels need), is
 * not decoded here: {@link #decode} returns null and {@link ImageDecoder} reads the file with ImageIO
 * as before, so every error message and every unusual file's result is what it was. Colour chunks
 * (iCCP, sRGB, gAMA, cHRM) and EXIF are applied by the caller as for ImageIO's pixels.
 * Memory: the file's bytes (bounded by the pixels' size) and the filtered rows, one buffer each,
 * besides the ARGB array; images above {@link #MAX_PIXELS} are left to ImageIO.
 */
final class FastPng {
    private static final long SIGNATURE = 0x89504E470D0A1A0AL;
    /** The signature and the IHDR chunk: what {@link #header} reads. */
    static final int HEADER_BYTES = 8 + 25;
    /** Room for ancillary chunks (EXIF, an ICC profile, text) beyond the image data's worst case. */
    private static final long SLACK_BYTES = 4L << 20;
    /**
     * Larger images are left to ImageIO, which streams the file: here the whole file and the filtered rows
     * are in memory at once besides the ARGB array (for 40 MP, up to about 160 + 160 + 160 MB).
     */
    static final long MAX_PIXELS = 40_000_000L;
    /** How many files were decoded here (for the tests: which path a file took). */
    static final java.util.concurrent.atomic.AtomicLong DECODED = new java.util.concurrent.atomic.AtomicLong();

    private FastPng() {}

    /**
     * The pixels of {@code file} as ARGB, or null where this decoder does not take the file.
     * {@code width} x {@code height}: the size the header reader found (the IHDR must agree).
     */
    static int[] decode(Path file, int width, int height) throws IOException {
        return decode(file, width, height, MAX_PIXELS);
    }

    /** As above, for images of at most {@code maxPixels} (larger ones: null). */
    static int[] decode(Path file, int width, int height, long maxPixels) throws IOException {
        if ((long) width * height > maxPixels) {
            return null;
        }
        long rowBytesMax = 1 + 4L * width;
        long rawMax = rowBytesMax * height;
        // deflate's worst case is 5 bytes per 16 KiB block of stored data, plus the chunk headers
        long sizeMax = rawMax + rawMax / 1000 + 12 * (rawMax / 8192 + 1) + SLACK_BYTES;
        if (rawMax > Integer.MAX_VALUE - 16 || Files.size(file) > sizeMax) {
            return null;
        }
        int[] argb = decode(Files.readAllBytes(file), width, height);
        if (argb != null) {
            DECODED.incrementAndGet();
        }
        return argb;
    }

    /**
     * The width and height in the IHDR of a file this decoder may take (the signature, then an IHDR of
     * 13 bytes with the right CRC: 8-bit RGB or RGBA, not interlaced, both sides positive), read from
     * the file's first 33 bytes; null for every other file (then ImageIO reads its header, as before).
     * {@link ImageDecoder} checks the size against its limit with it before any pixel is allocated, and
     * so a plain PNG is decoded without ImageIO (whose plugin scan alone took 41-69 ms of a run).
     */
    static int[] header(Path file) throws IOException {
        byte[] head = new byte[HEADER_BYTES];
        int n = 0;
        try (InputStream in = Files.newInputStream(file)) {
            while (n < head.length) {
                int k = in.read(head, n, head.length - n);
                if (k < 0) {
                    return null;
                }
                n += k;
            }
        }
        return header(head);
    }

    /** As above, from the file's first bytes (at least {@link #HEADER_BYTES}; fewer: null). */
    static int[] header(byte[] png) {
        if (png.length < HEADER_BYTES || readLong(png, 0) != SIGNATURE) {
            return null;
        }
        int pos = 8;
        if (readInt(png, pos) != 13 || readInt(png, pos + 4) != 0x49484452 || !crcOk(png, pos, 13)) {
            return null;
        }
        int w = readInt(png, pos + 8);
        int h = readInt(png, pos + 12);
        int depth = png[pos + 16] & 0xFF;
        int colour = png[pos + 17] & 0xFF;
        if (w <= 0 || h <= 0 || depth != 8 || (colour != 2 && colour != 6)
                || png[pos + 18] != 0 || png[pos + 19] != 0 || png[pos + 20] != 0) {
            return null;
        }
        return new int[] {w, h};
    }

    /** As {@link #decode(Path, int, int)}, from the file's bytes. */
    static int[] decode(byte[] png, int width, int height) {
        if (png.length < 8 + 25 + 12) {
            return null;
        }
        // IHDR first, 13 bytes
        int[] size = header(png);
        if (size == null || size[0] != width || size[1] != height) {
            return null;
        }
        int pos = 8;
        int w = width;
        int h = height;
        int colour = png[pos + 17] & 0xFF;
        int channels = colour == 6 ? 4 : 3;
        long rowBytes = 1 + (long) channels * w;
        long rawSize = rowBytes * h;
        if (rawSize > Integer.MAX_VALUE - 16) {
            return null;
        }
        byte[] raw = new byte[(int) rawSize];
        byte[] scratch = new byte[1];
        Inflater inflater = new Inflater();
        try {
            pos += 25;
            int produced = 0;
            boolean inIdat = false;
            boolean idatDone = false;
            while (true) {
                if (pos + 12 > png.length) {
                    return null; // no IEND
                }
                long len = readInt(png, pos) & 0xFFFFFFFFL;
                int type = readInt(png, pos + 4);
                if (len > png.length - pos - 12L || !crcOk(png, pos, (int) len)) {
                    return null;
                }
                int data = pos + 8;
                if (type == 0x49444154) { // IDAT
                    if (idatDone) {
                        return null; // IDAT chunks not consecutive
                    }
                    inIdat = true;
                    inflater.setInput(png, data, (int) len);
                    while (!inflater.needsInput()) {
                        if (inflater.finished()) {
                            return null; // data after the zlib stream's end
                        }
                        int n = produced < raw.length
                                ? inflater.inflate(raw, produced, raw.length - produced)
                                : inflater.inflate(scratch, 0, 1); // only the stream's end may follow
                        if (produced == raw.length && n > 0) {
                            return null; // more rows than the image has
                        }
                        produced += n;
                        if (n == 0 && !inflater.finished() && !inflater.needsInput()) {
                            return null; // a preset dictionary, or no progress
                        }
                    }
                } else {
                    if (inIdat) {
                        idatDone = true;
                    }
                    if (type == 0x49454E44) { // IEND
                        if (len != 0 || pos + 12 != png.length) {
                            return null;
                        }
                        break;
                    }
                    boolean critical = (png[pos + 4] & 0x20) == 0;
                    if (critical || type == 0x74524E53) { // PLTE or an unknown critical chunk; tRNS
                        return null;
                    }
                }
                pos = data + (int) len + 4;
            }
            if (!inflater.finished() || produced != raw.length) {
                return null; // truncated image data
            }
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
        return unfilter(raw, w, h, channels);
    }

    /**
     * Undoes the row filters in place and packs the pixels; null for an unknown filter type. One small
     * method per filter and row, so that the JIT compiles each early in a short-lived process (one loop
     * over the whole image would run interpreted until its on-stack replacement).
     */
    private static int[] unfilter(byte[] raw, int w, int h, int channels) {
        int stride = 1 + channels * w;
        int n = stride - 1;
        int[] out = new int[Math.multiplyExact(w, h)];
        for (int y = 0; y < h; y++) {
            int row = y * stride + 1;
            int prev = row - stride; // the previous row's first byte (y > 0)
            int filter = raw[row - 1];
            if (y == 0 && filter >= 2) {
                // no row above: Up adds nothing, Average halves the left byte, Paeth predicts the left byte
                filter = filter == 2 ? 0 : filter == 3 ? -3 : 1;
            }
            switch (filter) {
                case 0 -> { }
                case 1 -> sub(raw, row, n, channels);
                case 2 -> up(raw, row, prev, n);
                case 3 -> average(raw, row, prev, n, channels);
                case -3 -> averageFirstRow(raw, row, n, channels);
                case 4 -> paeth(raw, row, prev, n, channels);
                default -> {
                    return null;
                }
            }
            if (channels == 3) {
                packRgb(raw, row, out, y * w, w);
            } else {
                packRgba(raw, row, out, y * w, w);
            }
        }
        return out;
    }

    private static void sub(byte[] raw, int row, int n, int ch) {
        for (int i = row + ch, end = row + n; i < end; i++) {
            raw[i] += raw[i - ch];
        }
    }

    private static void up(byte[] raw, int row, int prev, int n) {
        for (int i = 0; i < n; i++) {
            raw[row + i] += raw[prev + i];
        }
    }

    private static void average(byte[] raw, int row, int prev, int n, int ch) {
        for (int i = 0; i < ch; i++) {
            raw[row + i] += (byte) ((raw[prev + i] & 0xFF) >>> 1);
        }
        for (int i = ch; i < n; i++) {
            raw[row + i] += (byte) (((raw[row + i - ch] & 0xFF) + (raw[prev + i] & 0xFF)) >>> 1);
        }
    }

    private static void averageFirstRow(byte[] raw, int row, int n, int ch) {
        for (int i = row + ch, end = row + n; i < end; i++) {
            raw[i] += (byte) ((raw[i - ch] & 0xFF) >>> 1);
        }
    }

    private static void paeth(byte[] raw, int row, int prev, int n, int ch) {
        for (int i = 0; i < ch; i++) {
            raw[row + i] += raw[prev + i]; // no left neighbour: the byte above
        }
        for (int i = row + ch, up = prev + ch, end = row + n; i < end; i++, up++) {
            int a = raw[i - ch] & 0xFF;
            int b = raw[up] & 0xFF;
            int c = raw[up - ch] & 0xFF;
            // paeth(a, b, c) without branches (the photo's bytes make them unpredictable): masks of -1 or 0
            int pa = Math.abs(b - c);
            int pb = Math.abs(a - c);
            int pc = Math.abs(a + b - c - c);
            int notA = ((pb - pa) | (pc - pa)) >> 31;
            int notB = (pc - pb) >> 31;
            int bc = b ^ ((b ^ c) & notB);
            raw[i] += (byte) (a ^ ((a ^ bc) & notA));
        }
    }

    private static void packRgb(byte[] raw, int p, int[] out, int o, int w) {
        for (int x = 0; x < w; x++, p += 3) {
            out[o + x] = 0xFF000000 | (raw[p] & 0xFF) << 16 | (raw[p + 1] & 0xFF) << 8 | raw[p + 2] & 0xFF;
        }
    }

    private static void packRgba(byte[] raw, int p, int[] out, int o, int w) {
        for (int x = 0; x < w; x++, p += 4) {
            out[o + x] = (raw[p + 3] & 0xFF) << 24 | (raw[p] & 0xFF) << 16 | (raw[p + 1] & 0xFF) << 8 | raw[p + 2] & 0xFF;
        }
    }

    static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static boolean crcOk(byte[] png, int chunk, int len) {
        CRC32 crc = new CRC32();
        crc.update(png, chunk + 4, 4 + len);
        return (int) crc.getValue() == readInt(png, chunk + 8 + len);
    }

    private static int readInt(byte[] b, int i) {
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | b[i + 3] & 0xFF;
    }

    private static long readLong(byte[] b, int i) {
        return (long) readInt(b, i) << 32 | readInt(b, i + 4) & 0xFFFFFFFFL;
    }
}
