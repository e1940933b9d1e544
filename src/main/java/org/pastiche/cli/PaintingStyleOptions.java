package org.pastiche.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.PasticheException;
import org.pastiche.imaging.ImageDecoder;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.ModelLocations;
import org.pastiche.inference.ModelRegistry;
import org.pastiche.inference.PaintingStyles;
import org.pastiche.inference.StyleCode;
import org.pastiche.inference.StyleModel;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --style-image PAINTING} (once, or twice with {@code --mix}): any painting as the style,
 * through an arbitrary-style network ({@link PaintingStyles}). The painting becomes a style like any
 * other in the registry, so the command's other options and guarantees apply unchanged.
 */
final class PaintingStyleOptions {
    @Option(names = "--style-image", paramLabel = "PAINTING",
            description = "Any image as the style, instead of --style (an arbitrary-style network; see 'styles'). "
                    + "Twice with --mix to mix two paintings.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--style-size", paramLabel = "PX",
            description = "Long side the style image is scaled to first (default: the network's, 512).")
    Integer styleSize;

    @Option(names = "--mix", paramLabel = "0..1",
            description = "With two --style-image: how much of the second painting (0 = the first only, 1 = the second only; default 0.5).")
    Double mix;

    @Option(names = "--network", paramLabel = "ID",
            description = "The arbitrary-style network to use (default: the first available).")
    String network;

    @Option(names = "--save-style", paramLabel = "NAME",
            description = "Also save the painting style under NAME in the user's models folder (~/.pastiche/models), "
                    + "so that it can be used as --style ID later.")
    String saveAs;

    boolean active() {
        return !images.isEmpty();
    }

    /** Usage errors, before any work; {@code style} is the command's --style. */
    void validate(CommandLine cl, String style) {
        if (style == null && images.isEmpty()) {
            throw new ParameterException(cl, "give --style ID or --style-image PAINTING");
        }
        if (style != null && !images.isEmpty()) {
            throw new ParameterException(cl, "--style and --style-image cannot be used together");
        }
        if (images.size() > 2) {
            throw new ParameterException(cl, "--style-image takes one painting, or two with --mix");
        }
        if (mix != null && images.size() != 2) {
            throw new ParameterException(cl, "--mix needs two --style-image paintings");
        }
        if (mix != null && !(mix >= 0 && mix <= 1)) {
            throw new ParameterException(cl, "--mix must be between 0 and 1, was " + mix);
        }
        if (styleSize != null && (styleSize < PaintingStyles.MIN_SIDE || styleSize > 4096)) {
            throw new ParameterException(cl, "--style-size must be between " + PaintingStyles.MIN_SIDE + " and 4096");
        }
        if (images.isEmpty() && (styleSize != null || network != null || saveAs != null)) {
            throw new ParameterException(cl, "--style-size, --network and --save-style go with --style-image");
        }
        if (saveAs != null && saveAs.isBlank()) {
            throw new ParameterException(cl, "--save-style needs a name");
        }
    }

    /**
     * Decodes the painting(s) (the same checks and messages as photos), computes and mixes their
     * style codes, registers the result and returns its style id.
     */
    String register(ModelRegistry registry, ImageDecoder decoder, CancellationToken cancel, PrintWriter out)
            throws PasticheException {
        PaintingStyles paintings = registry.paintings();
        String net = network(paintings);
        int side = styleSize != null ? styleSize : 0;
        List<RgbaImage> decoded = new ArrayList<>();
        List<StyleCode> codes = new ArrayList<>();
        for (Path p : images) {
            RgbaImage painting = decoder.decode(p);
            try {
                codes.add(paintings.encode(net, painting, side, cancel));
            } catch (PasticheException e) {
                throw new PasticheException(e.reason(), p + ": " + e.getMessage(), e, e.arguments().toArray());
            }
            decoded.add(painting);
        }
        StyleCode code = codes.size() == 2 ? StyleCode.mix(codes.get(0), codes.get(1), mix != null ? mix : 0.5)
                : codes.get(0);
        String name = name();
        if (saveAs != null) {
            StyleModel saved = paintings.save(code, Map.of("en", saveAs, "zh", saveAs), decoded.get(0),
                    ModelLocations.user());
            out.println("saved the painting style as '" + saved.id() + "' in " + ModelLocations.user());
            return saved.id();
        }
        String id = "painting-" + PaintingStylesIds.slug(name);
        paintings.use(code, id, Map.of("en", name, "zh", name), Optional.empty());
        return id;
    }

    /** {@code --network}, else the first available arbitrary-style network, else why there is none. */
    String network(PaintingStyles paintings) throws PasticheException {
        if (network != null) {
            return network;
        }
        return paintings.defaultNetwork().map(PaintingStyles.Network::id)
                .orElseThrow(() -> new PasticheException(PasticheException.Reason.MODEL_UNAVAILABLE,
                        "no arbitrary-style network is available for --style-image"
                                + paintings.networks().stream().map(n -> " (" + n.id() + ": "
                                        + n.unavailableReason().orElse("?") + ")").reduce("", String::concat)));
    }

    /** One painting with every other option at its default (the bench's --style-image). */
    static PaintingStyleOptions of(Path painting) {
        PaintingStyleOptions o = new PaintingStyleOptions();
        o.images = new ArrayList<>(List.of(painting));
        return o;
    }

    private String name() {
        return stem(images.get(0)) + (images.size() == 2 ? "+" + stem(images.get(1)) : "");
    }

    /** The style's part of output names with --output-dir: painting-NAME. */
    String outputTag() {
        return "painting-" + PaintingStylesIds.slug(name());
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** Ids from file names: lower case letters, digits and dashes. */
    static final class PaintingStylesIds {
        private PaintingStylesIds() {}

        static String slug(String name) {
            String s = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
            return s.isEmpty() ? "image" : s.length() > 40 ? s.substring(0, 40) : s;
        }
    }
}
