package org.pastiche.inference;

import ai.onnxruntime.OrtException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    private final ModelOpener opener;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final PaintingStyles paintings;

    /** Creates the model of a style that was {@link #register registered} rather than read from a catalog. */
    @FunctionalInterface
    public interface Opener {
        LoadedModel open(StyleModel style) throws PasticheException, OrtException;
    }

    private static final class Entry {
        volatile StyleModel style;
        LoadedModel loaded;
        final Opener opener; // null: a catalog style, opened by the ModelOpener

        Entry(StyleModel style) {
            this(style, null);
        }

        Entry(StyleModel style, Opener opener) {
            this.style = style;
            this.opener = opener;
        }
    }

    /**
     * @param modelDirs folders holding a {@code catalog.json}, in order; earlier folders win on
     *                  duplicate ids. A folder without a catalog is skipped.
     */
    public ModelRegistry(List<Path> modelDirs, SessionSettings settings) {
        this.settings = settings;
        this.opener = new ModelOpener(settings);
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
        this.paintings = new PaintingStyles(this, modelDirs);
        problems.forEach(LOG::warn);
    }

    /** The arbitrary-style networks of these folders, and the painting styles made with them. */
    public PaintingStyles paintings() {
        return paintings;
    }

    void addProblem(String message) {
        problems.add(message);
    }

    /**
     * Adds (or replaces) a style that is not in a catalog, such as a painting used as a style; its
     * model is made by {@code opener} on first use. A catalog style's id cannot be taken.
     *
     * @throws IllegalArgumentException if a catalog style has that id
     */
    public void register(StyleModel style, Opener opener) {
        Entry old;
        synchronized (entries) {
            old = entries.get(style.id());
            if (old != null && old.opener == null) {
                throw new IllegalArgumentException("style '" + style.id() + "' is already in a catalog");
            }
            entries.put(style.id(), new Entry(style, opener));
        }
        closeEntry(old);
    }

    /** Removes a {@link #register registered} style (closing what it holds); catalog styles stay. */
    public void unregister(String id) {
        Entry old;
        synchronized (entries) {
            old = entries.get(id);
            if (old == null || old.opener == null) {
                return;
            }
            entries.remove(id);
        }
        closeEntry(old);
    }

    private static void closeEntry(Entry e) {
        if (e == null) {
            return;
        }
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

    /**
     * Loads ONNX Runtime's native libraries and creates its environment now, on this thread, rather
     * than with the first session (a command line does it on a spare core while it reads the
     * catalog). A failure is thrown again, unchanged, when a session is made.
     */
    public static void preloadRuntime() {
        OrtRun.environment();
    }

    /** The bundled models and the user's. */
    public static ModelRegistry openDefault(SessionSettings settings) {
        return new ModelRegistry(List.of(ModelLocations.bundled(), ModelLocations.user()), settings);
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
                e.loaded = e.opener != null ? e.opener.open(s) : opener.open(s);
                return e.loaded;
            } catch (PasticheException | OrtException | RuntimeException ex) {
                String reason = ex instanceof PasticheException ? ex.getMessage()
                        : "the model cannot be loaded (" + ModelOpener.firstLine(ex.getMessage()) + ")";
                e.style = s.unavailable(reason);
                // The exception says it (the command line prints it, the app shows it): no second copy in the log.
                LOG.debug("style '{}' disabled: {}", id, reason);
                throw unavailable(e.style);
            }
        }
    }

    private static PasticheException unavailable(StyleModel s) {
        return new PasticheException(PasticheException.Reason.MODEL_UNAVAILABLE, "Style '" + s.id() + "' is unavailable: " + s.unavailableReason().orElse("unknown"), s.id());
    }

    /** Closes every session; the registry can load them again afterwards. */
    @Override
    public void close() {
        List<Entry> all;
        synchronized (entries) {
            all = new ArrayList<>(entries.values());
        }
        for (Entry e : all) {
            closeEntry(e);
        }
        paintings.close();
    }
}
