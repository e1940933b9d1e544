package org.pastiche.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.CancelledException;
import org.pastiche.core.PasticheException;
import org.pastiche.core.ProgressListener;
import org.pastiche.imaging.Resize;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.imaging.StyleBlend;
import org.pastiche.imaging.TileGrid;
import org.pastiche.imaging.Tiler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Stylizer} on ONNX Runtime. Images up to {@link TilingSettings#maxWholePixels()} run in
 * one piece (reflection-padded to the size multiple, then cropped). Larger ones run in overlapping
 * tiles: first the style's {@code file} network on a downscaled copy, only for its instance-norm
 * {@code stats}; then its {@code tile_file} network on every full-resolution tile with those stats,
 * so that all tiles are normalised alike and show no seams; overlaps are cross-faded.
 * A style without a tile network is tiled with each tile's own statistics: its colours may
 * shift slightly from tile to tile (faint seams), the price of bounded memory.
 */
public final class OnnxStylizer implements Stylizer {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxStylizer.class);

    private final ModelRegistry registry;
    private final TilingSettings tiling;
    private final AtomicReference<FloatBuffer[]> spare = new AtomicReference<>();
    /** Nanoseconds spent inside ONNX Runtime by this thread's last {@link #stylize} call, for benchmarks. */
    private static final ThreadLocal<long[]> ORT_NANOS = ThreadLocal.withInitial(() -> new long[1]);

    public OnnxStylizer(ModelRegistry registry) {
        this(registry, TilingSettings.DEFAULT);
    }

    public OnnxStylizer(ModelRegistry registry, TilingSettings tiling) {
        this.registry = registry;
        this.tiling = tiling;
    }

    public ModelRegistry registry() {
        return registry;
    }

    public TilingSettings tiling() {
        return tiling;
    }

    @Override
    public List<StyleModel> styles() {
        return registry.styles();
    }

    @Override
    public RgbaImage stylize(RgbaImage source, String styleId, ProgressListener progress, CancellationToken cancel)
            throws PasticheException {
        cancel.throwIfCancelled();
        ORT_NANOS.get()[0] = 0;
        LoadedModel model = registry.load(styleId);
        int multiple = model.style().sizeMultiple();
        long start = System.nanoTime();
        RgbaImage out;
        if (source.pixelCount() <= tiling.maxWholePixels()) {
            TileGrid grid = TileGrid.whole(source.width(), source.height(), multiple);
            out = runGrid(source, grid, model.session(), null, progress, 0, 1, cancel);
        } else {
            TileGrid grid = TileGrid.plan(source.width(), source.height(), tiling.tileSize(), tiling.overlap(),
                    multiple);
            if (model.canTileSeamlessly() && tiling.sharedStats()) {
                long total = grid.tileCount() + 1L;
                float[] stats = stats(model, source, cancel);
                progress.progress(1, total);
                out = runGrid(source, grid, model.tileSession().get(), stats, progress, 1, total, cancel);
            } else {
                if (tiling.sharedStats()) {
                    LOG.warn("style '{}' has no tile model: {} tiled with per-tile statistics", styleId, grid);
                }
                out = runGrid(source, grid, model.session(), null, progress, 0, grid.tileCount(), cancel);
            }
        }
        LOG.debug("'{}' on {}x{} in {} ms", styleId, source.width(), source.height(),
                (System.nanoTime() - start) / 1_000_000);
        return out;
    }

    /** Runs {@code session} over the grid; with {@code stats}, as the tile network. */
    private RgbaImage runGrid(RgbaImage source, TileGrid grid, OrtSession session, float[] stats,
            ProgressListener progress, long doneBefore, long total, CancellationToken cancel)
            throws PasticheException {
        AtomicLong done = new AtomicLong(doneBefore);
        progress.progress(doneBefore, total);
        try (OnnxTensor statsTensor = stats == null ? null
                : OnnxTensor.createTensor(ModelRegistry.environment(), FloatBuffer.wrap(stats),
                        new long[] {stats.length})) {
            int n = 3 * grid.tileWidth() * grid.tileHeight();
            FloatBuffer[] buffers = takeBuffers(n);
            try {
                return Tiler.run(source, grid,
                        (in, out, w, h) -> runOnce(session, in, out, w, h, statsTensor, cancel),
                        () -> progress.progress(done.incrementAndGet(), total), cancel, buffers[0], buffers[1]);
            } finally {
                giveBack(buffers);
            }
        } catch (OrtException e) {
            throw new PasticheException(PasticheException.Reason.INFERENCE_FAILED, "cannot prepare the statistics tensor: " + e.getMessage(), e);
        }
    }

    /**
     * Direct buffers are costly to allocate (zeroed, freed only by the garbage collector): keep the
     * last pair for the next call. Concurrent calls simply allocate their own.
     */
    private FloatBuffer[] takeBuffers(int floats) {
        FloatBuffer[] b = spare.getAndSet(null);
        if (b != null && b[0].capacity() >= floats) {
            return b;
        }
        return new FloatBuffer[] {Tiler.directFloats(floats), Tiler.directFloats(floats)};
    }

    private void giveBack(FloatBuffer[] buffers) {
        spare.accumulateAndGet(buffers, (old, mine) -> old == null || old[0].capacity() < mine[0].capacity()
                ? mine : old);
    }

    /**
     * One network run on [1,3,h,w] data, writing {@code output} straight into {@code out} (a
     * pinned output over the reused direct buffer: no copies). Cancellation sets the run's
     * terminate flag, which ONNX Runtime checks between operators.
     */
    static void runOnce(OrtSession session, FloatBuffer in, FloatBuffer out, int w, int h, OnnxTensor stats,
            CancellationToken cancel) throws PasticheException {
        long[] shape = {1, 3, h, w};
        int n = 3 * w * h;
        try (OnnxTensor input = OnnxTensor.createTensor(ModelRegistry.environment(), in.clear().limit(n), shape);
                OnnxTensor output = OnnxTensor.createTensor(ModelRegistry.environment(), out.clear().limit(n), shape);
                OrtSession.RunOptions options = new OrtSession.RunOptions()) {
            Runnable stop = terminateOnCancel(options, cancel);
            try {
                Map<String, OnnxTensor> inputs = new HashMap<>();
                inputs.put(LoadedModel.INPUT, input);
                if (stats != null) {
                    inputs.put(LoadedModel.STATS, stats);
                }
                Map<String, OnnxValue> pinned = Map.of(LoadedModel.OUTPUT, output);
                long t0 = System.nanoTime();
                session.run(inputs, Set.of(), pinned, options).close();
                ORT_NANOS.get()[0] += System.nanoTime() - t0;
            } finally {
                cancel.removeOnCancel(stop);
            }
        } catch (OrtException e) {
            if (cancel.isCancelled()) {
                throw new CancelledException();
            }
            throw new PasticheException(PasticheException.Reason.INFERENCE_FAILED, "the style network failed on a " + w + "x" + h + " image: " + e.getMessage(), e);
        }
        in.clear();
        out.clear();
    }

    /** Registers a listener that makes ONNX Runtime stop {@code options}' run when {@code cancel} fires; remove it after the run. */
    private static Runnable terminateOnCancel(OrtSession.RunOptions options, CancellationToken cancel) {
        Runnable stop = () -> {
            try {
                options.setTerminate(true);
            } catch (OrtException e) {
                LOG.debug("cannot stop the run: {}", e.getMessage());
            }
        };
        cancel.onCancel(stop);
        return stop;
    }

    /**
     * Time this thread's last {@code stylize} spent inside ONNX Runtime runs; the rest of its wall
     * time is the Java side (conversions, padding, blending), measured in the same call.
     */
    public static long ortNanosOfLastCall() {
        return ORT_NANOS.get()[0];
    }

    /** The instance-norm statistics of a downscaled copy, shared by every tile. */
    private float[] stats(LoadedModel model, RgbaImage source, CancellationToken cancel) throws PasticheException {
        RgbaImage small = Resize.fitLongSide(source, tiling.statsLongSide());
        TileGrid grid = TileGrid.whole(small.width(), small.height(), model.style().sizeMultiple());
        FloatBuffer in = Tiler.directFloats(3 * grid.tileWidth() * grid.tileHeight());
        org.pastiche.imaging.Tensors.readWindow(small, 0, 0, grid.tileWidth(), grid.tileHeight(), in);
        long[] shape = {1, 3, grid.tileHeight(), grid.tileWidth()};
        try (OnnxTensor input = OnnxTensor.createTensor(ModelRegistry.environment(), in, shape);
                OrtSession.RunOptions options = new OrtSession.RunOptions()) {
            Runnable stop = terminateOnCancel(options, cancel);
            try (OrtSession.Result r = model.session().run(Map.of(LoadedModel.INPUT, input),
                    Set.of(LoadedModel.STATS), options)) {
                Optional<OnnxValue> v = r.get(LoadedModel.STATS);
                if (v.isEmpty() || !(v.get() instanceof OnnxTensor t)) {
                    throw new PasticheException(PasticheException.Reason.MODEL_INVALID, "style '" + model.style().id() + "': no stats output");
                }
                FloatBuffer fb = t.getFloatBuffer();
                float[] stats = new float[fb.remaining()];
                fb.get(stats);
                if (model.statsLength() > 0 && stats.length != model.statsLength()) {
                    throw new PasticheException(PasticheException.Reason.MODEL_INVALID, "style '" + model.style().id() + "': stats has " + stats.length
                            + " values, the tile model expects " + model.statsLength());
                }
                return stats;
            } finally {
                cancel.removeOnCancel(stop);
            }
        } catch (OrtException e) {
            if (cancel.isCancelled()) {
                throw new CancelledException();
            }
            throw new PasticheException(PasticheException.Reason.INFERENCE_FAILED, "the style network failed computing statistics: " + e.getMessage(), e);
        }
    }

    @Override
    public RgbaImage finish(RgbaImage original, RgbaImage stylized, StyleOptions options) {
        if (options.strength() == 1.0 && !options.keepColors()) {
            return stylized;
        }
        return StyleBlend.finish(original, stylized, options.strength(), options.keepColors());
    }

    @Override
    public void warmUp(String styleId) throws PasticheException {
        int side = 8 * registry.load(styleId).style().sizeMultiple();
        stylize(RgbaImage.blank(side, side), styleId, ProgressListener.NONE, CancellationToken.none());
    }

    @Override
    public void close() {
        spare.set(null);
        registry.close();
    }
}
