package org.pastiche.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @Test
    void redrawsOneLineAndClearsIt() {
        StringWriter s = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(s), "photo.jpg");
        bar.progress(0, 1);
        bar.progress(1, 4);
        bar.progress(1, 4); // same percentage: nothing drawn
        bar.progress(4, 4);
        bar.clear();
        String text = s.toString();
        assertTrue(text.startsWith("\r[" + " ".repeat(30) + "]   0% photo.jpg"), text);
        assertTrue(text.contains("\r[#######" + " ".repeat(23) + "]  25% photo.jpg"), text);
        assertTrue(text.contains("\r[" + "#".repeat(30) + "] 100% photo.jpg"), text);
        assertEquals(4, text.chars().filter(c -> c == '\r').count() - 1, text); // 3 draws + clear's 2 returns
        String last = "[" + "#".repeat(30) + "] 100% photo.jpg";
        assertTrue(text.endsWith("\r" + " ".repeat(last.length()) + "\r"), text);
        assertTrue(!text.contains("\n"), "no newline: the next message starts on the cleared line");
    }

    @Test
    void longNamesAreShortenedSoTheLineNeverWraps() {
        StringWriter s = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(s), "x".repeat(100) + ".jpg");
        bar.progress(1, 2);
        String line = s.toString().substring(1);
        assertTrue(line.length() <= 80, line.length() + ": " + line);
        assertTrue(line.endsWith("xxx.jpg") && line.contains("..."), line);
    }

    @Test
    void noBarWithoutATerminal() {
        // Tests run with standard input and output redirected: no console, so no bar at all.
        if (System.console() == null) {
            assertEquals(null, ProgressBar.onTerminal("a.jpg"));
        }
    }
}
