package org.pastiche.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 14 and the CLI items of issue 16: bad arguments, honest one-line errors, no clobbering. */
class CliErrorsTest extends CliTestCase {
    private static String models() {
        return CliRun.models("tiny");
    }

    /** A usage error: exit 2, "pastiche: " and the reason on one line, then where help is; no usage dump. */
    private void assertUsageError(int code, String mentions) {
        assertEquals(2, code, err);
        List<String> lines = err.strip().lines().toList();
        assertEquals(2, lines.size(), err);
        assertTrue(lines.get(0).startsWith("pastiche: ") && lines.get(0).contains(mentions), err);
        assertTrue(lines.get(1).startsWith("Try '") && lines.get(1).contains("--help"), err);
    }

    @ParameterizedTest
    @CsvSource({"--threads,100000", "--threads,-4", "--max-size,0", "--max-size,1000000", "--max-megapixels,0.0000001",
        "--max-megapixels,NaN", "--strength,NaN", "--strength,-1", "--quality,0"})
    void numericOptionsOfStylizeAreChecked(String option, String value) throws Exception {
        Path in = photo("in.png");
        assertUsageError(run("stylize", "--models", models(), "-s", "tiny", option, value, "-o",
                dir.resolve("o.png").toString(), in.toString()), option);
        assertEquals(List.of("in.png"), files());
    }

    @ParameterizedTest
    @CsvSource({"--runs,0", "--runs,-1", "--megapixels,0", "--megapixels,-2", "--overlap,-1", "--overlap,5000",
        "--tile,0", "--threads,100000", "--stats-side,0"})
    void numericOptionsOfBenchAreChecked(String option, String value) {
        assertUsageError(run("bench", "--models", models(), option, value), option);
    }

    @Test
    void aMistypedCommandIsAUsageErrorWithASuggestion() {
        assertTrue(PasticheCli.wantsCommandLine("stylise"), "not a window");
        assertTrue(PasticheCli.wantsCommandLine("--bogus"));
        assertFalse(PasticheCli.wantsCommandLine("photo.jpg"));
        assertFalse(PasticheCli.wantsCommandLine());
        assertUsageError(run("stylise", "-s", "candy"), "unknown command 'stylise'");
        assertTrue(err.contains("did you mean 'stylize'"), err);
    }

    @Test
    void anUnknownOptionIsOneLine() throws Exception {
        assertUsageError(run("stylize", "--stregth", "0.5", "-s", "tiny", "-o", "x.png", "in.png"), "unknown option '--stregth'");
    }

    @Test
    void unknownStyleListsTheStylesAsWords() throws Exception {
        Path in = photo("in.png");
        assertEquals(1, run("stylize", "--models", models(), "-s", "nope", "-o", dir.resolve("o.png").toString(),
                in.toString()));
        assertTrue(err.startsWith("pastiche: ") && err.contains("known styles: tiny"), err);
        assertFalse(err.contains("["), err);
    }

    @Test
    void existingOutputsAreNotReplacedUnlessForced() throws Exception {
        Path in = photo("in.png");
        Path o = Files.writeString(dir.resolve("o.png"), "keep me");
        assertUsageError(run("stylize", "--models", models(), "-s", "tiny", "-o", o.toString(), in.toString()), "exists");
        assertTrue(err.contains("--force"), err);
        assertEquals("keep me", Files.readString(o));
        assertEquals(0, run("stylize", "--models", models(), "-s", "tiny", "--no-clobber", "-o", o.toString(),
                in.toString()), err);
        assertTrue(out.contains("skipped"), out);
        assertEquals("keep me", Files.readString(o));
        assertEquals(0, run("stylize", "--models", models(), "-s", "tiny", "--force", "-o", o.toString(), in.toString()), err);
        assertFalse(Files.readString(o, java.nio.charset.StandardCharsets.ISO_8859_1).equals("keep me"));
    }

    @Test
    void aMissingOutputFolderIsReportedBeforeAnyWork() throws Exception {
        Path in = photo("in.png");
        assertUsageError(run("stylize", "--models", models(), "-s", "tiny", "-o", dir.resolve("no/such/o.png").toString(),
                in.toString()), "does not exist");
    }

    @Test
    void anOutputThatIsTheInputThroughALinkIsRefusedBeforeAnyWork() throws Exception {
        Path in = photo("in.png");
        byte[] before = Files.readAllBytes(in);
        Path hard = Files.createLink(dir.resolve("hard.png"), in);
        Path soft = Files.createSymbolicLink(dir.resolve("soft.png"), in);
        for (Path alias : List.of(hard, soft)) {
            assertUsageError(run("stylize", "--models", models(), "-s", "tiny", "--force", "-o", alias.toString(),
                    in.toString()), "refusing to write over");
        }
        assertArrayEquals(before, Files.readAllBytes(in));
    }

    @Test
    void aFolderAsInputIsASentenceAndTheBatchGoesOn() throws Exception {
        Path good = photo("good.png");
        Path outDir = dir.resolve("out");
        assertEquals(1, run("stylize", "--models", models(), "-s", "tiny", "--output-dir", outDir.toString(), "/",
                good.toString()));
        assertTrue(err.contains("pastiche: /: is a folder, not an image file"), err);
        assertFalse(err.contains("Exception"), err);
        assertTrue(Files.exists(outDir.resolve("good-tiny.png")));
    }

    @Test
    void aSymlinkLoopIsCalledThat() throws Exception {
        Path a = dir.resolve("a.jpg");
        Path b = dir.resolve("b.jpg");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);
        assertEquals(1, run("stylize", "--models", models(), "-s", "tiny", "-o", dir.resolve("o.png").toString(),
                a.toString()));
        assertTrue(err.contains("symbolic link") && err.contains("loop"), err);
        assertFalse(err.contains("no such file"), err);
    }

    @Test
    void everyErrorLineHasThePrefix() throws Exception {
        Path bad = Files.writeString(dir.resolve("notes.jpg"), "text");
        run("stylize", "--models", models(), "-s", "tiny", "--output-dir", dir.resolve("o").toString(), bad.toString(),
                dir.resolve("missing.png").toString());
        for (String line : err.strip().lines().toList()) {
            assertTrue(line.startsWith("pastiche: "), err);
        }
    }

    @Test
    void aDisabledStylesReasonIsSaidOnce() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        try (java.io.InputStream in = getClass().getResourceAsStream("/models/contract/fixed.onnx")) {
            Files.copy(in, models.resolve("fixed.onnx"));
        }
        Files.writeString(models.resolve("catalog.json"),
                "{\"models\": [{\"id\": \"fixed\", \"file\": \"fixed.onnx\", \"size_multiple\": 4}]}");
        Path in = photo("in.png");
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
            code = run("stylize", "--models", models.toString(), "-s", "fixed", "-o", dir.resolve("o.png").toString(),
                    in.toString());
        } finally {
            System.setErr(saved);
        }
        assertEquals(1, code);
        String all = log.toString(java.nio.charset.StandardCharsets.UTF_8) + err;
        assertEquals(1, all.split("fixed size", -1).length - 1, all);
        assertTrue(err.startsWith("pastiche: "), err);
    }
}
