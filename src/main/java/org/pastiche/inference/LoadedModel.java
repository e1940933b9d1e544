package org.pastiche.inference;

import ai.onnxruntime.OrtSession;
import java.util.Optional;

/**
 * A style's open sessions, checked against the model contract.
 *
 * @param session     the whole-image network: {@code input} -> {@code output} (and {@code stats})
 * @param tileSession the tile network: {@code input}, {@code stats} -> {@code output}; empty if the
 *                    catalog has none or it failed to load
 * @param statsLength the length of {@code stats}, or -1 if only known after a run
 */
public record LoadedModel(StyleModel style, OrtSession session, Optional<OrtSession> tileSession, long statsLength) {
    public static final String INPUT = "input";
    public static final String OUTPUT = "output";
    public static final String STATS = "stats";

    public boolean canTileSeamlessly() {
        return tileSession.isPresent();
    }
}
