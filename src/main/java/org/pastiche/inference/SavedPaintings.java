package org.pastiche.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.pastiche.core.AtomicFiles;
import org.pastiche.core.PasticheException;
import org.pastiche.imaging.ImageExporter;
import org.pastiche.imaging.Resize;
import org.pastiche.imaging.RgbaImage;

/**
 * The painting styles saved in a models folder: per style {@code <id>.stylecode.json} (its
 * {@link StyleCode}), a thumbnail {@code <id>.png} and an entry of {@code "kind": "painting"} in the
 * folder's {@code catalog.json} ({@code network}, {@code names}, {@code style_code},
 * {@code thumbnail}). No network is copied: a saved style needs its network installed.
 */
final class SavedPaintings {
    /** The writer's mapper, made only where a painting is saved (reading needs none: {@link JsonTree}). */
    private static final class Writer {
        static final ObjectMapper JSON = new ObjectMapper();
    }
    static final String CODE_SUFFIX = ".stylecode.json";
    static final int THUMBNAIL_SIDE = 256;
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private SavedPaintings() {}

    /**
     * A saved painting style as its catalog names it; the paths are resolved against the catalog's
     * folder and may not exist.
     */
    record Entry(Path dir, String id, String network, Map<String, String> names, Optional<Path> thumbnail,
            Optional<Path> codeFile) { }

    /** The saved painting styles of {@code modelDirs}, in folder then catalog order. */
    static List<Entry> read(List<Path> modelDirs) {
        return PaintingNetworks.entries(modelDirs, PaintingStyles.KIND_PAINTING).stream().map(e -> {
            JsonNode m = e.json();
            return new Entry(e.dir(), e.id(), StyleCatalog.text(m, "network").orElse(""),
                    StyleCatalog.texts(m.get("names")),
                    StyleCatalog.text(m, "thumbnail").map(f -> e.dir().resolve(f).normalize()),
                    StyleCatalog.text(m, "style_code").map(f -> e.dir().resolve(f).normalize()));
        }).toList();
    }

    /**
     * Writes {@code code} as a painting style of {@code networkId} in {@code userDir}: the code, a
     * thumbnail of {@code painting} ({@value #THUMBNAIL_SIDE} px long side) and its entry in the
     * folder's catalog (other entries are kept; code and catalog are written atomically). The id is
     * made from the English name (else the first), not {@code taken} nor used by a file of the folder.
     *
     * @return the entry written
     * @throws PasticheException if the folder or a file cannot be written, or the folder's
     *         {@code catalog.json} is not a style catalog
     */
    static Entry write(StyleCode code, String networkId, Map<String, String> names, RgbaImage painting, Path userDir,
            Predicate<String> taken) throws PasticheException {
        String name = names.getOrDefault("en", names.values().stream().findFirst().orElse(""));
        String id = uniqueId(slug(name), userDir, taken);
        Path codeFile = userDir.resolve(id + CODE_SUFFIX);
        Path thumb = userDir.resolve(id + ".png");
        try {
            Files.createDirectories(userDir);
        } catch (IOException e) {
            throw new PasticheException(PasticheException.Reason.WRITE_FAILED, userDir + ": cannot create the folder ("
                    + e.getMessage() + ")", e, userDir);
        }
        Path catalog = userDir.resolve(ModelLocations.CATALOG);
        boolean saved = false;
        try {
            ObjectNode root; // read and checked before anything is written: a refusal leaves the folder as it was
            if (Files.isRegularFile(catalog)) {
                JsonNode r = JsonTree.read(Files.readAllBytes(catalog));
                if (r == null || !r.isObject() || !r.path("models").isArray()) {
                    throw new PasticheException(PasticheException.Reason.CATALOG_INVALID, catalog
                            + ": not a style catalog (no \"models\" list); the style was not saved");
                }
                root = (ObjectNode) r;
            } else {
                root = JsonTree.object();
                root.putArray("models");
            }
            code.save(codeFile);
            ImageExporter.write(Resize.fitLongSide(painting, THUMBNAIL_SIDE), thumb);
            ArrayNode models = (ArrayNode) root.get("models");
            ObjectNode e = models.addObject();
            e.put("id", id);
            e.put("kind", PaintingStyles.KIND_PAINTING);
            e.put("network", networkId);
            ObjectNode nm = e.putObject("names");
            names.forEach(nm::put);
            e.put("style_code", codeFile.getFileName().toString());
            e.put("thumbnail", thumb.getFileName().toString());
            AtomicFiles.write(catalog, Writer.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root)
                    .getBytes(StandardCharsets.UTF_8));
            saved = true;
        } catch (IOException e) {
            throw new PasticheException(PasticheException.Reason.WRITE_FAILED, catalog + ": cannot write the catalog ("
                    + e.getMessage() + ")", e, catalog);
        } finally {
            if (!saved) { // no code or thumbnail without its catalog entry
                deleteQuietly(codeFile);
                deleteQuietly(thumb);
            }
        }
        return new Entry(userDir, id, networkId, Map.copyOf(names), Optional.of(thumb), Optional.of(codeFile));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // nothing more to do: the save has failed with its own reason
        }
    }

    /** An id from a name: lower-case letters, digits and dashes, at most 40 characters; "painting" if none. */
    static String slug(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > 40) {
            s = s.substring(0, 40).replaceAll("-+$", "");
        }
        return s.isEmpty() ? "painting" : s;
    }

    /** {@code base}, else {@code base-2}, {@code base-3}...: the first not taken and without a code file. */
    static String uniqueId(String base, Path userDir, Predicate<String> taken) {
        String id = base;
        for (int i = 2; taken.test(id) || Files.exists(userDir.resolve(id + CODE_SUFFIX)); i++) {
            id = base + "-" + i;
        }
        if (!ID.matcher(id).matches()) {
            throw new IllegalStateException("bad id " + id);
        }
        return id;
    }
}
