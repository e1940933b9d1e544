package org.pastiche.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.ProgressListener;
import org.pastiche.imaging.ImageDecoder;
import org.pastiche.imaging.ImageMetrics;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.ModelRegistry;
import org.pastiche.inference.OnnxStylizer;
import org.pastiche.inference.SessionSettings;
import org.pastiche.inference.StyleOptions;

/** Runs the command line in-process and checks exit codes, messages and files. */
class PasticheCliTest extends CliTestCase {
    private static String models() {
        return CliRun.models("tiny");
    }

    @Test
    void listsStyles() {
        assertEquals(0, run("styles", "--models", models()));
        assertTrue(out.contains("tiny") && out.contains("Tiny (test)"), out);
    }

    @Test
    void stylizesOneFile() throws Exception {
        Path in = photo("in.png");
        Path result = dir.resolve("out.jpg");
        assertEquals(0, run("stylize", "--models", models(), "--style", "tiny", "--strength", "0.7", "--keep-colors",
                "--stroke-scale", "native", "--output", result.toString(), in.toString()), err);
        RgbaImage img = new ImageDecoder().decode(result);
        assertEquals(60, img.width());
        assertTrue(out.contains("out.jpg"), out);
        assertEquals(List.of("in.png", "out.jpg"), files(), "no temporary file is left");
    }

    /** The options reach the engine: the file is what the engine gives with them, not the plain painting. */
    @Test
    void strengthAndKeepColoursReachTheResult() throws Exception {
        Path in = photo("in.png");
        Path result = dir.resolve("out.png");
        assertEquals(0, run("stylize", "--models", models(), "--style", "tiny", "--strength", "0.7", "--keep-colors",
                "--stroke-scale", "native", "--output", result.toString(), in.toString()), err);
        RgbaImage original = new ImageDecoder().decode(in);
        try (ModelRegistry registry = new ModelRegistry(List.of(Path.of(models())), SessionSettings.defaults());
                OnnxStylizer stylizer = new OnnxStylizer(registry)) {
            RgbaImage painted = stylizer.stylize(original, "tiny", ProgressListener.NONE, CancellationToken.none());
            RgbaImage expected = stylizer.finish(original, painted, new StyleOptions(0.7, true));
            RgbaImage written = new ImageDecoder().decode(result);
            assertTrue(ImageMetrics.maxAbsDifference(expected, written) <= 1,
                    "differs from the engine's result by " + ImageMetrics.maxAbsDifference(expected, written));
            assertTrue(ImageMetrics.maxAbsDifference(painted, written) > 8, "the options were not applied");
        }
    }

    @Test
    void noProgressBarWhenNotOnATerminal() throws Exception {
        StylizeCommand.forceProgressBar = null; // decide as on a real run: the tests' streams are no terminal
        try {
            Path in = photo("in.png");
            assertEquals(0, run("stylize", "--models", models(), "--style", "tiny", "--stats-passes", "1",
                    "-o", dir.resolve("o.png").toString(), in.toString()), err);
            assertFalse(out.contains("\r") || err.contains("\r") || err.contains("%"), out + err);
        } finally {
            StylizeCommand.forceProgressBar = false;
        }
    }

    @Test
    void statsPassesAreChecked() throws Exception {
        Path in = photo("in.png");
        assertEquals(2, run("stylize", "--models", models(), "--style", "tiny", "--stats-passes", "-1",
                "-o", dir.resolve("o.png").toString(), in.toString()));
        assertTrue(err.contains("--stats-passes"), err);
    }

    @Test
    void brokenInputIsOneLineAndNoOutput() throws Exception {
        Path bad = Files.writeString(dir.resolve("notes.jpg"), "not a picture");
        assertEquals(1, run("stylize", "--models", models(), "--style", "tiny", "-o", dir.resolve("o.png").toString(),
                bad.toString()));
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.contains("notes.jpg") && err.contains("not a supported image format"), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), err);
        assertEquals(List.of("notes.jpg"), files());
    }

    @Test
    void verboseShowsTheStackTrace() throws Exception {
        Path bad = Files.write(dir.resolve("empty.png"), new byte[0]);
        assertEquals(1, run("stylize", "--models", models(), "--style", "tiny", "--verbose", "-o",
                dir.resolve("o.png").toString(), bad.toString()));
        assertTrue(err.contains("the file is empty") && err.contains("\tat "), err);
    }

    @Test
    void verboseSaysWhereTheTimeWent() throws Exception {
        Path in = photo("in.png");
        assertEquals(0, run("stylize", "--models", models(), "-s", "tiny", "--verbose", "-o",
                dir.resolve("o.png").toString(), in.toString()), err);
        for (String phase : new String[] {"JVM start", "catalog", "session creation", "decode", "inference",
                "post-processing", "encode, write", "total"}) {
            assertTrue(err.matches("(?s).*\\n  " + phase + "[^\\n]* [0-9]+ +[0-9]+.*"), phase + " missing: " + err);
        }
        assertTrue(err.contains("ONNX Runtime"), err);
        run("stylize", "--models", models(), "-s", "tiny", "-o", dir.resolve("p.png").toString(), in.toString());
        assertFalse(err.contains("where the time went"), "only with --verbose: " + err);
    }

    @Test
    void benchPhasesComparesTheFirstRunWithAWarmOne() {
        assertEquals(0, run("bench", "--models", models(), "--phases"), err);
        assertTrue(out.matches("(?s).*inference, first run .*inference, warm run .*encode, write PNG .*"
                + "first run / warm run: [0-9.]+.*"), out);
    }

    @Test
    void manyInputsGoToTheOutputFolderAndFailuresDoNotStopTheOthers() throws Exception {
        Path a = photo("a.png");
        Path bad = Files.writeString(dir.resolve("b.jpg"), "nope");
        Path c = photo("c.png");
        assertEquals(1, run("stylize", "--models", models(), "-s", "tiny", "--output-dir", dir.resolve("out").toString(),
                "--format", "jpg", a.toString(), bad.toString(), c.toString()));
        assertEquals(List.of("a.png", "b.jpg", "c.png", "out/a-tiny.jpg", "out/c-tiny.jpg"), files());
        assertTrue(err.contains("b.jpg"), err);
    }

    @Test
    void neverWritesOverAnInput() throws Exception {
        Path in = photo("in.png");
        byte[] before = Files.readAllBytes(in);
        assertEquals(2, run("stylize", "--models", models(), "-s", "tiny", "-o", in.toString(), in.toString()));
        assertTrue(err.contains("refusing to write over"), err);
        assertArrayEquals(before, Files.readAllBytes(in));
        // The output folder route would produce in-tiny.png; an input with that name is protected as well.
        Path x = photo("x.png");
        Path clash = photo("x-tiny.png");
        byte[] clashBefore = Files.readAllBytes(clash);
        assertEquals(2, run("stylize", "--models", models(), "-s", "tiny", "--output-dir", dir.toString(),
                x.toString(), clash.toString()));
        assertTrue(err.contains("refusing to write over"), err);
        assertArrayEquals(clashBefore, Files.readAllBytes(clash));
    }

    @Test
    void unknownStyleNamesTheKnownOnes() throws Exception {
        Path in = photo("in.png");
        assertEquals(1, run("stylize", "--models", models(), "-s", "nope", "-o", dir.resolve("o.png").toString(),
                in.toString()));
        assertTrue(err.contains("nope") && err.contains("tiny"), err);
        assertEquals(List.of("in.png"), files());
    }

    @Test
    void usageErrorsExitWith2() throws Exception {
        Path in = photo("in.png");
        assertEquals(2, run("stylize", "--models", models(), "-s", "tiny", "-o", dir.resolve("o.png").toString(),
                in.toString(), in.toString()));
        assertEquals(2, run("stylize", "--models", models(), "-s", "tiny", "--strength", "1.5", "-o",
                dir.resolve("o.png").toString(), in.toString()));
        assertEquals(2, run("stylize", "--models", models(), "-s", "tiny", "-o", dir.resolve("o.gif").toString(),
                in.toString()));
        assertEquals(2, run("stylize", "-s", "tiny", in.toString()), "an output is required");
        assertEquals(List.of("in.png"), files());
    }

    @Test
    void maxSizeScalesDown() throws Exception {
        Path in = photo("in.png");
        Path o = dir.resolve("o.png");
        assertEquals(0, run("stylize", "--models", models(), "-s", "tiny", "--max-size", "30", "-o", o.toString(),
                in.toString()), err);
        assertEquals(30, new ImageDecoder().decode(o).width());
    }

    @Test
    void benchReportsPeakMemory() {
        assertEquals(0, run("bench", "--models", models(), "--megapixels", "0.2", "--tile", "256", "--overlap", "32"),
                err);
        assertTrue(out.contains("peak RSS"), out);
        if (Files.isReadable(Path.of("/proc/self/status"))) {
            assertTrue(out.matches("(?s).*stylize [0-9.]+ s.*peak RSS [1-9][0-9]* MiB.*"), out);
        }
    }

    @Test
    void launcherKnowsTheCommands() {
        assertTrue(PasticheCli.isCommand("stylize"));
        assertTrue(PasticheCli.isCommand("--version"));
        assertFalse(PasticheCli.isCommand("photo.jpg"));
        assertEquals(0, run("--version"));
        assertTrue(out.startsWith("Pastiche"), out);
    }
}
