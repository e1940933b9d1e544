package org.pastiche.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.CancelledException;
import org.pastiche.core.PasticheException;
import org.pastiche.imaging.ImageDecoder;
import org.pastiche.imaging.Resize;
import org.pastiche.imaging.RgbaImage;

/**
 * The first photo of a {@code stylize} run, decoded on a thread of its own while the main thread
 * reads the catalog and creates the network's session (the two take about as long, and each keeps
 * one core busy). Decoding has no side effects, so a style that fails first is reported alone, as
 * before, and the photo is dropped; a photo that fails is reported when its turn comes, with the
 * same message (the decoder's, naming the file), and errors such as {@link OutOfMemoryError} are
 * rethrown as they were thrown.
 */
final class DecodeAhead {
    private final Path input;
    private final CompletableFuture<RgbaImage> result = new CompletableFuture<>();
    private volatile long wallNanos;
    private volatile long cpuNanos = -1;

    /**
     * Starts decoding {@code input} with an {@link ImageDecoder} of {@code maxPixels} made on the new
     * thread (its class's set-up, ImageIO's plugins, is then done there too), then fitting it to
     * {@code maxSize} when that is not null.
     */
    DecodeAhead(long maxPixels, Path input, Integer maxSize) {
        this.input = input;
        Thread t = new Thread(() -> {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            boolean cpu = mx.isCurrentThreadCpuTimeSupported();
            long c0 = cpu ? mx.getCurrentThreadCpuTime() : 0;
            long w0 = System.nanoTime();
            RgbaImage img = null;
            Throwable failure = null;
            try {
                img = new ImageDecoder(maxPixels).decode(input);
                if (maxSize != null) {
                    img = Resize.fitLongSide(img, maxSize);
                }
            } catch (Throwable e) { // handed to the main thread as it is, Errors included
                failure = e;
            }
            wallNanos = System.nanoTime() - w0;
            cpuNanos = cpu ? mx.getCurrentThreadCpuTime() - c0 : -1;
            if (failure == null) {
                result.complete(img);
            } else {
                result.completeExceptionally(failure);
            }
        }, "pastiche-decode");
        t.setDaemon(true); // a style that fails ends the run without waiting for the photo
        t.start();
    }

    Path input() {
        return input;
    }

    /** The decoded photo, waiting for it if needed; the decoder's exception or error if it failed. */
    RgbaImage get(CancellationToken cancel) throws PasticheException {
        while (true) {
            cancel.throwIfCancelled();
            try {
                return result.get(50, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // check the cancellation, wait again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException();
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof PasticheException p) {
                    throw p;
                }
                if (c instanceof RuntimeException r) {
                    throw r;
                }
                if (c instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(c);
            }
        }
    }

    /** "on another thread: W ms, C ms CPU" once the photo is decoded. */
    String note() {
        return String.format(java.util.Locale.ROOT, "decoded alongside on its own thread: %.0f ms wall, %s", wallNanos / 1e6,
                cpuNanos >= 0 ? String.format(java.util.Locale.ROOT, "%.0f ms CPU", cpuNanos / 1e6) : "CPU unknown");
    }
}
