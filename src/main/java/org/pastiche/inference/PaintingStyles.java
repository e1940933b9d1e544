package org.pastiche.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.PasticheException;
import org.pastiche.imaging.ImageExporter;
import org.pastiche.imaging.Resize;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.imaging.Tensors;
import org.pastiche.imaging.Tiler;
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
 */
public final class PaintingStyles implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PaintingStyles.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String KIND_ARBITRARY = "arbitrary";
    public static final String KIND_PAINTING = "painting";
    public static final String STYLE = "style";
    /** A style image must be at least this many pixels on each side once scaled. */
    public static final int MIN_SIDE = 16;
    public static final int DEFAULT_STYLE_SIZE = 512;
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    /**
     * An arbitrary-style network from a catalog.
     *
     * @param styleSize long side the painting is scaled to for the style encoder (catalog {@code style_size})
     */
    public record Network(String id, Map<String, String> names, Map<String, String> descriptions, Path file,
            Optional<Path> tileFile, Path styleFile, Optional<String> teacher, String license, String attribution,
            long params, double macsPerMegapixel, int sizeMultiple, int styleSize, Map<String, Object> fidelity,
            Optional<String> unavailableReason) {
        public boolean available() {
            return unavailableReason.isEmpty();
        }

        public String name(Locale locale) {
            String v = names.get(locale.getLanguage());
            return v != null ? v : names.getOrDefault("en", id);
        }
    }

    private final ModelRegistry registry;
    private final Map<String, Network> networks = new LinkedHashMap<>();
    private final Map<String, Sessions> sessions = new LinkedHashMap<>();

    PaintingStyles(ModelRegistry registry, List<Path> modelDirs) {
        this.registry = registry;
        List<Saved> saved = new ArrayList<>();
        for (Path dir : modelDirs) {
            Path catalog = dir.resolve(ModelLocations.CATALOG);
            if (!Files.isRegularFile(catalog)) {
                continue;
            }
            JsonNode models;
            try {
                JsonNode root = JSON.readTree(Files.readAllBytes(catalog));
                models = root == null ? null : root.get("models");
            } catch (IOException e) {
                continue; // StyleCatalog reported it
            }
            if (models == null || !models.isArray()) {
                continue;
            }
            Path base = catalog.toAbsolutePath().getParent();
            for (JsonNode m : models) {
                String kind = StyleCatalog.text(m, "kind").orElse("");
                String id = StyleCatalog.text(m, "id").orElse("");
                if (id.isBlank()) {
                    continue;
                }
                if (KIND_ARBITRARY.equals(kind)) {
                    if (networks.containsKey(id)) {
                        registry.addProblem(catalog + ": network '" + id + "' is already defined; skipped");
                    } else {
                        networks.put(id, network(base, id, m));
                    }
                } else if (KIND_PAINTING.equals(kind)) {
                    saved.add(new Saved(base, id, m));
                }
            }
        }
        for (Saved s : saved) {
            registerSaved(s);
        }
    }

    static boolean isPaintingKind(String kind) {
        return KIND_ARBITRARY.equals(kind) || KIND_PAINTING.equals(kind);
    }

    private record Saved(Path dir, String id, JsonNode entry) { }

    private static Network network(Path dir, String id, JsonNode m) {
        Optional<Path> file = StyleCatalog.text(m, "file").map(f -> dir.resolve(f).normalize());
        Optional<Path> styleFile = StyleCatalog.text(m, "style_file").map(f -> dir.resolve(f).normalize());
        String reason = null;
        if (file.isEmpty() || styleFile.isEmpty()) {
            reason = "the catalog names no " + (file.isEmpty() ? "file" : "style_file");
        } else if (!Files.isRegularFile(file.get())) {
            reason = "model file missing: " + file.get();
        } else if (!Files.isRegularFile(styleFile.get())) {
            reason = "style encoder missing: " + styleFile.get();
        }
        return new Network(id, StyleCatalog.texts(m.get("names")), StyleCatalog.texts(m.get("descriptions")),
                file.orElse(dir.resolve(id + ".onnx")), StyleCatalog.text(m, "tile_file").map(f -> dir.resolve(f).normalize()),
                styleFile.orElse(dir.resolve(id + ".style.onnx")), StyleCatalog.text(m, "teacher"),
                StyleCatalog.text(m, "license").orElse(""), StyleCatalog.text(m, "attribution").orElse(""),
                m.path("params").asLong(0), m.path("macs_per_megapixel").asDouble(0),
                Math.max(1, m.path("size_multiple").asInt(4)), Math.max(MIN_SIDE, m.path("style_size").asInt(DEFAULT_STYLE_SIZE)),
                m.has("fidelity") && m.get("fidelity").isObject()
                        ? JSON.convertValue(m.get("fidelity"), new TypeReference<Map<String, Object>>() { })
                        : Map.of(),
                Optional.ofNullable(reason));
    }

    /** The arbitrary-style networks, in catalog order. */
    public synchronized List<Network> networks() {
        return List.copyOf(networks.values());
    }

    public synchronized Optional<Network> network(String id) {
        return Optional.ofNullable(networks.get(id));
    }

    /** The first available network: what {@code --style-image} uses by default. */
    public synchronized Optional<Network> defaultNetwork() {
        return networks.values().stream().filter(Network::available).findFirst();
    }

    private Network require(String networkId) throws PasticheException {
        Network n;
        synchronized (this) {
            n = networks.get(networkId);
        }
        if (n == null) {
            throw new PasticheException(PasticheException.Reason.UNKNOWN_STYLE, networkId == null
                    ? "no arbitrary-style network is installed (a catalog entry of \"kind\": \"arbitrary\")"
                    : "Unknown arbitrary-style network '" + networkId + "'", String.valueOf(networkId));
        }
        if (!n.available()) {
            throw new PasticheException(PasticheException.Reason.MODEL_UNAVAILABLE, "The arbitrary-style network '"
                    + n.id() + "' is unavailable: " + n.unavailableReason().get(), n.id());
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
        Sessions s = sessions(n);
        cancel.throwIfCancelled();
        FloatBuffer in = Tiler.directFloats(3 * scaled.width() * scaled.height());
        Tensors.readWindow(scaled, 0, 0, scaled.width(), scaled.height(), in);
        try (OnnxTensor input = OrtRun.image(in, scaled.width(), scaled.height())) {
            float[] code = OrtRun.runForFloats(s.style, Map.of(ModelContract.INPUT, input), STYLE, cancel,
                    n.id() + ": the style encoder returned no style code", "the style encoder failed");
            if (code.length != s.codeLength) {
                throw new PasticheException(PasticheException.Reason.MODEL_INVALID, n.id() + ": the style encoder gave "
                        + code.length + " values, its content network takes " + s.codeLength);
            }
            for (float v : code) {
                if (!Float.isFinite(v)) {
                    throw new PasticheException(PasticheException.Reason.INFERENCE_FAILED, n.id()
                            + ": the style encoder gave a value that is not a number");
                }
            }
            return new StyleCode(n.id(), code);
        } catch (OrtException e) {
            throw new PasticheException(PasticheException.Reason.INFERENCE_FAILED, "cannot prepare the painting's tensor: "
                    + e.getMessage(), e);
        }
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
                n.license(), n.attribution(), n.params(), n.macsPerMegapixel(), n.sizeMultiple(),
                Map.of("network", n.id()), true, Optional.empty());
    }

    private LoadedModel open(Network n, StyleCode code, StyleModel style) throws PasticheException, OrtException {
        Sessions s = sessions(n);
        if (code.length() != s.codeLength) {
            throw new PasticheException(PasticheException.Reason.MODEL_INVALID, "the style code has " + code.length()
                    + " values, the network '" + n.id() + "' takes " + s.codeLength);
        }
        OnnxTensor tensor = OrtRun.vector(code.values());
        return new LoadedModel(style, s.content, s.statsLength, s::tile, Map.of(STYLE, tensor), false);
    }

    /**
     * Saves a painting style in {@code userDir} (the user's models folder): {@code <id>.stylecode.json},
     * a thumbnail {@code <id>.png} (the painting, 256 px long side) and its entry in the folder's
     * {@code catalog.json} (other entries are kept; every file is written atomically); then
     * registers it. The id is made from the English name (or given by {@code idHint}).
     *
     * @return the saved style
     */
    public StyleModel save(StyleCode code, Map<String, String> names, RgbaImage painting, Path userDir)
            throws PasticheException {
        Network n = require(code.network());
        String name = names.getOrDefault("en", names.values().stream().findFirst().orElse(""));
        String id = uniqueId(slug(name), userDir);
        Path codeFile = userDir.resolve(id + ".stylecode.json");
        Path thumb = userDir.resolve(id + ".png");
        try {
            Files.createDirectories(userDir);
        } catch (IOException e) {
            throw new PasticheException(PasticheException.Reason.WRITE_FAILED, userDir + ": cannot create the folder ("
                    + e.getMessage() + ")", e, userDir);
        }
        code.save(codeFile);
        ImageExporter.write(Resize.fitLongSide(painting, 256), thumb);
        Path catalog = userDir.resolve(ModelLocations.CATALOG);
        try {
            ObjectNode root;
            if (Files.isRegularFile(catalog)) {
                JsonNode r = JSON.readTree(Files.readAllBytes(catalog));
                if (r == null || !r.isObject() || !r.path("models").isArray()) {
                    throw new PasticheException(PasticheException.Reason.CATALOG_INVALID, catalog
                            + ": not a style catalog (no \"models\" list); the style was not saved");
                }
                root = (ObjectNode) r;
            } else {
                root = JSON.createObjectNode();
                root.putArray("models");
            }
            ArrayNode models = (ArrayNode) root.get("models");
            ObjectNode e = models.addObject();
            e.put("id", id);
            e.put("kind", KIND_PAINTING);
            e.put("network", n.id());
            ObjectNode nm = e.putObject("names");
            names.forEach(nm::put);
            e.put("style_code", codeFile.getFileName().toString());
            e.put("thumbnail", thumb.getFileName().toString());
            writeAtomically(catalog, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PasticheException(PasticheException.Reason.WRITE_FAILED, catalog + ": cannot write the catalog ("
                    + e.getMessage() + ")", e, catalog);
        }
        return use(code, id, names, Optional.of(thumb));
    }

    private void registerSaved(Saved s) {
        String networkId = StyleCatalog.text(s.entry(), "network").orElse("");
        Map<String, String> names = StyleCatalog.texts(s.entry().get("names"));
        Optional<Path> thumb = StyleCatalog.text(s.entry(), "thumbnail").map(f -> s.dir().resolve(f).normalize());
        Optional<Path> codeFile = StyleCatalog.text(s.entry(), "style_code").map(f -> s.dir().resolve(f).normalize());
        Network n = networks.get(networkId);
        StyleModel style;
        String reason = null;
        if (n == null) {
            reason = "needs the arbitrary-style network '" + networkId + "', which is not installed";
            n = new Network(networkId, Map.of(), Map.of(), s.dir().resolve(s.id() + ".missing"), Optional.empty(),
                    s.dir(), Optional.empty(), "", "", 0, 0, 4, DEFAULT_STYLE_SIZE, Map.of(), Optional.of(reason));
        } else if (!n.available()) {
            reason = "its network '" + networkId + "' is unavailable: " + n.unavailableReason().get();
        } else if (codeFile.isEmpty() || !Files.isRegularFile(codeFile.get())) {
            reason = "style code missing: " + codeFile.map(Path::toString).orElse("(none in the catalog)");
        }
        style = styleOf(n, s.id(), names, thumb.filter(Files::isRegularFile));
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

    static String slug(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > 40) {
            s = s.substring(0, 40).replaceAll("-+$", "");
        }
        return s.isEmpty() ? "painting" : s;
    }

    private String uniqueId(String base, Path userDir) {
        String id = base;
        for (int i = 2; registry.find(id).isPresent() || Files.exists(userDir.resolve(id + ".stylecode.json")); i++) {
            id = base + "-" + i;
        }
        if (!ID.matcher(id).matches()) {
            throw new IllegalStateException("bad id " + id);
        }
        return id;
    }

    /** Writes {@code bytes} to a hidden temporary file next to {@code target}, then renames it over. */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    // ----- sessions, shared by every painting of a network -----
    private synchronized Sessions sessions(Network n) throws PasticheException {
        Sessions s = sessions.get(n.id());
        if (s == null) {
            try {
                s = Sessions.open(n, registry.settings());
            } catch (OrtException | RuntimeException e) {
                throw new PasticheException(PasticheException.Reason.MODEL_UNAVAILABLE, "The arbitrary-style network '"
                        + n.id() + "' cannot be loaded (" + ModelOpener.firstLine(e.getMessage()) + ")", e, n.id());
            }
            sessions.put(n.id(), s);
        }
        return s;
    }

    private static final class Sessions {
        final Network network;
        final SessionSettings settings;
        final OrtSession style;
        final OrtSession content;
        final long codeLength;
        final long statsLength;
        private Optional<TileNetwork> tile;

        private Sessions(Network network, SessionSettings settings, OrtSession style, OrtSession content,
                long codeLength, long statsLength) {
            this.network = network;
            this.settings = settings;
            this.style = style;
            this.content = content;
            this.codeLength = codeLength;
            this.statsLength = statsLength;
        }

        static Sessions open(Network n, SessionSettings settings) throws OrtException, PasticheException {
            long t0 = System.nanoTime();
            OrtSession style = create(n.styleFile(), settings);
            OrtSession content = null;
            try {
                ModelContract.checkTensorOf(n.styleFile(), style.getInputInfo(), ModelContract.INPUT, 4);
                ModelContract.checkTensorOf(n.styleFile(), style.getOutputInfo(), STYLE, 1);
                long code = fixedLength(style.getOutputInfo().get(STYLE));
                if (code <= 0) {
                    throw new PasticheException(PasticheException.Reason.MODEL_INVALID, n.styleFile().getFileName()
                            + ": the style code has no fixed length");
                }
                content = create(n.file(), settings);
                checkInputs(n.file(), content, Set.of(ModelContract.INPUT, STYLE));
                ModelContract.checkTensorOf(n.file(), content.getInputInfo(), ModelContract.INPUT, 4);
                ModelContract.checkTensorOf(n.file(), content.getInputInfo(), STYLE, 1);
                ModelContract.checkTensorOf(n.file(), content.getOutputInfo(), ModelContract.OUTPUT, 4);
                long takes = fixedLength(content.getInputInfo().get(STYLE));
                if (takes > 0 && takes != code) {
                    throw new PasticheException(PasticheException.Reason.MODEL_INVALID, n.file().getFileName() + ": takes a style code of "
                            + takes + " values, the style encoder gives " + code);
                }
                long stats = ModelContract.hasStats(content) ? fixedLength(content.getOutputInfo().get(ModelContract.STATS)) : -1;
                LOG.info("arbitrary-style network '{}' loaded in {} ms (style code {} values)", n.id(),
                        (System.nanoTime() - t0) / 1_000_000, code);
                return new Sessions(n, settings, style, content, code, stats);
            } catch (OrtException | PasticheException | RuntimeException e) {
                style.close();
                if (content != null) {
                    content.close();
                }
                throw e;
            }
        }

        /** The tile network, opened on first use; empty if the catalog has none or it is unusable. */
        synchronized Optional<TileNetwork> tile() {
            if (tile != null) {
                return tile;
            }
            tile = Optional.empty();
            if (network.tileFile().isEmpty()) {
                return tile;
            }
            Path file = network.tileFile().get();
            OrtSession t = null;
            try {
                if (!Files.isRegularFile(file)) {
                    throw new PasticheException(PasticheException.Reason.MODEL_INVALID, "tile model missing: " + file);
                }
                t = create(file, settings);
                checkInputs(file, t, Set.of(ModelContract.INPUT, STYLE, ModelContract.STATS));
                long length = ModelContract.checkTile(file, t, statsLength);
                length = statsLength > 0 ? statsLength : length;
                Optional<NormLayout> layout = ModelContract.hasMoments(t)
                        ? Optional.of(ModelContract.momentsLayout(file, t, length)) : Optional.empty();
                tile = Optional.of(new TileNetwork(t, length, layout));
            } catch (OrtException | PasticheException | RuntimeException e) {
                if (t != null) {
                    try {
                        t.close();
                    } catch (OrtException ex) {
                        LOG.debug("closing {}: {}", file, ex.getMessage());
                    }
                }
                LOG.warn("network '{}': tile model unusable, large images will be tiled without shared statistics: {}",
                        network.id(), ModelOpener.firstLine(e.getMessage()));
            }
            return tile;
        }

        synchronized void close() throws OrtException {
            try {
                style.close();
                content.close();
            } finally {
                if (tile != null && tile.isPresent()) {
                    tile.get().session().close();
                }
                tile = null;
            }
        }

        private static OrtSession create(Path file, SessionSettings settings) throws OrtException {
            try (OrtSession.SessionOptions options = settings.toOptions()) {
                return OrtRun.environment().createSession(file.toString(), options);
            }
        }

        private static void checkInputs(Path file, OrtSession s, Set<String> expected) throws OrtException, PasticheException {
            if (!s.getInputNames().equals(expected)) {
                throw new PasticheException(PasticheException.Reason.MODEL_INVALID, file.getFileName() + ": expects inputs "
                        + s.getInputNames() + ", the contract is " + expected);
            }
        }

        private static long fixedLength(NodeInfo info) {
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
    }

    /** Closes the networks' sessions (they open again on the next use). */
    @Override
    public synchronized void close() {
        for (Sessions s : sessions.values()) {
            try {
                s.close();
            } catch (OrtException e) {
                LOG.warn("closing network '{}': {}", s.network.id(), e.getMessage());
            }
        }
        sessions.clear();
    }
}
