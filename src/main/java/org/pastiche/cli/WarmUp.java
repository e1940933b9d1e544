package org.pastiche.cli;

import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pastiche.core.CancellationToken;
import org.pastiche.imaging.ImageExporter;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.imaging.TileGrid;
import org.pastiche.imaging.Tiler;
import org.pastiche.inference.ModelRegistry;

/**
 * What a {@code stylize} run will need anyway, done on a thread of its own from the start, while the
 * main thread parses the command line and reads the catalog and another one decodes the photo: the
 * set-up of the catalog's JSON reader and of the image decoder, ONNX Runtime's native libraries
 * and environment (then the main thread only creates the session), and the just-in-time compilation
 * of the loops that turn pixels into the network's input, its output into pixels, and pixels into a
 * PNG file, run once on a small picture (else they start interpreted on the 2 MP photo, on the one
 * thread that the network's two are waiting for). Nothing it does is seen: a failure here is
 * met again, unchanged, where the run needs the same thing.
 */
public final class WarmUp {
    /** The small picture: 640 rows of 256 pixels make the per-row methods worth compiling. */
    static final int WIDTH = 256;
    static final int HEIGHT = 640;
    /**
     * Classes whose set-up the run waits for, first the catalog's reader (Jackson's streaming parser
     * and tree nodes, {@code JsonTree}: no ObjectMapper since the sixth round), last the image decoder (ImageIO's plugins are scanned only where a photo needs
     * ImageIO: a plain 8-bit PNG does not, docs/engine.md, "Sixth round"): initialised here, they are ready
     * when the main thread (or the decode thread) comes to them, and it waits for them no longer than
     * it would have taken itself.
     */
    static final String CATALOG_CLASS = "org.pastiche.inference.StyleCatalog";
    static final String DECODER_CLASS = "org.pastiche.imaging.ImageDecoder";

    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final CountDownLatch RUNTIME_DONE = new CountDownLatch(1);

    private WarmUp() {}

    /**
     * Starts the warm-up thread, once per JVM: the launcher calls it for {@code stylize} before the
     * command line is parsed (picocli takes about 0.2 s of one core), {@code stylize} itself again.
     */
    public static void start() {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(WarmUp::run, "pastiche-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Waits until ONNX Runtime's environment is made, if the warm-up was started: a JVM must not
     * exit (a usage error, an unknown style) while another thread is still inside the native
     * library's start-up.
     */
    public static void awaitRuntime() {
        if (!STARTED.get()) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                RUNTIME_DONE.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static void run() {
        initialise(CATALOG_CLASS);
        try {
            ModelRegistry.preloadRuntime();
        } catch (RuntimeException | Error e) {
            // the session's creation throws it again, as it was, on the main thread
        } finally {
            RUNTIME_DONE.countDown();
        }
        initialise(DECODER_CLASS);
        try {
            compileLoops();
        } catch (Exception | Error e) {
            // only a warm-up: the real run does the same work itself
        }
    }

    private static void initialise(String className) {
        try {
            Class.forName(className, true, WarmUp.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            // the run meets the same class itself (a test checks that both names exist)
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
