package org.pastiche.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pastiche.core.PasticheException;

class ImageDecoderTest {
    @TempDir
    Path dir;

    private final ImageDecoder decoder = new ImageDecoder();

    private Path resource(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/imaging/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    private static int red(int p) {
        return (p >> 16) & 0xFF;
    }

    private static int blue(int p) {
        return p & 0xFF;
    }

    /** Fixtures are 20 x 10, left half red (200,30,30), right half blue (30,30,200). */
    private static void assertRedLeftBlueRight(RgbaImage img, int tolerance) {
        assertEquals(20, img.width());
        assertEquals(10, img.height());
        int left = img.get(3, 5);
        int right = img.get(16, 5);
        assertEquals(200, red(left), tolerance, "left red");
        assertEquals(30, blue(left), tolerance, "left blue");
        assertEquals(30, red(right), tolerance, "right red");
        assertEquals(200, blue(right), tolerance, "right blue");
        assertEquals(0xFF, left >>> 24);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain.webp", "plain.tif", "plain.bmp", "plain.gif"})
    void decodesLosslessFormats(String name) throws Exception {
        assertRedLeftBlueRight(decoder.decode(resource(name)), name.endsWith(".gif") ? 2 : 0);
    }

    @Test
    void decodesCmykJpegAsRgb() throws Exception {
        RgbaImage img = decoder.decode(resource("cmyk.jpg"));
        assertEquals(20, img.width());
        int left = img.get(3, 5);
        int right = img.get(16, 5);
        // CMYK goes through a colour profile: hues survive, exact values do not.
        assertTrue(red(left) > blue(left) + 80, Integer.toHexString(left));
        assertTrue(blue(right) > red(right) + 80, Integer.toHexString(right));
    }

    @Test
    void grayJpegKeepsItsLevels() throws Exception {
        RgbaImage img = decoder.decode(resource("gray.jpg"));
        int left = img.get(3, 5);
        int expected = Math.round(0.299f * 200 + 0.587f * 30 + 0.114f * 30); // PIL's L conversion
        assertEquals(expected, red(left), 3);
        assertEquals(red(left), blue(left));
    }

    @Test
    void appliesExifOrientation() throws Exception {
        Path file = resource("exif-orientation-6.jpg");
        ImageInfo info = decoder.readInfo(file);
        assertEquals(6, info.orientation());
        assertEquals(10, info.width());
        assertEquals(20, info.height());
        RgbaImage img = decoder.decode(file);
        assertEquals(10, img.width());
        assertEquals(20, img.height());
        // Rotated 90 degrees clockwise: the red left half is now on top.
        assertTrue(red(img.get(5, 3)) > 150, Integer.toHexString(img.get(5, 3)));
        assertTrue(blue(img.get(5, 16)) > 150, Integer.toHexString(img.get(5, 16)));
    }

    @Test
    void gray8PngIsNotBrightened() throws Exception {
        BufferedImage gray = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(1, 0, 0, 100);
        Path file = dir.resolve("gray.png");
        ImageIO.write(gray, "png", file.toFile());
        RgbaImage img = decoder.decode(file);
        assertEquals(0xFF646464, img.get(1, 0));
        assertEquals(0xFF000000, img.get(0, 0));
    }

    @Test
    void gray16PngIsScaledTo8Bits() throws Exception {
        BufferedImage gray = new BufferedImage(4, 2, BufferedImage.TYPE_USHORT_GRAY);
        gray.getRaster().setSample(1, 0, 0, 100 * 257);
        gray.getRaster().setSample(2, 0, 0, 65535);
        Path file = dir.resolve("gray16.png");
        ImageIO.write(gray, "png", file.toFile());
        RgbaImage img = decoder.decode(file);
        assertEquals(0xFF646464, img.get(1, 0));
        assertEquals(0xFFFFFFFF, img.get(2, 0));
    }

    @Test
    void rgb16PngWithAlpha() throws Exception {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(3, 1);
        raster.setPixel(0, 0, new int[] {200 * 257, 30 * 257, 65535, 65535});
        raster.setPixel(1, 0, new int[] {0, 65535, 0, 128 * 257});
        BufferedImage img16 = new BufferedImage(cm, raster, false, null);
        Path file = dir.resolve("rgba16.png");
        ImageIO.write(img16, "png", file.toFile());
        RgbaImage img = decoder.decode(file);
        assertEquals(0xFFC81EFF, img.get(0, 0));
        int p = img.get(1, 0);
        assertEquals(128, p >>> 24, 1);
        assertEquals(0x00FF00, p & 0xFFFFFF);
    }

    @Test
    void pngAlphaIsKept() throws Exception {
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x80112233);
        argb.setRGB(1, 0, 0x00000000);
        Path file = dir.resolve("alpha.png");
        ImageIO.write(argb, "png", file.toFile());
        RgbaImage img = decoder.decode(file);
        assertEquals(0x80112233, img.get(0, 0));
        assertTrue(img.hasAlpha());
    }

    @Test
    void zeroByteFileIsRefused() throws Exception {
        Path file = Files.createFile(dir.resolve("empty.jpg"));
        PasticheException e = assertThrows(PasticheException.class, () -> decoder.decode(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void textFileNamedJpgIsUnsupported() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.jpg"), "this is not a picture\n");
        PasticheException e = assertThrows(PasticheException.class, () -> decoder.decode(file));
        assertTrue(e.getMessage().contains("notes.jpg") && e.getMessage().contains("not a supported image format"),
                e.getMessage());
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("nope.png");
        PasticheException e = assertThrows(PasticheException.class, () -> decoder.decode(file));
        assertTrue(e.getMessage().contains("nope.png") && e.getMessage().contains("no such file"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpg", "png"})
    void truncatedFileIsRefused(String format) throws Exception {
        byte[] whole = encode(SyntheticImage.photoLike(64, 48, 1), format);
        Path file = Files.write(dir.resolve("cut." + format), Arrays.copyOf(whole, whole.length / 2));
        PasticheException e = assertThrows(PasticheException.class, () -> decoder.decode(file));
        assertTrue(e.getMessage().contains("cut." + format) && e.getMessage().contains("truncated or corrupt"),
                e.getMessage());
    }

    @Test
    void hugeHeaderIsRefusedBeforeDecoding() throws Exception {
        Path file = Files.write(dir.resolve("huge.png"), pngHeaderOnly(100_000, 100_000));
        ImageInfo info = decoder.readInfo(file);
        assertEquals(100_000, info.width());
        PasticheException e = assertThrows(PasticheException.class, () -> decoder.decode(file));
        assertTrue(e.getMessage().contains("huge.png") && e.getMessage().contains("too large")
                && e.getMessage().contains("100000 x 100000"), e.getMessage());
    }

    @Test
    void pixelLimitIsConfigurable() throws Exception {
        Path file = dir.resolve("small.png");
        ImageIO.write(ImageEncoders.wrap(SyntheticImage.photoLike(40, 30, 2), false), "png", file.toFile());
        assertEquals(40, new ImageDecoder(1200).decode(file).width());
        assertThrows(PasticheException.class, () -> new ImageDecoder(1199).decode(file));
    }

    @Test
    void previewIsSubsampledThenFiltered() throws Exception {
        RgbaImage big = SyntheticImage.photoLike(1200, 900, 3);
        Path file = dir.resolve("big.png");
        ImageExporter.write(big, file);
        RgbaImage preview = decoder.decodePreview(file, 100);
        assertEquals(100, preview.width());
        assertEquals(75, preview.height());
        RgbaImage reference = Resize.fitLongSide(big, 100);
        assertTrue(ImageMetrics.psnr(reference, preview) > 25, "PSNR " + ImageMetrics.psnr(reference, preview));
        assertEquals(10, decoder.decodePreview(resource("exif-orientation-6.jpg"), 500).width(), "upright");
    }

    static byte[] encode(RgbaImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(ImageEncoders.wrap(image, false), format, out);
        return out.toByteArray();
    }

    /** A PNG signature and IHDR claiming the given size, and nothing else. */
    static byte[] pngHeaderOnly(int width, int height) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        DataOutputStream c = new DataOutputStream(chunk);
        c.write("IHDR".getBytes(StandardCharsets.US_ASCII));
        c.writeInt(width);
        c.writeInt(height);
        c.write(new byte[] {8, 2, 0, 0, 0});
        byte[] data = chunk.toByteArray();
        out.writeInt(data.length - 4);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(data);
        out.writeInt((int) crc.getValue());
        return bytes.toByteArray();
    }
}
