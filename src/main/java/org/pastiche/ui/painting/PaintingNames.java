package org.pastiche.ui.painting;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.PaintingStyles;
import org.pastiche.inference.StyleCode;

/** Names, ids and the shape check of paintings used as the style. */
final class PaintingNames {
    private PaintingNames() {}

    /** A painting too narrow to be a style once scaled to the network's style size. */
    static final class TooNarrowException extends Exception {
        private final int width;
        private final int height;

        TooNarrowException(int width, int height) {
            super("the painting is too narrow to be a style: " + width + " x " + height + " px");
            this.width = width;
            this.height = height;
        }

        int width() {
            return width;
        }

        int height() {
            return height;
        }
    }

    /** Refuses, before the encoder runs, a painting whose short side would be under 16 px at the style size. */
    static void checkShape(RgbaImage painting, int styleSize) throws TooNarrowException {
        double scale = (double) styleSize / Math.max(painting.width(), painting.height());
        if (Math.round(Math.min(painting.width(), painting.height()) * scale) < PaintingStyles.MIN_SIDE) {
            throw new TooNarrowException(painting.width(), painting.height());
        }
    }

    /**
     * The id for a painting style: {@code painting-NAME}, else {@code painting-NAME-2}...: the first that
     * is no gallery style's and has no other code in this session (the previews are kept per id).
     */
    static String idFor(String name, StyleCode code, Map<String, StyleCode> known, Set<String> taken) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        String base = "painting" + (slug.isEmpty() ? "" : "-" + (slug.length() > 40 ? slug.substring(0, 40) : slug));
        String id = base;
        for (int i = 2; taken.contains(id) || (known.containsKey(id) && !known.get(id).equals(code)); i++) {
            id = base + "-" + i;
        }
        return id;
    }

    /** The file's name without its extension: the painting's name. */
    static String stem(Path file) {
        String n = String.valueOf(file.getFileName());
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
