package org.pastiche.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pastiche.imaging.ImageDecoder;
import org.pastiche.imaging.ImageExporter;
import org.pastiche.imaging.ImageMetrics;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.imaging.SyntheticImage;
import org.pastiche.inference.ModelLocations;

/** {@code stylize --style-image}: any painting as the style, with the tiny arbitrary-style fixture. */
class PaintingCliTest extends CliTestCase {
    private static String models() {
        return CliRun.models("tiny-arbitrary");
    }

    private Path image(String name, int w, int h, long seed) throws Exception {
        Path p = dir.resolve(name);
        ImageExporter.write(SyntheticImage.photoLike(w, h, seed), p);
        return p;
    }

    @Test
    void stylesListsTheNetwork() {
        assertEquals(0, run("styles", "--models", models()));
        assertTrue(out.contains("tiny-arbitrary") && out.contains("--style-image"), out);
    }

    @Test
    void benchRegistersThePaintingAsStylizeDoes() throws Exception {
        Path painting = image("starry.png", 200, 150, 2);
        assertEquals(0, run("bench", "--models", models(), "--style-image", painting.toString(), "--size", "64x48",
                "--runs", "1"), err);
        assertTrue(out.contains("style encoder on starry.png"), out);
        // The id stylize --style-image gives it (PaintingStyleOptions.register), not a bench-only one.
        assertTrue(out.contains("painting-starry"), out);
        // And the same refusal when no arbitrary-style network is there.
        assertEquals(1, run("bench", "--models", CliRun.models("tiny"), "--style", "tiny", "--style-image",
                painting.toString(), "--size", "64x48", "--runs", "1"));
        assertTrue(err.contains("no arbitrary-style network is available for --style-image"), err);
    }

    @Test
    void aPaintingAsTheStyleWithStrengthAndKeepColours() throws Exception {
        Path in = image("in.png", 60, 40, 1);
        Path painting = image("starry.png", 200, 150, 2);
        Path o = dir.resolve("out.png");
        assertEquals(0, run("stylize", "--models", models(), "--style-image", painting.toString(), "--strength", "0.7",
                "--keep-colors", "-o", o.toString(), in.toString()), err);
        RgbaImage img = new ImageDecoder().decode(o);
        assertEquals(60, img.width());
        assertEquals(40, img.height());
        assertEquals(List.of("in.png", "out.png", "starry.png"), files(), "no temporary file is left");
        // --output-dir names outputs after the painting
        assertEquals(0, run("stylize", "--models", models(), "--style-image", painting.toString(), "--output-dir",
                dir.resolve("outs").toString(), in.toString()), err);
        assertTrue(Files.isRegularFile(dir.resolve("outs/in-painting-starry.png")), files().toString());
    }

    @Test
    void twoPaintingsMixed() throws Exception {
        Path in = image("in.png", 64, 48, 1);
        Path a = image("a.png", 120, 90, 2);
        Path b = dir.resolve("b.png");
        ImageExporter.write(RgbaImage.blank(80, 80), b);
        for (String m : new String[] {"0", "1", "0.3"}) {
            assertEquals(0, run("stylize", "--models", models(), "--style-image", a.toString(), "--style-image",
                    b.toString(), "--mix", m, "-o", dir.resolve("mix" + m + ".png").toString(), in.toString()), err);
        }
        assertEquals(0, run("stylize", "--models", models(), "--style-image", a.toString(), "-o",
                dir.resolve("a-only.png").toString(), in.toString()), err);
        ImageDecoder d = new ImageDecoder();
        assertEquals(0, ImageMetrics.maxAbsDifference(d.decode(dir.resolve("a-only.png")), d.decode(dir.resolve("mix0.png"))),
                "mix 0 is the first painting");
        assertTrue(ImageMetrics.maxAbsDifference(d.decode(dir.resolve("mix0.3.png")), d.decode(dir.resolve("mix1.png"))) > 0);
    }

    @Test
    void aBrokenPaintingFailsCleanly() throws Exception {
        Path in = image("in.png", 60, 40, 1);
        Path bad = Files.writeString(dir.resolve("painting.jpg"), "not a picture");
        Path o = dir.resolve("o.png");
        assertEquals(1, run("stylize", "--models", models(), "--style-image", bad.toString(), "-o", o.toString(),
                in.toString()));
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.startsWith("pastiche: " + bad), err);
        assertFalse(err.contains("Exception"), err);
        assertEquals(List.of("in.png", "painting.jpg"), files(), "nothing written");
        // a missing painting, a truncated PNG, a painting too narrow to be a style: one clear line each
        Path png = image("p.png", 100, 100, 3);
        byte[] bytes = Files.readAllBytes(png);
        Path truncated = Files.write(dir.resolve("truncated.png"), java.util.Arrays.copyOf(bytes, bytes.length / 3));
        Path narrow = dir.resolve("narrow.png");
        ImageExporter.write(RgbaImage.blank(2000, 20), narrow);
        for (Path p : new Path[] {dir.resolve("missing.png"), truncated, narrow}) {
            assertEquals(1, run("stylize", "--models", models(), "--style-image", p.toString(), "-o", o.toString(),
                    in.toString()), p.toString());
            assertEquals(1, err.strip().lines().count(), err);
            assertTrue(err.startsWith("pastiche: " + p + ": "), err);
            assertFalse(Files.exists(o));
        }
        assertTrue(err.contains("too small or too narrow"), err);
    }

    @Test
    void usageErrors() throws Exception {
        Path in = image("in.png", 60, 40, 1);
        Path p = image("p.png", 60, 40, 2);
        String o = dir.resolve("o.png").toString();
        assertEquals(2, run("stylize", "--models", models(), "-o", o, in.toString()));
        assertTrue(err.contains("--style-image"), err);
        assertEquals(2, run("stylize", "--models", models(), "--style", "x", "--style-image", p.toString(), "-o", o,
                in.toString()));
        assertEquals(2, run("stylize", "--models", models(), "--style-image", p.toString(), "--mix", "0.3", "-o", o,
                in.toString()));
        assertTrue(err.contains("--mix needs two"), err);
        assertEquals(2, run("stylize", "--models", models(), "--style-image", p.toString(), "--style-image", p.toString(),
                "--mix", "1.5", "-o", o, in.toString()));
        assertEquals(2, run("stylize", "--models", models(), "--style-image", p.toString(), "--style-size", "4", "-o", o,
                in.toString()));
        assertEquals(1, run("stylize", "--models", models(), "--style-image", p.toString(), "--network", "nope", "-o", o,
                in.toString()));
        assertTrue(err.contains("nope"), err);
        assertFalse(Files.exists(Path.of(o)));
    }

    @Test
    void saveStyleThenUseItById() throws Exception {
        String before = System.getProperty(ModelLocations.USER_MODELS_DIR_PROPERTY);
        Path user = dir.resolve("user-models");
        System.setProperty(ModelLocations.USER_MODELS_DIR_PROPERTY, user.toString());
        try {
            Path in = image("in.png", 60, 40, 1);
            Path p = image("p.png", 90, 60, 2);
            assertEquals(0, run("stylize", "--models", models(), "--style-image", p.toString(), "--save-style",
                    "Field at dusk", "-o", dir.resolve("a.png").toString(), in.toString()), err);
            assertTrue(out.contains("field-at-dusk"), out);
            assertEquals(0, run("styles", "--models", models()));
            assertTrue(out.contains("field-at-dusk") && out.contains("Field at dusk"), out);
            assertEquals(0, run("stylize", "--models", models(), "--style", "field-at-dusk", "-o",
                    dir.resolve("b.png").toString(), in.toString()), err);
            ImageDecoder d = new ImageDecoder();
            assertEquals(0, ImageMetrics.maxAbsDifference(d.decode(dir.resolve("a.png")), d.decode(dir.resolve("b.png"))));
        } finally {
            if (before == null) {
                System.clearProperty(ModelLocations.USER_MODELS_DIR_PROPERTY);
            } else {
                System.setProperty(ModelLocations.USER_MODELS_DIR_PROPERTY, before);
            }
        }
    }
}
