package org.pastiche.inference;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalogs read into Jackson's tree with Jackson's streaming parser alone, not an {@code ObjectMapper}:
 * making a mapper (its configuration, type factory and deserialisers) took 35-55 ms of one core in a
 * short {@code stylize} process, the tree built here the same few milliseconds as the mapper's own
 * (docs/engine.md, "Sixth round"). The result is what {@code new ObjectMapper().readTree(bytes)} gives
 * for the same bytes ({@code JsonTreeTest}): the same parser and its limits (nesting depth, number and
 * string lengths) and so the same errors; for empty content the missing node; a later duplicate key
 * replacing an earlier one; integers as int, long or big-integer nodes by size, other numbers as doubles;
 * anything after the first value ignored.
 */
final class JsonTree {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTree() {}

    static JsonNode read(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken t = p.nextToken();
            return t == null ? MissingNode.getInstance() : value(p, t);
        }
    }

    /** A new empty object node (as {@code ObjectMapper.createObjectNode()}). */
    static ObjectNode object() {
        return NODES.objectNode();
    }

    private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                ObjectNode o = NODES.objectNode();
                for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
                    String name = p.currentName();
                    o.replace(name, value(p, p.nextToken()));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                    a.add(value(p, v));
                }
                return a;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return NODES.numberNode(p.getIntValue());
                    case LONG:
                        return NODES.numberNode(p.getLongValue());
                    default:
                        return NODES.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new IOException("unexpected " + t + " in JSON");
        }
    }

    /**
     * An object node as plain Java values, as {@code ObjectMapper.convertValue(node, Map<String, Object>)}
     * gives them: nested objects as insertion-ordered maps, arrays as lists, text, booleans, null, and
     * numbers as Integer, Long, BigInteger or Double.
     */
    static Map<String, Object> toMap(JsonNode object) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), plain(e.getValue()));
        }
        return out;
    }

    private static Object plain(JsonNode v) {
        if (v.isObject()) {
            return toMap(v);
        }
        if (v.isArray()) {
            List<Object> l = new ArrayList<>(v.size());
            for (JsonNode x : v) {
                l.add(plain(x));
            }
            return l;
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isNumber()) {
            return v.numberValue();
        }
        return null;
    }
}
