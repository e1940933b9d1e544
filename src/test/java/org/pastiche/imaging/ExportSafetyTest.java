package org.pastiche.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.IIOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.CancelledException;
import org.pastiche.core.PasticheException;
import org.pastiche.core.PasticheException.Reason;

/** Issue 14: temporary files, signals, permissions, long names and honest reasons on export. */
class ExportSafetyTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private List<String> temps() throws IOException {
        return names().stream().filter(n -> n.startsWith(ExportTemps.TEMP_PREFIX)).toList();
    }

    @Test
    void outputNamesOf255BytesWork() throws Exception {
        String name = "a".repeat(251) + ".png";
        assertEquals(255, name.getBytes(StandardCharsets.UTF_8).length);
        Path out = dir.resolve(name);
        RgbaImage img = SyntheticImage.photoLike(10, 10, 1);
        ImageExporter.write(img, out);
        assertArrayEquals(img.argb(), new ImageDecoder().decode(out).argb());
        assertEquals(List.of(name), names());
        // One byte more is refused before any work, with the reason.
        PasticheException e = assertThrows(PasticheException.class,
                () -> ImageExporter.checkTarget(dir.resolve("b".repeat(252) + ".png"), List.of()));
        assertTrue(e.getMessage().contains("too long"), e.getMessage());
    }

    @Test
    void exportsRespectTheUmask() throws Exception {
        // New files get 0666 & ~umask, as with any tool; the old code forced 0644 whatever the umask.
        Path out = dir.resolve("out.png");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("sh", "-c", "umask 027 && exec \"$0\" -cp \"$1\" " + ExportForever.class.getName()
                + " \"$2\"", java, System.getProperty("java.class.path"), out.toString()).inheritIO().start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertEquals(PosixFilePermissions.fromString("rw-r-----"), Files.getPosixFilePermissions(out));
    }

    @Test
    void cancelStopsTheWriteAndLeavesNothing() throws Exception {
        RgbaImage big = SyntheticImage.photoLike(4000, 3000, 2); // well over 50 ms to encode anywhere
        CancellationToken cancel = new CancellationToken();
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            cancel.cancel();
        });
        t.start();
        assertThrows(CancelledException.class, () -> ImageExporter.write(big, dir.resolve("out.png"), 0.9f, List.of(), cancel));
        t.join();
        assertEquals(List.of(), names());
    }

    @Test
    void staleTempFilesOfAKilledRunAreRemovedOnTheNextWrite() throws Exception {
        // A pid that is not running: a process that has ended.
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Path stale = Files.writeString(dir.resolve(ExportTemps.TEMP_PREFIX + p.pid() + "-1" + ExportTemps.TEMP_SUFFIX), "x");
        Path alive = Files.writeString(dir.resolve(ExportTemps.TEMP_PREFIX + ProcessHandle.current().parent()
                .orElseThrow().pid() + "-1" + ExportTemps.TEMP_SUFFIX), "x");
        Path other = Files.writeString(dir.resolve(".pastiche-notes.tmp"), "x");
        ImageExporter.write(SyntheticImage.photoLike(10, 10, 1), dir.resolve("out.png"));
        assertFalse(Files.exists(stale), "the dead run's file is gone");
        assertTrue(Files.exists(alive), "a running process's file stays");
        assertTrue(Files.exists(other), "files that are not ours stay");
    }

    private Process exporter(Path out) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                ExportForever.class.getName(), out.toString(), "3000", "2000").redirectErrorStream(true).start();
    }

    private static void awaitReady(Process p) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("ready", r.readLine());
    }

    private void awaitTemp() throws Exception {
        for (int i = 0; i < 600 && temps().isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertFalse(temps().isEmpty(), "the export started");
    }

    @Test
    void sigtermDuringAnExportLeavesNoTempFile() throws Exception {
        Process p = exporter(dir.resolve("big.png"));
        try {
            awaitReady(p);
            awaitTemp();
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(List.of(), temps(), names().toString());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void sigkillLeavesOneThatTheNextExportRemoves() throws Exception {
        Process p = exporter(dir.resolve("big.png"));
        try {
            awaitReady(p);
            awaitTemp();
            p.destroyForcibly(); // SIGKILL: no hook runs
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        assertEquals(1, temps().size(), names().toString());
        ImageExporter.write(SyntheticImage.photoLike(10, 10, 1), dir.resolve("small.png"));
        assertEquals(List.of(), temps());
    }

    @Test
    void aHardLinkToAnInputIsRefusedBeforeAnyWork() throws Exception {
        Path input = dir.resolve("photo.png");
        ImageExporter.write(SyntheticImage.photoLike(10, 10, 4), input);
        Path hard = Files.createLink(dir.resolve("hard.png"), input);
        Path soft = Files.createSymbolicLink(dir.resolve("soft.png"), input);
        for (Path alias : List.of(hard, soft)) {
            PasticheException e = assertThrows(PasticheException.class, () -> ImageExporter.checkTarget(alias, List.of(input)));
            assertEquals(Reason.OVERWRITES_INPUT, e.reason());
        }
    }

    @Test
    void failuresNameTheRealCauseNotTheTempFile() {
        Path target = dir.resolve("out.png");
        PasticheException full = ImageExporter.writeFailure(target, dir,
                new IIOException("I/O error writing PNG file!", new IOException("No space left on device")));
        assertEquals(Reason.DISK_FULL, full.reason());
        assertTrue(full.getMessage().contains("the disk is full"), full.getMessage());
        PasticheException denied = ImageExporter.writeFailure(target, dir,
                new java.nio.file.AccessDeniedException(dir.resolve(".pastiche-1-1.tmp").toString()));
        assertEquals(Reason.FOLDER_NOT_WRITABLE, denied.reason());
        assertFalse(denied.getMessage().contains(".tmp"), denied.getMessage());
        assertTrue(denied.getMessage().contains("permission denied"), denied.getMessage());
    }

    @Test
    void aMissingFolderOrAFolderTargetIsRefusedUpFront() throws Exception {
        assertEquals(Reason.FOLDER_MISSING, assertThrows(PasticheException.class,
                () -> ImageExporter.checkTarget(dir.resolve("no/such/out.png"), List.of())).reason());
        Files.createDirectory(dir.resolve("x.png"));
        assertEquals(Reason.NOT_A_FILE, assertThrows(PasticheException.class,
                () -> ImageExporter.checkTarget(dir.resolve("x.png"), List.of())).reason());
    }
}
