package org.pastiche.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.PasticheException;
import org.pastiche.core.ProgressListener;
import org.pastiche.imaging.ImageMetrics;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.imaging.SyntheticImage;

class ModelRegistryTest {
    @TempDir
    Path dir;

    private static String entry(String id, String file, String tileFile) {
        return """
                {"id": "%s", "names": {"en": "%s EN", "zh": "%s 中"}, "descriptions": {"en": "d"},
                 "file": %s, "tile_file": %s, "thumbnail": null, "teacher": null, "license": "test",
                 "attribution": "test", "params": 1, "macs_per_megapixel": 2.5, "size_multiple": 4,
                 "fidelity": {"psnr_db": null}}
                """.formatted(id, id, id, file == null ? "null" : "\"" + file + "\"",
                tileFile == null ? "null" : "\"" + tileFile + "\"");
    }

    private void catalog(Path folder, String... entries) throws Exception {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("catalog.json"), "{\"models\": [" + String.join(",", entries) + "]}");
    }

    @Test
    void brokenOrMissingModelsDisableOnlyTheirStyle() throws Exception {
        Files.copy(TinyModel.dir().resolve("tiny.onnx"), dir.resolve("good.onnx"));
        Files.copy(TinyModel.dir().resolve("tiny.tile.onnx"), dir.resolve("wrong.onnx"));
        Files.writeString(dir.resolve("broken.onnx"), "not a model");
        catalog(dir, entry("good", "good.onnx", null), entry("broken", "broken.onnx", null),
                entry("missing", "missing.onnx", null), entry("wrong", "wrong.onnx", null));
        try (ModelRegistry reg = new ModelRegistry(List.of(dir), SessionSettings.defaults());
                OnnxStylizer stylizer = new OnnxStylizer(reg)) {
            assertEquals(List.of("good", "broken", "missing", "wrong"),
                    reg.styles().stream().map(StyleModel::id).toList());
            StyleModel missing = reg.find("missing").orElseThrow();
            assertFalse(missing.available());
            assertTrue(missing.unavailableReason().orElseThrow().contains("missing.onnx"));

            PasticheException broken = assertThrows(PasticheException.class, () -> reg.load("broken"));
            assertTrue(broken.getMessage().contains("unavailable"), broken.getMessage());
            assertFalse(reg.find("broken").orElseThrow().available());
            PasticheException wrong = assertThrows(PasticheException.class, () -> reg.load("wrong"));
            assertTrue(wrong.getMessage().contains("input"), wrong.getMessage());

            // The good style still works, and a second try at a broken one fails fast with the same reason.
            assertEquals(40, stylizer.stylize(SyntheticImage.photoLike(40, 20, 1), "good", ProgressListener.NONE,
                    CancellationToken.none()).width());
            assertThrows(PasticheException.class, () -> reg.load("broken"));
            assertEquals("good EN", reg.find("good").orElseThrow().name(Locale.ENGLISH));
            assertEquals("good 中", reg.find("good").orElseThrow().name(Locale.SIMPLIFIED_CHINESE));
        }
    }

    @Test
    void brokenTileModelFallsBackToPerTileStatistics() throws Exception {
        Files.copy(TinyModel.dir().resolve("tiny.onnx"), dir.resolve("a.onnx"));
        Files.writeString(dir.resolve("a.tile.onnx"), "garbage");
        catalog(dir, entry("a", "a.onnx", "a.tile.onnx"));
        try (ModelRegistry reg = new ModelRegistry(List.of(dir), SessionSettings.defaults());
                OnnxStylizer stylizer = new OnnxStylizer(reg, TilingSettings.DEFAULT.withTile(64, 16).alwaysTile())) {
            assertFalse(reg.load("a").canTileSeamlessly());
            assertEquals(100, stylizer.stylize(SyntheticImage.photoLike(100, 90, 2), "a", ProgressListener.NONE,
                    CancellationToken.none()).width());
        }
    }

    @Test
    void userFolderAddsStylesAndBundledWinsOnDuplicates() throws Exception {
        Path bundled = dir.resolve("bundled");
        Path user = dir.resolve("user");
        catalog(bundled, entry("a", "a.onnx", null));
        catalog(user, entry("a", "a.onnx", null), entry("mine", "mine.onnx", null));
        try (ModelRegistry reg = new ModelRegistry(List.of(bundled, user, dir.resolve("absent")),
                SessionSettings.defaults())) {
            assertEquals(List.of("a", "mine"), reg.styles().stream().map(StyleModel::id).toList());
            assertEquals(bundled.resolve("a.onnx"), reg.find("a").orElseThrow().file());
            assertEquals(1, reg.problems().size());
            assertEquals(4, reg.find("mine").orElseThrow().sizeMultiple());
        }
    }

    @Test
    void malformedCatalogIsAProblemNotACrash() throws Exception {
        Files.writeString(dir.resolve("catalog.json"), "{not json");
        try (ModelRegistry reg = new ModelRegistry(List.of(dir), SessionSettings.defaults())) {
            assertEquals(List.of(), reg.styles());
            assertTrue(reg.problems().get(0).contains("catalog.json"), reg.problems().toString());
        }
    }

    @Test
    void readsTheFixtureCatalog() throws Exception {
        try (ModelRegistry reg = TinyModel.registry()) {
            StyleModel tiny = reg.find("tiny").orElseThrow();
            assertTrue(tiny.available());
            assertTrue(tiny.tileFile().isPresent());
            assertEquals(4, tiny.sizeMultiple());
            LoadedModel m = reg.load("tiny");
            assertFalse(m.tileOpened(), "the tile model opens on the first tiled run, not with the style");
            assertTrue(m.canTileSeamlessly());
            assertTrue(m.tileOpened());
            assertTrue(m.canRefineStatistics());
            assertEquals(800, m.statsLength());
            NormLayout layout = m.tile().orElseThrow().layout().orElseThrow();
            assertEquals(15, layout.channels().length);
            assertEquals(800, layout.statsLength());
            assertEquals(1e-5, layout.eps()[0], 1e-12);
        }
    }

    @Test
    void tileModelOpensOnTheFirstTiledRunOnly() throws Exception {
        try (ModelRegistry reg = TinyModel.registry();
                OnnxStylizer stylizer = new OnnxStylizer(reg, TilingSettings.DEFAULT.withTile(64, 16))) {
            stylizer.stylize(SyntheticImage.photoLike(60, 40, 1), "tiny", ProgressListener.NONE,
                    CancellationToken.none());
            assertFalse(reg.load("tiny").tileOpened());
            new OnnxStylizer(reg, TilingSettings.DEFAULT.withTile(64, 16).alwaysTile()).stylize(
                    SyntheticImage.photoLike(100, 90, 2), "tiny", ProgressListener.NONE, CancellationToken.none());
            assertTrue(reg.load("tiny").tileOpened());
        }
    }

    @Test
    void olderTileModelWithoutMomentsStillTilesWithSharedStatistics() throws Exception {
        Files.copy(TinyModel.dir().resolve("tiny.onnx"), dir.resolve("a.onnx"));
        Files.copy(TinyModel.dir().resolve("tiny.tile-v1.onnx"), dir.resolve("a.tile.onnx"));
        catalog(dir, entry("a", "a.onnx", "a.tile.onnx"));
        RgbaImage img = SyntheticImage.photoLike(300, 200, 3);
        TilingSettings tiled = TilingSettings.DEFAULT.withTile(128, 40).alwaysTile();
        try (ModelRegistry reg = new ModelRegistry(List.of(dir), SessionSettings.defaults());
                ModelRegistry tiny = TinyModel.registry()) {
            assertTrue(reg.load("a").canTileSeamlessly());
            assertFalse(reg.load("a").canRefineStatistics());
            // Asked for refinement passes, it does none: the same result as the new model with 0 passes.
            RgbaImage old = new OnnxStylizer(reg, tiled.withStatsPasses(2)).stylize(img, "a", ProgressListener.NONE,
                    CancellationToken.none());
            RgbaImage current = new OnnxStylizer(tiny, tiled.withStatsPasses(0)).stylize(img, "tiny",
                    ProgressListener.NONE, CancellationToken.none());
            assertTrue(ImageMetrics.maxAbsDifference(old, current) <= 1);
        }
    }
}
