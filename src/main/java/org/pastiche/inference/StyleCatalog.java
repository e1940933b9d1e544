package org.pastiche.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pastiche.core.PasticheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a {@code catalog.json} (schema in README.md, shared with the model lab). Paths are
 * resolved against the catalog's folder and must stay inside it, links followed (a model outside
 * makes its style unavailable; a tile model outside is dropped). Thumbnails are pictures the
 * app decodes like any photo and may live elsewhere (the bundled ones are in ../assets). An entry whose model file is missing is returned
 * unavailable, with the reason; an entry without an id is skipped with a warning.
 */
public final class StyleCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(StyleCatalog.class);

    private StyleCatalog() {}

    public static List<StyleModel> load(Path catalogFile) throws PasticheException {
        JsonNode root;
        try {
            root = JsonTree.read(Files.readAllBytes(catalogFile));
        } catch (IOException e) {
            throw new PasticheException(PasticheException.Reason.CATALOG_INVALID, catalogFile + ": cannot read the style catalog (" + e.getMessage() + ")", e);
        }
        JsonNode models = root == null ? null : root.get("models");
        if (models == null || !models.isArray()) {
            throw new PasticheException(PasticheException.Reason.CATALOG_INVALID, catalogFile + ": not a style catalog (no \"models\" list)");
        }
        Path dir = catalogFile.toAbsolutePath().getParent();
        List<StyleModel> out = new ArrayList<>();
        for (JsonNode m : models) {
            String id = text(m, "id").orElse(null);
            if (id == null || id.isBlank()) {
                LOG.warn("{}: skipping an entry without an id", catalogFile);
                continue;
            }
            if (PaintingStyles.isPaintingKind(text(m, "kind").orElse(""))) {
                continue; // an arbitrary-style network or a saved painting: PaintingStyles reads them
            }
            out.add(entry(dir, id, m));
        }
        return out;
    }

    /** The largest size multiple a network may ask for (the lab's have 4: two stride-2 layers). */
    static final int MAX_SIZE_MULTIPLE = 256;

    /**
     * Whether {@code path} lies inside {@code dir}, after following links where it exists: a
     * catalog must not point at files elsewhere ("../../etc/passwd", a link out of the folder).
     */
    static boolean confined(Path dir, Path path) {
        try {
            Path realDir = dir.toRealPath();
            Path real = Files.exists(path) ? path.toRealPath() : path.toAbsolutePath().normalize();
            return real.startsWith(realDir) && !real.equals(realDir);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static Optional<Path> confinedOrEmpty(Path dir, String id, String field, Optional<String> name) {
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Path p = dir.resolve(name.get()).normalize();
        if (!confined(dir, p)) {
            LOG.warn("style '{}': ignoring {} \"{}\": outside the catalog's folder {}", id, field, name.get(), dir);
            return Optional.empty();
        }
        return Optional.of(p);
    }

    /** {@code field} (English) with the other languages of {@code mapField} ({"zh": ...}), if any. */
    static Map<String, String> localized(JsonNode m, String field, String mapField) {
        Map<String, String> all = new LinkedHashMap<>(texts(m.get(mapField)));
        all.put("en", text(m, field).orElse(all.getOrDefault("en", "")));
        return Map.copyOf(all);
    }

    private static StyleModel entry(Path dir, String id, JsonNode m) {
        Optional<String> file = text(m, "file");
        Path modelFile = dir.resolve(file.orElse(id + ".onnx")).normalize();
        int sizeMultiple = m.path("size_multiple").asInt(1);
        JsonNode palette = m.path("lab").path("output_palette");
        JsonNode contextNode = m.path("border_context");
        int context = contextNode.asInt(0);
        JsonNode sidesNode = m.path("border_sides");
        Optional<Set<BorderContext.Side>> sides = borderSides(sidesNode);
        StyleModel style = new StyleModel(
                id,
                texts(m.get("names")),
                texts(m.get("descriptions")),
                modelFile,
                confinedOrEmpty(dir, id, "tile_file", text(m, "tile_file")),
                text(m, "thumbnail").map(f -> dir.resolve(f).normalize()), // an image, not code: may be shared
                text(m, "teacher"),
                localized(m, "license", "licenses"),
                localized(m, "attribution", "attributions"),
                m.path("params").asLong(0),
                m.path("macs_per_megapixel").asDouble(0),
                Math.max(1, Math.min(MAX_SIZE_MULTIPLE, sizeMultiple)),
                m.has("fidelity") && m.get("fidelity").isObject()
                        ? JsonTree.toMap(m.get("fidelity"))
                        : Map.of(),
                true,
                Optional.empty(),
                palette.isArray() ? palette.size() : 0,
                BorderContext.Margin.of(Math.max(0, Math.min(BorderContext.MAX, context)),
                        sides.orElse(EnumSet.allOf(BorderContext.Side.class))));
        if (file.isEmpty()) {
            return style.unavailable("the catalog names no model file");
        }
        if (!confined(dir, modelFile)) {
            return style.unavailable("the model file \"" + file.get() + "\" is outside the catalog's folder " + dir);
        }
        if (sizeMultiple < 1 || sizeMultiple > MAX_SIZE_MULTIPLE || !m.path("size_multiple").isMissingNode()
                && !m.path("size_multiple").canConvertToInt()) {
            return style.unavailable("size_multiple " + m.path("size_multiple").asText() + " is out of range (1 to "
                    + MAX_SIZE_MULTIPLE + ")");
        }
        if (!contextNode.isMissingNode() && (!contextNode.canConvertToInt() || context < 0 || context > BorderContext.MAX)) {
            return style.unavailable("border_context " + contextNode.asText() + " is out of range (0 to "
                    + BorderContext.MAX + ")");
        }
        if (!sidesNode.isMissingNode() && sides.isEmpty()) {
            return style.unavailable("border_sides " + sidesNode + " is not a list of the sides top, right, bottom, left");
        }
        if (!Files.isRegularFile(modelFile)) {
            return style.unavailable("model file missing: " + modelFile);
        }
        return style;
    }

    /** The catalog's border_sides: a non-empty list of distinct side names; empty for a missing or bad one. */
    private static Optional<Set<BorderContext.Side>> borderSides(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            return Optional.empty();
        }
        Set<BorderContext.Side> sides = EnumSet.noneOf(BorderContext.Side.class);
        for (JsonNode n : node) {
            Optional<BorderContext.Side> s = n.isTextual() ? BorderContext.Side.parse(n.asText()) : Optional.empty();
            if (s.isEmpty() || !sides.add(s.get())) {
                return Optional.empty();
            }
        }
        return Optional.of(sides);
    }

    static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? Optional.empty() : Optional.of(v.asText());
    }

    static Map<String, String> texts(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                    out.put(e.getKey(), e.getValue().asText());
                }
            });
        }
        return Map.copyOf(out);
    }
}
