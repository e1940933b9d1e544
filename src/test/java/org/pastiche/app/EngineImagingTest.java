package org.pastiche.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pastiche.core.PasticheException;
import org.pastiche.imaging.ImageExporter.Format;
import org.pastiche.imaging.RgbaImage;

/** The chosen format is the one written, or nothing is written. */
class EngineImagingTest {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8};

    @TempDir
    Path dir;
    private final EngineImaging imaging = new EngineImaging();
    private final RgbaImage image = new RgbaImage(8, 6, filled(8 * 6));

    private static int[] filled(int n) {
        int[] px = new int[n];
        Arrays.fill(px, 0xFF336699);
        return px;
    }

    private static byte[] head(Path file, int n) throws Exception {
        return Arrays.copyOf(Files.readAllBytes(file), n);
    }

    @Test
    void writesTheChosenFormat() throws Exception {
        imaging.export(image, dir.resolve("a.jpg"), Format.JPEG, 0.9f, List.of());
        imaging.export(image, dir.resolve("a.png"), Format.PNG, 0.9f, List.of());
        assertArrayEquals(JPEG, head(dir.resolve("a.jpg"), 2));
        assertArrayEquals(PNG, head(dir.resolve("a.png"), 4));
    }

    @Test
    void aNameForAnotherFormatIsRefusedAndNothingIsWritten() {
        PasticheException e = assertThrows(PasticheException.class,
                () -> imaging.export(image, dir.resolve("a.png"), Format.JPEG, 0.9f, List.of()));
        assertEquals(PasticheException.Reason.UNSUPPORTED_OUTPUT_TYPE, e.reason());
        assertFalse(Files.exists(dir.resolve("a.png")));
        assertThrows(PasticheException.class,
                () -> imaging.export(image, dir.resolve("a.webp"), Format.PNG, 0.9f, List.of()));
        assertFalse(Files.exists(dir.resolve("a.webp")));
    }
}
