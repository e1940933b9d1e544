package org.pastiche.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.pastiche.imaging.ImageDecoder;
import org.pastiche.imaging.ImageExporter;
import org.pastiche.imaging.Resize;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.imaging.SyntheticImage;

/** {@code stylize --stroke-scale}, in-process with the tiny test model. */
class StrokeScaleCliTest extends CliTestCase {
    private static String models() {
        return CliRun.models("tiny");
    }

    private RgbaImage stylize(Path in, String name, String... extra) throws Exception {
        Path out = dir.resolve(name);
        String[] base = {"stylize", "--models", models(), "-s", "tiny", "-o", out.toString()};
        String[] args = Arrays.copyOf(base, base.length + extra.length + 1);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        args[args.length - 1] = in.toString();
        assertEquals(0, run(args), err);
        return new ImageDecoder().decode(out);
    }

    @Test
    void theExportLooksLikeThePreview() throws Exception {
        // At S = 2 the network paints at 512 px: a 1280 x 960 photo's 512-px preview, its export at S = 2
        // and at the native resolution (the same relation as a 1024-px preview at S = 1, at a test's cost).
        Path in = dir.resolve("photo.png");
        ImageExporter.write(SyntheticImage.photoLike(1280, 960, 5), in);
        RgbaImage preview = stylize(in, "preview.png", "--max-size", "512", "--stroke-scale", "2");
        RgbaImage export = stylize(in, "export.png", "--stroke-scale", "2");
        RgbaImage nativeRes = stylize(in, "native.png", "--stroke-scale", "native");
        assertEquals(1280, export.width());
        assertEquals(960, nativeRes.height());
        double same = meanAbs(Resize.resize(export, 512, 384), preview);
        double before = meanAbs(Resize.resize(nativeRes, 512, 384), preview);
        assertTrue(same < 2, "S = 2 scaled down is the preview: " + same);
        assertTrue(before > 2 * same, "the native resolution differs more: " + before + " vs " + same);
        // The default is S = 1: the network at 1024 px, which is neither of the two.
        RgbaImage byDefault = stylize(in, "default.png");
        assertTrue(meanAbs(byDefault, export) > 1 && meanAbs(byDefault, nativeRes) > 1);
    }

    @Test
    void largerStrokesAndTheirChecks() throws Exception {
        Path in = dir.resolve("small.png");
        ImageExporter.write(SyntheticImage.photoLike(400, 300, 2), in);
        RgbaImage two = stylize(in, "two.png", "--stroke-scale", "2");
        RgbaImage four = stylize(in, "four.png", "--stroke-scale", "4x");
        assertEquals(400, two.width());
        assertEquals(300, four.height());
        assertTrue(meanAbs(two, four) > 1, "a different stroke scale paints another picture");

        for (String bad : new String[] {"0", "huge", "9"}) {
            assertEquals(2, run("stylize", "--models", models(), "-s", "tiny", "--stroke-scale", bad, "-o",
                    dir.resolve("bad.png").toString(), in.toString()), bad);
            assertTrue(err.contains("--stroke-scale must be"), err);
        }
        assertFalse(Files.exists(dir.resolve("bad.png")));
    }

    private static double meanAbs(RgbaImage a, RgbaImage b) {
        assertEquals(a.width(), b.width());
        assertEquals(a.height(), b.height());
        double sum = 0;
        for (int i = 0; i < a.argb().length; i++) {
            int p = a.argb()[i];
            int q = b.argb()[i];
            for (int s = 0; s <= 16; s += 8) {
                sum += Math.abs(((p >>> s) & 0xFF) - ((q >>> s) & 0xFF));
            }
        }
        return sum / (3.0 * a.argb().length);
    }
}
