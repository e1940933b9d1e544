package org.pastiche.imaging;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.PasticheException;

/**
 * Runs a tensor operation over an image tile by tile and blends the results with the grid's
 * feathered weights. Memory is bounded: the source and result as packed ints, two reused direct
 * buffers of one tile, and a float band of one tile row (the rows still waiting for the next
 * tile row's contribution).
 */
public final class Tiler {
    private Tiler() {}

    /** Turns one tile, planar RGB 0..255 [1,3,h,w] in {@code input}, into the same layout in {@code output}. */
    @FunctionalInterface
    public interface TileOp {
        void apply(FloatBuffer input, FloatBuffer output, int width, int height) throws PasticheException;
    }

    /** A direct, native-order float buffer, as ONNX Runtime reads without a copy. */
    public static FloatBuffer directFloats(int count) {
        return ByteBuffer.allocateDirect(Math.multiplyExact(count, Float.BYTES)).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    /**
     * @param onTileDone called after each tile, on the calling thread
     * @return the blended image, clamped and rounded, with the source's alpha
     */
    public static RgbaImage run(RgbaImage source, TileGrid grid, TileOp op, Runnable onTileDone,
            CancellationToken cancel) throws PasticheException {
        int n = 3 * grid.tileWidth() * grid.tileHeight();
        return run(source, grid, op, onTileDone, cancel, directFloats(n), directFloats(n));
    }

    /**
     * As {@link #run(RgbaImage, TileGrid, TileOp, Runnable, CancellationToken)} with the caller's
     * buffers (capacity at least {@code 3 x tileWidth x tileHeight} floats), so that they can be
     * reused from call to call.
     */
    public static RgbaImage run(RgbaImage source, TileGrid grid, TileOp op, Runnable onTileDone,
            CancellationToken cancel, FloatBuffer in, FloatBuffer out) throws PasticheException {
        int w = grid.width();
        int h = grid.height();
        if (w != source.width() || h != source.height()) {
            throw new IllegalArgumentException("grid " + grid + " does not fit " + w + "x" + h);
        }
        int tw = grid.tileWidth();
        int th = grid.tileHeight();
        int plane = tw * th;
        if (in.capacity() < 3 * plane || out.capacity() < 3 * plane) {
            throw new IllegalArgumentException("buffers too small for " + grid);
        }
        if (grid.tileCount() == 1) {
            return single(source, grid, op, onTileDone, cancel, in, out);
        }
        int band = w * th;
        float[] acc = new float[3 * band];
        float[] row = new float[tw];
        int[] src = source.argb();
        int[] result = new int[src.length];
        int[] xs = grid.xs();
        int[] ys = grid.ys();
        float[][] wx = new float[xs.length][];
        for (int k = 0; k < xs.length; k++) {
            wx[k] = grid.weightsX(k);
        }
        for (int j = 0; j < ys.length; j++) {
            int y0 = ys[j];
            float[] wy = grid.weightsY(j);
            int rows = Math.min(th, h - y0);
            for (int k = 0; k < xs.length; k++) {
                cancel.throwIfCancelled();
                int x0 = xs[k];
                in.clear();
                Tensors.readWindow(source, x0, y0, tw, th, in);
                out.clear();
                op.apply(in, out, tw, th);
                int cols = Math.min(tw, w - x0);
                float[] wk = wx[k];
                for (int c = 0; c < 3; c++) {
                    for (int ty = 0; ty < rows; ty++) {
                        out.get(c * plane + ty * tw, row, 0, cols);
                        float fy = wy[ty];
                        int a = c * band + ty * w + x0;
                        for (int tx = 0; tx < cols; tx++) {
                            acc[a + tx] += row[tx] * wk[tx] * fy;
                        }
                    }
                }
                onTileDone.run();
            }
            // Rows above the next tile row are final: write them out and slide the band up.
            int next = j + 1 < ys.length ? ys[j + 1] : h;
            for (int y = y0; y < next; y++) {
                int a = (y - y0) * w;
                int o = y * w;
                for (int x = 0; x < w; x++) {
                    result[o + x] = (src[o + x] & 0xFF000000) | Tensors.to8(acc[a + x]) << 16
                            | Tensors.to8(acc[band + a + x]) << 8 | Tensors.to8(acc[2 * band + a + x]);
                }
            }
            if (j + 1 < ys.length) {
                int shift = (next - y0) * w;
                for (int c = 0; c < 3; c++) {
                    System.arraycopy(acc, c * band + shift, acc, c * band, band - shift);
                    Arrays.fill(acc, c * band + band - shift, (c + 1) * band, 0f);
                }
            }
        }
        return new RgbaImage(w, h, result);
    }

    /** One tile: no blending, the output is cropped and packed directly. */
    private static RgbaImage single(RgbaImage source, TileGrid grid, TileOp op, Runnable onTileDone,
            CancellationToken cancel, FloatBuffer in, FloatBuffer out) throws PasticheException {
        int w = grid.width();
        int h = grid.height();
        int tw = grid.tileWidth();
        int plane = tw * grid.tileHeight();
        cancel.throwIfCancelled();
        in.clear();
        Tensors.readWindow(source, 0, 0, tw, grid.tileHeight(), in);
        out.clear();
        op.apply(in, out, tw, grid.tileHeight());
        int[] src = source.argb();
        int[] result = new int[src.length];
        float[] r = new float[w];
        float[] g = new float[w];
        float[] b = new float[w];
        for (int y = 0; y < h; y++) {
            out.get(y * tw, r, 0, w);
            out.get(plane + y * tw, g, 0, w);
            out.get(2 * plane + y * tw, b, 0, w);
            int o = y * w;
            for (int x = 0; x < w; x++) {
                result[o + x] = (src[o + x] & 0xFF000000) | Tensors.to8(r[x]) << 16 | Tensors.to8(g[x]) << 8
                        | Tensors.to8(b[x]);
            }
        }
        onTileDone.run();
        return new RgbaImage(w, h, result);
    }
}
