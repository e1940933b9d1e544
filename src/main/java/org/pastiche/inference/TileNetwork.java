package org.pastiche.inference;

import ai.onnxruntime.OrtSession;
import java.util.Optional;

/**
 * A style's tile network, checked against the contract: {@code input}, {@code stats} ->
 * {@code output}; and, in models exported since the moments were added, the output
 * {@code moments}: the means and variances of every instance norm's input over a box of the tile,
 * the box given as four more values at the end of {@code stats} (x0, y0, x1, y1 in the tile's
 * pixels; without them, the whole tile). The metadata gives the norms' layout.
 *
 * @param session     the open session
 * @param statsLength the length of {@code stats}, or -1 if not fixed in the model
 * @param layout  the norms' channels and epsilons, if the model returns {@code moments}; empty for an
 *                older tile model, which tiles with shared statistics but cannot refine them
 */
public record TileNetwork(OrtSession session, long statsLength, Optional<NormLayout> layout) {
    public boolean hasMoments() {
        return layout.isPresent();
    }
}
