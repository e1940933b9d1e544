package org.pastiche.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pastiche.core.PasticheException;
import org.pastiche.core.PasticheException.Reason;

/** Issue 14: hostile and unusual files decode correctly or are refused with the reason; never a crash. */
class HostileFilesTest {
    @TempDir
    Path dir;

    private final ImageDecoder decoder = new ImageDecoder();

    static byte[] jpeg(int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, x < w / 2 ? 0xC81E1E : 0x1E1EC8);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }

    static byte[] png(BufferedImage img) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    static BufferedImage rgb(int w, int h, int argb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, argb);
            }
        }
        return img;
    }

    // ------------------------------------------------------------ nesting

    @Test
    void jpegWithThousandsOfNestedExifIfdsDecodesWithoutCrashing() throws Exception {
        Path f = HostileFixtures.write(dir.resolve("nested.jpg"),
                HostileFixtures.withExif(jpeg(20, 10), HostileFixtures.exif(6, 3600)));
        // The photo is fine; only its EXIF is hostile: decoded, the EXIF ignored.
        RgbaImage img = decoder.decode(f);
        assertEquals(20, img.width());
        assertEquals(10, img.height());
    }

    @Test
    void jpegWithShallowExifKeepsItsOrientation() throws Exception {
        Path f = HostileFixtures.write(dir.resolve("o6.jpg"),
                HostileFixtures.withExif(jpeg(20, 10), HostileFixtures.exif(6, 2)));
        assertEquals(6, decoder.readInfo(f).orientation());
        assertEquals(10, decoder.decode(f).width());
    }

    @Test
    void tiffWithTenThousandDeepSubIfdChainIsRefused() throws Exception {
        byte[] gray = new byte[4 * 2];
        Path f = HostileFixtures.write(dir.resolve("deep.tif"), HostileFixtures.tiff(4, 2, 1, 8, false, gray, 10_000, false));
        PasticheException e = assertThrows(PasticheException.class, () -> decoder.decode(f));
        assertEquals(Reason.MALFORMED_METADATA, e.reason());
        assertTrue(e.getMessage().contains("nests more than"), e.getMessage());
        PasticheException e2 = assertThrows(PasticheException.class, () -> decoder.readInfo(f));
        assertEquals(Reason.MALFORMED_METADATA, e2.reason());
    }

    // ------------------------------------------------------------ memory

    private static long allocatedBytes(ThrowingRunnable r) throws Exception {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = bean.getThreadAllocatedBytes(id);
        r.run();
        return bean.getThreadAllocatedBytes(id) - before;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void zTxtBombCostsNoMemory() throws Exception {
        // 256 MiB of text in about 250 KB of file: the old metadata reader inflated all of it.
        byte[] file = HostileFixtures.withChunks(png(rgb(64, 48, 0x336699)), HostileFixtures.ztxtBomb(256L << 20));
        Path f = HostileFixtures.write(dir.resolve("ztxt.png"), file);
        long bytes = allocatedBytes(() -> assertEquals(0xFF336699, decoder.decode(f).get(3, 3)));
        assertTrue(bytes < 32L << 20, "allocated " + (bytes >> 20) + " MiB");
    }

    @Test
    void iccpBombIsIgnoredCheaply() throws Exception {
        byte[] file = HostileFixtures.withChunks(png(rgb(64, 48, 0x336699)), HostileFixtures.iccpBomb(256L << 20));
        Path f = HostileFixtures.write(dir.resolve("iccp.png"), file);
        long bytes = allocatedBytes(() -> assertEquals(0xFF336699, decoder.decode(f).get(3, 3)));
        assertTrue(bytes < 64L << 20, "allocated " + (bytes >> 20) + " MiB");
    }

    @Test
    void aChunkThatDeclares2GbIsRefusedCheaply() throws Exception {
        // A 200-byte file whose iCCP chunk header claims 2 GB: the old metadata reader allocated it.
        byte[] png = png(rgb(8, 8, 0x336699));
        int ihdrEnd = 8 + 8 + 13 + 4;
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(png, 0, ihdrEnd);
        b.write(new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xF0, 'i', 'C', 'C', 'P', 'i', 'c', 'c', 0, 0});
        b.write(png, ihdrEnd, png.length - ihdrEnd);
        Path f = HostileFixtures.write(dir.resolve("declares.png"), b.toByteArray());
        long bytes = allocatedBytes(() -> assertEquals(Reason.CORRUPT_FILE,
                assertThrows(PasticheException.class, () -> decoder.decode(f)).reason()));
        assertTrue(bytes < 32L << 20, "allocated " + (bytes >> 20) + " MiB");
    }

    @Test
    void pngExifOrientationIsRead() throws Exception {
        byte[] file = HostileFixtures.withChunks(png(rgb(20, 10, 0x336699)),
                HostileFixtures.exifChunk(HostileFixtures.exif(6, 0)));
        Path f = HostileFixtures.write(dir.resolve("exif.png"), file);
        assertEquals(6, decoder.readInfo(f).orientation());
        assertEquals(10, decoder.decode(f).width());
    }

    // ------------------------------------------------------------ refusals

    @Test
    void dngIsRefusedNotStylizedFromItsPreview() throws Exception {
        byte[] px = new byte[4 * 2 * 3];
        Path asTif = HostileFixtures.write(dir.resolve("raw.tif"), HostileFixtures.tiff(4, 2, 3, 8, false, px, 0, true));
        PasticheException e = assertThrows(PasticheException.class, () -> decoder.decode(asTif));
        assertEquals(Reason.CAMERA_RAW, e.reason());
        assertTrue(e.getMessage().contains("camera raw"), e.getMessage());
        Path named = HostileFixtures.write(dir.resolve("photo.NEF"), HostileFixtures.tiff(4, 2, 3, 8, false, px, 0, false));
        assertEquals(Reason.CAMERA_RAW, assertThrows(PasticheException.class, () -> decoder.decode(named)).reason());
    }

    @Test
    void twelveBitJpegIsCalledThatNotCorrupt() throws Exception {
        Path f = HostileFixtures.write(dir.resolve("12bit.jpg"), HostileFixtures.as12Bit(jpeg(16, 16)));
        PasticheException e = assertThrows(PasticheException.class, () -> decoder.decode(f));
        assertEquals(Reason.UNSUPPORTED_VARIANT, e.reason());
        assertTrue(e.getMessage().endsWith("12-bit JPEG is not supported"), e.getMessage());
    }

    // ------------------------------------------------------------ float and 16-bit TIFF

    @Test
    void floatGrayTiffIsNotBlack() throws Exception {
        Path f = HostileFixtures.write(dir.resolve("gray32f.tif"), HostileFixtures.tiff(2, 1, 1, 32, true,
                HostileFixtures.floatSamples(0.5f, 1.0f), 0, false));
        RgbaImage img = decoder.decode(f);
        assertEquals(128, img.get(0, 0) & 0xFF, 1);
        assertEquals(255, img.get(1, 0) & 0xFF);
        assertEquals(img.get(0, 0) & 0xFF, (img.get(0, 0) >> 16) & 0xFF);
    }

    @Test
    void floatRgbTiffMatchesItsValues() throws Exception {
        Path f = HostileFixtures.write(dir.resolve("rgb32f.tif"), HostileFixtures.tiff(2, 1, 3, 32, true,
                HostileFixtures.floatSamples(1.0f, 0.5f, 0.0f, 0.2f, 0.4f, 0.8f), 0, false));
        RgbaImage img = decoder.decode(f);
        assertPixel(img.get(0, 0), 255, 128, 0);
        assertPixel(img.get(1, 0), 51, 102, 204);
    }

    @Test
    void sixteenBitTiffsMatchTheirValues() throws Exception {
        Path rgb = HostileFixtures.write(dir.resolve("rgb16.tif"), HostileFixtures.tiff(1, 1, 3, 16, false,
                HostileFixtures.ushortSamples(65535, 32896, 257 * 51), 0, false));
        assertPixel(decoder.decode(rgb).get(0, 0), 255, 128, 51);
        Path gray = HostileFixtures.write(dir.resolve("gray16.tif"), HostileFixtures.tiff(1, 1, 1, 16, false,
                HostileFixtures.ushortSamples(257 * 77), 0, false));
        assertPixel(decoder.decode(gray).get(0, 0), 77, 77, 77);
    }

    static void assertPixel(int p, int r, int g, int b) {
        String s = Integer.toHexString(p);
        assertEquals(r, (p >> 16) & 0xFF, 1, s);
        assertEquals(g, (p >> 8) & 0xFF, 1, s);
        assertEquals(b, p & 0xFF, 1, s);
        assertEquals(0xFF, p >>> 24, s);
    }

    @Test
    void filesAreLeftAsTheyWere() throws Exception {
        Path f = HostileFixtures.write(dir.resolve("deep.tif"), HostileFixtures.tiff(4, 2, 1, 8, false, new byte[8], 5000, false));
        byte[] before = Files.readAllBytes(f);
        assertThrows(PasticheException.class, () -> decoder.decode(f));
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(f)));
    }
}
