package org.pastiche.inference;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.pastiche.core.AtomicFiles;
import org.pastiche.core.PasticheException;

/**
 * What an arbitrary-style network's style encoder makes of a painting: a fixed-size vector (for
 * the lab's MicroAST, the AdaIN statistics and the modulation weights of its two stages; layout in
 * the model's metadata {@code pastiche.style_code}), fed to its content network with every photo.
 * Saved as JSON ({@code {"network", "length", "values"}}); floats are written so that they read
 * back exactly.
 *
 * @param network the id of the arbitrary-style network it belongs to
 * @param values  the code
 */
public record StyleCode(String network, float[] values) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS); // decimal text -> float in one rounding

    public StyleCode {
        values = values.clone();
    }

    @Override
    public float[] values() {
        return values.clone();
    }

    public int length() {
        return values.length;
    }

    /** {@code (1 - t) * a + t * b}: t = 0 is a, 1 is b. Both codes must come from the same network. */
    public static StyleCode mix(StyleCode a, StyleCode b, double t) {
        if (!a.network.equals(b.network) || a.values.length != b.values.length) {
            throw new IllegalArgumentException("style codes of different networks cannot be mixed: " + a.network
                    + " (" + a.values.length + ") and " + b.network + " (" + b.values.length + ")");
        }
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("mix must be between 0 and 1, was " + t);
        }
        float[] v = new float[a.values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((1 - t) * a.values[i] + t * b.values[i]);
        }
        return new StyleCode(a.network, v);
    }

    /** Writes the code to {@code file} atomically (a temporary file in the same folder, then renamed). */
    public void save(Path file) throws PasticheException {
        ObjectNode root = JSON.createObjectNode();
        root.put("network", network);
        root.put("length", values.length);
        ArrayNode arr = root.putArray("values");
        for (float f : values) {
            arr.add(f);
        }
        try {
            AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PasticheException(PasticheException.Reason.WRITE_FAILED, file + ": cannot write the style code ("
                    + e.getMessage() + ")", e, file);
        }
    }

    public static StyleCode load(Path file) throws PasticheException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new PasticheException(PasticheException.Reason.CATALOG_INVALID, file + ": cannot read the style code ("
                    + e.getMessage() + ")", e);
        }
        JsonNode vals = root == null ? null : root.get("values");
        JsonNode net = root == null ? null : root.get("network");
        if (vals == null || !vals.isArray() || net == null || !net.isTextual() || vals.size() == 0
                || root.path("length").asInt(-1) != vals.size()) {
            throw new PasticheException(PasticheException.Reason.CATALOG_INVALID, file + ": not a style code");
        }
        float[] v = new float[vals.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode n = vals.get(i);
            if (!n.isNumber() || !Float.isFinite(Float.parseFloat(n.asText()))) {
                throw new PasticheException(PasticheException.Reason.CATALOG_INVALID, file + ": value " + i
                        + " of the style code is not a number");
            }
            v[i] = Float.parseFloat(n.asText());
        }
        return new StyleCode(net.asText(), v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StyleCode c && c.network.equals(network) && Arrays.equals(c.values, values);
    }

    @Override
    public int hashCode() {
        return network.hashCode() * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "StyleCode[" + network + ", " + values.length + " values]";
    }
}
