package org.pastiche.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TensorsTest {
    @Test
    void roundTripIsExactForEveryValue() {
        SplittableRandom rnd = new SplittableRandom(7);
        int[] px = new int[256 * 3];
        for (int i = 0; i < px.length; i++) {
            int v = i % 256; // every level in every channel
            px[i] = 0xFF000000 | v << 16 | (255 - v) << 8 | rnd.nextInt(256);
        }
        RgbaImage img = new RgbaImage(32, 24, px);
        float[] t = Tensors.toNchw(img);
        assertEquals(px[5] >> 16 & 0xFF, (int) t[5]);
        assertArrayEquals(px, Tensors.fromNchw(t, 32, 24).argb());
    }

    @Test
    void fromNchwClampsAndRounds() {
        float[] t = {-3f, 254.6f, 300f, 127.5f, Float.NaN, 0.49f};
        RgbaImage img = Tensors.fromNchw(t, 2, 1);
        // planes: R = {-3, 254.6}, G = {300, 127.5}, B = {NaN, 0.49}
        assertEquals(0xFF00FF00, img.get(0, 0));
        assertEquals(0xFFFF8000, img.get(1, 0));
    }

    @Test
    void readWindowMatchesToNchwAndReflects() {
        RgbaImage img = SyntheticImage.photoLike(7, 5, 3);
        FloatBuffer buf = FloatBuffer.allocate(3 * 7 * 5);
        Tensors.readWindow(img, 0, 0, 7, 5, buf);
        assertArrayEquals(Tensors.toNchw(img), buf.array());

        FloatBuffer padded = FloatBuffer.allocate(3 * 9 * 5);
        Tensors.readWindow(img, 0, 0, 9, 5, padded);
        // column 7 mirrors column 5, column 8 mirrors column 4
        assertEquals(padded.get(5), padded.get(7));
        assertEquals(padded.get(4), padded.get(8));
        assertEquals(1, Tensors.reflect(-1, 7));
        assertEquals(5, Tensors.reflect(7, 7));
        assertEquals(0, Tensors.reflect(12, 7));
        assertEquals(0, Tensors.reflect(3, 1));
    }
}
