package org.pastiche.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pastiche.core.PasticheException;

/**
 * {@link FastPng}, the direct decoder of 8-bit RGB(A) PNGs: the same pixels as ImageIO's reader for every
 * row filter, chunk split and writer (ImageIO's own, {@link PngEncoder}, one written here filter by
 * filter), and no decoding at all (null, so that ImageIO reads the file as before) for every file it
 * does not fully understand; {@link ImageDecoder} then gives ImageIO's result or error for those.
 */
class FastPngTest {
    @TempDir
    Path dir;

    /** A picture with smooth parts, edges and noise, so that every filter sees varied bytes. */
    private static int[] picture(int w, int h, boolean alpha, long seed) {
        Random r = new Random(seed);
        int[] argb = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int red = (x * 255 / Math.max(1, w - 1) + r.nextInt(9)) & 0xFF;
                int green = (y * 7 + (x / 5) * 40) & 0xFF;
                int blue = (x + y) % 13 == 0 ? 255 : r.nextInt(256);
                int a = alpha ? (r.nextInt(4) == 0 ? r.nextInt(256) : 255) : 255;
                argb[y * w + x] = a << 24 | red << 16 | green << 8 | blue;
            }
        }
        return argb;
    }

    /** A PNG written here: row y with filter filters[y % n], the stream cut into IDAT chunks of idatBytes. */
    static byte[] png(int[] argb, int w, int h, boolean alpha, int[] filters, int idatBytes, byte[]... extra)
            throws Exception {
        int ch = alpha ? 4 : 3;
        int stride = ch * w;
        byte[] raw = new byte[h * (1 + stride)];
        byte[] prev = new byte[stride];
        byte[] cur = new byte[stride];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = argb[y * w + x];
                cur[x * ch] = (byte) (p >> 16);
                cur[x * ch + 1] = (byte) (p >> 8);
                cur[x * ch + 2] = (byte) p;
                if (alpha) {
                    cur[x * ch + 3] = (byte) (p >>> 24);
                }
            }
            int f = filters[y % filters.length];
            int o = y * (1 + stride);
            raw[o] = (byte) f;
            for (int i = 0; i < stride; i++) {
                int a = i >= ch ? cur[i - ch] & 0xFF : 0;
                int b = y > 0 ? prev[i] & 0xFF : 0;
                int c = i >= ch && y > 0 ? prev[i - ch] & 0xFF : 0;
                int pred = switch (f) {
                    case 0 -> 0;
                    case 1 -> a;
                    case 2 -> b;
                    case 3 -> (a + b) >>> 1;
                    case 4 -> FastPng.paeth(a, b, c);
                    default -> throw new IllegalArgumentException("filter " + f);
                };
                raw[o + 1 + i] = (byte) ((cur[i] & 0xFF) - pred);
            }
            byte[] t = prev;
            prev = cur;
            cur = t;
        }
        Deflater d = new Deflater(6);
        d.setInput(raw);
        d.finish();
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) {
            z.write(buf, 0, d.deflate(buf));
        }
        d.end();
        byte[] zlib = z.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        out.write(chunk("IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8)
                .put((byte) (alpha ? 6 : 2)).put((byte) 0).put((byte) 0).put((byte) 0).array()));
        for (byte[] e : extra) {
            out.write(e);
        }
        for (int i = 0; i < zlib.length; i += idatBytes) {
            out.write(chunk("IDAT", Arrays.copyOfRange(zlib, i, Math.min(zlib.length, i + idatBytes))));
        }
        out.write(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    static byte[] chunk(String type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(12 + data.length);
        b.putInt(data.length).put(type.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).put(data);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 4, 4 + data.length);
        return b.putInt((int) crc.getValue()).array();
    }

    private static int[] viaImageIo(byte[] png) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        return ImageDecoder.toArgb(img);
    }

    private static void assertSameAsImageIo(byte[] png, int w, int h, String what) throws Exception {
        int[] fast = FastPng.decode(png, w, h);
        assertNotNull(fast, what + ": not decoded");
        assertArrayEquals(viaImageIo(png), fast, what);
    }

    @Test
    void everyRowFilterAndChunkSplitGivesImageIosPixels() throws Exception {
        int w = 53;
        int h = 41;
        for (boolean alpha : new boolean[] {false, true}) {
            int[] argb = picture(w, h, alpha, alpha ? 2 : 1);
            for (int f = 0; f <= 4; f++) {
                byte[] png = png(argb, w, h, alpha, new int[] {f}, 1 << 20);
                assertSameAsImageIo(png, w, h, "filter " + f + (alpha ? ", RGBA" : ", RGB"));
                assertArrayEquals(argb, FastPng.decode(png, w, h), "lossless, filter " + f);
            }
            for (int split : new int[] {1, 7, 100, 4096}) {
                byte[] png = png(argb, w, h, alpha, new int[] {4, 0, 1, 3, 2, 4, 4}, split);
                assertSameAsImageIo(png, w, h, "mixed filters, IDAT chunks of " + split + " bytes");
            }
        }
    }

    @Test
    void imageIosAndOurEncodersFilesGiveImageIosPixels() throws Exception {
        int w = 301;
        int h = 157;
        RgbaImage photo = SyntheticImage.photoLike(w, h, 5);
        RgbaImage rgba = new RgbaImage(w, h, picture(w, h, true, 3));
        for (RgbaImage img : new RgbaImage[] {photo, rgba}) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            ImageIO.write(ImageEncoders.wrap(img, img == rgba), "png", buf);
            assertSameAsImageIo(buf.toByteArray(), w, h, "ImageIO's writer" + (img == rgba ? ", RGBA" : ""));
            for (int bandBytes : new int[] {PngEncoder.BAND_BYTES, 5000}) {   // one zlib stream of one or many bands
                ByteArrayOutputStream ours = new ByteArrayOutputStream();
                new PngEncoder(PngEncoder.LEVEL, 2, bandBytes).write(img, ours);
                assertSameAsImageIo(ours.toByteArray(), w, h, "PngEncoder" + (img == rgba ? ", RGBA" : ""));
            }
        }
    }

    @Test
    void aRealPhotoGivesImageIosPixels() throws Exception {
        Path kodim = Path.of("..", "shared", "data", "photos", "kodak", "kodim23.png");
        Assumptions.assumeTrue(Files.isRegularFile(kodim), "../shared/data/photos/kodak/kodim23.png is absent");
        byte[] png = Files.readAllBytes(kodim);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertSameAsImageIo(png, img.getWidth(), img.getHeight(), "kodim23");
    }

    @Test
    void whatItDoesNotFullyUnderstandIsLeftToImageIo() throws Exception {
        int w = 20;
        int h = 12;
        int[] argb = picture(w, h, false, 4);
        byte[] good = png(argb, w, h, false, new int[] {4, 1}, 50);
        assertNotNull(FastPng.decode(good, w, h));
        assertNull(FastPng.decode(good, w + 1, h), "another size than the header reader's");
        // palette, gray, 16 bits, interlaced: ImageIO's
        BufferedImage gray = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage indexed = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED);
        BufferedImage ushort = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        for (BufferedImage other : new BufferedImage[] {gray, indexed, ushort}) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            ImageIO.write(other, "png", buf);
            assertNull(FastPng.decode(buf.toByteArray(), w, h), "type " + other.getType());
        }
        byte[] interlaced = good.clone();
        interlaced[8 + 8 + 12] = 1;
        fixCrc(interlaced, 8);
        assertNull(FastPng.decode(interlaced, w, h), "interlaced");
        // chunks that change the pixels or are unknown and critical
        assertNull(FastPng.decode(png(argb, w, h, false, new int[] {0}, 50, chunk("tRNS", new byte[6])), w, h), "tRNS");
        assertNull(FastPng.decode(png(argb, w, h, false, new int[] {0}, 50, chunk("PLTE", new byte[6])), w, h), "PLTE");
        assertNull(FastPng.decode(png(argb, w, h, false, new int[] {0}, 50, chunk("ABCD", new byte[2])), w, h),
                "an unknown critical chunk");
        assertNotNull(FastPng.decode(png(argb, w, h, false, new int[] {0}, 50, chunk("tEXt", "a\0b".getBytes())), w, h),
                "an ancillary chunk is skipped");
        // damage
        byte[] crc = good.clone();
        crc[good.length - 12 - 5] ^= 1; // the last IDAT's CRC
        assertNull(FastPng.decode(crc, w, h), "a wrong CRC");
        byte[] badFilter = png(argb, w, h, false, new int[] {0}, 1 << 20);
        assertNull(FastPng.decode(withRawByte(argb, w, h, 5 * (1 + 3 * w), (byte) 5), w, h), "filter type 5");
        assertNull(FastPng.decode(Arrays.copyOf(good, good.length - 12), w, h), "no IEND");
        assertNull(FastPng.decode(Arrays.copyOf(good, good.length - 40), w, h), "truncated");
        byte[] trailing = Arrays.copyOf(good, good.length + 3);
        assertNull(FastPng.decode(trailing, w, h), "bytes after IEND");
        byte[] lying = badFilter.clone();
        ByteBuffer.wrap(lying).putInt(8 + 25, 0x7FFFFFF0);
        assertNull(FastPng.decode(lying, w, h), "a chunk longer than the file");
        byte[] fewer = rows(argb, w, h, false);
        assertNull(FastPng.decode(fromRows(Arrays.copyOf(fewer, fewer.length - (1 + 3 * w)), w, h, false), w, h),
                "IHDR taller than the rows");
        assertNull(FastPng.decode(withTail(argb, w, h, new byte[] {1, 2, 3}), w, h), "rows beyond the image");
        assertNull(FastPng.decode(Arrays.copyOf(good, 20), w, h), "a stub");
    }

    @Test
    void theDecoderGivesImageIosResultOrErrorForTheFilesLeftToIt() throws Exception {
        int w = 20;
        int h = 12;
        int[] argb = picture(w, h, true, 6);
        Path ok = Files.write(dir.resolve("ok.png"), png(argb, w, h, true, new int[] {4, 2}, 64));
        assertNull(FastPng.decode(ok, w, h, w * h - 1), "larger than the limit: ImageIO's (it streams the file)");
        assertNotNull(FastPng.decode(ok, w, h, w * h));
        long before = FastPng.DECODED.get();
        assertArrayEquals(argb, new ImageDecoder().decode(ok).argb());
        assertEquals(before + 1, FastPng.DECODED.get(), "decoded directly");
        assertArrayEquals(Resize.fitLongSide(new RgbaImage(w, h, argb), 8).argb(),
                new ImageDecoder().decodePreview(ok, 8).argb(), "a preview");
        assertEquals(before + 1, FastPng.DECODED.get(), "a preview is ImageIO's");
        // an unknown row filter: ImageIO's error, as before
        Path badFilter = Files.write(dir.resolve("filter.png"), withRawByte(argb, w, h, 3 * (1 + 4 * w), (byte) 9, true));
        PasticheException e = assertThrows(PasticheException.class, () -> new ImageDecoder().decode(badFilter));
        assertEquals(PasticheException.Reason.CORRUPT_FILE, e.reason());
        assertTrue(e.getMessage().startsWith(badFilter + ": "), e.getMessage());
        // truncated image data: ImageIO's error
        byte[] good = Files.readAllBytes(ok);
        Path cut = Files.write(dir.resolve("cut.png"), Arrays.copyOf(good, good.length / 2));
        assertEquals(PasticheException.Reason.CORRUPT_FILE,
                assertThrows(PasticheException.class, () -> new ImageDecoder().decode(cut)).reason());
        // tRNS on RGB: ImageIO's pixels (the fast path declines it)
        byte[] trns = png(argb, w, h, false, new int[] {1}, 64, chunk("tRNS", new byte[] {0, 1, 0, 2, 0, 3}));
        Path t = Files.write(dir.resolve("trns.png"), trns);
        assertArrayEquals(viaImageIo(trns), new ImageDecoder().decode(t).argb());
        assertEquals(before + 1, FastPng.DECODED.get(), "the files left to ImageIO");
    }

    /** A PNG of only a header, an empty IDAT and IEND: IHDR w x h, depth and colour type as given. */
    private static byte[] headerOnly(int w, int h, int depth, int colour, int interlace) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        out.write(chunk("IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) depth)
                .put((byte) colour).put((byte) 0).put((byte) 0).put((byte) interlace).array()));
        out.write(chunk("IDAT", new byte[] {0x78, (byte) 0x9C, 3, 0, 0, 0, 0, 1}));
        out.write(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    @Test
    void theHeaderIsReadOnlyWhereThisDecoderMayTakeTheFile() throws Exception {
        assertArrayEquals(new int[] {20, 12}, FastPng.header(headerOnly(20, 12, 8, 2, 0)));
        assertArrayEquals(new int[] {7, 300000}, FastPng.header(headerOnly(7, 300000, 8, 6, 0)));
        assertNull(FastPng.header(headerOnly(20, 12, 16, 2, 0)), "16 bits");
        assertNull(FastPng.header(headerOnly(20, 12, 8, 3, 0)), "palette");
        assertNull(FastPng.header(headerOnly(20, 12, 8, 0, 0)), "gray");
        assertNull(FastPng.header(headerOnly(20, 12, 8, 2, 1)), "interlaced");
        assertNull(FastPng.header(headerOnly(0, 12, 8, 2, 0)), "no columns");
        assertNull(FastPng.header(headerOnly(-5, 12, 8, 2, 0)), "a width above 2^31");
        byte[] badCrc = headerOnly(20, 12, 8, 2, 0);
        badCrc[29] ^= 1;
        assertNull(FastPng.header(badCrc), "IHDR's CRC wrong");
        assertNull(FastPng.header(Arrays.copyOf(headerOnly(20, 12, 8, 2, 0), FastPng.HEADER_BYTES - 1)), "a stub");
        Path stub = Files.write(dir.resolve("stub.png"), Arrays.copyOf(headerOnly(20, 12, 8, 2, 0), 20));
        assertNull(FastPng.header(stub), "a file shorter than the header");
    }

    @Test
    void aPlainPngIsDecodedWithoutImageIoAndTheOthersWithIt() throws Exception {
        int w = 24;
        int h = 10;
        int[] argb = picture(w, h, false, 8);
        Path ok = Files.write(dir.resolve("plain.png"), png(argb, w, h, false, new int[] {1, 4}, 100));
        long opened = ImageDecoder.IMAGEIO_OPENED.get();
        long decoded = FastPng.DECODED.get();
        assertArrayEquals(argb, new ImageDecoder().decode(ok).argb());
        assertEquals(decoded + 1, FastPng.DECODED.get(), "decoded directly");
        assertEquals(opened, ImageDecoder.IMAGEIO_OPENED.get(), "ImageIO not opened");
        // a photo that FastPng declines after its header (tRNS): ImageIO's pixels, FastPng tried once
        byte[] trns = png(argb, w, h, false, new int[] {1}, 64, chunk("tRNS", new byte[] {0, 1, 0, 2, 0, 3}));
        Path t = Files.write(dir.resolve("trns2.png"), trns);
        assertArrayEquals(viaImageIo(trns), new ImageDecoder().decode(t).argb());
        assertEquals(opened + 1, ImageDecoder.IMAGEIO_OPENED.get(), "ImageIO reads what FastPng declines");
        assertEquals(decoded + 1, FastPng.DECODED.get());
        // the size limit holds on the direct path, before any pixel: the same error as from ImageIO's header
        PasticheException limit = assertThrows(PasticheException.class, () -> new ImageDecoder(w * h - 1).decode(ok));
        assertEquals(PasticheException.Reason.TOO_MANY_PIXELS, limit.reason());
        assertEquals(opened + 1, ImageDecoder.IMAGEIO_OPENED.get(), "refused from FastPng's header");
        assertNotNull(new ImageDecoder(w * h).decode(ok));
    }

    @Test
    void aHugeHeaderIsRefusedAsImageIosHeaderWouldBe() throws Exception {
        Path direct = Files.createDirectories(dir.resolve("a")).resolve("huge.png");
        Files.write(direct, headerOnly(30000, 30000, 8, 2, 0));
        Path viaImageIo = Files.createDirectories(dir.resolve("b")).resolve("huge.png");
        Files.write(viaImageIo, headerOnly(30000, 30000, 16, 2, 0)); // 16 bits: ImageIO reads the header
        long opened = ImageDecoder.IMAGEIO_OPENED.get();
        PasticheException a = assertThrows(PasticheException.class, () -> new ImageDecoder().decode(direct));
        assertEquals(opened, ImageDecoder.IMAGEIO_OPENED.get(), "refused without ImageIO");
        PasticheException b = assertThrows(PasticheException.class, () -> new ImageDecoder().decode(viaImageIo));
        assertEquals(opened + 1, ImageDecoder.IMAGEIO_OPENED.get());
        assertEquals(PasticheException.Reason.TOO_MANY_PIXELS, a.reason(), a.getMessage());
        assertEquals(b.reason(), a.reason());
        assertEquals(b.getMessage().replace(viaImageIo.toString(), "F"), a.getMessage().replace(direct.toString(), "F"));
        assertTrue(a.getMessage().contains("30000 x 30000 = 900.0 MP"), a.getMessage());
    }

    private static void fixCrc(byte[] png, int chunk) {
        int len = ByteBuffer.wrap(png).getInt(chunk);
        CRC32 crc = new CRC32();
        crc.update(png, chunk + 4, 4 + len);
        ByteBuffer.wrap(png).putInt(chunk + 8 + len, (int) crc.getValue());
    }

    /** A PNG whose filtered rows have {@code value} at {@code index} (e.g. a filter type byte). */
    private static byte[] withRawByte(int[] argb, int w, int h, int index, byte value) throws Exception {
        return withRawByte(argb, w, h, index, value, false);
    }

    private static byte[] withRawByte(int[] argb, int w, int h, int index, byte value, boolean alpha) throws Exception {
        byte[] raw = rows(argb, w, h, alpha);
        raw[index] = value;
        return fromRows(raw, w, h, alpha);
    }

    /** A PNG whose zlib stream carries extra bytes after the last row. */
    private static byte[] withTail(int[] argb, int w, int h, byte[] tail) throws Exception {
        byte[] raw = rows(argb, w, h, false);
        byte[] more = Arrays.copyOf(raw, raw.length + tail.length);
        System.arraycopy(tail, 0, more, raw.length, tail.length);
        return fromRows(more, w, h, false);
    }

    /** The filtered rows (filter 0) of a picture. */
    private static byte[] rows(int[] argb, int w, int h, boolean alpha) {
        int ch = alpha ? 4 : 3;
        byte[] raw = new byte[h * (1 + ch * w)];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = argb[y * w + x];
                int o = y * (1 + ch * w) + 1 + x * ch;
                raw[o] = (byte) (p >> 16);
                raw[o + 1] = (byte) (p >> 8);
                raw[o + 2] = (byte) p;
                if (alpha) {
                    raw[o + 3] = (byte) (p >>> 24);
                }
            }
        }
        return raw;
    }

    private static byte[] fromRows(byte[] raw, int w, int h, boolean alpha) throws Exception {
        Deflater d = new Deflater();
        d.setInput(raw);
        d.finish();
        byte[] z = new byte[raw.length + 1024];
        int n = d.deflate(z);
        d.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        out.write(chunk("IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8)
                .put((byte) (alpha ? 6 : 2)).put((byte) 0).put((byte) 0).put((byte) 0).array()));
        out.write(chunk("IDAT", Arrays.copyOf(z, n)));
        out.write(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }
}
