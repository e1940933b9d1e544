package org.pastiche.inference;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** The model lab's tiny test fixture (src/test/resources/models/tiny). */
final class TinyModel {
    private TinyModel() {}

    static Path dir() {
        try {
            return Path.of(TinyModel.class.getResource("/models/tiny/catalog.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The second fixture, {@code tiny-detail}: statistics that hang on fine detail (its README.txt). */
    static ModelRegistry detailRegistry() {
        try {
            Path dir = Path.of(TinyModel.class.getResource("/models/tiny-detail/catalog.json").toURI()).getParent();
            return new ModelRegistry(List.of(dir), SessionSettings.defaults());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static ModelRegistry registry() {
        return new ModelRegistry(List.of(dir()), SessionSettings.defaults());
    }
}
