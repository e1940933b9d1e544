package org.pastiche.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pastiche.core.PasticheException;
import org.pastiche.inference.PaintingStyles.Network;

/** The arbitrary-style networks as the catalogs define them (no network is run). */
class PaintingNetworksTest {
    @TempDir
    Path a;
    @TempDir
    Path b;

    private static void catalog(Path dir, String models) throws Exception {
        Files.writeString(dir.resolve(ModelLocations.CATALOG), "{\"models\": [" + models + "]}", StandardCharsets.UTF_8);
    }

    @Test
    void networksAreReadInOrderWithReasonsAndDefaults() throws Exception {
        Files.writeString(a.resolve("n.onnx"), "x");
        Files.writeString(a.resolve("n.style.onnx"), "x");
        catalog(a, "{\"id\": \"plain\", \"file\": \"plain.onnx\"},"
                + "{\"id\": \"gone\", \"kind\": \"arbitrary\", \"file\": \"gone.onnx\", \"style_file\": \"n.style.onnx\"},"
                + "{\"id\": \"n\", \"kind\": \"arbitrary\", \"file\": \"n.onnx\", \"style_file\": \"n.style.onnx\","
                + " \"style_size\": 4, \"size_multiple\": 0, \"fidelity\": {\"psnr\": 30}},"
                + "{\"id\": \"noenc\", \"kind\": \"arbitrary\", \"file\": \"n.onnx\"},"
                + "{\"id\": \"saved\", \"kind\": \"painting\", \"network\": \"n\"},"
                + "{\"kind\": \"arbitrary\", \"file\": \"n.onnx\"}");
        catalog(b, "{\"id\": \"n\", \"kind\": \"arbitrary\", \"file\": \"other.onnx\", \"style_file\": \"other.style.onnx\","
                + " \"style_size\": 300}");
        List<String> problems = new ArrayList<>();
        PaintingNetworks nets = new PaintingNetworks(List.of(a, b), problems::add);

        assertEquals(List.of("gone", "n", "noenc"), nets.all().stream().map(Network::id).toList(),
                "only arbitrary entries with an id, in catalog order");
        Network n = nets.find("n").orElseThrow();
        assertTrue(n.available());
        assertEquals(PaintingStyles.MIN_SIDE, n.styleSize(), "a style size below the minimum is raised to it");
        assertEquals(1, n.sizeMultiple());
        assertEquals(30, ((Number) n.fidelity().get("psnr")).intValue());
        assertEquals(a.resolve("n.onnx").toAbsolutePath().normalize(), n.file());
        assertTrue(nets.find("gone").orElseThrow().unavailableReason().orElseThrow().startsWith("model file missing"));
        assertEquals("the catalog names no style_file", nets.find("noenc").orElseThrow().unavailableReason().orElseThrow());
        assertEquals(PaintingStyles.DEFAULT_STYLE_SIZE, nets.find("gone").orElseThrow().styleSize());
        assertEquals("n", nets.firstAvailable().orElseThrow().id());
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("network 'n' is already defined"), problems.get(0));
        assertTrue(nets.find(null).isEmpty());
    }

    @Test
    void requireRefusesUnknownAndUnavailableNetworks() throws Exception {
        catalog(a, "{\"id\": \"gone\", \"kind\": \"arbitrary\", \"file\": \"gone.onnx\", \"style_file\": \"s.onnx\"}");
        PaintingNetworks nets = new PaintingNetworks(List.of(a), p -> { });
        assertEquals(PasticheException.Reason.UNKNOWN_STYLE, assertThrows(PasticheException.class,
                () -> nets.require("nope")).reason());
        assertTrue(assertThrows(PasticheException.class, () -> nets.require(null)).getMessage()
                .contains("no arbitrary-style network is installed"));
        PasticheException e = assertThrows(PasticheException.class, () -> nets.require("gone"));
        assertEquals(PasticheException.Reason.MODEL_UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("model file missing"), e.getMessage());
        assertTrue(nets.firstAvailable().isEmpty());
    }

    @Test
    void unreadableOrForeignCatalogsAreSkipped() throws Exception {
        Files.writeString(a.resolve(ModelLocations.CATALOG), "{not json", StandardCharsets.UTF_8);
        Files.writeString(b.resolve(ModelLocations.CATALOG), "{\"styles\": []}", StandardCharsets.UTF_8);
        assertTrue(PaintingNetworks.entries(List.of(a, b, a.resolve("absent")), PaintingStyles.KIND_ARBITRARY).isEmpty());
        assertFalse(new PaintingNetworks(List.of(a, b), p -> { }).firstAvailable().isPresent());
    }

    /** As for styles (issue 14): a network's files must lie inside its catalog's folder; sizes stay in range. */
    @Test
    void pathsOutsideTheFolderMakeTheNetworkUnavailableAndSizesAreBounded() throws Exception {
        Path inside = Files.createDirectories(a.resolve("models"));
        Files.writeString(a.resolve("out.onnx"), "x");
        Files.writeString(inside.resolve("n.onnx"), "x");
        Files.writeString(inside.resolve("n.style.onnx"), "x");
        Files.createSymbolicLink(inside.resolve("link.onnx"), a.resolve("out.onnx"));
        catalog(inside, "{\"id\": \"up\", \"kind\": \"arbitrary\", \"file\": \"../out.onnx\", \"style_file\": \"n.style.onnx\"},"
                + "{\"id\": \"link\", \"kind\": \"arbitrary\", \"file\": \"n.onnx\", \"style_file\": \"link.onnx\"},"
                + "{\"id\": \"big\", \"kind\": \"arbitrary\", \"file\": \"n.onnx\", \"style_file\": \"n.style.onnx\","
                + " \"tile_file\": \"../out.onnx\", \"style_size\": 100000, \"size_multiple\": 1000000}");
        PaintingNetworks nets = new PaintingNetworks(List.of(inside), p -> { });
        for (String id : List.of("up", "link")) {
            assertTrue(nets.find(id).orElseThrow().unavailableReason().orElseThrow().contains("outside the catalog's folder"), id);
        }
        Network big = nets.find("big").orElseThrow();
        assertTrue(big.available(), big.unavailableReason().toString());
        assertEquals(PaintingNetworks.MAX_STYLE_SIZE, big.styleSize());
        assertEquals(StyleCatalog.MAX_SIZE_MULTIPLE, big.sizeMultiple());
        assertTrue(big.tileFile().isEmpty(), "a tile model outside the folder is not used");
    }
}
