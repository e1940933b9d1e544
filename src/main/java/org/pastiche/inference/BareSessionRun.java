package org.pastiche.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.pastiche.core.PasticheException;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.imaging.Tensors;
import org.pastiche.imaging.TileGrid;
import org.pastiche.imaging.Tiler;

/**
 * A bare ONNX Runtime run of a style's whole-image network on one image's padded tensor, prepared
 * once: no conversion, no copy of the output out of native memory. The floor of any Java pipeline,
 * for {@code bench} to measure {@link OnnxStylizer} against.
 */
public final class BareSessionRun implements AutoCloseable {
    private final OrtSession session;
    private final OnnxTensor tensor;
    private final Map<String, OnnxTensor> inputs;

    private BareSessionRun(OrtSession session, OnnxTensor tensor, Map<String, OnnxTensor> constants) {
        this.session = session;
        this.tensor = tensor;
        Map<String, OnnxTensor> all = new HashMap<>(constants);
        all.put(ModelContract.INPUT, tensor);
        this.inputs = Map.copyOf(all);
    }

    /** Pads {@code image} to the style's size multiple, as a whole run does, into a tensor. */
    public static BareSessionRun of(LoadedModel model, RgbaImage image) throws PasticheException {
        TileGrid grid = TileGrid.whole(image.width(), image.height(), model.style().sizeMultiple());
        FloatBuffer buf = Tiler.directFloats(3 * grid.tileWidth() * grid.tileHeight());
        Tensors.readWindow(image, 0, 0, grid.tileWidth(), grid.tileHeight(), buf);
        try {
            return new BareSessionRun(model.session(), OrtRun.image(buf, grid.tileWidth(), grid.tileHeight()),
                    model.constants());
        } catch (OrtException e) {
            throw new PasticheException(PasticheException.Reason.INFERENCE_FAILED, "cannot prepare the tensor: "
                    + e.getMessage(), e);
        }
    }

    /** One run; the output stays in native memory and is released at once. */
    public void run() throws PasticheException {
        try (OrtSession.Result r = session.run(inputs, Set.of(ModelContract.OUTPUT))) {
            r.get(0);
        } catch (OrtException e) {
            throw new PasticheException(PasticheException.Reason.INFERENCE_FAILED, "the bare run failed: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        tensor.close();
    }
}
