package org.pastiche.imaging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A PNG writer for {@link RgbaImage}s: 8-bit RGB (opaque images) or RGBA, not interlaced, tagged sRGB
 * with the same cHRM, gAMA and sRGB chunks as ImageIO's writer got from {@link ImageEncoders}. Faster
 * than ImageIO's writer on several cores: the rows are cut into bands of about {@link #BAND_BYTES}
 * that are filtered and deflated at the same time, each by its own {@link Deflater} (no shared
 * dictionary), and joined into one zlib stream as pigz does: every band but the last ends with a
 * sync flush (an empty stored block, byte-aligned, not final), the last one with the final block;
 * the stream's Adler-32 is the bands' checksums {@link #adler32Combine combined}. Bands are written
 * in order as they are done, with at most {@code 2 x threads} of them in memory at a time.
 *
 * <p>Each row is filtered with Paeth (type 4), one pass where a per-row choice among the five filters
 * takes five. What is deflated is decided for every 64 KiB of filtered rows: where at least half of
 * the bytes are 0 (flat areas, graphics, where repeated strings pay) with string matching at level
 * {@link #LEVEL}; elsewhere (photos, paintings: few repeats after filtering) with Huffman coding
 * only, which there takes half the time and gives files no larger (a 2 MP painting: 4.71 MB
 * against 4.78 MB at level 4, and 5.90 MB from ImageIO's writer).
 */
final class PngEncoder {
    /** About this much filtered data per band (the last band of an image may be smaller). */
    static final int BAND_BYTES = 1 << 20;
    static final int LEVEL = 4;
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    /** Written IDAT chunks hold at most this much. */
    private static final int MAX_CHUNK = 1 << 18;

    private final int level;
    private final int threads;
    private final int bandBytes;

    /** Level {@link #LEVEL}, a thread per core. */
    PngEncoder() {
        this(LEVEL, Runtime.getRuntime().availableProcessors(), BAND_BYTES);
    }

    /** {@code bandBytes}: filtered bytes a band holds at most (at least one row); the bands decide the bytes. */
    PngEncoder(int level, int threads, int bandBytes) {
        if (level < 0 || level > 9 || threads < 1 || bandBytes < 1) {
            throw new IllegalArgumentException("level 0..9, at least one thread, bands of at least one byte");
        }
        this.level = level;
        this.threads = threads;
        this.bandBytes = bandBytes;
    }

    /** Writes the whole PNG file onto {@code out} (not closed). */
    void write(RgbaImage image, OutputStream out) throws IOException {
        boolean alpha = image.hasAlpha();
        int w = image.width();
        int h = image.height();
        int bpp = alpha ? 4 : 3;
        long rowBytes = 1L + (long) w * bpp;
        if (rowBytes > Integer.MAX_VALUE / 2) {
            throw new IOException("the image is too wide for PNG rows (" + w + " pixels)");
        }
        out.write(SIGNATURE);
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, w);
        putInt(ihdr, 4, h);
        ihdr[8] = 8;
        ihdr[9] = (byte) (alpha ? 6 : 2);
        // compression 0, filter method 0, no interlace
        chunk(out, "IHDR", ihdr, 0, ihdr.length);
        byte[] chrm = new byte[32];
        int[] primaries = {31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000}; // white, red, green, blue
        for (int i = 0; i < primaries.length; i++) {
            putInt(chrm, 4 * i, primaries[i]);
        }
        chunk(out, "cHRM", chrm, 0, chrm.length);
        byte[] gama = new byte[4];
        putInt(gama, 0, 45455);
        chunk(out, "gAMA", gama, 0, 4);
        chunk(out, "sRGB", new byte[] {0}, 0, 1); // perceptual
        int rowsPerBand = (int) Math.max(1, Math.min(h, bandBytes / rowBytes));
        int bands = (h + rowsPerBand - 1) / rowsPerBand;
        IdatWriter idat = new IdatWriter(out);
        idat.write(new byte[] {0x78, zlibFlags(level)}, 2);
        long adler = 1;
        if (bands == 1 || threads == 1) {
            for (int b = 0; b < bands; b++) {
                Band band = compress(image, bpp, b * rowsPerBand, Math.min(h, (b + 1) * rowsPerBand), b == bands - 1);
                adler = adler32Combine(adler, band.adler, band.length);
                idat.write(band.data, band.size);
            }
        } else {
            int workers = Math.min(threads, bands);
            AtomicInteger n = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "pastiche-png-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            try {
                Deque<Future<Band>> inFlight = new ArrayDeque<>();
                int next = 0;
                for (int b = 0; b < bands; b++) {
                    while (next < bands && next < b + 2 * workers) {
                        int y0 = next * rowsPerBand;
                        int y1 = Math.min(h, y0 + rowsPerBand);
                        boolean last = next == bands - 1;
                        inFlight.add(pool.submit(() -> compress(image, bpp, y0, y1, last)));
                        next++;
                    }
                    Band band = await(inFlight.removeFirst());
                    adler = adler32Combine(adler, band.adler, band.length);
                    idat.write(band.data, band.size);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        byte[] tail = new byte[4];
        putInt(tail, 0, (int) adler);
        idat.write(tail, 4);
        idat.flush();
        chunk(out, "IEND", new byte[0], 0, 0);
        out.flush();
    }

    private static Band await(Future<Band> f) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true; // finish the file (or fail) rather than leave a band running
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof IOException io) {
                        throw io;
                    }
                    if (c instanceof RuntimeException re) {
                        throw re;
                    }
                    if (c instanceof Error err) {
                        throw err;
                    }
                    throw new IOException(c);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One band's deflate output (no zlib header or checksum) and the Adler-32 of its filtered rows. */
    private record Band(byte[] data, int size, long adler, long length) {}

    /** Filters rows {@code [y0, y1)} and deflates them; {@code last}: the band that ends the stream. */
    private Band compress(RgbaImage image, int bpp, int y0, int y1, boolean last) {
        int w = image.width();
        int[] argb = image.argb();
        int stride = w * bpp;
        int rowBytes = 1 + stride;
        byte[] prev = new byte[stride];
        byte[] cur = new byte[stride];
        if (y0 > 0) {
            raw(argb, (y0 - 1) * w, w, bpp, prev);
        }
        int rowsPerChunk = Math.max(1, (1 << 16) / rowBytes);
        byte[] chunk = new byte[rowsPerChunk * rowBytes];
        Deflater deflater = new Deflater(level, true);
        boolean huffman = false;
        Adler32 adler = new Adler32();
        Sink sink = new Sink(Math.max(1 << 12, (int) Math.min(Integer.MAX_VALUE - 64,
                (long) (y1 - y0) * rowBytes + ((long) (y1 - y0) * rowBytes >> 8) + 64)));
        try {
            for (int y = y0; y < y1; ) {
                int rows = Math.min(rowsPerChunk, y1 - y);
                for (int r = 0; r < rows; r++, y++) {
                    raw(argb, y * w, w, bpp, cur);
                    int o = r * rowBytes;
                    chunk[o] = 4;
                    paeth(cur, prev, bpp, chunk, o + 1);
                    byte[] t = prev;
                    prev = cur;
                    cur = t;
                }
                int len = rows * rowBytes;
                adler.update(chunk, 0, len);
                boolean flat = zeros(chunk, len) >= len / 2;
                if (flat == huffman) {
                    huffman = !flat;
                    deflater.setStrategy(huffman ? Deflater.HUFFMAN_ONLY : Deflater.DEFAULT_STRATEGY);
                }
                deflater.setInput(chunk, 0, len);
                while (!deflater.needsInput()) {
                    sink.deflate(deflater, Deflater.NO_FLUSH);
                }
            }
            if (last) {
                deflater.finish();
                while (!deflater.finished()) {
                    sink.deflate(deflater, Deflater.NO_FLUSH);
                }
            } else {
                // SYNC_FLUSH until the deflater has room to spare: everything is out, byte-aligned
                while (sink.deflate(deflater, Deflater.SYNC_FLUSH)) {
                    // more to flush
                }
            }
        } finally {
            deflater.end();
        }
        return new Band(sink.buf, sink.size, adler.getValue(), (long) (y1 - y0) * rowBytes);
    }

    /** A growable output buffer for a deflater. */
    private static final class Sink {
        byte[] buf;
        int size;

        Sink(int capacity) {
            buf = new byte[capacity];
        }

        /** One deflate call; true if it filled the space it was given (there may be more). */
        boolean deflate(Deflater d, int flush) {
            if (buf.length - size < 1 << 12) {
                buf = java.util.Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 64, buf.length * 3L / 2 + (1 << 12)));
            }
            int room = buf.length - size;
            int n = d.deflate(buf, size, room, flush);
            size += n;
            return n == room;
        }
    }

    private static int zeros(byte[] b, int len) {
        int n = 0;
        for (int i = 0; i < len; i++) {
            n += b[i] == 0 ? 1 : 0;
        }
        return n;
    }

    /** One row as PNG samples: R, G, B (and A) bytes. */
    private static void raw(int[] argb, int from, int w, int bpp, byte[] out) {
        if (bpp == 3) {
            for (int x = 0, o = 0; x < w; x++, o += 3) {
                int p = argb[from + x];
                out[o] = (byte) (p >> 16);
                out[o + 1] = (byte) (p >> 8);
                out[o + 2] = (byte) p;
            }
        } else {
            for (int x = 0, o = 0; x < w; x++, o += 4) {
                int p = argb[from + x];
                out[o] = (byte) (p >> 16);
                out[o + 1] = (byte) (p >> 8);
                out[o + 2] = (byte) p;
                out[o + 3] = (byte) (p >>> 24);
            }
        }
    }

    /** PNG's Paeth filter of {@code cur} against {@code prev} (the row above), into {@code out} at {@code o}. */
    static void paeth(byte[] cur, byte[] prev, int bpp, byte[] out, int o) {
        int n = cur.length;
        for (int i = 0; i < bpp; i++) {
            out[o + i] = (byte) (cur[i] - prev[i]); // a = c = 0: the predictor is b
        }
        for (int i = bpp; i < n; i++) {
            int a = cur[i - bpp] & 0xFF;
            int b = prev[i] & 0xFF;
            int c = prev[i - bpp] & 0xFF;
            int pa = Math.abs(b - c);
            int pb = Math.abs(a - c);
            int pc = Math.abs(a + b - 2 * c);
            int pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
            out[o + i] = (byte) (cur[i] - pred);
        }
    }

    /** zlib's FLG byte for deflate with a 32 K window at this level (FLEVEL and the check bits). */
    static byte zlibFlags(int level) {
        int flevel = level < 2 ? 0 : level < 6 ? 1 : level == 6 ? 2 : 3;
        int flg = flevel << 6;
        flg += 31 - ((0x78 << 8 | flg) % 31);
        return (byte) flg;
    }

    /**
     * The Adler-32 of A followed by B from the checksums of A and of B and B's length (zlib's
     * {@code adler32_combine}).
     */
    static long adler32Combine(long adler1, long adler2, long len2) {
        final long base = 65521;
        long rem = len2 % base;
        long sum1 = adler1 & 0xFFFF;
        long sum2 = rem * sum1 % base;
        sum1 += (adler2 & 0xFFFF) + base - 1;
        sum2 += ((adler1 >>> 16) & 0xFFFF) + ((adler2 >>> 16) & 0xFFFF) + base - rem;
        if (sum1 >= base) {
            sum1 -= base;
        }
        if (sum1 >= base) {
            sum1 -= base;
        }
        if (sum2 >= base << 1) {
            sum2 -= base << 1;
        }
        if (sum2 >= base) {
            sum2 -= base;
        }
        return sum1 | sum2 << 16;
    }

    /** The zlib stream as IDAT chunks of at most {@link #MAX_CHUNK} bytes. */
    private static final class IdatWriter {
        private final OutputStream out;
        private final byte[] buf = new byte[MAX_CHUNK];
        private int size;

        IdatWriter(OutputStream out) {
            this.out = out;
        }

        void write(byte[] b, int len) throws IOException {
            int off = 0;
            while (off < len) {
                int n = Math.min(len - off, buf.length - size);
                System.arraycopy(b, off, buf, size, n);
                size += n;
                off += n;
                if (size == buf.length) {
                    flush();
                }
            }
        }

        void flush() throws IOException {
            if (size > 0) {
                chunk(out, "IDAT", buf, 0, size);
                size = 0;
            }
        }
    }

    private static void chunk(OutputStream out, String type, byte[] data, int off, int len) throws IOException {
        byte[] head = new byte[8];
        putInt(head, 0, len);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, head, 4, 4);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data, off, len);
        out.write(head);
        out.write(data, off, len);
        byte[] c = new byte[4];
        putInt(c, 0, (int) crc.getValue());
        out.write(c);
    }

    private static void putInt(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }
}
