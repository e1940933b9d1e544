package org.pastiche.imaging;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.pastiche.core.PasticheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TIFF structure (a TIFF file, or the EXIF block of a JPEG, PNG or WebP) read entry by entry,
 * without recursion: the orientation and DNG tags of IFD0, and a bounded breadth-first walk of every
 * IFD that refuses the nesting and counts that make recursive readers overflow their stack.
 */
final class TiffStructure {
    private static final Logger LOG = LoggerFactory.getLogger(TiffStructure.class);

    /** Deeper SubIFD/EXIF nesting than this is refused: real files nest 2-3 levels. */
    static final int MAX_IFD_DEPTH = 16;
    /** More IFDs than this in one TIFF (pages, sub-images, EXIF blocks) is refused. */
    static final int MAX_IFDS = 4096;

    /** Random access to the bytes of a TIFF structure (a file, or an EXIF block in memory). */
    interface Source {
        /** Reads up to {@code len} bytes at {@code pos} into {@code buf}; returns how many. */
        int read(long pos, byte[] buf, int len) throws IOException;
    }

    record Bytes(byte[] data, int offset, int length) implements Source {
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
    static final int TAG_DNG_VERSION = 0xC612;

    /**
     * Orientation from an EXIF block (TIFF structure) held in {@code data[offset, offset + length)};
     * 1 when absent. A hostile block (nesting, counts) is ignored with a warning: the photo itself
     * is fine, and the pixel decoders skip it.
     */
    static int exifOrientation(Path file, byte[] data, int offset, int length) throws IOException {
        TiffStructure t = open(new Bytes(data, offset, length));
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

    private final Source src;
    private final boolean little;
    private final long ifd0;

    private TiffStructure(Source src, boolean little, long ifd0) {
        this.src = src;
        this.little = little;
        this.ifd0 = ifd0;
    }

    static TiffStructure open(Source src) throws IOException {
        byte[] h = new byte[8];
        if (src.read(0, h, 8) < 8) {
            return null;
        }
        boolean little = h[0] == 'I' && h[1] == 'I';
        if (!little && !(h[0] == 'M' && h[1] == 'M')) {
            return null;
        }
        TiffStructure t = new TiffStructure(src, little, 0);
        if (t.u16(h, 2) != 42) {
            return null;
        }
        return new TiffStructure(src, little, t.u32(h, 4));
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
                throw ContainerScan.hostile(file, "its metadata nests more than " + MAX_IFD_DEPTH + " levels deep");
            }
            if (seen.size() > MAX_IFDS) {
                throw ContainerScan.hostile(file, "its metadata has more than " + MAX_IFDS + " directories");
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
