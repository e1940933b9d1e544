package org.pastiche.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link JsonTree}: the tree and the plain values that an ObjectMapper gives, for the same bytes. */
class JsonTreeTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String[] SAMPLES = {
        "{\"models\": [{\"id\": \"a\", \"n\": 1, \"big\": 38124000000, \"huge\": 123456789012345678901234567890,"
                + " \"f\": 0.25, \"e\": -1.5e-7, \"t\": true, \"no\": false, \"nil\": null, \"s\": \"\\u00e9\\n\\\"x\\\"\","
                + " \"fidelity\": {\"ssim\": 0.991, \"runs\": [1, 2.5, \"x\", null, {\"k\": []}], \"ok\": true}}]}",
        "{\"a\": 1, \"a\": {\"b\": 2}}",           // a later duplicate key replaces the earlier one
        "{\"a\": {\"b\": 1}, \"a\": [3]}",
        "[1, [2, [3, [4, {}]]]]",
        "{\"models\": []} trailing words",       // anything after the first value is ignored
        "  \"just text\" ",
        "42",
        "-0.0",
        "",                                      // empty: the missing node
        "   \n ",
    };

    @Test
    void givesTheMappersTreeAndPlainValues() throws Exception {
        for (String s : SAMPLES) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            JsonNode ours = JsonTree.read(b);
            JsonNode theirs = MAPPER.readTree(b);
            assertEquals(theirs, ours, s);
            assertEquals(theirs.getNodeType(), ours.getNodeType(), s);
            assertEquals(theirs.toString(), ours.toString(), s);
            if (ours.isObject()) {
                assertEquals(MAPPER.convertValue(theirs, new TypeReference<Map<String, Object>>() { }),
                        JsonTree.toMap(ours), s);
            }
        }
    }

    @Test
    void theShippedCatalogReadsTheSame() throws Exception {
        Path catalog = Path.of("models", ModelLocations.CATALOG);
        byte[] b = Files.readAllBytes(catalog);
        JsonNode ours = JsonTree.read(b);
        assertEquals(MAPPER.readTree(b), ours);
        assertEquals(MAPPER.readTree(b).toString(), ours.toString());
        int fidelities = 0;
        for (JsonNode m : ours.get("models")) {
            if (m.path("fidelity").isObject()) {
                assertEquals(MAPPER.convertValue(m.get("fidelity"), new TypeReference<Map<String, Object>>() { }),
                        JsonTree.toMap(m.get("fidelity")));
                fidelities++;
            }
        }
        assertTrue(fidelities > 0, "the catalog's fidelity maps were compared");
    }

    @Test
    void malformedJsonFailsAsTheMappersDoes() {
        String deep = "[".repeat(1500) + "]".repeat(1500);   // past the parser's nesting limit (1000)
        for (String s : new String[] {"{\"a\": ", "{\"a\" 1}", "[1, 2", "{\"a\": tru}", "{'a': 1}", "[01]", deep}) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            IOException theirs = assertThrows(IOException.class, () -> MAPPER.readTree(b), s);
            IOException ours = assertThrows(IOException.class, () -> JsonTree.read(b), s);
            assertEquals(theirs.getClass(), ours.getClass(), s);
            assertEquals(theirs.getMessage(), ours.getMessage(), s.length() > 40 ? "deep" : s);
        }
    }
}
