package org.pastiche.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class ManPageTest {
    @TempDir
    Path dir;

    @Test
    void thePageHasEveryCommandAndOptionOfTheCommandLine() {
        CommandLine cli = PasticheCli.commandLine();
        String page = ManPage.render(cli, "9.9", "2026-01-01");
        assertTrue(page.startsWith(".TH PASTICHE 1 \"2026-01-01\" \"Pastiche 9.9\""), page.lines().findFirst().orElse(""));
        for (CommandLine sub : cli.getSubcommands().values()) {
            assertTrue(page.contains(".SS \"pastiche " + sub.getCommandName()), sub.getCommandName());
            for (OptionSpec o : sub.getCommandSpec().options()) {
                assertTrue(page.contains(ManPage.esc(o.longestName())), o.longestName());
            }
        }
        assertTrue(page.contains("opens\nits window") || page.contains("opens its window"), "says FILE opens the window");
        assertFalse(page.contains("${DEFAULT-VALUE}"));
    }

    @Test
    void theHelpSaysThatAFileOpensTheWindow() {
        assertTrue(String.join(" ", PasticheCli.commandLine().getCommandSpec().usageMessage().description())
                .contains("pastiche [FILE...] without a command opens the window"));
    }

    @Test
    void writesTheFile() throws Exception {
        Path out = dir.resolve("pastiche.1");
        ManPage.main(new String[] {out.toString(), "1.0", "today"});
        assertEquals(".TH PASTICHE 1 \"today\" \"Pastiche 1.0\" \"User Commands\"", Files.readAllLines(out).get(0));
        // Atomically (AtomicFiles): nothing else is left, and a name of the full length fits
        // (a temporary name built from it, like the old "NAME.tmp", would not).
        Path longName = dir.resolve("m".repeat(252) + ".1");
        ManPage.main(new String[] {longName.toString(), "1.0", "today"});
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count());
        }
    }

    @Test
    void escapesTroff() {
        assertEquals("\\-\\-style", ManPage.esc("--style"));
        assertEquals("\\&.hidden", ManPage.esc(".hidden"));
        assertEquals("a\\eb", ManPage.esc("a\\b"));
    }
}
