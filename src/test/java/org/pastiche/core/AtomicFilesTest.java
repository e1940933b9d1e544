package org.pastiche.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one atomic-write helper (saved styles, native library cache, manual page). */
class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void replacesTheTargetAndLeavesNoTemporaryFile() throws Exception {
        Path f = dir.resolve("catalog.json");
        Files.writeString(f, "old");
        AtomicFiles.write(f, "new".getBytes(StandardCharsets.UTF_8));
        assertEquals("new", Files.readString(f));
        assertEquals(List.of(f), files(), "only the target is left");
    }

    @Test
    void aFailedWriteLeavesTheFolderAsItWas() {
        Path f = dir.resolve("missing-folder").resolve("catalog.json");
        assertThrows(IOException.class, () -> AtomicFiles.write(f, new byte[] {1}));
        assertFalse(Files.exists(f.getParent()));
    }

    @Test
    void whileWritingTheTargetIsUntouchedAndTheTemporaryFileIsShortAndBeside() throws Exception {
        Path f = dir.resolve("x".repeat(120) + ".json");
        Files.writeString(f, "old");
        AtomicReference<Path> seen = new AtomicReference<>();
        AtomicFiles.write(f, out -> {
            out.write("new".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertEquals("old", Files.readString(f), "the target changes only at the rename");
            List<Path> temps = files().stream().filter(p -> !p.equals(f)).toList();
            assertEquals(1, temps.size(), temps.toString());
            seen.set(temps.get(0));
        });
        Path tmp = seen.get();
        String name = tmp.getFileName().toString();
        assertTrue(name.startsWith(AtomicFiles.TEMP_PREFIX) && name.endsWith(AtomicFiles.TEMP_SUFFIX), name);
        assertTrue(name.length() < 40, "short whatever the target's name: " + name);
        assertEquals(dir, tmp.getParent());
        assertFalse(Files.exists(tmp));
        assertEquals("new", Files.readString(f));
    }

    @Test
    void aTargetNameOfTheFullLengthStillWorks() throws Exception {
        Path f = dir.resolve("y".repeat(250) + ".txt"); // 254 bytes: a temp name built from it would not fit
        AtomicFiles.write(f, new byte[] {7});
        assertEquals(1, Files.size(f));
    }

    @Test
    void aContentThatFailsLeavesTheOldFileAndNoTemporary() throws Exception {
        Path f = dir.resolve("code.json");
        Files.writeString(f, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[100_000]);
            throw new IOException("boom");
        }));
        assertEquals("boom", e.getMessage());
        assertEquals("old", Files.readString(f));
        assertEquals(List.of(f), files());
    }

    @Test
    void theUmaskDecidesThePermissions() throws Exception {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX only");
        Path plain = Files.createFile(dir.resolve("plain")); // what the umask gives any new file
        Path f = dir.resolve("written");
        AtomicFiles.write(f, new byte[] {1});
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f));
    }
}
