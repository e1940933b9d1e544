package org.pastiche.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.PasticheException;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.imaging.Tensors;
import org.pastiche.imaging.Tiler;
import org.pastiche.inference.PaintingStyles.Network;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ONNX Runtime sessions of one arbitrary-style network, shared by every painting made with it:
 * the style encoder, the content network (both checked against the contract when opened) and the
 * tile network (opened on first use).
 */
final class NetworkSessions {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkSessions.class);
    private static final String STYLE = PaintingStyles.STYLE;
    final Network network;
    final SessionSettings settings;
    final OrtSession style;
    final OrtSession content;
    final long codeLength;
    final long statsLength;
    private Optional<TileNetwork> tile;

    private NetworkSessions(Network network, SessionSettings settings, OrtSession style, OrtSession content,
            long codeLength, long statsLength) {
        this.network = network;
        this.settings = settings;
        this.style = style;
        this.content = content;
        this.codeLength = codeLength;
        this.statsLength = statsLength;
    }

    /**
     * The style code of {@code scaled} (the painting at the size the encoder is to see it): one run
     * of the style encoder, its length and values checked.
     */
    StyleCode encode(RgbaImage scaled, CancellationToken cancel) throws PasticheException {
        Network n = network;
        cancel.throwIfCancelled();
        FloatBuffer in = Tiler.directFloats(3 * scaled.width() * scaled.height());
        Tensors.readWindow(scaled, 0, 0, scaled.width(), scaled.height(), in);
        try (OnnxTensor input = OrtRun.image(in, scaled.width(), scaled.height())) {
            float[] code = OrtRun.runForFloats(style, Map.of(ModelContract.INPUT, input), STYLE, cancel,
                    n.id() + ": the style encoder returned no style code", "the style encoder failed");
            if (code.length != codeLength) {
                throw new PasticheException(PasticheException.Reason.MODEL_INVALID, n.id() + ": the style encoder gave "
                        + code.length + " values, its content network takes " + codeLength);
            }
            for (float v : code) {
                if (!Float.isFinite(v)) {
                    throw new PasticheException(PasticheException.Reason.INFERENCE_FAILED, n.id()
                            + ": the style encoder gave a value that is not a number");
                }
            }
            return new StyleCode(n.id(), code);
        } catch (OrtException e) {
            throw new PasticheException(PasticheException.Reason.INFERENCE_FAILED, "cannot prepare the painting's tensor: "
                    + e.getMessage(), e);
        }
    }

    static NetworkSessions open(Network n, SessionSettings settings) throws OrtException, PasticheException {
        long t0 = System.nanoTime();
        OrtSession style = create(n.styleFile(), settings);
        OrtSession content = null;
        try {
            ModelContract.checkTensorOf(n.styleFile(), style.getInputInfo(), ModelContract.INPUT, 4);
            ModelContract.checkTensorOf(n.styleFile(), style.getOutputInfo(), STYLE, 1);
            long code = fixedLength(style.getOutputInfo().get(STYLE));
            if (code <= 0) {
                throw new PasticheException(PasticheException.Reason.MODEL_INVALID, n.styleFile().getFileName()
                        + ": the style code has no fixed length");
            }
            content = create(n.file(), settings);
            checkInputs(n.file(), content, Set.of(ModelContract.INPUT, STYLE));
            ModelContract.checkTensorOf(n.file(), content.getInputInfo(), ModelContract.INPUT, 4);
            ModelContract.checkTensorOf(n.file(), content.getInputInfo(), STYLE, 1);
            ModelContract.checkTensorOf(n.file(), content.getOutputInfo(), ModelContract.OUTPUT, 4);
            long takes = fixedLength(content.getInputInfo().get(STYLE));
            if (takes > 0 && takes != code) {
                throw new PasticheException(PasticheException.Reason.MODEL_INVALID, n.file().getFileName() + ": takes a style code of "
                        + takes + " values, the style encoder gives " + code);
            }
            long stats = ModelContract.hasStats(content) ? fixedLength(content.getOutputInfo().get(ModelContract.STATS)) : -1;
            probe(n, style, content, code);
            LOG.info("arbitrary-style network '{}' loaded in {} ms (style code {} values)", n.id(),
                    (System.nanoTime() - t0) / 1_000_000, code);
            return new NetworkSessions(n, settings, style, content, code, stats);
        } catch (OrtException | PasticheException | RuntimeException e) {
            style.close();
            if (content != null) {
                content.close();
            }
            throw e;
        }
    }

    /**
     * Runs both networks once on a small texture ({@link ModelContract#probe}'s, about 48 x 32, aligned
     * to the network's size multiple) and checks what the metadata cannot tell: the style encoder
     * gives {@code code} finite values, and the content network, fed that code, an {@code output} of
     * the input's size with finite values. A few milliseconds when the sessions open, instead of a
     * failure (or a black picture) on every painting.
     */
    static void probe(Network n, OrtSession style, OrtSession content, long code) throws PasticheException {
        int m = Math.max(1, n.sizeMultiple());
        int h = (32 + m - 1) / m * m;
        int w = (48 + m - 1) / m * m;
        float[] data = new float[3 * w * h];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i * 37 % 251) + 2; // a texture in 2..252: every norm has something to normalise
        }
        String stage = n.styleFile().getFileName().toString();
        try (OnnxTensor in = OnnxTensor.createTensor(OrtRun.environment(), FloatBuffer.wrap(data), new long[] {1, 3, h, w})) {
            float[] values;
            try (OrtSession.Result r = style.run(Map.of(ModelContract.INPUT, in), Set.of(STYLE))) {
                values = floats(r, STYLE, stage);
            }
            if (values.length != code) {
                throw new PasticheException(PasticheException.Reason.MODEL_INVALID, stage + ": gives a style code of "
                        + values.length + " values, its output says " + code);
            }
            OrtRun.checkFinite(values, "style code");
            stage = n.file().getFileName().toString();
            try (OnnxTensor codeTensor = OrtRun.vector(values);
                    OrtSession.Result r = content.run(Map.of(ModelContract.INPUT, in, STYLE, codeTensor),
                            Set.of(ModelContract.OUTPUT))) {
                if (!(r.get(ModelContract.OUTPUT).orElse(null) instanceof OnnxTensor t)) {
                    throw new PasticheException(PasticheException.Reason.MODEL_INVALID, stage + ": no 'output' tensor");
                }
                long[] shape = t.getInfo().getShape();
                if (!java.util.Arrays.equals(shape, new long[] {1, 3, h, w})) {
                    throw new PasticheException(PasticheException.Reason.MODEL_INVALID, stage + ": returns "
                            + java.util.Arrays.toString(shape) + " for a " + w + "x" + h
                            + " test picture [1, 3, " + h + ", " + w + "]; the contract needs the same size");
                }
                FloatBuffer fb = t.getFloatBuffer();
                OrtRun.checkFinite(fb, fb.remaining(), "output");
            }
        } catch (OrtException e) {
            throw new PasticheException(PasticheException.Reason.MODEL_INVALID, stage + ": fails on a " + w + "x" + h
                    + " test picture (" + ModelOpener.firstLine(e.getMessage()) + ")", e);
        } catch (PasticheException e) {
            throw e.reason() == PasticheException.Reason.MODEL_OUTPUT_INVALID
                    ? new PasticheException(PasticheException.Reason.MODEL_INVALID, stage + ": on a " + w + "x" + h
                            + " test picture, " + e.getMessage(), e)
                    : e;
        }
    }

    private static float[] floats(OrtSession.Result r, String name, String file) throws OrtException, PasticheException {
        if (!(r.get(name).orElse(null) instanceof OnnxTensor t)) {
            throw new PasticheException(PasticheException.Reason.MODEL_INVALID, file + ": no '" + name + "' tensor");
        }
        FloatBuffer fb = t.getFloatBuffer();
        float[] v = new float[fb.remaining()];
        fb.get(v);
        return v;
    }

    /** The tile network, opened on first use; empty if the catalog has none or it is unusable. */
    synchronized Optional<TileNetwork> tile() {
        if (tile != null) {
            return tile;
        }
        tile = Optional.empty();
        if (network.tileFile().isEmpty()) {
            return tile;
        }
        Path file = network.tileFile().get();
        OrtSession t = null;
        try {
            if (!Files.isRegularFile(file)) {
                throw new PasticheException(PasticheException.Reason.MODEL_INVALID, "tile model missing: " + file);
            }
            t = create(file, settings);
            checkInputs(file, t, Set.of(ModelContract.INPUT, STYLE, ModelContract.STATS));
            long length = ModelContract.checkTile(file, t, statsLength);
            length = statsLength > 0 ? statsLength : length;
            Optional<NormLayout> layout = ModelContract.hasMoments(t)
                    ? Optional.of(ModelContract.momentsLayout(file, t, length)) : Optional.empty();
            tile = Optional.of(new TileNetwork(t, length, layout));
        } catch (OrtException | PasticheException | RuntimeException e) {
            if (t != null) {
                try {
                    t.close();
                } catch (OrtException ex) {
                    LOG.debug("closing {}: {}", file, ex.getMessage());
                }
            }
            LOG.warn("network '{}': tile model unusable, large images will be tiled without shared statistics: {}",
                    network.id(), ModelOpener.firstLine(e.getMessage()));
        }
        return tile;
    }

    synchronized void close() throws OrtException {
        try {
            style.close();
        } finally {
            try {
                content.close(); // even when the style encoder's close failed
            } finally {
                if (tile != null && tile.isPresent()) {
                    tile.get().session().close();
                }
                tile = null;
            }
        }
    }

    private static OrtSession create(Path file, SessionSettings settings) throws OrtException {
        try (OrtSession.SessionOptions options = settings.toOptions()) {
            return OrtRun.environment().createSession(file.toString(), options);
        }
    }

    private static void checkInputs(Path file, OrtSession s, Set<String> expected) throws OrtException, PasticheException {
        if (!s.getInputNames().equals(expected)) {
            throw new PasticheException(PasticheException.Reason.MODEL_INVALID, file.getFileName() + ": expects inputs "
                    + s.getInputNames() + ", the contract is " + expected);
        }
    }

    private static long fixedLength(NodeInfo info) {
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
