package org.pastiche.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A style whose output is snapped to a palette inside its graph (catalog {@code lab.output_palette})
 * is known to the engine, and its tiles get up to {@link TilingSettings#MAX_AUTO_PASSES_SNAPPED}
 * refinement passes within the same pixel budget (issue 10: after 2 passes the argmin turned the
 * statistics' residual error into 0.5-1.1 % other colours; PosterSnapTest).
 */
class SnappedTilingTest {
    @TempDir
    Path dir;

    @Test
    void theCatalogsPaletteMarksAStyleSnapped() throws Exception {
        Files.writeString(dir.resolve("catalog.json"), "{\"models\": [{\"id\": \"p\", \"file\": \"p.onnx\","
                + " \"lab\": {\"output_palette\": [[8, 8, 8], [248, 232, 200], [200, 40, 24]]}},"
                + " {\"id\": \"c\", \"file\": \"c.onnx\", \"lab\": {\"method\": \"scratch\"}},"
                + " {\"id\": \"n\", \"file\": \"n.onnx\"}]}", StandardCharsets.UTF_8);
        List<StyleModel> styles = StyleCatalog.load(dir.resolve("catalog.json"));
        assertEquals(3, styles.get(0).paletteColours());
        assertTrue(styles.get(0).snapped());
        assertTrue(styles.get(0).unavailable("missing").snapped(), "kept when marked unavailable");
        assertFalse(styles.get(1).snapped());
        assertFalse(styles.get(2).snapped());
    }

    @Test
    void snappedStylesGetMorePassesWithinTheSameBudget() {
        TilingSettings auto = TilingSettings.DEFAULT;
        assertEquals(TilingSettings.MAX_AUTO_PASSES, auto.passesFor(2_200_000));
        assertEquals(TilingSettings.MAX_AUTO_PASSES, auto.passesFor(2_200_000, false));
        assertEquals(4, auto.passesFor(2_200_000, true), "12 MP budget / 2.2 MP - 1 = 4");
        assertEquals(3, auto.passesFor(3_000_000, true), "the budget still decides: 12 / 3 - 1");
        assertEquals(2, auto.passesFor(4_000_000, true));
        assertEquals(1, auto.passesFor(5_000_000, true));
        assertEquals(0, auto.passesFor(12_000_000, true));
        assertEquals(TilingSettings.MAX_AUTO_PASSES_SNAPPED, auto.passesFor(100_000, true));
        assertEquals(2, auto.withStatsPasses(2).passesFor(100_000, true), "explicit passes are kept");
    }

    @Test
    void theShippedPosterIsSnappedAndTheOtherShippedStylesAreNot() throws Exception {
        for (StyleModel s : StyleCatalog.load(Path.of("models", "catalog.json"))) {
            assertEquals("gongnongbing".equals(s.id()), s.snapped(), s.id());
        }
    }
}
