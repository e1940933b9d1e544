package org.pastiche.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pastiche.imaging.ImageDecoder;
import org.pastiche.imaging.ImageExporter;
import org.pastiche.imaging.Resize;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.imaging.SyntheticImage;
import picocli.CommandLine;

/** {@code stylize --stroke-scale}, in-process with the tiny test model. */
class StrokeScaleCliTest {
    @TempDir
    Path dir;

    private String err;

    @BeforeAll
    static void noProgressBar() {
        StylizeCommand.forceProgressBar = false;
    }

    @AfterAll
    static void reset() {
        StylizeCommand.forceProgressBar = null;
    }

    private static String models() {
        try {
            return Path.of(StrokeScaleCliTest.class.getResource("/models/tiny/catalog.json").toURI()).getParent()
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cl = PasticheCli.commandLine();
        cl.setOut(new PrintWriter(o, true));
        cl.setErr(new PrintWriter(e, true));
        int code = cl.execute(args);
        err = e.toString();
        return code;
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
        // A 2048 x 1536 photo: its 1024-px preview, and its export at S = 1 and at the native resolution.
        Path in = dir.resolve("photo.png");
        ImageExporter.write(SyntheticImage.photoLike(2048, 1536, 5), in);
        RgbaImage preview = stylize(in, "preview.png", "--max-size", "1024");
        RgbaImage export = stylize(in, "export.png");
        RgbaImage nativeRes = stylize(in, "native.png", "--stroke-scale", "native");
        assertEquals(2048, export.width());
        assertEquals(1536, nativeRes.height());
        double same = meanAbs(Resize.resize(export, 1024, 768), preview);
        double before = meanAbs(Resize.resize(nativeRes, 1024, 768), preview);
        assertTrue(same < 2, "S = 1 scaled down is the preview: " + same);
        assertTrue(before > 2 * same, "the native resolution differs more: " + before + " vs " + same);
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
