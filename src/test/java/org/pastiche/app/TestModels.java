package org.pastiche.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Builds a model folder for UI tests from the model lab's tiny fixture: several styles whose networks
 * really differ (variant k has the signs of one weight tensor flipped), so that choosing another
 * style changes the picture. Also writes a style whose model file is missing.
 */
final class TestModels {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestModels() { }

    static List<String> write(Path dir, int count) throws IOException {
        byte[] tiny = resource("/models/tiny/tiny.onnx");
        ObjectNode base;
        try (InputStream in = TestModels.class.getResourceAsStream("/models/tiny/catalog.json")) {
            base = (ObjectNode) ((ArrayNode) JSON.readTree(in).get("models")).get(0);
        }
        List<int[]> tensors = floatInitializers(tiny);
        ArrayNode models = JSON.createArrayNode();
        List<String> ids = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            String id = "tiny-" + (char) ('a' + k);
            byte[] variant = tiny.clone();
            if (k > 0) {
                int[] t = tensors.get((k - 1) % tensors.size());
                for (int i = t[0] + 3; i < t[0] + t[1]; i += 4) {
                    variant[i] ^= (byte) 0x80; // little-endian float: flip the sign bit
                }
            }
            Files.write(dir.resolve(id + ".onnx"), variant);
            ObjectNode m = base.deepCopy();
            m.put("id", id);
            m.put("file", id + ".onnx");
            m.putNull("tile_file");
            m.putNull("thumbnail");
            m.set("names", JSON.createObjectNode().put("en", "Tiny " + (char) ('A' + k))
                    .put("zh", "微型 " + (char) ('A' + k)));
            if (k == 1) {
                m.put("license", "CC BY-NC 4.0");
            }
            models.add(m);
            ids.add(id);
        }
        ObjectNode missing = base.deepCopy();
        missing.put("id", "missing");
        missing.put("file", "missing.onnx");
        missing.putNull("tile_file");
        missing.putNull("thumbnail");
        models.add(missing);
        JSON.writeValue(dir.resolve("catalog.json").toFile(), JSON.createObjectNode().set("models", models));
        return ids;
    }

    static Path photo(Path file, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | ((x + y) % 64) * 4);
            }
        }
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = TestModels.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    /** Offsets and lengths of float initializers' raw data: ModelProto.graph(7).initializer(5).raw_data(9). */
    static List<int[]> floatInitializers(byte[] model) {
        List<int[]> found = new ArrayList<>();
        forEachField(model, 0, model.length, (field, start, end) -> {
            if (field != 7) {
                return;
            }
            forEachField(model, start, end, (gField, gStart, gEnd) -> {
                if (gField != 5) {
                    return;
                }
                int[] type = {0};
                List<int[]> raws = new ArrayList<>();
                forEachField(model, gStart, gEnd, (tField, tStart, tEnd) -> {
                    if (tField == 9) {
                        raws.add(new int[] {tStart, tEnd - tStart});
                    }
                }, (tField, value) -> {
                    if (tField == 2) {
                        type[0] = (int) value;
                    }
                });
                if (type[0] == 1 && !raws.isEmpty() && raws.get(0)[1] >= 64) {
                    found.add(raws.get(0));
                }
            }, (f, v) -> { });
        }, (f, v) -> { });
        return found;
    }

    private interface Bytes {
        void field(int field, int start, int end);
    }

    private interface Varint {
        void field(int field, long value);
    }

    private static void forEachField(byte[] b, int from, int to, Bytes bytes, Varint varints) {
        int[] pos = {from};
        while (pos[0] < to) {
            long tag = varint(b, pos);
            int field = (int) (tag >>> 3);
            switch ((int) (tag & 7)) {
                case 0 -> varints.field(field, varint(b, pos));
                case 1 -> pos[0] += 8;
                case 5 -> pos[0] += 4;
                case 2 -> {
                    int len = (int) varint(b, pos);
                    bytes.field(field, pos[0], pos[0] + len);
                    pos[0] += len;
                }
                default -> throw new IllegalStateException("unexpected wire type at " + pos[0]);
            }
        }
    }

    private static long varint(byte[] b, int[] pos) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b[pos[0]++];
            value |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return value;
            }
        }
    }
}
