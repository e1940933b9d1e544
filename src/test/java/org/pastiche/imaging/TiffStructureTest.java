package org.pastiche.imaging;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.pastiche.core.PasticheException;
import org.pastiche.core.PasticheException.Reason;

/** The TIFF/EXIF IFD walker on its own, over TIFF structures built in memory. */
class TiffStructureTest {
    private static final Path FILE = Path.of("test.tif");
    private static final int ORIENTATION = 0x0112;
    private static final int SUB_IFDS = 0x014A;
    private static final int EXIF_IFD = 0x8769;

    /** A TIFF whose IFDs are written one after another; each is {tag, type, count, value}... plus a next offset. */
    private static final class Builder {
        final ByteBuffer b;

        Builder(ByteOrder order, int size) {
            b = ByteBuffer.allocate(size).order(order);
            b.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
            b.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
            b.putShort((short) 42).putInt(8);
        }

        /** Writes an IFD at {@code at}: entries of {tag, type, count, value}, then {@code next}. */
        Builder ifd(int at, int next, int[]... entries) {
            b.position(at);
            b.putShort((short) entries.length);
            for (int[] e : entries) {
                b.putShort((short) e[0]).putShort((short) e[1]).putInt(e[2]);
                if (e[1] == 3) {
                    b.putShort((short) e[3]).putShort((short) 0);
                } else {
                    b.putInt(e[3]);
                }
            }
            b.putInt(next);
            return this;
        }

        byte[] bytes() {
            return b.array();
        }
    }

    private static TiffStructure open(byte[] data) throws Exception {
        return TiffStructure.open(new TiffStructure.Bytes(data, 0, data.length));
    }

    @Test
    void orientationIsReadInBothByteOrders() throws Exception {
        byte[] le = new Builder(ByteOrder.LITTLE_ENDIAN, 64).ifd(8, 0, new int[] {ORIENTATION, 3, 1, 6}).bytes();
        byte[] be = new Builder(ByteOrder.BIG_ENDIAN, 64).ifd(8, 0, new int[] {ORIENTATION, 3, 1, 3}).bytes();
        assertEquals(6, open(le).orientation());
        assertEquals(3, open(be).orientation());
        byte[] bogus = new Builder(ByteOrder.LITTLE_ENDIAN, 64).ifd(8, 0, new int[] {ORIENTATION, 3, 1, 9}).bytes();
        assertEquals(1, open(bogus).orientation(), "values outside 1..8 mean no rotation");
        assertTrue(open(le).ifd0HasTag(ORIENTATION));
        assertEquals(false, open(le).ifd0HasTag(TiffStructure.TAG_DNG_VERSION));
    }

    @Test
    void notATiffIsNull() throws Exception {
        assertNull(open(new byte[] {'X', 'X', 42, 0, 8, 0, 0, 0}));
        assertNull(open(new byte[] {'I', 'I', 43, 0, 8, 0, 0, 0}));
        assertNull(open(new byte[] {'I', 'I', 42}));
    }

    @Test
    void loopsAreWalkedOnceNotRefused() throws Exception {
        // IFD0's chain points back at itself and its EXIF pointer at IFD0 too.
        byte[] data = new Builder(ByteOrder.LITTLE_ENDIAN, 64).ifd(8, 8, new int[] {EXIF_IFD, 4, 1, 8}).bytes();
        assertDoesNotThrow(() -> open(data).checkStructure(FILE));
    }

    @Test
    void nestingDeeperThanTheCapIsRefused() throws Exception {
        int levels = TiffStructure.MAX_IFD_DEPTH + 2;
        Builder deep = new Builder(ByteOrder.LITTLE_ENDIAN, 8 + 18 * (levels + 1));
        for (int i = 0; i < levels; i++) {
            deep.ifd(8 + 18 * i, 0, new int[] {EXIF_IFD, 4, 1, 8 + 18 * (i + 1)});
        }
        PasticheException e = assertThrows(PasticheException.class, () -> open(deep.bytes()).checkStructure(FILE));
        assertEquals(Reason.MALFORMED_METADATA, e.reason());
        assertTrue(e.getMessage().contains("levels deep"), e.getMessage());

        Builder ok = new Builder(ByteOrder.LITTLE_ENDIAN, 8 + 18 * 4);
        for (int i = 0; i < 3; i++) {
            ok.ifd(8 + 18 * i, 0, new int[] {EXIF_IFD, 4, 1, 8 + 18 * (i + 1)});
        }
        assertDoesNotThrow(() -> open(ok.bytes()).checkStructure(FILE));
    }

    @Test
    void tooManyDirectoriesAreRefused() throws Exception {
        int count = TiffStructure.MAX_IFDS + 10;
        ByteBuffer b = ByteBuffer.allocate(64 + 4 * count).order(ByteOrder.LITTLE_ENDIAN);
        byte[] head = new Builder(ByteOrder.LITTLE_ENDIAN, 64).ifd(8, 0, new int[] {SUB_IFDS, 4, count, 64}).bytes();
        b.put(head);
        for (int i = 0; i < count; i++) {
            b.putInt(1_000_000 + 2 * i); // distinct offsets (past the end: each still counts as a directory)
        }
        PasticheException e = assertThrows(PasticheException.class, () -> open(b.array()).checkStructure(FILE));
        assertTrue(e.getMessage().contains("directories"), e.getMessage());
    }

    @Test
    void aHostileExifBlockIsIgnoredNotFatal() throws Exception {
        int levels = TiffStructure.MAX_IFD_DEPTH + 2;
        Builder deep = new Builder(ByteOrder.LITTLE_ENDIAN, 64 + 18 * (levels + 1));
        deep.ifd(8, 0, new int[] {ORIENTATION, 3, 1, 6}, new int[] {EXIF_IFD, 4, 1, 40});
        for (int i = 0; i < levels; i++) {
            deep.ifd(40 + 18 * i, 0, new int[] {EXIF_IFD, 4, 1, 40 + 18 * (i + 1)});
        }
        byte[] data = deep.bytes();
        assertEquals(1, TiffStructure.exifOrientation(FILE, data, 0, data.length));
        byte[] fine = new Builder(ByteOrder.LITTLE_ENDIAN, 64).ifd(8, 0, new int[] {ORIENTATION, 3, 1, 6}).bytes();
        byte[] shifted = new byte[fine.length + 6];
        System.arraycopy(fine, 0, shifted, 6, fine.length);
        assertEquals(6, TiffStructure.exifOrientation(FILE, shifted, 6, fine.length), "read at the block's offset");
    }
}
