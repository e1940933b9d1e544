package org.pastiche.cli;

import java.io.OutputStream;
import java.nio.FloatBuffer;
import org.pastiche.core.CancellationToken;
import org.pastiche.imaging.ImageExporter;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.imaging.TileGrid;
import org.pastiche.imaging.Tiler;
import org.pastiche.inference.ModelRegistry;

/**
 * What a {@code stylize} run will need anyway, done on a thread of its own at the start, while the
 * main thread reads the catalog and another one decodes the photo: ONNX Runtime's native libraries
 * and environment (then the main thread only creates the session), and the just-in-time compilation
 * of the loops that turn pixels into the network's input, its output into pixels, and pixels into a
 * PNG file, run once on a small picture (else they start interpreted on the 2 MP photo, on the one
 * thread that the network's two are waiting for). Nothing it does is seen: a failure here is
 * met again, unchanged, where the run needs the same thing.
 */
final class WarmUp {
    /** The small picture: 640 rows of 256 pixels make the per-row methods worth compiling. */
    static final int WIDTH = 256;
    static final int HEIGHT = 640;

    private WarmUp() {}

    static void start() {
        Thread t = new Thread(WarmUp::run, "pastiche-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.NORM_PRIORITY - 1);
        t.start();
    }

    static void run() {
        try {
            ModelRegistry.preloadRuntime();
        } catch (RuntimeException | Error e) {
            // the session's creation throws it again, as it was, on the main thread
        }
        try {
            compileLoops();
        } catch (Exception | Error e) {
            // only a warm-up: the real run does the same work itself
        }
    }

    /** The pixel loops of a whole-image run and of the PNG export, on a small picture, to nowhere. */
    static RgbaImage compileLoops() throws Exception {
        int[] px = new int[WIDTH * HEIGHT];
        for (int i = 0; i < px.length; i++) {
            px[i] = 0xFF000000 | (i * 0x9E3779B1) >>> 8; // not flat, as a painting
        }
        RgbaImage img = new RgbaImage(WIDTH, HEIGHT, px);
        TileGrid grid = TileGrid.whole(WIDTH, HEIGHT, 1);
        int n = 3 * grid.tileWidth() * grid.tileHeight();
        RgbaImage out = Tiler.run(img, grid, WarmUp::copy, () -> { }, CancellationToken.none(),
                FloatBuffer.allocate(n), FloatBuffer.allocate(n));
        ImageExporter.encode(ImageExporter.Format.PNG, out, OutputStream.nullOutputStream());
        return out;
    }

    private static void copy(FloatBuffer in, FloatBuffer out, int w, int h) {
        out.put(0, in, 0, 3 * w * h);
    }
}
