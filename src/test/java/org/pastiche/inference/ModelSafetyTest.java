package org.pastiche.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.PasticheException;
import org.pastiche.core.PasticheException.Reason;
import org.pastiche.core.ProgressListener;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.imaging.SyntheticImage;

/**
 * Issue 14, models: catalog paths stay in the catalog's folder, the contract is checked (and
 * probed) when the session opens, NaN/Inf outputs fail with a reason, thin images work or are
 * refused before any work. Models: src/test/resources/models/contract (make_contract_models.py).
 */
class ModelSafetyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path models;

    /** A catalog in dir/models with one entry per (id, file, size_multiple); the contract models copied in. */
    private ModelRegistry registry(Object[]... entries) throws Exception {
        models = Files.createDirectories(dir.resolve("models"));
        for (String name : List.of("fixed", "half", "nan", "inf", "nan-big")) {
            try (InputStream in = getClass().getResourceAsStream("/models/contract/" + name + ".onnx")) {
                Files.copy(in, models.resolve(name + ".onnx"));
            }
        }
        Files.copy(TinyModel.dir().resolve("tiny.onnx"), models.resolve("tiny.onnx"));
        ArrayNode list = JSON.createArrayNode();
        for (Object[] e : entries) {
            ObjectNode m = list.addObject();
            m.put("id", (String) e[0]);
            m.put("file", (String) e[1]);
            m.put("size_multiple", (Integer) e[2]);
            m.set("names", JSON.createObjectNode().put("en", (String) e[0]));
        }
        ObjectNode root = JSON.createObjectNode();
        root.set("models", list);
        Files.writeString(models.resolve("catalog.json"), JSON.writeValueAsString(root));
        return new ModelRegistry(List.of(models), SessionSettings.defaults());
    }

    private static String reason(ModelRegistry r, String id) {
        return r.find(id).orElseThrow().unavailableReason().orElse("");
    }

    @Test
    void modelPathsOutsideTheCatalogFolderAreUnavailable() throws Exception {
        Path outside = Files.copy(TinyModel.dir().resolve("tiny.onnx"), dir.resolve("outside.onnx"));
        try (ModelRegistry r = registry(new Object[] {"escape", "../outside.onnx", 4},
                new Object[] {"passwd", "../../../../../../etc/passwd", 4}, new Object[] {"link", "link.onnx", 4},
                new Object[] {"ok", "tiny.onnx", 4})) {
            // (the link is made after the catalog: the registry reads the catalog when it opens)
        }
        Files.createSymbolicLink(models.resolve("link.onnx"), outside);
        try (ModelRegistry r = new ModelRegistry(List.of(models), SessionSettings.defaults())) {
            for (String id : List.of("escape", "passwd", "link")) {
                assertFalse(r.find(id).orElseThrow().available(), id);
                assertTrue(reason(r, id).contains("outside the catalog's folder"), reason(r, id));
                assertEquals(Reason.MODEL_UNAVAILABLE, assertThrows(PasticheException.class, () -> r.load(id)).reason());
            }
            assertTrue(r.find("ok").orElseThrow().available());
        }
    }

    @Test
    void anAbsurdSizeMultipleIsAReasonNotAnArithmeticException() throws Exception {
        try (ModelRegistry r = registry(new Object[] {"big", "tiny.onnx", 1_000_000})) {
            assertFalse(r.find("big").orElseThrow().available());
            assertTrue(reason(r, "big").contains("size_multiple 1000000"), reason(r, "big"));
        }
    }

    @Test
    void aFixedSizeInputIsRefusedWhenTheSessionOpens() throws Exception {
        try (ModelRegistry r = registry(new Object[] {"fixed", "fixed.onnx", 4})) {
            PasticheException e = assertThrows(PasticheException.class, () -> r.load("fixed"));
            assertTrue(e.getMessage().contains("fixed size"), e.getMessage());
            assertFalse(r.find("fixed").orElseThrow().available());
        }
    }

    @Test
    void aHalfSizeOutputIsFoundByTheProbe() throws Exception {
        try (ModelRegistry r = registry(new Object[] {"half", "half.onnx", 4})) {
            PasticheException e = assertThrows(PasticheException.class, () -> r.load("half"));
            assertTrue(e.getMessage().contains("the contract needs the same size"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void nanOrInfinityEverywhereMakesTheStyleUnavailable() throws Exception {
        try (ModelRegistry r = registry(new Object[] {"nan", "nan.onnx", 4}, new Object[] {"inf", "inf.onnx", 4})) {
            for (String id : List.of("nan", "inf")) {
                PasticheException e = assertThrows(PasticheException.class, () -> r.load(id));
                assertTrue(e.getMessage().contains(id.equals("nan") ? "NaN" : "infinite"), e.getMessage());
            }
        }
    }

    @Test
    void nanInOnePictureFailsThatPictureNotWithABlackImage() throws Exception {
        try (ModelRegistry r = registry(new Object[] {"nanbig", "nan-big.onnx", 4});
                OnnxStylizer s = new OnnxStylizer(r)) {
            RgbaImage photo = SyntheticImage.photoLike(40, 30, 1);
            s.stylize(photo, "nanbig", ProgressListener.NONE, CancellationToken.none()); // no white: fine
            int[] white = new int[40 * 30];
            java.util.Arrays.fill(white, 0xFFFFFFFF);
            PasticheException e = assertThrows(PasticheException.class, () -> s.stylize(new RgbaImage(40, 30, white),
                    "nanbig", ProgressListener.NONE, CancellationToken.none()));
            assertEquals(Reason.MODEL_OUTPUT_INVALID, e.reason());
            assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        }
    }

    @Test
    void tinyAndThinPicturesArePainted() throws Exception {
        try (ModelRegistry r = TinyModel.registry(); OnnxStylizer s = new OnnxStylizer(r)) {
            for (int[] size : new int[][] {{1, 1}, {7, 200}, {3, 2}, {300, 1}}) {
                RgbaImage img = SyntheticImage.photoLike(size[0], size[1], 3);
                RgbaImage out = s.stylize(img, "tiny", ProgressListener.NONE, CancellationToken.none());
                assertEquals(size[0], out.width());
                assertEquals(size[1], out.height());
            }
        }
    }

    @Test
    void aTiledLongThinPictureKeepsAUsableStatisticsCopy() throws Exception {
        // Above the whole-image size, 30000 x 80 used to be cut to 1024 x 3 for the statistics:
        // ONNX Runtime's "Pad reflect: pre-pad exceeds maximum". Smaller here, same shape problem.
        TilingSettings tiling = TilingSettings.DEFAULT.alwaysTile().withTile(256, 32).withStatsLongSide(256);
        try (ModelRegistry r = TinyModel.registry(); OnnxStylizer s = new OnnxStylizer(r, tiling)) {
            RgbaImage img = SyntheticImage.photoLike(6000, 20, 4);
            RgbaImage out = s.stylize(img, "tiny", ProgressListener.NONE, CancellationToken.none());
            assertEquals(6000, out.width());
        }
    }

    @Test
    void aPictureTooLongForAnyStatisticsCopyIsRefusedBeforeAnyWork() throws Exception {
        TilingSettings tiling = TilingSettings.DEFAULT.alwaysTile().withTile(256, 32).withStatsLongSide(256);
        try (ModelRegistry r = TinyModel.registry(); OnnxStylizer s = new OnnxStylizer(r, tiling)) {
            RgbaImage img = RgbaImage.blank(2_200_000, 1);
            PasticheException e = assertThrows(PasticheException.class,
                    () -> s.stylize(img, "tiny", ProgressListener.NONE, CancellationToken.none()));
            assertEquals(Reason.IMAGE_SHAPE, e.reason());
            assertTrue(e.getMessage().contains("too long and thin"), e.getMessage());
        }
    }
}
