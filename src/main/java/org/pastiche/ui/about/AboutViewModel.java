package org.pastiche.ui.about;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.pastiche.inference.PaintingStyles;
import org.pastiche.inference.StyleModel;

/**
 * What the About dialog says: the version, the licences of the bundled components, and each style's
 * licence and attribution exactly as its catalog gives them. Toolkit-free.
 */
public final class AboutViewModel {
    /** A bundled third-party component and its licence (SPDX identifier where there is one). */
    public record Component(String name, String licence, String homepage) { }

    /** One style's credits, in the UI language. */
    public record StyleCredit(String id, String name, String licence, String attribution, boolean nonCommercial) { }

    /**
     * What the installer bundles besides Pastiche's own code; kept in step with the pom's dependencies
     * and installer/linux/copyright.
     */
    static final List<Component> COMPONENTS = List.of(
            new Component("OpenJDK runtime (jlink)", "GPL-2.0-only WITH Classpath-exception-2.0", "https://openjdk.org"),
            new Component("OpenJFX", "GPL-2.0-only WITH Classpath-exception-2.0", "https://openjfx.io"),
            new Component("ONNX Runtime", "MIT", "https://onnxruntime.ai"),
            new Component("AtlantaFX", "MIT", "https://github.com/mkpaz/atlantafx"),
            new Component("ControlsFX", "BSD-3-Clause", "https://github.com/controlsfx/controlsfx"),
            new Component("Ikonli + Material Design Icons", "Apache-2.0", "https://kordamp.org/ikonli"),
            new Component("picocli", "Apache-2.0", "https://picocli.info"),
            new Component("TwelveMonkeys ImageIO", "BSD-3-Clause", "https://github.com/haraldk/TwelveMonkeys"),
            new Component("Jackson", "Apache-2.0", "https://github.com/FasterXML/jackson"),
            new Component("SLF4J", "MIT", "https://www.slf4j.org"));

    private final String version;
    private final List<StyleModel> styles;
    private final List<PaintingStyles.Network> networks;

    public AboutViewModel(String version, List<StyleModel> styles) {
        this(version, styles, List.of());
    }

    /** {@code networks}: the arbitrary-style networks ("Your painting"), credited after the gallery's styles. */
    public AboutViewModel(String version, List<StyleModel> styles, List<PaintingStyles.Network> networks) {
        this.version = version;
        this.styles = List.copyOf(styles);
        this.networks = List.copyOf(networks);
    }

    /** With the version of the running build (from the jar's Maven metadata, "dev" when run from classes). */
    public static AboutViewModel of(List<StyleModel> styles) {
        return new AboutViewModel(buildVersion(), styles);
    }

    public static AboutViewModel of(List<StyleModel> styles, List<PaintingStyles.Network> networks) {
        return new AboutViewModel(buildVersion(), styles, networks);
    }

    public String version() {
        return version;
    }

    public List<Component> components() {
        return COMPONENTS;
    }

    /** The gallery's styles, then the networks that make a style of any painting (their licence and attribution). */
    public List<StyleCredit> styleCredits(Locale locale) {
        return java.util.stream.Stream.concat(styles.stream()
                .map(s -> new StyleCredit(s.id(), s.name(locale), s.license(locale), s.attribution(locale),
                        nonCommercial(s.license()))),
                networks.stream().map(n -> new StyleCredit(n.id(), n.name(locale), n.license(locale),
                        n.attribution(locale), nonCommercial(n.license()))))
                .toList();
    }

    /** Terms that forbid commercial use, which the dialog points out. */
    static boolean nonCommercial(String licence) {
        String l = licence.toLowerCase(Locale.ROOT);
        return l.contains("non-commercial") || l.contains("noncommercial");
    }

    static String buildVersion() {
        try (InputStream in = AboutViewModel.class.getResourceAsStream(
                "/META-INF/maven/org.pastiche/pastiche/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "dev");
            }
        } catch (IOException e) {
            // fall through
        }
        return "dev";
    }
}
