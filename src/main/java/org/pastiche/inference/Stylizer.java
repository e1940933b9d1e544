package org.pastiche.inference;

import java.util.List;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.PasticheException;
import org.pastiche.core.ProgressListener;
import org.pastiche.imaging.RgbaImage;

/**
 * The stylization engine used by the app and the command line. Thread-safe; blocking calls are
 * meant for background threads.
 */
public interface Stylizer extends AutoCloseable {

    /** All styles known, available or not, in catalog order (bundled first, then the user's). */
    List<StyleModel> styles();

    /**
     * Runs the style's network on {@code source} at its own resolution (tiling large images
     * seamlessly) and returns the raw stylized image, same size as the source, alpha re-attached.
     * Strength and keep-colours are applied separately by {@link #finish}, so that the app can
     * change them without running the network again.
     *
     * @throws PasticheException with a message for people if the model is unavailable or fails
     * @throws org.pastiche.core.CancelledException if {@code cancel} was cancelled
     */
    RgbaImage stylize(RgbaImage source, String styleId, ProgressListener progress, CancellationToken cancel)
            throws PasticheException;

    /** Applies strength and keep-colours: a pure, fast per-pixel step. */
    RgbaImage finish(RgbaImage original, RgbaImage stylized, StyleOptions options);

    /** Creates the style's session and runs it once on a tiny input, so that the first real run is fast. */
    void warmUp(String styleId) throws PasticheException;

    /** Closes every session. */
    @Override
    void close();
}
