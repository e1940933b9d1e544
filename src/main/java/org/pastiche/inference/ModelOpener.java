package org.pastiche.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.pastiche.core.PasticheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens a style's sessions and checks them against the {@link ModelContract}; closes what fails. */
final class ModelOpener {
    private static final Logger LOG = LoggerFactory.getLogger(ModelOpener.class);

    private final SessionSettings settings;

    ModelOpener(SessionSettings settings) {
        this.settings = settings;
    }

    /** The style's whole-image session, checked; its tile network opens on first use. */
    LoadedModel open(StyleModel s) throws OrtException, PasticheException {
        long start = System.nanoTime();
        OrtSession main = createSession(s.file());
        try {
            long statsLength = ModelContract.checkWhole(s.file(), main);
            boolean mainHasStats = ModelContract.hasStats(main);
            LOG.info("style '{}' loaded in {} ms", s.id(), (System.nanoTime() - start) / 1_000_000);
            return new LoadedModel(s, main, statsLength, () -> openTile(s, mainHasStats, statsLength));
        } catch (OrtException | PasticheException | RuntimeException e) {
            main.close();
            throw e;
        }
    }

    /**
     * Opens the tile model on first use. It is optional: if it is broken the style still works,
     * tiled without shared statistics; if it only lacks a usable {@code moments} output (a model
     * exported before they were added) it tiles with shared statistics but cannot refine them.
     */
    private Optional<TileNetwork> openTile(StyleModel s, boolean mainHasStats, long statsLength) {
        if (s.tileFile().isEmpty()) {
            return Optional.empty();
        }
        Path file = s.tileFile().get();
        try {
            if (!mainHasStats) {
                throw new PasticheException(PasticheException.Reason.MODEL_INVALID, s.file() + ": has no 'stats' output for its tile model");
            }
            if (!Files.isRegularFile(file)) {
                throw new PasticheException(PasticheException.Reason.MODEL_INVALID, "tile model missing: " + file);
            }
            long start = System.nanoTime();
            OrtSession tile = createSession(file);
            try {
                long tileStats = ModelContract.checkTile(file, tile, statsLength);
                long length = statsLength > 0 ? statsLength : tileStats;
                Optional<NormLayout> layout = momentsLayout(s, file, tile, length);
                LOG.info("style '{}': tile model loaded in {} ms{}", s.id(), (System.nanoTime() - start) / 1_000_000,
                        layout.isPresent() ? " (with moments: statistics can be refined)" : "");
                return Optional.of(new TileNetwork(tile, length, layout));
            } catch (PasticheException | OrtException | RuntimeException e) {
                tile.close();
                throw e;
            }
        } catch (PasticheException | OrtException | RuntimeException e) {
            LOG.warn("style '{}': tile model unusable, large images will be tiled without shared statistics: {}",
                    s.id(), firstLine(e.getMessage()));
            return Optional.empty();
        }
    }

    /** The norms' layout if the tile model returns usable moments; empty (with a note) otherwise. */
    private static Optional<NormLayout> momentsLayout(StyleModel s, Path file, OrtSession tile, long statsLength)
            throws OrtException {
        if (!ModelContract.hasMoments(tile)) {
            LOG.info("style '{}': {} has no '{}' output (an older export): tiled statistics come from a downscaled "
                    + "copy and are not refined; re-export it (docs/engine.md)", s.id(), file.getFileName(),
                    ModelContract.MOMENTS);
            return Optional.empty();
        }
        try {
            return Optional.of(ModelContract.momentsLayout(file, tile, statsLength));
        } catch (PasticheException | RuntimeException e) {
            LOG.warn("style '{}': {}: moments unusable, tiled statistics will not be refined: {}", s.id(),
                    file.getFileName(), firstLine(e.getMessage()));
            return Optional.empty();
        }
    }

    private OrtSession createSession(Path file) throws OrtException {
        OrtEnvironment env = OrtRun.environment(); // first: it decides where ONNX Runtime's libraries load from
        try (OrtSession.SessionOptions options = settings.toOptions()) {
            return env.createSession(file.toString(), options);
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
