package org.pastiche.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pastiche.core.PasticheException;
import org.pastiche.imaging.ImageDecoder;
import org.pastiche.imaging.RgbaImage;

/** The saved painting styles of a models folder, written and read back without any network. */
class SavedPaintingsTest {
    @TempDir
    Path user;

    private static final StyleCode CODE = new StyleCode("net", new float[] {0.25f, -1.5f, 3e-7f});

    @Test
    void slugsAreShortLowerCaseIds() {
        assertEquals("my-sunflowers", SavedPaintings.slug("  My Sunflowers!  "));
        assertEquals("painting", SavedPaintings.slug("我的向日葵"));
        String longName = "a".repeat(39) + " bcd";
        assertEquals("a".repeat(39), SavedPaintings.slug(longName), "cut at 40 without a trailing dash");
    }

    @Test
    void idsAvoidTakenOnesAndExistingCodeFiles() throws Exception {
        Files.writeString(user.resolve("sun-2" + SavedPaintings.CODE_SUFFIX), "{}");
        assertEquals("sun", SavedPaintings.uniqueId("sun", user, id -> false));
        assertEquals("sun-3", SavedPaintings.uniqueId("sun", user, Set.of("sun")::contains));
    }

    @Test
    void aWrittenStyleReadsBackAndOtherEntriesAreKept() throws Exception {
        Path dir = user.resolve("models");
        SavedPaintings.Entry first = SavedPaintings.write(CODE, "net", Map.of("en", "Sun", "zh", "太阳"),
                RgbaImage.blank(600, 300), dir, id -> false);
        SavedPaintings.Entry second = SavedPaintings.write(CODE, "net", Map.of("en", "Sun"),
                RgbaImage.blank(40, 20), dir, id -> false);
        assertEquals("sun", first.id());
        assertEquals("sun-2", second.id(), "the first one's code file takes its id");
        assertEquals(CODE, StyleCode.load(first.codeFile().orElseThrow()));
        RgbaImage thumb = new ImageDecoder().decode(first.thumbnail().orElseThrow());
        assertEquals(SavedPaintings.THUMBNAIL_SIDE, Math.max(thumb.width(), thumb.height()));

        List<SavedPaintings.Entry> read = SavedPaintings.read(List.of(dir));
        assertEquals(List.of("sun", "sun-2"), read.stream().map(SavedPaintings.Entry::id).toList());
        SavedPaintings.Entry e = read.get(0);
        assertEquals("net", e.network());
        assertEquals("太阳", e.names().get("zh"));
        assertEquals(first.codeFile(), e.codeFile());
        assertEquals(first.thumbnail(), e.thumbnail());
        assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().endsWith(".part")), "no temporary files");
    }

    @Test
    void aFolderCatalogThatIsNotACatalogIsLeftAsItWas() throws Exception {
        String text = "{\"styles\": 3}";
        Files.writeString(user.resolve(ModelLocations.CATALOG), text, StandardCharsets.UTF_8);
        PasticheException e = assertThrows(PasticheException.class,
                () -> SavedPaintings.write(CODE, "net", Map.of("en", "X"), RgbaImage.blank(32, 32), user, id -> false));
        assertEquals(PasticheException.Reason.CATALOG_INVALID, e.reason());
        assertEquals(text, Files.readString(user.resolve(ModelLocations.CATALOG)));
        assertTrue(SavedPaintings.read(List.of(user)).isEmpty());
        try (var files = Files.list(user)) {
            assertEquals(List.of(ModelLocations.CATALOG), files.map(p -> p.getFileName().toString()).toList(),
                    "no style code or thumbnail without its catalog entry");
        }
    }
}
