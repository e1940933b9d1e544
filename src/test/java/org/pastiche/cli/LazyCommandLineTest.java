package org.pastiche.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The launcher's command line for a first word {@code stylize}, {@code styles} or {@code bench}
 * holds only that command ({@link PasticheCli#commandLine(String...)}): every run below gives the
 * same exit code, output and error text as the whole command line, which the other cli tests run.
 */
class LazyCommandLineTest {
    @TempDir
    Path dir;

    private static String run(CommandLine cl, String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        cl.setOut(new PrintWriter(o, true));
        cl.setErr(new PrintWriter(e, true));
        int code = cl.execute(args);
        return code + "\n--out--\n" + o + "\n--err--\n" + e;
    }

    @Test
    void onlyTheNamedCommandIsBuilt() {
        assertEquals(List.of("stylize"), List.copyOf(PasticheCli.commandLine("stylize", "-s", "x").getSubcommands().keySet()));
        assertEquals(List.of("styles"), List.copyOf(PasticheCli.commandLine("styles").getSubcommands().keySet()));
        assertEquals(List.of("bench"), List.copyOf(PasticheCli.commandLine("bench", "--help").getSubcommands().keySet()));
        assertEquals(List.of("styles", "stylize", "bench", "help"),
                List.copyOf(PasticheCli.commandLine("help", "stylize").getSubcommands().keySet()));
        assertEquals(4, PasticheCli.commandLine().getSubcommands().size());
        assertEquals(4, PasticheCli.commandLine("--help").getSubcommands().size());
        assertEquals(4, PasticheCli.commandLine("stylise").getSubcommands().size());
        assertEquals(4, PasticheCli.commandLine().getSubcommands().size());
        assertNotSame(PasticheCli.commandLine("styles"), PasticheCli.commandLine("styles"));
    }

    @Test
    void sameResultsAsTheWholeCommandLine() throws Exception {
        String models = CliRun.models("tiny");
        Path in = dir.resolve("in.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(40, 30, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", in.toFile());
        Path exists = dir.resolve("exists.png");
        Files.copy(in, exists);
        String out = dir.resolve("o.png").toString();
        List<String[]> cases = new ArrayList<>(List.of(
                new String[] {"stylize", "--help"},
                new String[] {"stylize", "-h"},
                new String[] {"stylize", "--version"},
                new String[] {"stylize"},
                new String[] {"stylize", "-s", "tiny", in.toString()},
                new String[] {"stylize", "--stregth", "0.5", "-s", "tiny", "-o", out, in.toString()},
                new String[] {"stylize", "--models", models, "-s", "tiny", "--strength", "1.5", "-o", out, in.toString()},
                new String[] {"stylize", "--models", models, "-s", "tiny", "--threads", "-3", "-o", out, in.toString()},
                new String[] {"stylize", "--models", models, "-s", "tiny", "-o", exists.toString(), in.toString()},
                new String[] {"stylize", "--models", models, "-s", "nope", "-o", out, in.toString()},
                new String[] {"stylize", "--models", models, "-s", "tiny", "-o", out, dir.resolve("missing.png").toString()},
                new String[] {"stylize", "--models", models, "-s", "tiny", "-o", out, "-o", out, in.toString()},
                new String[] {"stylize", "--models", models, "-s", "tiny", "-o", out, "--output-dir", dir.toString(), in.toString()},
                new String[] {"stylize", "help"},
                new String[] {"stylize", "styles"},
                new String[] {"styles", "--help"},
                new String[] {"styles", "--models", models},
                new String[] {"styles", "--modles", models},
                new String[] {"styles", "extra"},
                new String[] {"bench", "--help"},
                new String[] {"bench", "--models", models, "--threads", "-1"},
                new String[] {"bench", "--megapixels"}));
        for (String[] args : cases) {
            String whole = run(PasticheCli.commandLine(), args);
            String lazy = run(PasticheCli.commandLine(args), args);
            assertEquals(whole, lazy, String.join(" ", args));
        }
        // the runs above reached the commands (not one message for all)
        assertTrue(run(PasticheCli.commandLine("stylize", "--help"), "stylize", "--help").contains("Usage: pastiche stylize"));
        assertTrue(run(PasticheCli.commandLine("styles", "--modles"), "styles", "--modles").contains("did you mean '--models'?"));
    }

    @Test
    void aStylizeRunWritesTheSameFileEitherWay() throws Exception {
        Path in = dir.resolve("in.png");
        javax.imageio.ImageIO.write(SyntheticPicture.make(48, 32), "png", in.toFile());
        String a = dir.resolve("a.png").toString();
        String b = dir.resolve("b.png").toString();
        String models = CliRun.models("tiny");
        String ra = run(PasticheCli.commandLine(), "stylize", "--models", models, "-s", "tiny", "-o", a, in.toString());
        String rb = run(PasticheCli.commandLine("stylize"), "stylize", "--models", models, "-s", "tiny", "-o", b, in.toString());
        String time = ", [0-9.]+ s\\)"; // the run's own duration
        assertEquals(ra.replace(a, "OUT").replaceAll(time, ")"), rb.replace(b, "OUT").replaceAll(time, ")"));
        assertTrue(ra.startsWith("0\n"), ra);
        assertEquals(-1, Files.mismatch(Path.of(a), Path.of(b)));
    }

    /** A picture that is not flat. */
    static final class SyntheticPicture {
        static java.awt.image.BufferedImage make(int w, int h) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    img.setRGB(x, y, (x * 5) << 16 | (y * 7) << 8 | (x * y) & 0xFF);
                }
            }
            return img;
        }
    }
}
