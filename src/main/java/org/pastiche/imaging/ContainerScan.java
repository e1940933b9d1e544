package org.pastiche.imaging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.pastiche.core.PasticheException;
import org.pastiche.core.PasticheException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, in bounded memory and time, what the pixel decoders do not: the EXIF orientation, a PNG's
 * colour chunks (iCCP, sRGB, gAMA, cHRM), and what makes a file unsupported or hostile (camera
 * raw, 12-bit or lossless JPEG, TIFF metadata nested too deeply). Only the few bytes each needs
 * are read: segments and chunks are skipped by seeking, never inflated or parsed beyond caps, so a
 * header that claims gigabytes costs nothing. Nothing here recurses.
 */
final class ContainerScan {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerScan.class);

    /** The largest EXIF block read (a JPEG APP1 segment is at most 64 KiB; PNG and WebP alike). */
    static final int MAX_EXIF_BYTES = 1 << 20;
    /** The largest compressed and inflated ICC profile taken from a PNG (real ones are under 1 MB). */
    static final int MAX_ICC_BYTES = 16 << 20;
    /** Deeper SubIFD/EXIF nesting than this is refused: real files nest 2-3 levels. */
    static final int MAX_IFD_DEPTH = 16;
    /** More IFDs than this in one TIFF (pages, sub-images, EXIF blocks) is refused. */
    static final int MAX_IFDS = 4096;
    /** Chunks or segments scanned before giving up on finding more metadata. */
    private static final int MAX_BLOCKS = 1 << 20;

    /** What was found; {@code icc} and the PNG colour fields are set for PNG only. */
    record Result(int orientation, byte[] icc, boolean srgb, double gamma, double[] chromaticities) {
        static final Result PLAIN = new Result(1, null, false, 0, null);

        Result withOrientation(int o) {
            return new Result(o, icc, srgb, gamma, chromaticities);
        }
    }

    private ContainerScan() {}

    /** File name extensions of camera raw formats (most are TIFF inside and would decode a preview). */
    private static final Set<String> RAW_EXTENSIONS = Set.of("dng", "cr2", "cr3", "crw", "nef", "nrw", "arw",
            "srf", "sr2", "orf", "rw2", "raf", "pef", "srw", "x3f", "3fr", "erf", "kdc", "mrw", "mos", "iiq",
            "rwl", "raw");

    static Result scan(Path file) throws PasticheException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        if (dot >= 0 && RAW_EXTENSIONS.contains(name.substring(dot + 1))) {
            throw cameraRaw(file, name.substring(dot + 1).toUpperCase(Locale.ROOT));
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] head = new byte[16];
            int n = readAt(in, 0, head, 16);
            if (n >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8) {
                return jpeg(file, in);
            }
            if (n >= 8 && (head[0] & 0xFF) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') {
                return png(file, in);
            }
            if (n >= 8 && ((head[0] == 'I' && head[1] == 'I' && head[2] == 42 && head[3] == 0)
                    || (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && head[3] == 42))) {
                return tiffFile(file, in, head);
            }
            if (n >= 12 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F' && head[8] == 'W'
                    && head[9] == 'E' && head[10] == 'B' && head[11] == 'P') {
                return webp(file, in);
            }
            return Result.PLAIN;
        } catch (PasticheException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Metadata is a nicety: the pixel decoder says whether the file itself is readable.
            LOG.debug("{}: metadata not readable ({})", file, e.toString());
            return Result.PLAIN;
        }
    }

    // ---------------------------------------------------------------- JPEG

    private static Result jpeg(Path file, RandomAccessFile in) throws IOException, PasticheException {
        long pos = 2;
        long size = in.length();
        int orientation = 1;
        byte[] marker = new byte[4];
        for (int blocks = 0; blocks < MAX_BLOCKS && pos + 4 <= size; blocks++) {
            if (readAt(in, pos, marker, 4) < 4) {
                break;
            }
            if ((marker[0] & 0xFF) != 0xFF) {
                break; // not a marker: let the decoder judge
            }
            int m = marker[1] & 0xFF;
            if (m == 0xFF) { // fill byte
                pos++;
                continue;
            }
            if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
                pos += 2;
                continue;
            }
            if (m == 0xD9 || m == 0xDA) {
                break; // end of image, start of scan: no more header
            }
            int len = ((marker[2] & 0xFF) << 8) | (marker[3] & 0xFF);
            if (len < 2) {
                break;
            }
            if (isSof(m)) {
                byte[] sof = new byte[1];
                if (readAt(in, pos + 4, sof, 1) == 1) {
                    int precision = sof[0] & 0xFF;
                    if (m == 0xC3 || m == 0xC7 || m == 0xCB || m == 0xCF) {
                        throw variant(file, "lossless JPEG");
                    }
                    if (precision != 8) {
                        throw variant(file, precision + "-bit JPEG");
                    }
                    if (m >= 0xC9) {
                        throw variant(file, "arithmetic-coded JPEG");
                    }
                }
            } else if (m == 0xE1 && orientation == 1 && len > 8) {
                byte[] seg = new byte[len - 2];
                readAt(in, pos + 4, seg, seg.length);
                if (seg.length > 6 && seg[0] == 'E' && seg[1] == 'x' && seg[2] == 'i' && seg[3] == 'f' && seg[4] == 0) {
                    orientation = exifOrientation(file, new Bytes(seg, 6, seg.length - 6));
                }
            }
            pos += 2 + len;
        }
        return Result.PLAIN.withOrientation(orientation);
    }

    private static boolean isSof(int m) {
        return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    }

    // ---------------------------------------------------------------- PNG

    private static Result png(Path file, RandomAccessFile in) throws IOException, PasticheException {
        long pos = 8;
        long size = in.length();
        int orientation = 1;
        byte[] icc = null;
        boolean srgb = false;
        double gamma = 0;
        double[] chrm = null;
        byte[] hdr = new byte[8];
        for (int blocks = 0; blocks < MAX_BLOCKS && pos + 8 <= size; blocks++) {
            if (readAt(in, pos, hdr, 8) < 8) {
                break;
            }
            long len = ((hdr[0] & 0xFFL) << 24) | ((hdr[1] & 0xFF) << 16) | ((hdr[2] & 0xFF) << 8) | (hdr[3] & 0xFF);
            String type = new String(hdr, 4, 4, StandardCharsets.ISO_8859_1);
            long data = pos + 8;
            if (len > Integer.MAX_VALUE || data + len > size) {
                break; // truncated or lying: the decoder will say so if it matters
            }
            switch (type) {
                case "IEND" -> {
                    return new Result(orientation, icc, srgb, gamma, chrm);
                }
                case "sRGB" -> srgb = true;
                case "gAMA" -> {
                    if (len == 4) {
                        long g = readUInt(in, data);
                        gamma = g > 0 ? g / 100000.0 : 0;
                    }
                }
                case "cHRM" -> {
                    if (len == 32) {
                        chrm = new double[8];
                        for (int i = 0; i < 8; i++) {
                            chrm[i] = readUInt(in, data + 4L * i) / 100000.0;
                        }
                    }
                }
                case "iCCP" -> {
                    if (icc == null) {
                        icc = iccp(file, in, data, (int) len);
                    }
                }
                case "eXIf" -> {
                    if (orientation == 1 && len <= MAX_EXIF_BYTES && len > 8) {
                        byte[] exif = new byte[(int) len];
                        readAt(in, data, exif, exif.length);
                        orientation = exifOrientation(file, new Bytes(exif, 0, exif.length));
                    }
                }
                default -> {
                    // skipped: text chunks are never inflated
                }
            }
            pos = data + len + 4;
        }
        return new Result(orientation, icc, srgb, gamma, chrm);
    }

    /** The inflated profile, or null when it is absent, broken or over {@link #MAX_ICC_BYTES}. */
    private static byte[] iccp(Path file, RandomAccessFile in, long data, int len) throws IOException {
        if (len > MAX_ICC_BYTES + 82) {
            LOG.warn("{}: ignoring an embedded colour profile of {} bytes (over the limit)", file, len);
            return null;
        }
        byte[] chunk = new byte[len];
        readAt(in, data, chunk, len);
        int nul = 0;
        while (nul < Math.min(len, 80) && chunk[nul] != 0) {
            nul++;
        }
        if (nul + 2 >= len || chunk[nul] != 0 || chunk[nul + 1] != 0) {
            return null;
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(chunk, nul + 2, len - nul - 2);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(len * 4, 1 << 20));
            byte[] buf = new byte[64 << 10];
            while (!inflater.finished()) {
                int k = inflater.inflate(buf);
                if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                if (out.size() + k > MAX_ICC_BYTES) {
                    LOG.warn("{}: ignoring an embedded colour profile that inflates past {} MB", file, MAX_ICC_BYTES >> 20);
                    return null;
                }
                out.write(buf, 0, k);
            }
            return inflater.finished() ? out.toByteArray() : null;
        } catch (DataFormatException e) {
            LOG.warn("{}: ignoring a corrupt embedded colour profile", file);
            return null;
        } finally {
            inflater.end();
        }
    }

    // ---------------------------------------------------------------- WebP

    private static Result webp(Path file, RandomAccessFile in) throws IOException, PasticheException {
        long pos = 12;
        long size = in.length();
        byte[] hdr = new byte[8];
        for (int blocks = 0; blocks < MAX_BLOCKS && pos + 8 <= size; blocks++) {
            readAt(in, pos, hdr, 8);
            String type = new String(hdr, 0, 4, StandardCharsets.ISO_8859_1);
            long len = (hdr[4] & 0xFFL) | ((hdr[5] & 0xFF) << 8) | ((hdr[6] & 0xFF) << 16) | ((hdr[7] & 0xFFL) << 24);
            if (type.equals("EXIF") && len <= MAX_EXIF_BYTES && len > 8) {
                byte[] exif = new byte[(int) len];
                readAt(in, pos + 8, exif, exif.length);
                int off = exif.length > 6 && exif[0] == 'E' && exif[1] == 'x' && exif[2] == 'i' && exif[3] == 'f' ? 6 : 0;
                return Result.PLAIN.withOrientation(exifOrientation(file, new Bytes(exif, off, exif.length - off)));
            }
            pos += 8 + len + (len & 1);
        }
        return Result.PLAIN;
    }

    // ---------------------------------------------------------------- TIFF and EXIF

    /** Random access to the bytes of a TIFF structure (a file, or an EXIF block in memory). */
    private interface Source {
        /** Reads up to {@code len} bytes at {@code pos} into {@code buf}; returns how many. */
        int read(long pos, byte[] buf, int len) throws IOException;
    }

    private record Bytes(byte[] data, int offset, int length) implements Source {
        @Override
        public int read(long pos, byte[] buf, int len) {
            if (pos < 0 || pos >= length) {
                return 0;
            }
            int n = (int) Math.min(len, length - pos);
            System.arraycopy(data, offset + (int) pos, buf, 0, n);
            return n;
        }
    }

    private static final int TAG_ORIENTATION = 0x0112;
    private static final int TAG_SUB_IFDS = 0x014A;
    private static final int TAG_EXIF_IFD = 0x8769;
    private static final int TAG_GPS_IFD = 0x8825;
    private static final int TAG_INTEROP_IFD = 0xA005;
    private static final int TAG_DNG_VERSION = 0xC612;

    /**
     * Orientation from an EXIF block (TIFF structure); 1 when absent. A hostile block (nesting,
     * counts) is ignored with a warning: the photo itself is fine, and the pixel decoders skip it.
     */
    private static int exifOrientation(Path file, Bytes exif) throws IOException {
        Tiff t = Tiff.open(exif);
        if (t == null) {
            return 1;
        }
        try {
            t.checkStructure(file);
        } catch (PasticheException e) {
            LOG.warn("{}: ignoring its EXIF block ({})", file, e.arguments().isEmpty() ? e.getMessage() : e.arguments().get(0));
            return 1;
        }
        return t.orientation();
    }

    private static Result tiffFile(Path file, RandomAccessFile in, byte[] head) throws IOException, PasticheException {
        Source src = (pos, buf, len) -> readAt(in, pos, buf, len);
        Tiff t = Tiff.open(src);
        if (t == null) {
            return Result.PLAIN;
        }
        if (head[8] == 'C' && head[9] == 'R') {
            throw cameraRaw(file, "CR2");
        }
        if (t.ifd0HasTag(TAG_DNG_VERSION)) {
            throw cameraRaw(file, "DNG");
        }
        t.checkStructure(file);
        return Result.PLAIN.withOrientation(t.orientation());
    }

    /** A TIFF structure read entry by entry, without recursion. */
    private static final class Tiff {
        private final Source src;
        private final boolean little;
        private final long ifd0;

        private Tiff(Source src, boolean little, long ifd0) {
            this.src = src;
            this.little = little;
            this.ifd0 = ifd0;
        }

        static Tiff open(Source src) throws IOException {
            byte[] h = new byte[8];
            if (src.read(0, h, 8) < 8) {
                return null;
            }
            boolean little = h[0] == 'I' && h[1] == 'I';
            if (!little && !(h[0] == 'M' && h[1] == 'M')) {
                return null;
            }
            Tiff t = new Tiff(src, little, 0);
            if (t.u16(h, 2) != 42) {
                return null;
            }
            return new Tiff(src, little, t.u32(h, 4));
        }

        int orientation() throws IOException {
            long v = tagValue(ifd0, TAG_ORIENTATION);
            return v >= 1 && v <= 8 ? (int) v : 1;
        }

        boolean ifd0HasTag(int tag) throws IOException {
            return tagValue(ifd0, tag) != Long.MIN_VALUE;
        }

        /** The first value of a SHORT/LONG tag of one IFD; Long.MIN_VALUE when absent. */
        private long tagValue(long ifd, int wanted) throws IOException {
            byte[] cnt = new byte[2];
            if (src.read(ifd, cnt, 2) < 2) {
                return Long.MIN_VALUE;
            }
            int n = u16(cnt, 0);
            byte[] e = new byte[12];
            for (int i = 0; i < n; i++) {
                if (src.read(ifd + 2 + 12L * i, e, 12) < 12) {
                    break;
                }
                if (u16(e, 0) == wanted) {
                    int type = u16(e, 2);
                    return type == 3 ? u16(e, 8) : type == 4 || type == 13 ? u32(e, 8) : (e[8] & 0xFF);
                }
            }
            return Long.MIN_VALUE;
        }

        /**
         * Walks every IFD (chains, SubIFDs, EXIF/GPS/interoperability blocks) breadth first, with a
         * visited set: refuses nesting deeper than {@link #MAX_IFD_DEPTH} or more than
         * {@link #MAX_IFDS} IFDs, which is what makes recursive readers overflow their stack.
         */
        void checkStructure(Path file) throws IOException, PasticheException {
            Deque<long[]> queue = new ArrayDeque<>(); // {offset, depth}
            Set<Long> seen = new HashSet<>();
            queue.add(new long[] {ifd0, 0});
            byte[] cnt = new byte[2];
            byte[] e = new byte[12];
            byte[] next = new byte[4];
            while (!queue.isEmpty()) {
                long[] item = queue.poll();
                long ifd = item[0];
                int depth = (int) item[1];
                if (ifd <= 0 || !seen.add(ifd)) {
                    continue;
                }
                if (depth > MAX_IFD_DEPTH) {
                    throw hostile(file, "its metadata nests more than " + MAX_IFD_DEPTH + " levels deep");
                }
                if (seen.size() > MAX_IFDS) {
                    throw hostile(file, "its metadata has more than " + MAX_IFDS + " directories");
                }
                if (src.read(ifd, cnt, 2) < 2) {
                    continue;
                }
                int n = u16(cnt, 0);
                for (int i = 0; i < n; i++) {
                    if (src.read(ifd + 2 + 12L * i, e, 12) < 12) {
                        break;
                    }
                    int tag = u16(e, 0);
                    if (tag == TAG_SUB_IFDS || tag == TAG_EXIF_IFD || tag == TAG_GPS_IFD || tag == TAG_INTEROP_IFD) {
                        int type = u16(e, 2);
                        long count = u32(e, 4);
                        if (type != 4 && type != 13 && type != 3) {
                            continue;
                        }
                        int width = type == 3 ? 2 : 4;
                        if (count * width <= 4) {
                            for (int k = 0; k < count; k++) {
                                queue.add(new long[] {width == 2 ? u16(e, 8 + 2 * k) : u32(e, 8), depth + 1});
                            }
                        } else {
                            long at = u32(e, 8);
                            int take = (int) Math.min(count, MAX_IFDS + 1L);
                            byte[] offs = new byte[take * width];
                            int got = src.read(at, offs, offs.length);
                            for (int k = 0; k + width <= got; k += width) {
                                queue.add(new long[] {width == 2 ? u16(offs, k) : u32(offs, k), depth + 1});
                            }
                        }
                    }
                }
                if (src.read(ifd + 2 + 12L * n, next, 4) == 4) {
                    queue.add(new long[] {u32(next, 0), depth}); // the next IFD in the chain: same level
                }
            }
        }

        int u16(byte[] b, int o) {
            return little ? (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 : (b[o] & 0xFF) << 8 | (b[o + 1] & 0xFF);
        }

        long u32(byte[] b, int o) {
            return little
                    ? (b[o] & 0xFFL) | (b[o + 1] & 0xFFL) << 8 | (b[o + 2] & 0xFFL) << 16 | (b[o + 3] & 0xFFL) << 24
                    : (b[o] & 0xFFL) << 24 | (b[o + 1] & 0xFFL) << 16 | (b[o + 2] & 0xFFL) << 8 | (b[o + 3] & 0xFFL);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static int readAt(RandomAccessFile in, long pos, byte[] buf, int len) throws IOException {
        if (pos < 0 || pos >= in.length()) {
            return 0;
        }
        in.seek(pos);
        int total = 0;
        while (total < len) {
            int k = in.read(buf, total, len - total);
            if (k < 0) {
                break;
            }
            total += k;
        }
        return total;
    }

    private static long readUInt(RandomAccessFile in, long pos) throws IOException {
        byte[] b = new byte[4];
        if (readAt(in, pos, b, 4) < 4) {
            return 0;
        }
        return (b[0] & 0xFFL) << 24 | (b[1] & 0xFFL) << 16 | (b[2] & 0xFFL) << 8 | (b[3] & 0xFFL);
    }

    static PasticheException cameraRaw(Path file, String kind) {
        return new PasticheException(Reason.CAMERA_RAW, file + ": camera raw files (" + kind
                + ") are not supported; convert it to TIFF or JPEG with a raw converter first", kind);
    }

    static PasticheException variant(Path file, String what) {
        return new PasticheException(Reason.UNSUPPORTED_VARIANT, file + ": " + what + " is not supported", what);
    }

    static PasticheException hostile(Path file, String why) {
        return new PasticheException(Reason.MALFORMED_METADATA, file + ": refused, " + why, why);
    }
}
