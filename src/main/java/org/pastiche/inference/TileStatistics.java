package org.pastiche.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.PasticheException;
import org.pastiche.core.ProgressListener;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.imaging.Tensors;
import org.pastiche.imaging.TileGrid;
import org.pastiche.imaging.Tiler;

/**
 * The statistics a tiled image is normalised with: those of a downscaled copy from the whole-image
 * network, then refined towards those of the full image with the tile network's {@code moments}
 * (the {@code stats} tail that drives it: {@link StatsTail}).
 */
final class TileStatistics {
    private final DirectBuffers buffers;

    TileStatistics(DirectBuffers buffers) {
        this.buffers = buffers;
    }

    /** The instance-norm statistics of {@code small} (a downscaled copy) in one whole run. */
    float[] ofCopy(LoadedModel model, RgbaImage small, CancellationToken cancel) throws PasticheException {
        TileGrid grid = TileGrid.whole(small.width(), small.height(), model.style().sizeMultiple());
        FloatBuffer in = Tiler.directFloats(3 * grid.tileWidth() * grid.tileHeight());
        Tensors.readWindow(small, 0, 0, grid.tileWidth(), grid.tileHeight(), in);
        try (OnnxTensor input = OrtRun.image(in, grid.tileWidth(), grid.tileHeight())) {
            float[] stats = OrtRun.runForFloats(model.session(), Map.of(ModelContract.INPUT, input), model.constants(),
                    ModelContract.STATS,
                    cancel, "style '" + model.style().id() + "': no stats output",
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

    /**
     * The side of the grid of full-resolution patches that {@link #detailMosaic} lays out: 3 x 3.
     * (With the 1/4 candy student on a synthetic picture and seven photos, 2 passes: 2 x 2 patches
     * sample too little of a photo's content, parrots on a green wall went from 31 dB with the copy to
     * 17; 3 x 3 patches did better than the copy on all but one, 34 vs 39 dB. Which of copy and mosaic
     * serves a network better differs from picture to picture, hence the choice in {@link #refine}.)
     */
    static final int MOSAIC_GRID = 3;

    /**
     * Refines the statistics of the downscaled copy {@code small} towards those of the full image.
     * Each pass: (1) the tile network runs on every full-resolution tile with the current statistics
     * and returns the moments of its norms' inputs over the tile's interior box; the boxes partition
     * the image, so they combine into the full image's moments under the current normalisation
     * ({@link MomentsAccumulator}); (2) their difference to a stand-in picture's moments under the same
     * normalisation (mean differences, deviation ratios) is the correction for what the stand-in
     * lacks; (3) one run on the stand-in in which every norm takes its own statistics, corrected
     * so, gives new statistics in which each norm sees the corrected statistics of the norms before
     * it. (Taking the full image's moments from (1) as they are would be exact for the first norm
     * only and worse for the later ones, which were measured under the old statistics.)
     *
     * <p>Step (3) predicts how the full image's moments change with the statistics from how the
     * stand-in's do, so the stand-in must respond like the full image. The downscaled copy has all
     * of the content but none of the finest detail, and a network whose statistics hang on that
     * detail responds otherwise: with the 1/4 candy student (16/32/128/res[16,8,8,8,48]/32/16),
     * whose 8-channel residual blocks are gates that pass only the top few percent of their input (ReLU
     * thresholds 2-3.6 deviations), the corrections the copy needed grew from pass to pass (the
     * fourth residual block's deviations off by up to 12x after one pass) and the refinement
     * diverged, 21 dB vs whole without passes, 6 dB after two. So the first pass also measures a
     * mosaic of full-resolution patches from all over the image ({@link #detailMosaic}, the copy's
     * size: one more run of that size) and keeps, as the stand-in, whichever of the two is nearer
     * the full image under the same statistics ({@link NormLayout#mismatch}): the smaller the
     * correction, the less the prediction has to reach (docs/engine.md, "The stand-in").
     */
    float[] refine(TileNetwork tile, Map<String, OnnxTensor> constants, RgbaImage source, RgbaImage small, TileGrid grid, int multiple,
            float[] stats, int passes, ProgressListener progress, long doneBefore, long total,
            CancellationToken cancel) throws PasticheException {
        NormLayout layout = tile.layout().orElseThrow();
        if (stats.length != layout.statsLength()) {
            throw new PasticheException(PasticheException.Reason.MODEL_INVALID, "statistics have " + stats.length + " values, the tile model's norms "
                    + layout.statsLength());
        }
        TileGrid whole = TileGrid.whole(small.width(), small.height(), multiple);
        FloatBuffer in = Tiler.directFloats(3 * whole.tileWidth() * whole.tileHeight());
        Tensors.readWindow(small, 0, 0, whole.tileWidth(), whole.tileHeight(), in);
        float[] own = stats; // the copy's own moments under its own statistics are those statistics
        long done = doneBefore;
        for (int p = 0; p < passes; p++) {
            float[] full = fullMoments(tile, constants, layout, source, grid, multiple, stats, progress, done, total, cancel);
            done += grid.tileCount();
            if (p == 0 && small != source) {
                FloatBuffer mosaic = Tiler.directFloats(in.capacity());
                Tensors.readWindow(detailMosaic(source, small.width(), small.height(), MOSAIC_GRID, multiple), 0, 0,
                        whole.tileWidth(), whole.tileHeight(), mosaic);
                float[] mosaicOwn = layout.momentsToStats(moments(tile, constants, mosaic, whole.tileWidth(),
                        whole.tileHeight(), StatsTail.withBox(stats, 0, 0, StatsTail.TO_THE_EDGE, StatsTail.TO_THE_EDGE),
                        cancel));
                if (layout.mismatch(full, mosaicOwn) < layout.mismatch(full, own)) {
                    in = mosaic;
                    own = mosaicOwn;
                }
            }
            float[] k = layout.correction(full, own);
            own = layout.momentsToStats(moments(tile, constants, in, whole.tileWidth(), whole.tileHeight(),
                    StatsTail.ownCorrected(k), cancel));
            stats = layout.corrected(own, k);
            progress.progress(++done, total);
        }
        return stats;
    }

    /**
     * A {@code width} x {@code height} picture of {@code n} x {@code n} full-resolution patches of
     * {@code source}, each from the middle of its cell of an {@code n} x {@code n} grid over the source
     * (so from all over it), laid side by side in grid order; patch edges inside the picture on
     * multiples of {@code multiple}. It has the source's finest detail, which a downscaled copy of
     * the same size averages away, and a sample of its content (cut apart at the patch edges).
     */
    static RgbaImage detailMosaic(RgbaImage source, int width, int height, int n, int multiple) {
        int[] xs = cuts(width, n, multiple);
        int[] ys = cuts(height, n, multiple);
        int sw = source.width();
        int sh = source.height();
        int[] src = source.argb();
        int[] px = new int[width * height];
        for (int j = 0; j < n; j++) {
            int ph = ys[j + 1] - ys[j];
            int y0 = Math.max(0, Math.min(sh - ph, (int) ((j + 0.5) * sh / n) - ph / 2));
            for (int i = 0; i < n; i++) {
                int pw = xs[i + 1] - xs[i];
                int x0 = Math.max(0, Math.min(sw - pw, (int) ((i + 0.5) * sw / n) - pw / 2));
                for (int y = 0; y < ph; y++) {
                    int row = Math.min(sh - 1, y0 + y) * sw;
                    for (int x = 0; x < pw; x++) {
                        px[(ys[j] + y) * width + xs[i] + x] = src[row + Math.min(sw - 1, x0 + x)];
                    }
                }
            }
        }
        return new RgbaImage(width, height, px);
    }

    /** 0 = c0 &lt; c1 &lt; ... &lt; cn = size, the inner cuts near i * size / n, on multiples of {@code multiple} where that leaves no cell empty. */
    private static int[] cuts(int size, int n, int multiple) {
        int[] c = new int[n + 1];
        c[n] = size;
        for (int i = 1; i < n; i++) {
            int at = (int) ((long) i * size / n);
            int snapped = at - at % multiple;
            c[i] = Math.min(size, snapped > c[i - 1] ? snapped : Math.max(at, c[i - 1] + 1));
        }
        return c;
    }

    /**
     * Moments of every norm's input over the full-resolution image, normalised with {@code stats}:
     * the tile network on every tile, each reporting its interior box, combined in double precision.
     * Returned as statistics (means, sqrt(var + eps)).
     */
    private float[] fullMoments(TileNetwork tile, Map<String, OnnxTensor> constants, NormLayout layout, RgbaImage source, TileGrid grid, int multiple,
            float[] stats, ProgressListener progress, long doneBefore, long total, CancellationToken cancel)
            throws PasticheException {
        MomentsAccumulator acc = new MomentsAccumulator(layout);
        int[] cx = grid.cutsX(multiple);
        int[] cy = grid.cutsY(multiple);
        int tw = grid.tileWidth();
        int th = grid.tileHeight();
        FloatBuffer[] pair = buffers.take(3 * tw * th);
        long done = doneBefore;
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
                    pair[0].clear();
                    Tensors.readWindow(source, x0, y0, tw, th, pair[0]);
                    float[] m = moments(tile, constants, pair[0], tw, th, StatsTail.withBox(stats, box[0], box[1], box[2], box[3]),
                            cancel);
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
            buffers.giveBack(pair);
        }
        return acc.stats();
    }

    /** The tile network's {@code moments} for one [1,3,h,w] tensor and a {@code stats} input with its tail. */
    private static float[] moments(TileNetwork tile, Map<String, OnnxTensor> constants, FloatBuffer in, int w, int h, float[] statsInput,
            CancellationToken cancel) throws PasticheException {
        try (OnnxTensor input = OrtRun.image(in, w, h); OnnxTensor statsTensor = OrtRun.vector(statsInput)) {
            return OrtRun.runForFloats(tile.session(), Map.of(ModelContract.INPUT, input, ModelContract.STATS,
                    statsTensor), constants, ModelContract.MOMENTS, cancel, "the tile model returned no moments",
                    "the tile network failed computing moments");
        } catch (OrtException e) {
            throw new PasticheException(PasticheException.Reason.INFERENCE_FAILED,
                    "the tile network failed computing moments: " + e.getMessage(), e);
        } finally {
            in.clear();
        }
    }
}
