package org.pastiche.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pastiche.core.PasticheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The styles of one or more model folders (each with a {@code catalog.json}) and their ONNX Runtime
 * sessions: one environment per JVM, one session per model, created on first use and cached.
 * A model that is missing, fails to load or breaks the contract disables its style, with the
 * reason; the other styles keep working. Thread-safe.
 */
public final class ModelRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    private final SessionSettings settings;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    private static final class Entry {
        volatile StyleModel style;
        LoadedModel loaded;

        Entry(StyleModel style) {
            this.style = style;
        }
    }

    /**
     * @param modelDirs folders holding a {@code catalog.json}, in order; earlier folders win on
     *                  duplicate ids. A folder without a catalog is skipped.
     */
    public ModelRegistry(List<Path> modelDirs, SessionSettings settings) {
        this.settings = settings;
        for (Path dir : modelDirs) {
            Path catalog = dir.resolve(ModelLocations.CATALOG);
            if (!Files.isRegularFile(catalog)) {
                LOG.debug("no style catalog in {}", dir);
                continue;
            }
            try {
                for (StyleModel s : StyleCatalog.load(catalog)) {
                    if (entries.containsKey(s.id())) {
                        problems.add(catalog + ": style '" + s.id() + "' is already defined; skipped");
                    } else {
                        entries.put(s.id(), new Entry(s));
                    }
                }
            } catch (PasticheException e) {
                problems.add(e.getMessage());
            }
        }
        problems.forEach(LOG::warn);
    }

    /** The bundled models and the user's. */
    public static ModelRegistry openDefault(SessionSettings settings) {
        return new ModelRegistry(List.of(ModelLocations.bundled(), ModelLocations.user()), settings);
    }

    /** The one ONNX Runtime environment of this JVM; never closed (native state lives as long as the process). */
    public static OrtEnvironment environment() {
        return Env.INSTANCE;
    }

    private static final class Env {
        static final OrtEnvironment INSTANCE = QuietOrtEnvironment.create(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
                "pastiche");
    }

    public SessionSettings settings() {
        return settings;
    }

    /** All styles in catalog order, with their current availability. */
    public List<StyleModel> styles() {
        synchronized (entries) {
            return entries.values().stream().map(e -> e.style).toList();
        }
    }

    public Optional<StyleModel> find(String id) {
        Entry e;
        synchronized (entries) {
            e = entries.get(id);
        }
        return e == null ? Optional.empty() : Optional.of(e.style);
    }

    /** Catalogs that could not be read, duplicate ids: messages for people. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * The style's whole-image session, created on first use (its tile session is opened on the
     * first tiled run: {@link LoadedModel#tile()}).
     *
     * @throws PasticheException if the style is unknown or unavailable (the reason is in the message)
     */
    public LoadedModel load(String id) throws PasticheException {
        Entry e;
        synchronized (entries) {
            e = entries.get(id);
        }
        if (e == null) {
            throw new PasticheException(PasticheException.Reason.UNKNOWN_STYLE, "Unknown style '" + id + "'", id);
        }
        synchronized (e) {
            if (e.loaded != null) {
                return e.loaded;
            }
            StyleModel s = e.style;
            if (!s.available()) {
                throw unavailable(s);
            }
            try {
                e.loaded = open(s);
                return e.loaded;
            } catch (PasticheException | OrtException | RuntimeException ex) {
                String reason = ex instanceof PasticheException ? ex.getMessage()
                        : "the model cannot be loaded (" + firstLine(ex.getMessage()) + ")";
                e.style = s.unavailable(reason);
                LOG.warn("style '{}' disabled: {}", id, reason);
                throw unavailable(e.style);
            }
        }
    }

    private static PasticheException unavailable(StyleModel s) {
        return new PasticheException(PasticheException.Reason.MODEL_UNAVAILABLE, "Style '" + s.id() + "' is unavailable: " + s.unavailableReason().orElse("unknown"), s.id());
    }

    private LoadedModel open(StyleModel s) throws OrtException, PasticheException {
        long start = System.nanoTime();
        OrtSession main = createSession(s.file());
        try {
            checkTensor(s.file(), main.getInputInfo(), LoadedModel.INPUT, 4);
            if (main.getInputInfo().size() != 1) {
                throw new PasticheException(PasticheException.Reason.MODEL_INVALID, s.file().getFileName() + ": expects inputs " + main.getInputNames()
                        + ", the contract is one input named 'input'");
            }
            checkTensor(s.file(), main.getOutputInfo(), LoadedModel.OUTPUT, 4);
            long statsLength = -1;
            if (main.getOutputInfo().containsKey(LoadedModel.STATS)) {
                statsLength = lengthOf(main.getOutputInfo().get(LoadedModel.STATS));
            }
            boolean mainHasStats = main.getOutputInfo().containsKey(LoadedModel.STATS);
            long known = statsLength;
            LOG.info("style '{}' loaded in {} ms", s.id(), (System.nanoTime() - start) / 1_000_000);
            return new LoadedModel(s, main, statsLength, () -> openTile(s, mainHasStats, known));
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
                checkTensor(file, tile.getInputInfo(), LoadedModel.INPUT, 4);
                checkTensor(file, tile.getInputInfo(), LoadedModel.STATS, 1);
                checkTensor(file, tile.getOutputInfo(), LoadedModel.OUTPUT, 4);
                long tileStats = lengthOf(tile.getInputInfo().get(LoadedModel.STATS));
                if (statsLength > 0 && tileStats > 0 && tileStats != statsLength) {
                    throw new PasticheException(file.getFileName() + ": takes " + tileStats
                            + " statistics, the style's network gives " + statsLength);
                }
                Optional<NormLayout> layout = momentsLayout(s, file, tile, statsLength > 0 ? statsLength : tileStats);
                LOG.info("style '{}': tile model loaded in {} ms{}", s.id(), (System.nanoTime() - start) / 1_000_000,
                        layout.isPresent() ? " (with moments: statistics can be refined)" : "");
                return Optional.of(new TileNetwork(tile, statsLength > 0 ? statsLength : tileStats, layout));
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
        if (!tile.getOutputInfo().containsKey(TileNetwork.MOMENTS)) {
            LOG.info("style '{}': {} has no '{}' output (an older export): tiled statistics come from a downscaled "
                    + "copy and are not refined; re-export it (docs/engine.md)", s.id(), file.getFileName(),
                    TileNetwork.MOMENTS);
            return Optional.empty();
        }
        try {
            checkTensor(file, tile.getOutputInfo(), TileNetwork.MOMENTS, 1);
            Map<String, String> meta = tile.getMetadata().getCustomMetadata();
            String ch = meta.get(TileNetwork.META_CHANNELS);
            String eps = meta.get(TileNetwork.META_EPS);
            if (ch == null || eps == null) {
                throw new PasticheException(PasticheException.Reason.MODEL_INVALID, "no " + TileNetwork.META_CHANNELS + "/" + TileNetwork.META_EPS
                        + " metadata");
            }
            NormLayout layout = NormLayout.parse(ch, eps);
            if (statsLength > 0 && layout.statsLength() != statsLength) {
                throw new PasticheException(PasticheException.Reason.MODEL_INVALID, "its norms have " + layout.statsLength() + " statistics, not "
                        + statsLength);
            }
            return Optional.of(layout);
        } catch (PasticheException | RuntimeException e) {
            LOG.warn("style '{}': {}: moments unusable, tiled statistics will not be refined: {}", s.id(),
                    file.getFileName(), firstLine(e.getMessage()));
            return Optional.empty();
        }
    }

    private OrtSession createSession(Path file) throws OrtException {
        try (OrtSession.SessionOptions options = settings.toOptions()) {
            return environment().createSession(file.toString(), options);
        }
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

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Closes every session; the registry can load them again afterwards. */
    @Override
    public void close() {
        List<Entry> all;
        synchronized (entries) {
            all = new ArrayList<>(entries.values());
        }
        for (Entry e : all) {
            synchronized (e) {
                if (e.loaded != null) {
                    try {
                        e.loaded.close();
                    } catch (OrtException ex) {
                        LOG.warn("closing style '{}': {}", e.style.id(), ex.getMessage());
                    }
                    e.loaded = null;
                }
            }
        }
    }
}
