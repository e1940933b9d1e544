package org.pastiche.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.pastiche.core.PasticheException;
import org.pastiche.inference.PaintingStyles.Network;

/**
 * The arbitrary-style networks of the model folders: the catalog entries of {@code "kind":
 * "arbitrary"}, read once, in catalog order (the first definition of an id wins, a later one is a
 * problem). A network whose files are missing is kept, unavailable, with the reason.
 */
final class PaintingNetworks {

    /** One catalog entry of a given kind: the catalog file, its folder, the entry's id and JSON. */
    record Entry(Path catalog, Path dir, String id, JsonNode json) { }

    private final Map<String, Network> networks;

    PaintingNetworks(List<Path> modelDirs, Consumer<String> problems) {
        Map<String, Network> found = new LinkedHashMap<>();
        for (Entry e : entries(modelDirs, PaintingStyles.KIND_ARBITRARY)) {
            if (found.containsKey(e.id())) {
                problems.accept(e.catalog() + ": network '" + e.id() + "' is already defined; skipped");
            } else {
                found.put(e.id(), network(e.dir(), e.id(), e.json()));
            }
        }
        this.networks = Collections.unmodifiableMap(found);
    }

    /**
     * The entries of {@code kind} with an id, in folder then catalog order. A catalog that cannot be
     * read is skipped: {@link StyleCatalog} reports it.
     */
    static List<Entry> entries(List<Path> modelDirs, String kind) {
        List<Entry> out = new ArrayList<>();
        for (Path dir : modelDirs) {
            Path catalog = dir.resolve(ModelLocations.CATALOG);
            if (!Files.isRegularFile(catalog)) {
                continue;
            }
            JsonNode models;
            try {
                JsonNode root = JsonTree.read(Files.readAllBytes(catalog));
                models = root == null ? null : root.get("models");
            } catch (IOException e) {
                continue;
            }
            if (models == null || !models.isArray()) {
                continue;
            }
            Path base = catalog.toAbsolutePath().getParent();
            for (JsonNode m : models) {
                String id = StyleCatalog.text(m, "id").orElse("");
                if (!id.isBlank() && kind.equals(StyleCatalog.text(m, "kind").orElse(""))) {
                    out.add(new Entry(catalog, base, id, m));
                }
            }
        }
        return out;
    }

    /** The largest painting side a catalog may ask the style encoder for (as the CLI's --style-size). */
    static final int MAX_STYLE_SIZE = 4096;

    static Network network(Path dir, String id, JsonNode m) {
        Optional<Path> file = StyleCatalog.text(m, "file").map(f -> dir.resolve(f).normalize());
        Optional<Path> styleFile = StyleCatalog.text(m, "style_file").map(f -> dir.resolve(f).normalize());
        Optional<Path> tileFile = StyleCatalog.text(m, "tile_file").map(f -> dir.resolve(f).normalize())
                .filter(t -> StyleCatalog.confined(dir, t)); // a tile model outside the folder is not used
        String reason = null;
        if (file.isEmpty() || styleFile.isEmpty()) {
            reason = "the catalog names no " + (file.isEmpty() ? "file" : "style_file");
        } else if (!StyleCatalog.confined(dir, file.get()) || !StyleCatalog.confined(dir, styleFile.get())) {
            reason = "a model path points outside the catalog's folder " + dir;
        } else if (!Files.isRegularFile(file.get())) {
            reason = "model file missing: " + file.get();
        } else if (!Files.isRegularFile(styleFile.get())) {
            reason = "style encoder missing: " + styleFile.get();
        }
        return new Network(id, StyleCatalog.texts(m.get("names")), StyleCatalog.texts(m.get("descriptions")),
                file.orElse(dir.resolve(id + ".onnx")), tileFile,
                styleFile.orElse(dir.resolve(id + ".style.onnx")), StyleCatalog.text(m, "teacher"),
                StyleCatalog.text(m, "license").orElse(""), StyleCatalog.text(m, "attribution").orElse(""),
                m.path("params").asLong(0), m.path("macs_per_megapixel").asDouble(0),
                Math.max(1, Math.min(StyleCatalog.MAX_SIZE_MULTIPLE, m.path("size_multiple").asInt(4))),
                Math.max(PaintingStyles.MIN_SIDE, Math.min(MAX_STYLE_SIZE,
                        m.path("style_size").asInt(PaintingStyles.DEFAULT_STYLE_SIZE))),
                m.has("fidelity") && m.get("fidelity").isObject()
                        ? JsonTree.toMap(m.get("fidelity"))
                        : Map.of(),
                Optional.ofNullable(reason), localizedOnly(m, "licenses"), localizedOnly(m, "attributions"));
    }

    /** The catalog's texts in other languages ({@code licenses}: {"zh": ...}), English not included. */
    private static Map<String, String> localizedOnly(JsonNode m, String field) {
        Map<String, String> texts = new LinkedHashMap<>(StyleCatalog.texts(m.get(field)));
        texts.remove("en");
        return Map.copyOf(texts);
    }

    /** A stand-in for a network that is not installed, so that a painting needing it can be listed. */
    static Network missing(String networkId, Path dir, String styleId, String reason) {
        return new Network(networkId, Map.of(), Map.of(), dir.resolve(styleId + ".missing"), Optional.empty(),
                dir, Optional.empty(), "", "", 0, 0, 4, PaintingStyles.DEFAULT_STYLE_SIZE, Map.of(), Optional.of(reason),
                Map.of(), Map.of());
    }

    List<Network> all() {
        return List.copyOf(networks.values());
    }

    Optional<Network> find(String id) {
        return Optional.ofNullable(id == null ? null : networks.get(id));
    }

    Optional<Network> firstAvailable() {
        return networks.values().stream().filter(Network::available).findFirst();
    }

    /** The network {@code networkId}, installed and available. */
    Network require(String networkId) throws PasticheException {
        Network n = find(networkId).orElse(null);
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
}
