package org.pastiche.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * {@link ImageDecoder#toArgb}'s byte path for JPEG's and 8-bit PNG's images (TYPE_3BYTE_BGR,
 * TYPE_4BYTE_ABGR) gives what getRGB gives, pixel for pixel, also for images ImageIO reads and for
 * sub-images (which take the general path).
 */
class ToArgbTest {
    private static int[] viaGetRgb(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    private static BufferedImage random(int type, int w, int h, long seed) {
        BufferedImage img = new BufferedImage(w, h, type);
        Random r = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, type == BufferedImage.TYPE_4BYTE_ABGR ? r.nextInt() : 0xFF000000 | r.nextInt());
            }
        }
        return img;
    }

    @Test
    void bgrAndAbgrBytesAreReadAsGetRgbReadsThem() {
        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR}) {
            BufferedImage img = random(type, 37, 23, type);
            int[] expected = viaGetRgb(img);
            assertArrayEquals(expected, ImageDecoder.toArgb(img), "type " + type);
            BufferedImage sub = img.getSubimage(5, 3, 20, 11);
            assertArrayEquals(viaGetRgb(sub), ImageDecoder.toArgb(sub), "sub-image of type " + type);
        }
    }

    @Test
    void pngsAndJpegsReadByImageIoComeOutAsGetRgbSays() throws Exception {
        RgbaImage photo = SyntheticImage.photoLike(61, 45, 3);
        BufferedImage rgba = random(BufferedImage.TYPE_4BYTE_ABGR, 61, 45, 4);
        for (Object[] c : new Object[][] {{ImageEncoders.wrap(photo, false), "png"}, {rgba, "png"},
                {ImageEncoders.wrap(photo, false), "jpeg"}}) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            ImageIO.write((BufferedImage) c[0], (String) c[1], buf);
            BufferedImage read = ImageIO.read(new ByteArrayInputStream(buf.toByteArray()));
            int[] argb = ImageDecoder.toArgb(read);
            assertArrayEquals(viaGetRgb(read), argb, c[1] + " of type " + read.getType());
            if (c[1].equals("png")) {
                assertArrayEquals(viaGetRgb((BufferedImage) c[0]), argb, "lossless");
            }
        }
        BufferedImage read = ImageIO.read(new ByteArrayInputStream(pngOf(ImageEncoders.wrap(photo, false))));
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, read.getType(), "an RGB PNG takes the byte path");
    }

    private static byte[] pngOf(BufferedImage img) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ImageIO.write(img, "png", buf);
        return buf.toByteArray();
    }
}
