package org.pastiche.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The exporter's PNG writer: pixels back unchanged through ImageIO (and the zlib stream, Adler-32
 * included, through {@link Inflater}), the same bytes on one thread as on several, a valid CRC on
 * every chunk, and small files for flat pictures.
 */
class PngEncoderTest {
    private record Chunk(String type, byte[] data) {}

    private static byte[] encode(RgbaImage img, int threads, int bandBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PngEncoder(PngEncoder.LEVEL, threads, bandBytes).write(img, out);
        return out.toByteArray();
    }

    private static List<Chunk> chunks(byte[] png) {
        ByteBuffer b = ByteBuffer.wrap(png);
        byte[] sig = new byte[8];
        b.get(sig);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, sig, "PNG signature");
        List<Chunk> list = new ArrayList<>();
        while (b.hasRemaining()) {
            int len = b.getInt();
            byte[] type = new byte[4];
            b.get(type);
            byte[] data = new byte[len];
            b.get(data);
            CRC32 crc = new CRC32();
            crc.update(type);
            crc.update(data);
            String t = new String(type, StandardCharsets.US_ASCII);
            assertEquals((int) crc.getValue(), b.getInt(), "CRC of " + t);
            list.add(new Chunk(t, data));
        }
        return list;
    }

    /** The whole zlib stream inflated (the Inflater checks the Adler-32 at the end); fails if it does not end. */
    private static byte[] inflate(List<Chunk> chunks) throws DataFormatException {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        chunks.stream().filter(c -> c.type().equals("IDAT")).forEach(c -> z.writeBytes(c.data()));
        Inflater inf = new Inflater();
        inf.setInput(z.toByteArray());
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!inf.finished()) {
            int n = inf.inflate(buf);
            if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                throw new AssertionError("the zlib stream ends before its end");
            }
            raw.write(buf, 0, n);
        }
        assertEquals(0, inf.getRemaining(), "nothing after the zlib stream");
        inf.end();
        return raw.toByteArray();
    }

    /** ImageIO's reading, pixel by pixel through getRGB (not the decoder's fast path: that is tested on its own). */
    private static int[] decodeWithImageIo(byte[] png) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    private static RgbaImage noise(int w, int h, boolean alpha, long seed) {
        Random r = new Random(seed);
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = alpha ? r.nextInt() : 0xFF000000 | r.nextInt();
        }
        return new RgbaImage(w, h, px);
    }

    @Test
    void pixelsComeBackThroughImageIoAtAnyBandSize() throws Exception {
        List<RgbaImage> images = List.of(noise(1, 1, false, 1), noise(3, 2, false, 2), noise(257, 131, false, 3),
                SyntheticImage.photoLike(301, 97, 4), noise(64, 50, true, 5), noise(1, 40, true, 6));
        for (RgbaImage img : images) {
            int stride = 1 + img.width() * (img.hasAlpha() ? 4 : 3);
            for (int band : new int[] {1, stride * 3, PngEncoder.BAND_BYTES}) {
                for (int threads : new int[] {1, 3}) {
                    byte[] png = encode(img, threads, band);
                    assertArrayEquals(img.argb(), decodeWithImageIo(png),
                            img.width() + "x" + img.height() + " alpha " + img.hasAlpha() + ", bands of " + band
                                    + " bytes, " + threads + " threads");
                }
            }
        }
    }

    @Test
    void theZlibStreamIsWholeWithItsChecksumAndEveryRowPaethFiltered() throws Exception {
        RgbaImage img = SyntheticImage.photoLike(200, 150, 7);
        int stride = 1 + 200 * 3;
        // 150 rows in bands of 7: 22 bands, all but the last ending in a sync flush
        List<Chunk> chunks = chunks(encode(img, 2, stride * 7));
        assertEquals(List.of("IHDR", "cHRM", "gAMA", "sRGB"), chunks.stream().limit(4).map(Chunk::type).toList());
        assertEquals("IEND", chunks.get(chunks.size() - 1).type());
        ByteBuffer ihdr = ByteBuffer.wrap(chunks.get(0).data());
        assertEquals(200, ihdr.getInt());
        assertEquals(150, ihdr.getInt());
        assertEquals(8, ihdr.get(), "bit depth");
        assertEquals(2, ihdr.get(), "colour type RGB for an opaque image");
        byte[] raw = inflate(chunks);
        assertEquals(150 * stride, raw.length);
        for (int y = 0; y < 150; y++) {
            assertEquals(4, raw[y * stride], "row " + y + " filter");
        }
        Adler32 a = new Adler32();
        a.update(raw);
        byte[] z = concatIdat(chunks);
        assertEquals((int) a.getValue(), ByteBuffer.wrap(z, z.length - 4, 4).getInt(), "Adler-32 of the filtered rows");
        assertEquals(0, ((z[0] & 0xFF) << 8 | (z[1] & 0xFF)) % 31, "zlib header check bits");
    }

    private static byte[] concatIdat(List<Chunk> chunks) {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        chunks.stream().filter(c -> c.type().equals("IDAT")).forEach(c -> z.writeBytes(c.data()));
        return z.toByteArray();
    }

    @Test
    void theBytesDoNotDependOnTheThreads() throws Exception {
        RgbaImage img = SyntheticImage.photoLike(640, 480, 8);
        int band = 40_000;
        byte[] one = encode(img, 1, band);
        assertArrayEquals(one, encode(img, 2, band));
        assertArrayEquals(one, encode(img, 5, band));
    }

    @Test
    void theDefaultsWriteTheSamePixelsAsImageIoDoes() throws Exception {
        RgbaImage img = SyntheticImage.photoLike(1200, 900, 9); // several 1 MiB bands
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        new PngEncoder().write(img, ours);
        ByteArrayOutputStream theirs = new ByteArrayOutputStream();
        ImageEncoders.encodePngWithImageIo(img, theirs);
        assertArrayEquals(decodeWithImageIo(theirs.toByteArray()), decodeWithImageIo(ours.toByteArray()));
        assertArrayEquals(img.argb(), decodeWithImageIo(ours.toByteArray()));
    }

    @Test
    void flatPicturesAreDeflatedWithStringMatching() throws Exception {
        int w = 800;
        int h = 600;
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            int x = i % w;
            px[i] = x % 100 < 50 ? 0xFFF0F0F0 : 0xFF2060A0; // stripes: flat areas, as in a graphic
        }
        byte[] png = encode(new RgbaImage(w, h, px), 2, PngEncoder.BAND_BYTES);
        // Huffman coding alone needs at least a bit a byte: 1.44 MB of filtered rows would be >= 180 KB
        assertTrue(png.length < 20_000, "a flat picture takes " + png.length + " bytes");
        assertArrayEquals(px, decodeWithImageIo(png));
    }

    @Test
    void adlerChecksumsCombineAsOneOverTheWhole() {
        Random r = new Random(10);
        byte[] data = new byte[300_000];
        r.nextBytes(data);
        for (int i = 0; i < 50_000; i++) {
            data[i] = (byte) 0xFF; // long runs push the sums past the modulus
        }
        Adler32 whole = new Adler32();
        whole.update(data);
        for (int cut : new int[] {0, 1, 65_521, 65_522, 150_000, 299_999, 300_000}) {
            Adler32 a = new Adler32();
            a.update(data, 0, cut);
            Adler32 b = new Adler32();
            b.update(data, cut, data.length - cut);
            assertEquals(whole.getValue(), PngEncoder.adler32Combine(a.getValue(), b.getValue(), data.length - cut),
                    "cut at " + cut);
        }
    }
}
