package org.pastiche.inference;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One style from a catalog ({@code models/catalog.json} or the user models folder).
 * {@code available} is false, with a reason for people, when the model file is missing or broken.
 * {@code paletteColours}: how many colours the network's output is snapped to inside its own graph
 * (the catalog's {@code lab.output_palette}, the poster style of issue 10), 0 for a continuous
 * output; a snapped style's tiles get more refinement passes ({@link TilingSettings#passesFor(long, boolean)}).
 * {@code border}: the mirrored picture the engine adds round the photo before the network runs, cropped
 * off after (the catalog's {@code border_context} px on its {@code border_sides}; none by default): for a
 * student that paints a line along the picture's border which it does not paint inside ({@link BorderContext}).
 */
public record StyleModel(
        String id,
        Map<String, String> names,
        Map<String, String> descriptions,
        Path file,
        Optional<Path> tileFile,
        Optional<Path> thumbnail,
        Optional<String> teacher,
        Map<String, String> licenses,
        Map<String, String> attributions,
        long params,
        double macsPerMegapixel,
        int sizeMultiple,
        Map<String, Object> fidelity,
        boolean available,
        Optional<String> unavailableReason,
        int paletteColours,
        BorderContext.Margin border) {

    /** A style whose network runs on the photo as it is (no border context). */
    public StyleModel(String id, Map<String, String> names, Map<String, String> descriptions, Path file,
            Optional<Path> tileFile, Optional<Path> thumbnail, Optional<String> teacher, Map<String, String> licenses,
            Map<String, String> attributions, long params, double macsPerMegapixel, int sizeMultiple,
            Map<String, Object> fidelity, boolean available, Optional<String> unavailableReason, int paletteColours) {
        this(id, names, descriptions, file, tileFile, thumbnail, teacher, licenses, attributions, params,
                macsPerMegapixel, sizeMultiple, fidelity, available, unavailableReason, paletteColours,
                BorderContext.Margin.NONE);
    }

    /** A style with a continuous output (no palette snap in its graph). */
    public StyleModel(String id, Map<String, String> names, Map<String, String> descriptions, Path file,
            Optional<Path> tileFile, Optional<Path> thumbnail, Optional<String> teacher, Map<String, String> licenses,
            Map<String, String> attributions, long params, double macsPerMegapixel, int sizeMultiple,
            Map<String, Object> fidelity, boolean available, Optional<String> unavailableReason) {
        this(id, names, descriptions, file, tileFile, thumbnail, teacher, licenses, attributions, params,
                macsPerMegapixel, sizeMultiple, fidelity, available, unavailableReason, 0, BorderContext.Margin.NONE);
    }

    /** px of the widest side of the mirrored margin ({@link #border()}; 0 = none). */
    public int borderContext() {
        return border.px();
    }

    /** Whether the network's output is snapped to a palette inside its graph. */
    public boolean snapped() {
        return paletteColours > 0;
    }

    /** The name in the given locale's language, falling back to English, then the id. */
    public String name(Locale locale) {
        return pick(names, locale).orElse(id);
    }

    public String description(Locale locale) {
        return pick(descriptions, locale).orElse("");
    }

    /** The licence in English (the catalog's {@code license}): what the terms checks read. */
    public String license() {
        return licenses.getOrDefault("en", "");
    }

    /** The licence in the given locale's language, falling back to English. */
    public String license(Locale locale) {
        return pick(licenses, locale).orElse("");
    }

    public String attribution() {
        return attributions.getOrDefault("en", "");
    }

    public String attribution(Locale locale) {
        return pick(attributions, locale).orElse("");
    }

    private static Optional<String> pick(Map<String, String> texts, Locale locale) {
        String v = texts.get(locale.getLanguage());
        if (v == null) {
            v = texts.get("en");
        }
        return Optional.ofNullable(v);
    }

    public StyleModel unavailable(String reason) {
        return new StyleModel(id, names, descriptions, file, tileFile, thumbnail, teacher, licenses, attributions,
                params, macsPerMegapixel, sizeMultiple, fidelity, false, Optional.of(reason), paletteColours, border);
    }
}
