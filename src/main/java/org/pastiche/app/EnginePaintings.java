package org.pastiche.app;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.PasticheException;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.PaintingStyles;
import org.pastiche.inference.StyleCode;
import org.pastiche.inference.StyleModel;
import org.pastiche.ui.painting.PaintingEngine;

/** "Your painting" on the engine: the registry's arbitrary-style networks, saving to the user's models folder. */
final class EnginePaintings implements PaintingEngine {
    private final PaintingStyles paintings;
    private final Path userDir;

    EnginePaintings(PaintingStyles paintings, Path userDir) {
        this.paintings = paintings;
        this.userDir = userDir;
    }

    @Override
    public Optional<PaintingStyles.Network> network() {
        return paintings.defaultNetwork().or(() -> paintings.networks().stream().findFirst());
    }

    private String networkId() throws PasticheException {
        return network().map(PaintingStyles.Network::id).orElseThrow(() -> new PasticheException(
                PasticheException.Reason.MODEL_UNAVAILABLE, "no arbitrary-style network is installed", "any-painting"));
    }

    @Override
    public void check() throws PasticheException {
        paintings.check(networkId());
    }

    @Override
    public StyleCode encode(RgbaImage painting, CancellationToken cancel) throws PasticheException {
        return paintings.encode(networkId(), painting, 0, cancel);
    }

    @Override
    public StyleModel use(StyleCode code, String id, Map<String, String> names) throws PasticheException {
        return paintings.use(code, id, names, Optional.empty());
    }

    @Override
    public StyleModel save(StyleCode code, Map<String, String> names, RgbaImage painting) throws PasticheException {
        return paintings.save(code, names, painting, userDir);
    }
}
