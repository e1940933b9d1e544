package org.pastiche.app;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the folders shipped next to the app: a system property first, then the folder beside the
 * jar's folder (an installed app), then the working directory (a development checkout).
 */
public final class AssetLocator {
    private static final Logger LOG = LoggerFactory.getLogger(AssetLocator.class);

    private AssetLocator() { }

    /** {@code assets/}: gallery thumbnails and the sample photos. */
    public static Optional<Path> assetsDir() {
        return locate("pastiche.assets.dir", "assets");
    }

    /** {@code models/}: the catalog and the networks. */
    public static Optional<Path> modelsDir() {
        return locate("pastiche.models.dir", "models");
    }

    static Optional<Path> locate(String property, String name) {
        String configured = System.getProperty(property);
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        Optional<Path> jarDir = jarFolder();
        if (jarDir.isPresent()) {
            for (Path base : new Path[] {jarDir.get(), jarDir.get().getParent()}) {
                if (base != null && Files.isDirectory(base.resolve(name))) {
                    return Optional.of(base.resolve(name));
                }
            }
        }
        Path cwd = Path.of("").toAbsolutePath().resolve(name);
        return Files.isDirectory(cwd) ? Optional.of(cwd) : Optional.empty();
    }

    private static Optional<Path> jarFolder() {
        try {
            var source = AssetLocator.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path location = Path.of(source.getLocation().toURI());
            return Optional.ofNullable(Files.isDirectory(location) ? location : location.getParent());
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The first sample photo, by name, in {@code <assets>/samples}. */
    public static Optional<Path> samplePhoto(Path assets) {
        Path samples = assets.resolve("samples");
        if (!Files.isDirectory(samples)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(samples)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png|webp)"))
                    .min(Comparator.comparing(p -> p.getFileName().toString()));
        } catch (IOException e) {
            LOG.warn("cannot list sample photos in {}: {}", samples, e.getMessage());
            return Optional.empty();
        }
    }
}
