package org.pastiche.inference;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the model folders are. Bundled: the system property {@code pastiche.models.dir}, else a
 * {@code models/} folder with a catalog next to the application (the jar's folder or up to three
 * folders above it, which covers {@code target/}, a jpackage image and an unpacked zip), else
 * {@code models/} in the working directory. The user's own styles: {@code pastiche.user.models.dir},
 * else {@code ~/.pastiche/models}.
 */
public final class ModelLocations {
    public static final String MODELS_DIR_PROPERTY = "pastiche.models.dir";
    public static final String USER_MODELS_DIR_PROPERTY = "pastiche.user.models.dir";
    public static final String CATALOG = "catalog.json";

    private ModelLocations() {}

    public static Path bundled() {
        String prop = System.getProperty(MODELS_DIR_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        return bundledNear(appFolder());
    }

    /** The {@code models/} folder with a catalog in {@code appFolder} or up to three above it, else the working directory's. */
    static Path bundledNear(Optional<Path> appFolder) {
        return appFolder.flatMap(ModelLocations::searchUpwards).orElse(Path.of("models").toAbsolutePath());
    }

    public static Path user() {
        String prop = System.getProperty(USER_MODELS_DIR_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        return Path.of(System.getProperty("user.home"), ".pastiche", "models");
    }

    private static Optional<Path> appFolder() {
        try {
            var source = ModelLocations.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path p = Path.of(source.getLocation().toURI()).toAbsolutePath();
            return Optional.ofNullable(Files.isDirectory(p) ? p : p.getParent());
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> searchUpwards(Path start) {
        Path p = start;
        for (int i = 0; i < 4 && p != null; i++, p = p.getParent()) {
            Path candidate = p.resolve("models");
            if (Files.isRegularFile(candidate.resolve(CATALOG))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
