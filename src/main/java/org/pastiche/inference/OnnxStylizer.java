package org.pastiche.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
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
import org.pastiche.imaging.Tensors;
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
            Optional<TileNetwork> tile = tiling.sharedStats() ? model.tile() : Optional.empty();
            if (tile.isPresent()) {
                int passes = tiling.passesFor(source.pixelCount());
                if (passes > 0 && !tile.get().hasMoments()) {
                    LOG.info("style '{}': its tile model has no moments; statistics not refined", styleId);
                    passes = 0;
                }
                long total = 1L + passes * (grid.tileCount() + 1L) + grid.tileCount();
                progress.progress(0, total);
                RgbaImage small = Resize.fitLongSide(source, tiling.statsLongSide());
                float[] stats = stats(model, small, cancel);
                progress.progress(1, total);
                long done = 1;
                if (passes > 0) {
                    stats = refine(tile.get(), source, small, grid, multiple, stats, passes, progress, done, total,
                            cancel);
                    done += passes * (grid.tileCount() + 1L);
                }
                if (tile.get().hasMoments()) {
                    // The output pass needs no moments: a 4 x 4 box keeps the network from computing them
                    // over the whole tile (ONNX Runtime runs every node, requested output or not).
                    stats = Arrays.copyOf(stats, stats.length + 4);
                    stats[stats.length - 2] = 4;
                    stats[stats.length - 1] = 4;
                }
                out = runGrid(source, grid, tile.get().session(), stats, progress, done, total, cancel);
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

    /**
     * The statistics the tiles of {@code source} are normalised with after {@code passes} refinement
     * passes (0: those of the downscaled copy), laid out as the {@code stats} output; for tests and
     * measurements. With {@code passes} &lt; 0, those of the whole image in one run.
     */
    public float[] statistics(RgbaImage source, String styleId, int passes, CancellationToken cancel)
            throws PasticheException {
        LoadedModel model = registry.load(styleId);
        int multiple = model.style().sizeMultiple();
        if (passes < 0) {
            return stats(model, source, cancel);
        }
        RgbaImage small = Resize.fitLongSide(source, tiling.statsLongSide());
        float[] stats = stats(model, small, cancel);
        if (passes > 0) {
            TileNetwork tile = model.tile().filter(TileNetwork::hasMoments)
                    .orElseThrow(() -> new PasticheException(PasticheException.Reason.MODEL_INVALID, "style '" + styleId + "' cannot refine statistics"));
            TileGrid grid = TileGrid.plan(source.width(), source.height(), tiling.tileSize(), tiling.overlap(),
                    multiple);
            stats = refine(tile, source, small, grid, multiple, stats, passes, ProgressListener.NONE, 0, 1, cancel);
        }
        return stats;
    }

    /**
     * Refines the statistics of the downscaled copy {@code small} towards those of the full image.
     * Each pass: (1) the tile network runs on every full-resolution tile with the current statistics
     * and returns the moments of its norms' inputs over the tile's interior box; the boxes partition
     * the image, so they combine into the full image's moments under the current normalisation
     * ({@link MomentsAccumulator}); (2) their difference to the copy's moments under the same
     * normalisation (mean differences, deviation ratios) is the correction for fine detail that
     * the copy lacks; (3) one run on the copy in which every norm takes its own statistics, corrected
     * so, gives new statistics in which each norm sees the corrected statistics of the norms before
     * it. (Taking the full image's moments from (1) as they are would be exact for the first norm
     * only and worse for the later ones, which were measured under the old statistics.)
     */
    private float[] refine(TileNetwork tile, RgbaImage source, RgbaImage small, TileGrid grid, int multiple,
            float[] stats, int passes, ProgressListener progress, long doneBefore, long total,
            CancellationToken cancel) throws PasticheException {
        NormLayout layout = tile.layout().orElseThrow();
        if (stats.length != layout.statsLength()) {
            throw new PasticheException(PasticheException.Reason.MODEL_INVALID, "statistics have " + stats.length + " values, the tile model's norms "
                    + layout.statsLength());
        }
        float[] own = stats; // the copy's own moments under its own statistics are those statistics
        long done = doneBefore;
        for (int p = 0; p < passes; p++) {
            float[] full = fullMoments(tile, layout, source, grid, multiple, stats, progress, done, total, cancel);
            done += grid.tileCount();
            float[] k = layout.correction(full, own);
            TileGrid whole = TileGrid.whole(small.width(), small.height(), multiple);
            float[] command = Arrays.copyOf(k, k.length + 5);
            command[k.length + 2] = 1 << 24;
            command[k.length + 3] = 1 << 24;
            command[k.length + 4] = 1; // mode 1: own statistics, corrected by k
            FloatBuffer in = Tiler.directFloats(3 * whole.tileWidth() * whole.tileHeight());
            Tensors.readWindow(small, 0, 0, whole.tileWidth(), whole.tileHeight(), in);
            own = layout.momentsToStats(moments(tile, in, whole.tileWidth(), whole.tileHeight(), command, cancel));
            stats = layout.corrected(own, k);
            progress.progress(++done, total);
        }
        return stats;
    }

    /** The tile network's {@code moments} for one [1,3,h,w] tensor and a {@code stats} input with its tail. */
    private static float[] moments(TileNetwork tile, FloatBuffer in, int w, int h, float[] statsInput,
            CancellationToken cancel) throws PasticheException {
        try (OnnxTensor input = OnnxTensor.createTensor(ModelRegistry.environment(), in.clear().limit(3 * w * h),
                        new long[] {1, 3, h, w});
                OnnxTensor statsTensor = OnnxTensor.createTensor(ModelRegistry.environment(),
                        FloatBuffer.wrap(statsInput), new long[] {statsInput.length})) {
            return runForFloats(tile.session(), Map.of(LoadedModel.INPUT, input, LoadedModel.STATS, statsTensor),
                    TileNetwork.MOMENTS, cancel, "the tile model returned no moments",
                    "the tile network failed computing moments");
        } catch (OrtException e) {
            throw new PasticheException(PasticheException.Reason.INFERENCE_FAILED,
                    "the tile network failed computing moments: " + e.getMessage(), e);
        } finally {
            in.clear();
        }
    }

    /**
     * One run of {@code session} returning its {@code output} as floats, terminated if {@code cancel}
     * fires; {@code missing} is the message when the output is not a tensor, {@code failed} the
     * start of the one when the run fails.
     */
    private static float[] runForFloats(OrtSession session, Map<String, OnnxTensor> inputs, String output,
            CancellationToken cancel, String missing, String failed) throws PasticheException {
        try (OrtSession.RunOptions options = new OrtSession.RunOptions()) {
            Runnable stop = terminateOnCancel(options, cancel);
            long t0 = System.nanoTime();
            try (OrtSession.Result r = session.run(inputs, Set.of(output), options)) {
                ORT_NANOS.get()[0] += System.nanoTime() - t0;
                Optional<OnnxValue> v = r.get(output);
                if (v.isEmpty() || !(v.get() instanceof OnnxTensor t)) {
                    throw new PasticheException(PasticheException.Reason.MODEL_INVALID, missing);
                }
                FloatBuffer fb = t.getFloatBuffer();
                float[] values = new float[fb.remaining()];
                fb.get(values);
                return values;
            } finally {
                cancel.removeOnCancel(stop);
            }
        } catch (OrtException e) {
            if (cancel.isCancelled()) {
                throw new CancelledException();
            }
            throw new PasticheException(PasticheException.Reason.INFERENCE_FAILED, failed + ": " + e.getMessage(), e);
        }
    }

    /**
     * Moments of every norm's input over the full-resolution image, normalised with {@code stats}:
     * the tile network on every tile, each reporting its interior box, combined in double precision.
     * Returned as statistics (means, sqrt(var + eps)).
     */
    private float[] fullMoments(TileNetwork tile, NormLayout layout, RgbaImage source, TileGrid grid, int multiple,
            float[] stats, ProgressListener progress, long doneBefore, long total, CancellationToken cancel)
            throws PasticheException {
        MomentsAccumulator acc = new MomentsAccumulator(layout);
        int[] cx = grid.cutsX(multiple);
        int[] cy = grid.cutsY(multiple);
        int tw = grid.tileWidth();
        int th = grid.tileHeight();
        FloatBuffer[] buffers = takeBuffers(3 * tw * th);
        long done = doneBefore;
        // The box rides on the stats input: [S + 4], its last four values x0, y0, x1, y1 (the contract).
        float[] withBox = Arrays.copyOf(stats, stats.length + 4);
        try {
            for (int j = 0; j < grid.ys().length; j++) {
                for (int k = 0; k < grid.xs().length; k++) {
                    cancel.throwIfCancelled();
                    int x0 = grid.xs()[k];
                    int y0 = grid.ys()[j];
                    int[] box = {cx[k] - x0, cy[j] - y0, cx[k + 1] - x0, cy[j + 1] - y0};
                    if (box[0] < 0 || box[1] < 0 || box[2] > tw || box[3] > th || box[2] <= box[0]
                            || box[3] <= box[1]) {
                        throw new IllegalStateException("interior box " + Arrays.toString(box) + " outside " + grid);
                    }
                    for (int i = 0; i < 4; i++) {
                        withBox[stats.length + i] = box[i];
                    }
                    buffers[0].clear();
                    Tensors.readWindow(source, x0, y0, tw, th, buffers[0]);
                    float[] m = moments(tile, buffers[0], tw, th, withBox, cancel);
                    try {
                        acc.add((double) (box[2] - box[0]) * (box[3] - box[1]), m);
                    } catch (IllegalArgumentException e) {
                        throw new PasticheException(PasticheException.Reason.MODEL_INVALID, "the tile network's moments do not fit its norms: "
                                + e.getMessage(), e);
                    }
                    progress.progress(++done, total);
                }
            }
        } finally {
            giveBack(buffers);
        }
        return acc.stats();
    }

    /** The instance-norm statistics of {@code small} (a downscaled copy) in one whole run. */
    private float[] stats(LoadedModel model, RgbaImage small, CancellationToken cancel) throws PasticheException {
        TileGrid grid = TileGrid.whole(small.width(), small.height(), model.style().sizeMultiple());
        FloatBuffer in = Tiler.directFloats(3 * grid.tileWidth() * grid.tileHeight());
        Tensors.readWindow(small, 0, 0, grid.tileWidth(), grid.tileHeight(), in);
        long[] shape = {1, 3, grid.tileHeight(), grid.tileWidth()};
        try (OnnxTensor input = OnnxTensor.createTensor(ModelRegistry.environment(), in, shape)) {
            float[] stats = runForFloats(model.session(), Map.of(LoadedModel.INPUT, input), LoadedModel.STATS, cancel,
                    "style '" + model.style().id() + "': no stats output",
                    "the style network failed computing statistics");
            if (model.statsLength() > 0 && stats.length != model.statsLength()) {
                throw new PasticheException(PasticheException.Reason.MODEL_INVALID, "style '" + model.style().id()
                        + "': stats has " + stats.length + " values, the tile model expects " + model.statsLength());
            }
            return stats;
        } catch (OrtException e) {
            throw new PasticheException(PasticheException.Reason.INFERENCE_FAILED,
                    "the style network failed computing statistics: " + e.getMessage(), e);
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
