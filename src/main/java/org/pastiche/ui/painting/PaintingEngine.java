package org.pastiche.ui.painting;

import java.util.Map;
import java.util.Optional;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.PasticheException;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.PaintingStyles;
import org.pastiche.inference.StyleCode;
import org.pastiche.inference.StyleModel;

/**
 * What the app needs from the engine to use any painting as a style (an arbitrary-style network,
 * {@link PaintingStyles}). Blocking calls, for the background lanes; thread-safe.
 */
public interface PaintingEngine {

    /** The network paintings go through: the first available, else the first installed (unavailable); empty if none. */
    Optional<PaintingStyles.Network> network();

    /** Opens the network's sessions and probes them, so that a broken network is found early. */
    void check() throws PasticheException;

    /** The style code of a painting (scaled to the network's style size, one run of its style encoder). */
    StyleCode encode(RgbaImage painting, CancellationToken cancel) throws PasticheException;

    /** Registers {@code code} as the style {@code id}, usable at once by the stylizer (not saved). */
    StyleModel use(StyleCode code, String id, Map<String, String> names) throws PasticheException;

    /** Saves {@code code} as a style in the user's models folder (the code and a thumbnail of {@code painting}). */
    StyleModel save(StyleCode code, Map<String, String> names, RgbaImage painting) throws PasticheException;

    /** No network installed: paintings cannot be used. */
    static PaintingEngine none() {
        return new PaintingEngine() {
            @Override
            public Optional<PaintingStyles.Network> network() {
                return Optional.empty();
            }

            @Override
            public void check() throws PasticheException {
                throw unavailable();
            }

            @Override
            public StyleCode encode(RgbaImage painting, CancellationToken cancel) throws PasticheException {
                throw unavailable();
            }

            @Override
            public StyleModel use(StyleCode code, String id, Map<String, String> names) throws PasticheException {
                throw unavailable();
            }

            @Override
            public StyleModel save(StyleCode code, Map<String, String> names, RgbaImage painting) throws PasticheException {
                throw unavailable();
            }

            private PasticheException unavailable() {
                return new PasticheException(PasticheException.Reason.MODEL_UNAVAILABLE,
                        "no arbitrary-style network is installed", "any-painting");
            }
        };
    }
}
