package org.pastiche.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.pastiche.core.CancellationToken;
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
    private final DirectBuffers buffers = new DirectBuffers();
    private final TileStatistics statistics = new TileStatistics(buffers);

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
        OrtRun.resetNanos();
        LoadedModel model = registry.load(styleId);
        BorderContext.Margin margin = model.style().border();
        if (!margin.isNone()) {      // the network paints on a mirrored margin, cut away after (BorderContext)
            RgbaImage painted = paint(BorderContext.reflect(source, margin), styleId, model, progress, cancel);
            return BorderContext.crop(painted, margin, source.width(), source.height());
        }
        return paint(source, styleId, model, progress, cancel);
    }

    private RgbaImage paint(RgbaImage source, String styleId, LoadedModel model, ProgressListener progress,
            CancellationToken cancel) throws PasticheException {
        int multiple = model.style().sizeMultiple();
        long start = System.nanoTime();
        RgbaImage out;
        if (source.pixelCount() <= tiling.maxWholePixels()) {
            TileGrid grid = TileGrid.whole(source.width(), source.height(), multiple);
            out = runGrid(source, grid, model.session(), null, model.constants(), progress, 0, 1, cancel);
        } else {
            TileGrid grid = TileGrid.plan(source.width(), source.height(), tiling.tileSize(), tiling.overlap(),
                    multiple);
            Optional<TileNetwork> tile = tiling.sharedStats() ? model.tile() : Optional.empty();
            if (tile.isPresent()) {
                int passes = tiling.passesFor(source.pixelCount(), model.style().snapped());
                if (passes > 0 && !tile.get().hasMoments()) {
                    LOG.info("style '{}': its tile model has no moments; statistics not refined", styleId);
                    passes = 0;
                }
                long total = 1L + passes * (grid.tileCount() + 1L) + grid.tileCount();
                progress.progress(0, total);
                RgbaImage small = statisticsCopy(source, tiling.statsLongSide());
                float[] stats = statistics.ofCopy(model, small, cancel);
                progress.progress(1, total);
                long done = 1;
                if (passes > 0) {
                    stats = statistics.refine(tile.get(), model.constants(), source, small, grid, multiple, stats, passes,
                            progress, done, total, cancel);
                    done += passes * (grid.tileCount() + 1L);
                }
                if (tile.get().hasMoments()) {
                    stats = StatsTail.forOutputPass(stats); // no moments needed: a tiny box saves computing them
                }
                out = runGrid(source, grid, tile.get().session(), stats, model.constants(), progress, done, total, cancel);
            } else {
                if (tiling.sharedStats()) {
                    LOG.warn("style '{}' has no tile model: {} tiled with per-tile statistics", styleId, grid);
                }
                out = runGrid(source, grid, model.session(), null, model.constants(), progress, 0, grid.tileCount(), cancel);
            }
        }
        LOG.debug("'{}' on {}x{} in {} ms", styleId, source.width(), source.height(),
                (System.nanoTime() - start) / 1_000_000);
        return out;
    }

    /** Runs {@code session} over the grid; with {@code stats}, as the tile network. */
    private RgbaImage runGrid(RgbaImage source, TileGrid grid, OrtSession session, float[] stats,
            Map<String, OnnxTensor> constants, ProgressListener progress, long doneBefore, long total, CancellationToken cancel)
            throws PasticheException {
        AtomicLong done = new AtomicLong(doneBefore);
        progress.progress(doneBefore, total);
        try (OnnxTensor statsTensor = stats == null ? null : OrtRun.vector(stats)) {
            int n = 3 * grid.tileWidth() * grid.tileHeight();
            FloatBuffer[] pair = buffers.take(n);
            try {
                return Tiler.run(source, grid,
                        (in, out, w, h) -> OrtRun.runInto(session, in, out, w, h, statsTensor, constants, cancel),
                        () -> progress.progress(done.incrementAndGet(), total), cancel, pair[0], pair[1]);
            } finally {
                buffers.giveBack(pair);
            }
        } catch (OrtException e) {
            throw new PasticheException(PasticheException.Reason.INFERENCE_FAILED, "cannot prepare the statistics tensor: " + e.getMessage(), e);
        }
    }

    /**
     * Time this thread's last {@code stylize} spent inside ONNX Runtime runs; the rest of its wall
     * time is the Java side (conversions, padding, blending), measured in the same call.
     */
    public static long ortNanosOfLastCall() {
        return OrtRun.nanos();
    }

    /** The statistics copy keeps at least this short side where it can (fitting the long side alone cut 30000 x 80 to 1024 x 3). */
    static final int MIN_STATS_SHORT_SIDE = 64;
    /** ... and is never larger than this, which bounds the aspect ratio that can be painted tiled. */
    static final long MAX_STATS_PIXELS = 4L << 20;

    /**
     * The downscaled copy whose statistics start the tiling: the long side fitted to
     * {@code longSide}, unless that leaves the short side under {@link #MIN_STATS_SHORT_SIDE}
     * (then the short side decides, up to {@link #MAX_STATS_PIXELS}). A picture whose copy would
     * still be thinner than {@link TileGrid#MIN_SIDE} is refused before any network runs.
     */
    static RgbaImage statisticsCopy(RgbaImage source, int longSide) throws PasticheException {
        int w = source.width();
        int h = source.height();
        int longer = Math.max(w, h);
        int shorter = Math.min(w, h);
        double scale = Math.min(1.0, Math.max((double) longSide / longer, (double) MIN_STATS_SHORT_SIDE / shorter));
        if ((double) w * h * scale * scale > MAX_STATS_PIXELS) {
            scale = Math.sqrt((double) MAX_STATS_PIXELS / ((double) w * h));
        }
        if (shorter * scale < TileGrid.MIN_SIDE - 1e-9 && shorter * scale < shorter) {
            throw thin(w, h);
        }
        if (shorter < TileGrid.MIN_SIDE && (double) longer / shorter > 4096) {
            throw thin(w, h);
        }
        if (scale >= 1.0) {
            return source;
        }
        int cw = Math.max(1, (int) Math.round(w * scale));
        int ch = Math.max(1, (int) Math.round(h * scale));
        return Resize.resize(source, cw, ch);
    }

    private static PasticheException thin(int w, int h) {
        return new PasticheException(PasticheException.Reason.IMAGE_SHAPE, String.format(java.util.Locale.ROOT,
                "the picture (%d x %d) is too long and thin to paint: its statistics copy would be under %d px across",
                w, h, TileGrid.MIN_SIDE), w, h);
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
            return statistics.ofCopy(model, source, cancel);
        }
        RgbaImage small = statisticsCopy(source, tiling.statsLongSide());
        float[] stats = statistics.ofCopy(model, small, cancel);
        if (passes > 0) {
            TileNetwork tile = model.tile().filter(TileNetwork::hasMoments)
                    .orElseThrow(() -> new PasticheException(PasticheException.Reason.MODEL_INVALID, "style '" + styleId + "' cannot refine statistics"));
            TileGrid grid = TileGrid.plan(source.width(), source.height(), tiling.tileSize(), tiling.overlap(),
                    multiple);
            stats = statistics.refine(tile, model.constants(), source, small, grid, multiple, stats, passes,
                    ProgressListener.NONE, 0, 1, cancel);
        }
        return stats;
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
        buffers.clear();
        registry.close();
    }
}
