package org.pastiche.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Map;
import java.util.Optional;

/**
 * A style's open whole-image session, checked against the model contract, and its tile network,
 * opened on first use (the first image large enough to be tiled).
 */
public final class LoadedModel {
    /** Opens and checks the tile network; empty if the style has none or it is unusable. */
    @FunctionalInterface
    interface TileOpener {
        Optional<TileNetwork> open();
    }

    private final StyleModel style;
    private final OrtSession session;
    private final long statsLength;
    private final TileOpener opener;
    private final Map<String, OnnxTensor> constants;
    private final boolean ownsSessions;
    private Optional<TileNetwork> tile;
    private boolean closed;

    LoadedModel(StyleModel style, OrtSession session, long statsLength, TileOpener opener) {
        this(style, session, statsLength, opener, Map.of(), true);
    }

    /**
     * @param constants    more inputs fed to every run of both networks (an arbitrary-style network's
     *                     {@code style} code); closed with this model
     * @param ownsSessions whether {@link #close} closes the sessions (false: they are shared, e.g. by
     *                     every painting of one arbitrary-style network, and closed by their owner)
     */
    LoadedModel(StyleModel style, OrtSession session, long statsLength, TileOpener opener,
            Map<String, OnnxTensor> constants, boolean ownsSessions) {
        this.style = style;
        this.session = session;
        this.statsLength = statsLength;
        this.opener = opener;
        this.constants = Map.copyOf(constants);
        this.ownsSessions = ownsSessions;
    }

    /** Inputs besides {@code input} and {@code stats} that every run of this style's networks takes. */
    public Map<String, OnnxTensor> constants() {
        return constants;
    }

    public StyleModel style() {
        return style;
    }

    /** The whole-image network: {@code input} -> {@code output} (and {@code stats}). */
    public OrtSession session() {
        return session;
    }

    /**
     * The length of {@code stats}: from the whole-image model if its shape is fixed, else from the
     * tile model (opening it); -1 if only known after a run.
     */
    public long statsLength() {
        if (statsLength > 0) {
            return statsLength;
        }
        return tile().map(TileNetwork::statsLength).orElse(-1L);
    }

    /**
     * The tile network, opened (and checked) on the first call; empty if the catalog has none or it
     * cannot be used (then large images are tiled with each tile's own statistics).
     */
    public synchronized Optional<TileNetwork> tile() {
        if (closed) {
            throw new IllegalStateException("style '" + style.id() + "' is closed");
        }
        if (tile == null) {
            tile = opener.open();
        }
        return tile;
    }

    /** Whether the tile network has been opened yet (it is opened lazily). */
    public synchronized boolean tileOpened() {
        return tile != null;
    }

    /** The tile network's session, opening it if needed. */
    public Optional<OrtSession> tileSession() {
        return tile().map(TileNetwork::session);
    }

    public boolean canTileSeamlessly() {
        return tile().isPresent();
    }

    /** Whether the tile network returns moments, so that tiled statistics can be refined. */
    public boolean canRefineStatistics() {
        return tile().map(TileNetwork::hasMoments).orElse(false);
    }

    synchronized void close() throws OrtException {
        closed = true;
        constants.values().forEach(OnnxTensor::close);
        if (!ownsSessions) {
            tile = null;
            return;
        }
        try {
            session.close();
        } finally {
            if (tile != null && tile.isPresent()) {
                tile.get().session().close();
            }
            tile = null;
        }
    }
}
