package org.pastiche.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.CancelledException;
import org.pastiche.core.PasticheException;
import org.pastiche.imaging.ImageDecoder;
import org.pastiche.imaging.ImageExporter;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.imaging.SyntheticImage;

/**
 * The first photo of a run is decoded on its own thread while the session is made (issue 17):
 * the same photo is painted, a bad style is still the only error, a bad photo is still named, the
 * skipped inputs are skipped, and the warm-up thread changes nothing that is seen.
 */
class DecodeAheadCliTest extends CliTestCase {
    private static String models() {
        return CliRun.models("tiny");
    }

    private Path photo(String name, int w, int h, long seed) throws Exception {
        Path p = dir.resolve(name);
        ImageExporter.write(SyntheticImage.photoLike(w, h, seed), p);
        return p;
    }

    @Test
    void aBadStyleIsTheOnlyErrorEvenWhenThePhotoIsBadToo() throws Exception {
        Path bad = Files.writeString(dir.resolve("notes.png"), "not a picture");
        assertEquals(1, run("stylize", "--models", models(), "-s", "nope", "-o", dir.resolve("o.png").toString(),
                bad.toString()));
        assertTrue(err.contains("Unknown style 'nope'"), err);
        assertFalse(err.contains("notes.png"), "the photo was not its turn yet: " + err);
        assertFalse(Files.exists(dir.resolve("o.png")));
    }

    @Test
    void aBadFirstPhotoIsNamedAndTheNextOneIsPainted() throws Exception {
        Path bad = Files.writeString(dir.resolve("notes.png"), "not a picture");
        Path good = photo("good.png", 48, 32, 2);
        Path outDir = dir.resolve("out");
        assertEquals(1, run("stylize", "--models", models(), "-s", "tiny", "--output-dir", outDir.toString(),
                bad.toString(), good.toString()));
        assertTrue(err.startsWith("pastiche: " + bad), err);
        assertTrue(Files.exists(outDir.resolve("good-tiny.png")));
        assertFalse(Files.exists(outDir.resolve("notes-tiny.png")));
    }

    @Test
    void eachOutputIsItsOwnPhotoWhenTheFirstIsSkipped() throws Exception {
        Path a = photo("a.png", 60, 40, 3);
        Path b = photo("b.png", 44, 36, 4);
        Path c = photo("c.png", 52, 28, 5);
        Path outDir = Files.createDirectories(dir.resolve("out"));
        Files.writeString(outDir.resolve("a-tiny.png"), "keep me");
        assertEquals(0, run("stylize", "--models", models(), "-s", "tiny", "--no-clobber", "--max-size", "40",
                "--output-dir", outDir.toString(), a.toString(), b.toString(), c.toString()), err);
        assertEquals("keep me", Files.readString(outDir.resolve("a-tiny.png")));
        ImageDecoder decoder = new ImageDecoder();
        RgbaImage ob = decoder.decode(outDir.resolve("b-tiny.png"));
        RgbaImage oc = decoder.decode(outDir.resolve("c-tiny.png"));
        assertEquals(40, ob.width(), "b fitted to --max-size 40 (44 x 36 -> 40 x 33)");
        assertEquals(33, ob.height());
        assertEquals(40, oc.width(), "c fitted too (52 x 28 -> 40 x 22)");
        assertEquals(22, oc.height());
    }

    @Test
    void thePaintingIsTheSameAsOneRunWithoutDecodingAhead() throws Exception {
        Path in = photo("in.png", 64, 48, 6);
        Path o1 = dir.resolve("o1.png");
        assertEquals(0, run("stylize", "--models", models(), "-s", "tiny", "-o", o1.toString(), in.toString()), err);
        // the second input is decoded on the main thread as before
        Path first = photo("first.png", 30, 20, 7);
        Path outDir = dir.resolve("out");
        assertEquals(0, run("stylize", "--models", models(), "-s", "tiny", "--output-dir", outDir.toString(),
                first.toString(), in.toString()), err);
        assertArrayEquals(Files.readAllBytes(o1), Files.readAllBytes(outDir.resolve("in-tiny.png")));
    }

    @Test
    void verboseSaysTheDecodeRanAlongside() throws Exception {
        Path in = photo("in.png", 60, 40, 8);
        assertEquals(0, run("stylize", "--models", models(), "-s", "tiny", "--verbose", "-o",
                dir.resolve("o.png").toString(), in.toString()), err);
        assertTrue(err.matches("(?s).*\\n  decode +[0-9]+ +[0-9]+ +waited for; decoded alongside on its own thread: "
                + "[0-9]+ ms wall, [0-9]+ ms CPU.*"), err);
    }

    @Test
    void theDecodersExceptionReachesTheMainThreadUnchanged() throws Exception {
        Path bad = Files.write(dir.resolve("empty.png"), new byte[0]);
        DecodeAhead ahead = new DecodeAhead(ImageDecoder.DEFAULT_MAX_PIXELS, bad, null);
        PasticheException e = assertThrows(PasticheException.class, () -> ahead.get(CancellationToken.none()));
        assertEquals(PasticheException.Reason.FILE_EMPTY, e.reason());
        assertTrue(e.getMessage().startsWith(bad + ": "), e.getMessage());
        DecodeAhead good = new DecodeAhead(ImageDecoder.DEFAULT_MAX_PIXELS, photo("p.png", 50, 30, 9), 20);
        RgbaImage img = good.get(CancellationToken.none());
        assertEquals(20, img.width(), "fitted to the long side");
        CancellationToken cancelled = new CancellationToken();
        cancelled.cancel();
        assertThrows(CancelledException.class, () -> new DecodeAhead(ImageDecoder.DEFAULT_MAX_PIXELS, bad, null).get(cancelled));
    }

    @Test
    void theClassesTheWarmUpSetsUpExist() throws Exception {
        assertEquals(WarmUp.CATALOG_CLASS, Class.forName(WarmUp.CATALOG_CLASS).getName());
        assertEquals(ImageDecoder.class, Class.forName(WarmUp.DECODER_CLASS));
        WarmUp.start();
        WarmUp.awaitRuntime(); // returns once ONNX Runtime's environment is made
    }

    @Test
    void theWarmUpEncodesAndRoundTripsItsPicture() throws Exception {
        RgbaImage out = WarmUp.compileLoops();
        assertEquals(WarmUp.WIDTH, out.width());
        assertEquals(WarmUp.HEIGHT, out.height());
        Path p = dir.resolve("warm.png");
        ImageExporter.write(out, p);
        assertArrayEquals(out.argb(), new ImageDecoder().decode(p).argb());
    }
}
