package org.pastiche.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.CancelledException;

class TilerTest {
    private static final Tiler.TileOp IDENTITY = (in, out, w, h) -> {
        in.rewind();
        out.put(in);
    };

    @ParameterizedTest
    @CsvSource({"300,200,64,16,4", "257,129,64,20,4", "1000,37,128,32,8", "50,50,128,16,4", "129,65,64,21,1"})
    void weightsSumToOneEverywhere(int w, int h, int tile, int overlap, int multiple) {
        TileGrid grid = TileGrid.plan(w, h, tile, overlap, multiple);
        double[] sum = new double[w];
        for (int k = 0; k < grid.xs().length; k++) {
            float[] wk = grid.weightsX(k);
            for (int i = 0; i < grid.tileWidth() && grid.xs()[k] + i < w; i++) {
                sum[grid.xs()[k] + i] += wk[i];
            }
        }
        for (int x = 0; x < w; x++) {
            assertEquals(1.0, sum[x], 1e-6, "x=" + x + " " + grid);
        }
        assertEquals(0, grid.tileWidth() % multiple);
        if (grid.xs().length > 1) {
            int ov = grid.xs()[0] + grid.tileWidth() - grid.xs()[1];
            assertTrue(ov >= overlap, "overlap " + ov);
        }
    }

    @Test
    void identityOpReproducesTheImageExactly() throws Exception {
        RgbaImage img = SyntheticImage.photoLike(301, 203, 4);
        img.argb()[5] = 0x40123456; // alpha comes from the source
        TileGrid grid = TileGrid.plan(301, 203, 96, 24, 4);
        assertTrue(grid.tileCount() > 4);
        AtomicInteger tiles = new AtomicInteger();
        RgbaImage out = Tiler.run(img, grid, IDENTITY, tiles::incrementAndGet, CancellationToken.none());
        assertArrayEquals(img.argb(), out.argb());
        assertEquals(grid.tileCount(), tiles.get());
    }

    @Test
    void wholeGridPadsAndCrops() throws Exception {
        RgbaImage img = SyntheticImage.photoLike(33, 17, 5);
        TileGrid grid = TileGrid.whole(33, 17, 8);
        assertEquals(40, grid.tileWidth());
        assertEquals(24, grid.tileHeight());
        assertArrayEquals(img.argb(), Tiler.run(img, grid, IDENTITY, () -> { }, CancellationToken.none()).argb());
    }

    @Test
    void stopsBetweenTilesWhenCancelled() {
        RgbaImage img = SyntheticImage.photoLike(300, 300, 6);
        CancellationToken cancel = new CancellationToken();
        AtomicInteger tiles = new AtomicInteger();
        assertThrows(CancelledException.class, () -> Tiler.run(img, TileGrid.plan(300, 300, 64, 16, 4), IDENTITY,
                () -> {
                    if (tiles.incrementAndGet() == 2) {
                        cancel.cancel();
                    }
                }, cancel));
        assertEquals(2, tiles.get());
    }

    @Test
    void tilesAreNoLargerThanNeeded() {
        TileGrid grid = TileGrid.plan(4000, 3000, 1024, 64, 4);
        assertEquals(852, grid.tileWidth());
        assertEquals(5, grid.xs().length);
        assertEquals(800, grid.tileHeight());
        assertEquals(4, grid.ys().length);
        assertEquals(4000 - 852, grid.xs()[4]);
    }

    @Test
    void refusesOverlapAboveAThird() {
        assertThrows(IllegalArgumentException.class, () -> TileGrid.plan(500, 500, 64, 30, 4));
    }
}
