package org.pastiche.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.pastiche.core.PasticheException;

/**
 * What a style's networks must look like (docs/engine.md, "Model contract"); the lab's
 * {@code export.py} writes them so. The whole-image network: one float32 input {@code input}
 * [1,3,H,W] -> {@code output} [1,3,H,W], and optionally {@code stats} [S] (its instance norms'
 * statistics). The tile network: {@code input}, {@code stats} (with the tail of {@link StatsTail})
 * -> {@code output}, and, since the moments were added, {@code moments} [S] with the norms' layout
 * in the metadata.
 */
public final class ModelContract {
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";
    public static final String STATS = "stats";
    public static final String MOMENTS = "moments";
    public static final String META_CHANNELS = "pastiche.norm_channels";
    public static final String META_EPS = "pastiche.norm_eps";

    private ModelContract() {}

    /**
     * Checks the whole-image network.
     *
     * @return the length of its {@code stats} output: -1 if it has none or its length is not fixed
     *         (see {@link #hasStats})
     */
    static long checkWhole(Path file, OrtSession session) throws OrtException, PasticheException {
        checkTensor(file, session.getInputInfo(), INPUT, 4);
        if (session.getInputInfo().size() != 1) {
            throw new PasticheException(PasticheException.Reason.MODEL_INVALID, file.getFileName() + ": expects inputs " + session.getInputNames()
                    + ", the contract is one input named 'input'");
        }
        checkTensor(file, session.getOutputInfo(), OUTPUT, 4);
        checkDynamic(file, session.getInputInfo().get(INPUT));
        return hasStats(session) ? lengthOf(session.getOutputInfo().get(STATS)) : -1;
    }

    /** The input's H and W must be free: a network fixed at one size fails on every other picture. */
    private static void checkDynamic(Path file, NodeInfo input) throws PasticheException {
        long[] shape = ((TensorInfo) input.getInfo()).getShape();
        if (shape[2] > 0 || shape[3] > 0) {
            throw new PasticheException(PasticheException.Reason.MODEL_INVALID, file.getFileName() + ": its input has a fixed size "
                    + Arrays.toString(shape) + "; the contract needs any height and width [1,3,H,W]");
        }
    }

    /**
     * Runs the whole-image network once on a small picture ({@code multiple}-aligned, about 32 x 48)
     * and checks what the metadata cannot tell: that {@code output} has the input's size and finite
     * values. A few milliseconds when the session opens, instead of a failure on every image.
     */
    static void probe(Path file, OrtSession session, int multiple) throws OrtException, PasticheException {
        int m = Math.max(1, multiple);
        int h = (32 + m - 1) / m * m;
        int w = (48 + m - 1) / m * m;
        float[] data = new float[3 * w * h];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i * 37 % 251) + 2; // a texture in 2..252: every norm has something to normalise
        }
        try (ai.onnxruntime.OnnxTensor in = ai.onnxruntime.OnnxTensor.createTensor(OrtRun.environment(),
                java.nio.FloatBuffer.wrap(data), new long[] {1, 3, h, w});
                OrtSession.Result r = session.run(Map.of(INPUT, in), java.util.Set.of(OUTPUT))) {
            ai.onnxruntime.OnnxValue v = r.get(OUTPUT).orElse(null);
            if (!(v instanceof ai.onnxruntime.OnnxTensor t)) {
                throw new PasticheException(PasticheException.Reason.MODEL_INVALID, file.getFileName() + ": no 'output' tensor");
            }
            long[] shape = t.getInfo().getShape();
            if (!Arrays.equals(shape, new long[] {1, 3, h, w})) {
                throw new PasticheException(PasticheException.Reason.MODEL_INVALID, file.getFileName() + ": returns "
                        + Arrays.toString(shape) + " for a [1, 3, " + h + ", " + w + "] input; the contract needs the same size");
            }
            java.nio.FloatBuffer fb = t.getFloatBuffer();
            OrtRun.checkFinite(fb, fb.remaining(), "output");
        } catch (OrtException e) {
            throw new PasticheException(PasticheException.Reason.MODEL_INVALID, file.getFileName() + ": fails on a " + w + "x" + h
                    + " test picture (" + ModelOpener.firstLine(e.getMessage()) + ")", e);
        }
    }

    static boolean hasStats(OrtSession whole) throws OrtException {
        return whole.getOutputInfo().containsKey(STATS);
    }

    /**
     * Checks the tile network against the whole-image network's {@code statsLength} (-1: unknown).
     *
     * @return the length of its {@code stats} input: -1 if not fixed
     */
    static long checkTile(Path file, OrtSession tile, long statsLength) throws OrtException, PasticheException {
        checkTensor(file, tile.getInputInfo(), INPUT, 4);
        checkTensor(file, tile.getInputInfo(), STATS, 1);
        checkTensor(file, tile.getOutputInfo(), OUTPUT, 4);
        long tileStats = lengthOf(tile.getInputInfo().get(STATS));
        if (statsLength > 0 && tileStats > 0 && tileStats != statsLength) {
            throw new PasticheException(file.getFileName() + ": takes " + tileStats
                    + " statistics, the style's network gives " + statsLength);
        }
        return tileStats;
    }

    static boolean hasMoments(OrtSession tile) throws OrtException {
        return tile.getOutputInfo().containsKey(MOMENTS);
    }

    /** The norms' layout of a tile network that has {@code moments}, checked against {@code statsLength}. */
    static NormLayout momentsLayout(Path file, OrtSession tile, long statsLength)
            throws OrtException, PasticheException {
        checkTensor(file, tile.getOutputInfo(), MOMENTS, 1);
        Map<String, String> meta = tile.getMetadata().getCustomMetadata();
        String ch = meta.get(META_CHANNELS);
        String eps = meta.get(META_EPS);
        if (ch == null || eps == null) {
            throw new PasticheException(PasticheException.Reason.MODEL_INVALID, "no " + META_CHANNELS + "/" + META_EPS
                    + " metadata");
        }
        NormLayout layout = NormLayout.parse(ch, eps);
        if (statsLength > 0 && layout.statsLength() != statsLength) {
            throw new PasticheException(PasticheException.Reason.MODEL_INVALID, "its norms have " + layout.statsLength() + " statistics, not "
                    + statsLength);
        }
        return layout;
    }

    /** Checks that {@code infos} has a float32 tensor {@code name} of rank 1 ([N]) or 4 ([1,3,H,W]). */
    static void checkTensorOf(Path file, Map<String, NodeInfo> infos, String name, int rank) throws PasticheException {
        checkTensor(file, infos, name, rank);
    }

    private static void checkTensor(Path file, Map<String, NodeInfo> infos, String name, int rank)
            throws PasticheException {
        NodeInfo info = infos.get(name);
        if (info == null) {
            throw new PasticheException(PasticheException.Reason.MODEL_INVALID, file.getFileName() + ": no tensor named '" + name + "' (has " + infos.keySet()
                    + ")");
        }
        if (!(info.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
            throw new PasticheException(PasticheException.Reason.MODEL_INVALID, file.getFileName() + ": '" + name + "' is not a float32 tensor");
        }
        long[] shape = t.getShape();
        boolean ok = rank == 1 ? shape.length >= 1
                : shape.length == 4 && (shape[0] == 1 || shape[0] < 0) && (shape[1] == 3 || shape[1] < 0);
        if (!ok) {
            throw new PasticheException(PasticheException.Reason.MODEL_INVALID, file.getFileName() + ": '" + name + "' has shape " + Arrays.toString(shape)
                    + ", expected " + (rank == 1 ? "[N]" : "[1,3,H,W]"));
        }
    }

    private static long lengthOf(NodeInfo info) {
        if (info != null && info.getInfo() instanceof TensorInfo t) {
            long n = 1;
            for (long d : t.getShape()) {
                if (d < 0) {
                    return -1;
                }
                n *= d;
            }
            return n;
        }
        return -1;
    }
}
