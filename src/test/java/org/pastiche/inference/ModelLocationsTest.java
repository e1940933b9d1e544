package org.pastiche.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLocationsTest {
    private String bundled;
    private String user;

    @BeforeEach
    void save() {
        bundled = System.getProperty(ModelLocations.MODELS_DIR_PROPERTY);
        user = System.getProperty(ModelLocations.USER_MODELS_DIR_PROPERTY);
    }

    @AfterEach
    void restore() {
        set(ModelLocations.MODELS_DIR_PROPERTY, bundled);
        set(ModelLocations.USER_MODELS_DIR_PROPERTY, user);
    }

    private static void set(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void propertiesWin() {
        System.setProperty(ModelLocations.MODELS_DIR_PROPERTY, "/opt/pastiche/models");
        System.setProperty(ModelLocations.USER_MODELS_DIR_PROPERTY, "/tmp/mine");
        assertEquals(Path.of("/opt/pastiche/models"), ModelLocations.bundled());
        assertEquals(Path.of("/tmp/mine"), ModelLocations.user());
    }

    @Test
    void userFolderDefaultsToTheHomeFolder() {
        System.clearProperty(ModelLocations.USER_MODELS_DIR_PROPERTY);
        assertEquals(Path.of(System.getProperty("user.home"), ".pastiche", "models"), ModelLocations.user());
    }

    @Test
    void withoutThePropertyAModelsFolderIsFound() {
        System.clearProperty(ModelLocations.MODELS_DIR_PROPERTY);
        // Run from target/classes: the repository's models/ (with its catalog) is two folders up.
        Path found = ModelLocations.bundled();
        assertEquals("models", found.getFileName().toString());
        assertTrue(Files.isRegularFile(found.resolve(ModelLocations.CATALOG)), found + " has no catalog");
    }

    /** An installed layout (app/lib/pastiche.jar, app/models): found from the jar's folder, not the working directory. */
    @Test
    void theModelsFolderIsSearchedAboveTheApplication(@TempDir Path tmp) throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("app/lib/deep"));
        Path models = Files.createDirectories(tmp.resolve("app/models"));
        assertEquals(Path.of("models").toAbsolutePath(), ModelLocations.bundledNear(Optional.of(lib)),
                "a folder without a catalog is not taken");
        Files.writeString(models.resolve(ModelLocations.CATALOG), "{\"styles\": []}");
        assertEquals(models, ModelLocations.bundledNear(Optional.of(lib)));
        assertEquals(models, ModelLocations.bundledNear(Optional.of(tmp.resolve("app"))));
        Path tooDeep = Files.createDirectories(tmp.resolve("app/a/b/c/d"));
        assertEquals(Path.of("models").toAbsolutePath(), ModelLocations.bundledNear(Optional.of(tooDeep)),
                "at most three folders up");
        assertEquals(Path.of("models").toAbsolutePath(), ModelLocations.bundledNear(Optional.empty()));
    }
}
