package org.pastiche.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.PasticheException;
import org.pastiche.imaging.Resize;
import org.pastiche.imaging.RgbaImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Any painting as a style: the arbitrary-style networks of the model folders (catalog entries of
 * {@code "kind": "arbitrary"}: {@code file} the content network, {@code style_file} the style
 * encoder, {@code tile_file} its tile variant) and the painting styles made with them.
 *
 * <p>A painting becomes a {@link StyleCode} ({@link #encode}, one run of the style encoder on the
 * painting scaled to the network's style size, 512 px long side by default); {@link #use} registers
 * it in the {@link ModelRegistry} as a style like any other, so that {@link OnnxStylizer} runs it with
 * every guarantee of a built-in style (tiling with shared, refined statistics, progress,
 * cancellation; strength and keep-colours in {@code finish}): its model is the network's content
 * sessions, shared by every painting, with the code as a constant input. {@link #save} stores a
 * painting style in the user's models folder (the code and a thumbnail, no network copy) as a
 * catalog entry of {@code "kind": "painting"}, which is registered again at the next start.
 *
 * <p>Networks of the contract (README "Model contract"): style encoder {@code input} [1,3,H,W] RGB
 * 0..255 -> {@code style} [L]; content network {@code input} [1,3,H,W], {@code style} [L] ->
 * {@code output} [1,3,H,W], {@code stats} [S]; tile network {@code input}, {@code style},
 * {@code stats} (with the {@link StatsTail}) -> {@code output}, {@code moments}, with the norms'
 * layout in its metadata.
 *
 * <p>The parts: {@code PaintingNetworks} reads the networks from the catalogs, {@code NetworkSessions}
 * holds a network's sessions (opened on first use, shared by every painting) and runs its style
 * encoder, {@code SavedPaintings} reads and writes the saved painting styles of a models folder.
 */
public final class PaintingStyles implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PaintingStyles.class);
    public static final String KIND_ARBITRARY = "arbitrary";
    public static final String KIND_PAINTING = "painting";
    public static final String STYLE = "style";
    /** A style image must be at least this many pixels on each side once scaled. */
    public static final int MIN_SIDE = 16;
    public static final int DEFAULT_STYLE_SIZE = 512;

    /**
     * An arbitrary-style network from a catalog.
     *
     * @param styleSize long side the painting is scaled to for the style encoder (catalog {@code style_size})
     */
    public record Network(String id, Map<String, String> names, Map<String, String> descriptions, Path file,
            Optional<Path> tileFile, Path styleFile, Optional<String> teacher, String license, String attribution,
            long params, double macsPerMegapixel, int sizeMultiple, int styleSize, Map<String, Object> fidelity,
            Optional<String> unavailableReason, Map<String, String> licenses, Map<String, String> attributions) {
        public boolean available() {
            return unavailableReason.isEmpty();
        }

        public String name(Locale locale) {
            String v = names.get(locale.getLanguage());
            return v != null ? v : names.getOrDefault("en", id);
        }

        /** The licence in the locale's language (the catalog's {@code licenses}), else {@link #license()}. */
        public String license(Locale locale) {
            return licenses.getOrDefault(locale.getLanguage(), license);
        }

        /** The attribution in the locale's language (the catalog's {@code attributions}), else {@link #attribution()}. */
        public String attribution(Locale locale) {
            return attributions.getOrDefault(locale.getLanguage(), attribution);
        }

        /** This network, unavailable for {@code reason} (its sessions failed to open or its probe failed). */
        Network unavailable(String reason) {
            return new Network(id, names, descriptions, file, tileFile, styleFile, teacher, license, attribution, params,
                    macsPerMegapixel, sizeMultiple, styleSize, fidelity, Optional.of(reason), licenses, attributions);
        }
    }

    private final ModelRegistry registry;
    private final PaintingNetworks networks;
    private final Map<String, NetworkSessions> sessions = new LinkedHashMap<>();
    /** Networks whose sessions failed to open (or whose probe failed), with the reason: not tried again. */
    private final Map<String, String> broken = new java.util.concurrent.ConcurrentHashMap<>();

    PaintingStyles(ModelRegistry registry, List<Path> modelDirs) {
        this.registry = registry;
        this.networks = new PaintingNetworks(modelDirs, registry::addProblem);
        for (SavedPaintings.Entry s : SavedPaintings.read(modelDirs)) {
            registerSaved(s);
        }
    }

    static boolean isPaintingKind(String kind) {
        return KIND_ARBITRARY.equals(kind) || KIND_PAINTING.equals(kind);
    }

    /** The arbitrary-style networks, in catalog order. */
    public List<Network> networks() {
        return networks.all().stream().map(this::current).toList();
    }

    public Optional<Network> network(String id) {
        return networks.find(id).map(this::current);
    }

    /** The first available network: what {@code --style-image} uses by default. */
    public Optional<Network> defaultNetwork() {
        return networks().stream().filter(Network::available).findFirst();
    }

    /** The network as it is now: unavailable, with the reason, once its sessions have failed to open. */
    private Network current(Network n) {
        String reason = broken.get(n.id());
        return reason == null || !n.available() ? n : n.unavailable(reason);
    }

    /**
     * Opens the network's sessions now (checked against the contract, and probed: both networks run
     * once on a small picture), so that a broken network is found before a painting needs it.
     *
     * @throws PasticheException if the network is unknown or unavailable; it stays unavailable, with the reason
     */
    public void check(String networkId) throws PasticheException {
        sessions(require(networkId));
    }

    private Network require(String networkId) throws PasticheException {
        Network n = networks.require(networkId);
        String reason = broken.get(n.id());
        if (reason != null) {
            throw new PasticheException(PasticheException.Reason.MODEL_UNAVAILABLE, "The arbitrary-style network '"
                    + n.id() + "' is unavailable: " + reason, n.id());
        }
        return n;
    }

    /**
     * The style code of {@code painting}, scaled (up or down) so that its long side is
     * {@code longSide} pixels (&lt;= 0: the network's style size).
     *
     * @throws PasticheException if the painting is too small or narrow, or the network fails
     */
    public StyleCode encode(String networkId, RgbaImage painting, int longSide, CancellationToken cancel)
            throws PasticheException {
        Network n = require(networkId);
        int side = longSide > 0 ? longSide : n.styleSize();
        RgbaImage scaled = scaleToLongSide(painting, side);
        if (Math.min(scaled.width(), scaled.height()) < MIN_SIDE) {
            throw new PasticheException(PasticheException.Reason.UNSUPPORTED_FORMAT, "the painting is too small or too narrow to be a style ("
                    + painting.width() + "x" + painting.height() + ", " + scaled.width() + "x" + scaled.height()
                    + " at " + side + " px; each side needs at least " + MIN_SIDE + " px)");
        }
        return sessions(n).encode(scaled, cancel);
    }

    static RgbaImage scaleToLongSide(RgbaImage image, int side) {
        int longSide = Math.max(image.width(), image.height());
        if (longSide == side) {
            return image;
        }
        double s = (double) side / longSide;
        return Resize.resize(image, Math.max(1, (int) Math.round(image.width() * s)),
                Math.max(1, (int) Math.round(image.height() * s)));
    }

    /**
     * Registers {@code code} as the style {@code id} (replacing an earlier painting of that id), so
     * that {@link OnnxStylizer#stylize} and everything else that takes a style id can use it.
     *
     * @return the style as the registry lists it
     */
    public StyleModel use(StyleCode code, String id, Map<String, String> names, Optional<Path> thumbnail)
            throws PasticheException {
        Network n = require(code.network());
        StyleModel style = styleOf(n, id, names, thumbnail);
        try {
            registry.register(style, s -> open(n, code, s));
        } catch (IllegalArgumentException e) {
            throw new PasticheException(PasticheException.Reason.UNSPECIFIED, "the painting style cannot be named '" + id
                    + "': " + e.getMessage(), e);
        }
        return style;
    }

    private static StyleModel styleOf(Network n, String id, Map<String, String> names, Optional<Path> thumbnail) {
        Map<String, String> desc = new LinkedHashMap<>();
        desc.put("en", "A painting as the style, with " + n.name(Locale.ENGLISH) + ".");
        desc.put("zh", "以画作为风格（" + n.name(Locale.CHINESE) + "）。");
        return new StyleModel(id, Map.copyOf(names), Map.copyOf(desc), n.file(), n.tileFile(), thumbnail, n.teacher(),
                licenceTexts(n.license(), n.licenses()), licenceTexts(n.attribution(), n.attributions()), n.params(), n.macsPerMegapixel(), n.sizeMultiple(),
                Map.of("network", n.id()), true, Optional.empty());
    }

    private static Map<String, String> licenceTexts(String english, Map<String, String> others) {
        Map<String, String> all = new LinkedHashMap<>(others);
        all.put("en", english);
        return Map.copyOf(all);
    }

    private LoadedModel open(Network n, StyleCode code, StyleModel style) throws PasticheException, OrtException {
        NetworkSessions s = sessions(n);
        if (code.length() != s.codeLength) {
            throw new PasticheException(PasticheException.Reason.MODEL_INVALID, "the style code has " + code.length()
                    + " values, the network '" + n.id() + "' takes " + s.codeLength);
        }
        OnnxTensor tensor = OrtRun.vector(code.values());
        return new LoadedModel(style, s.content, s.statsLength, s::tile, Map.of(STYLE, tensor), false);
    }

    /**
     * Saves a painting style in {@code userDir} (the user's models folder; see {@link SavedPaintings}:
     * {@code <id>.stylecode.json}, a thumbnail {@code <id>.png} of the painting and its entry in the
     * folder's {@code catalog.json}, other entries kept, files written atomically); then registers it.
     * The id is made from the English name.
     *
     * @return the saved style
     */
    public StyleModel save(StyleCode code, Map<String, String> names, RgbaImage painting, Path userDir)
            throws PasticheException {
        Network n = require(code.network());
        SavedPaintings.Entry saved = SavedPaintings.write(code, n.id(), names, painting, userDir,
                id -> registry.find(id).isPresent());
        return use(code, saved.id(), names, saved.thumbnail());
    }

    private void registerSaved(SavedPaintings.Entry s) {
        String networkId = s.network();
        Optional<Path> codeFile = s.codeFile();
        Network n = networks.find(networkId).orElse(null);
        StyleModel style;
        String reason = null;
        if (n == null) {
            reason = "needs the arbitrary-style network '" + networkId + "', which is not installed";
            n = PaintingNetworks.missing(networkId, s.dir(), s.id(), reason);
        } else if (!n.available()) {
            reason = "its network '" + networkId + "' is unavailable: " + n.unavailableReason().get();
        } else if (codeFile.isEmpty() || !Files.isRegularFile(codeFile.get())) {
            reason = "style code missing: " + codeFile.map(Path::toString).orElse("(none in the catalog)");
        }
        style = styleOf(n, s.id(), s.names(), s.thumbnail().filter(Files::isRegularFile));
        if (reason != null) {
            style = style.unavailable(reason);
        }
        Network net = n;
        try {
            registry.register(style, st -> open(net, StyleCode.load(codeFile.get()), st));
        } catch (IllegalArgumentException e) {
            registry.addProblem(s.dir().resolve(ModelLocations.CATALOG) + ": painting style '" + s.id()
                    + "' is already defined; skipped");
        }
    }

    // ----- sessions, shared by every painting of a network -----
    private synchronized NetworkSessions sessions(Network n) throws PasticheException {
        NetworkSessions s = sessions.get(n.id());
        if (s == null) {
            try {
                s = NetworkSessions.open(n, registry.settings());
            } catch (PasticheException | OrtException | RuntimeException e) {
                String reason = e instanceof PasticheException ? e.getMessage()
                        : "it cannot be loaded (" + ModelOpener.firstLine(e.getMessage()) + ")";
                broken.put(n.id(), reason); // said once, by whoever reports this failure
                LOG.debug("arbitrary-style network '{}' disabled: {}", n.id(), reason);
                throw new PasticheException(PasticheException.Reason.MODEL_UNAVAILABLE, "The arbitrary-style network '"
                        + n.id() + "' is unavailable: " + reason, e, n.id());
            }
            sessions.put(n.id(), s);
        }
        return s;
    }

    /** Closes the networks' sessions (they open again on the next use). */
    @Override
    public synchronized void close() {
        for (NetworkSessions s : sessions.values()) {
            try {
                s.close();
            } catch (OrtException e) {
                LOG.warn("closing network '{}': {}", s.network.id(), e.getMessage());
            }
        }
        sessions.clear();
    }
}
