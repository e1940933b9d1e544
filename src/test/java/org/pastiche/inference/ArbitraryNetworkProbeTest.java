package org.pastiche.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.PasticheException;
import org.pastiche.imaging.SyntheticImage;

/**
 * The probe when an arbitrary-style network's sessions open: networks that pass every check of
 * their metadata but give NaN, or a picture of another size, are unavailable with the reason
 * (src/test/resources/models/arbitrary-contract/make_arbitrary_contract_models.py), instead of
 * failing, or painting black, on every photo.
 */
class ArbitraryNetworkProbeTest {
    @TempDir
    Path dir;

    private static Path resource(String path) {
        try {
            return Path.of(ArbitraryNetworkProbeTest.class.getResource(path).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private ModelRegistry registry() throws Exception {
        Path tiny = PaintingStylesTest.fixture();
        Files.copy(tiny.resolve("tiny-arbitrary.onnx"), dir.resolve("good.onnx"));
        Files.copy(tiny.resolve("tiny-arbitrary.style.onnx"), dir.resolve("good.style.onnx"));
        for (String f : List.of("nan.onnx", "half.onnx", "nan.style.onnx")) {
            Files.copy(resource("/models/arbitrary-contract/" + f), dir.resolve(f));
        }
        String catalog = "{\"models\": ["
                + entry("nan-output", "nan.onnx", "good.style.onnx") + ","
                + entry("half-output", "half.onnx", "good.style.onnx") + ","
                + entry("nan-code", "good.onnx", "nan.style.onnx") + ","
                + entry("good", "good.onnx", "good.style.onnx") + "]}";
        Files.writeString(dir.resolve("catalog.json"), catalog, StandardCharsets.UTF_8);
        return new ModelRegistry(List.of(dir), SessionSettings.defaults());
    }

    private static String entry(String id, String file, String style) {
        return "{\"id\": \"" + id + "\", \"kind\": \"arbitrary\", \"names\": {\"en\": \"" + id + "\"}, \"file\": \"" + file
                + "\", \"style_file\": \"" + style + "\", \"size_multiple\": 4}";
    }

    @Test
    void brokenNetworksAreUnavailableWithTheReasonAndTheGoodOneWorks() throws Exception {
        try (ModelRegistry r = registry()) {
            PaintingStyles p = r.paintings();
            assertEquals("nan-output", p.defaultNetwork().orElseThrow().id(), "nothing is run before it is needed");
            assertBroken(p, "nan-output", "NaN");
            assertBroken(p, "half-output", "same size");
            assertBroken(p, "nan-code", "NaN");
            assertEquals("good", p.defaultNetwork().orElseThrow().id(), "the first network that works");
            p.check("good");
            assertEquals(128, p.encode("good", SyntheticImage.photoLike(64, 48, 1), 0, CancellationToken.none()).length());
            assertTrue(p.network("good").orElseThrow().available());
        }
    }

    private static void assertBroken(PaintingStyles p, String id, String reason) {
        PasticheException e = assertThrows(PasticheException.class,
                () -> p.encode(id, SyntheticImage.photoLike(64, 48, 2), 0, CancellationToken.none()));
        assertEquals(PasticheException.Reason.MODEL_UNAVAILABLE, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(reason) && e.getMessage().contains("test picture"), e.getMessage());
        PaintingStyles.Network n = p.network(id).orElseThrow();
        assertFalse(n.available(), id + " is listed as unavailable");
        assertTrue(n.unavailableReason().orElseThrow().contains(reason), n.unavailableReason().toString());
        PasticheException again = assertThrows(PasticheException.class, () -> p.check(id));
        assertEquals(PasticheException.Reason.MODEL_UNAVAILABLE, again.reason(), "and stays so: " + again.getMessage());
    }
}
