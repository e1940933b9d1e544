package org.pastiche.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.CancelledException;

/** The temporary file's life on its own: names, stale cleanup, commit, discard, stop detection. */
class ExportTempsTest {
    @TempDir
    Path dir;

    private static final long PID = ProcessHandle.current().pid();

    @Test
    void namesAreShortDistinctAndOnlyNamed() throws Exception {
        Path a = ExportTemps.prepare(dir);
        Path b = ExportTemps.prepare(dir);
        assertNotEquals(a, b);
        assertEquals(dir, a.getParent());
        String n = a.getFileName().toString();
        assertTrue(n.startsWith(ExportTemps.TEMP_PREFIX + PID + "-") && n.endsWith(ExportTemps.TEMP_SUFFIX), n);
        assertFalse(Files.exists(a), "prepare only names the file");
    }

    @Test
    void staleCleanupRemovesOnlyDeadProcessesRegularFiles() throws Exception {
        Path foreign = Files.writeString(dir.resolve(ExportTemps.TEMP_PREFIX + "notapid" + ExportTemps.TEMP_SUFFIX), "x");
        Path folder = Files.createDirectory(dir.resolve(ExportTemps.TEMP_PREFIX + PID + "-999999" + ExportTemps.TEMP_SUFFIX));
        Path ourDead = Files.writeString(dir.resolve(ExportTemps.TEMP_PREFIX + PID + "-999998" + ExportTemps.TEMP_SUFFIX), "x");
        Path live = ExportTemps.prepare(dir);
        ExportTemps.register(live);
        try {
            Files.writeString(live, "x");
            ExportTemps.removeStaleTemps(dir);
            assertTrue(Files.exists(foreign), "a name without a process id is not ours");
            assertTrue(Files.isDirectory(folder), "only regular files are removed");
            assertFalse(Files.exists(ourDead), "this process's temporary file that no write holds");
            assertTrue(Files.exists(live), "a temporary file being written stays");
        } finally {
            ExportTemps.discard(live);
        }
        assertFalse(Files.exists(live));
        Files.writeString(live, "x");
        ExportTemps.removeStaleTemps(dir);
        assertFalse(Files.exists(live), "once discarded it is no longer live");
    }

    @Test
    void commitRenamesOverTheTarget() throws Exception {
        Path target = Files.writeString(dir.resolve("out.png"), "old");
        Path tmp = ExportTemps.prepare(dir);
        ExportTemps.register(tmp);
        try (OutputStream os = ExportTemps.create(tmp, CancellationToken.none())) {
            os.write("new".getBytes());
        }
        ExportTemps.commit(tmp, target);
        assertEquals("new", Files.readString(target));
        assertFalse(Files.exists(tmp));
        Files.writeString(tmp, "x");
        ExportTemps.removeStaleTemps(dir);
        assertFalse(Files.exists(tmp), "a committed file is no longer live");
    }

    @Test
    void theStreamStopsWhenCancelled() throws Exception {
        CancellationToken cancel = CancellationToken.none();
        Path tmp = ExportTemps.prepare(dir);
        try (OutputStream os = ExportTemps.create(tmp, cancel)) {
            os.write(1);
            cancel.cancel();
            IOException e = assertThrows(IOException.class, () -> os.write(2));
            assertTrue(ExportTemps.stopped(e));
        } finally {
            ExportTemps.discard(tmp);
        }
        assertTrue(ExportTemps.stopped(new IOException(new CancelledException())));
        assertFalse(ExportTemps.stopped(new IOException("disk full")));
    }
}
