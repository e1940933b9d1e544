package org.pastiche.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
        assertEquals("models", ModelLocations.bundled().getFileName().toString());
    }
}
