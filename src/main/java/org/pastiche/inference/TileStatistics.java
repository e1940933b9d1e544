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
    float[] refine(TileNetwork tile, Map<String, OnnxTensor> constants, RgbaImage source, RgbaImage small, TileGrid grid, int multiple,
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
            float[] full = fullMoments(tile, constants, layout, source, grid, multiple, stats, progress, done, total, cancel);
            done += grid.tileCount();
            float[] k = layout.correction(full, own);
            TileGrid whole = TileGrid.whole(small.width(), small.height(), multiple);
            FloatBuffer in = Tiler.directFloats(3 * whole.tileWidth() * whole.tileHeight());
            Tensors.readWindow(small, 0, 0, whole.tileWidth(), whole.tileHeight(), in);
            own = layout.momentsToStats(moments(tile, constants, in, whole.tileWidth(), whole.tileHeight(),
                    StatsTail.ownCorrected(k), cancel));
            stats = layout.corrected(own, k);
            progress.progress(++done, total);
        }
        return stats;
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
