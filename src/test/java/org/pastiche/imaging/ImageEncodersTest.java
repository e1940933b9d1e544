package org.pastiche.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** The encoders' pixel helpers: compositing for JPEG and the no-copy wrap. */
class ImageEncodersTest {
    @Test
    void overWhiteCompositesByAlpha() {
        RgbaImage img = new RgbaImage(3, 1, new int[] {0x00123456, 0xFF102030, 0x80FF0000});
        int[] out = ImageEncoders.overWhite(img).argb();
        assertEquals(0xFFFFFFFF, out[0], "transparent becomes white");
        assertEquals(0xFF102030, out[1], "opaque is kept");
        assertEquals(0xFFFF7F7F, out[2], "half red over white");
    }

    @Test
    void wrapSharesThePixelsAndHonoursAlpha() {
        int[] px = {0x80112233, 0xFF445566};
        RgbaImage img = new RgbaImage(2, 1, px);
        BufferedImage opaque = ImageEncoders.wrap(img, false);
        BufferedImage alpha = ImageEncoders.wrap(img, true);
        assertEquals(0xFF112233, opaque.getRGB(0, 0), "without alpha the top byte is ignored");
        assertEquals(0x80112233, alpha.getRGB(0, 0));
        px[1] = 0xFF000000;
        assertEquals(0xFF000000, opaque.getRGB(1, 0), "no copy");
    }
}
