package org.pastiche.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pastiche.core.PasticheException;

class ImageExporterTest {
    @TempDir
    Path dir;

    private final ImageDecoder decoder = new ImageDecoder();

    private List<Path> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void pngRoundTripsWithAlpha() throws Exception {
        RgbaImage img = SyntheticImage.photoLike(50, 40, 1);
        img.argb()[3] = 0x7F102030;
        Path out = dir.resolve("out.png");
        ImageExporter.write(img, out);
        assertArrayEquals(img.argb(), decoder.decode(out).argb());
        assertEquals(List.of(out), files(), "no temporary file is left");
    }

    @Test
    void opaquePngRoundTrips() throws Exception {
        RgbaImage img = SyntheticImage.photoLike(50, 40, 2);
        Path out = dir.resolve("out.png");
        ImageExporter.write(img, out);
        assertArrayEquals(img.argb(), decoder.decode(out).argb());
    }

    @Test
    void jpegFlattensAlphaOverWhite() throws Exception {
        int[] px = new int[16 * 16];
        java.util.Arrays.fill(px, 0x00000000);
        Path out = dir.resolve("out.jpg");
        ImageExporter.write(new RgbaImage(16, 16, px), out, 0.9f, List.of());
        RgbaImage back = decoder.decode(out);
        assertEquals(0xFFFFFFFF, back.get(8, 8) | 0x030303, "transparent becomes (near) white");
    }

    @Test
    void replacesAnExistingOutput() throws Exception {
        Path out = Files.writeString(dir.resolve("old.png"), "old");
        RgbaImage img = SyntheticImage.photoLike(10, 10, 3);
        ImageExporter.write(img, out);
        assertArrayEquals(img.argb(), decoder.decode(out).argb());
    }

    @Test
    void neverWritesOverAnInput() throws Exception {
        Path input = dir.resolve("photo.png");
        ImageExporter.write(SyntheticImage.photoLike(10, 10, 4), input);
        byte[] before = Files.readAllBytes(input);
        PasticheException e = assertThrows(PasticheException.class, () -> ImageExporter.write(
                SyntheticImage.photoLike(10, 10, 5), dir.resolve("./photo.png"), 0.9f, List.of(input)));
        assertTrue(e.getMessage().contains("input"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(input));
        assertEquals(List.of(input), files());
    }

    @Test
    void unsupportedTypeOrMissingFolderWritesNothing() throws Exception {
        RgbaImage img = SyntheticImage.photoLike(10, 10, 6);
        assertThrows(PasticheException.class, () -> ImageExporter.write(img, dir.resolve("out.gif")));
        assertThrows(PasticheException.class, () -> ImageExporter.write(img, dir.resolve("no/such/out.png")));
        assertFalse(Files.exists(dir.resolve("out.gif")));
        assertEquals(List.of(), files());
    }
}
