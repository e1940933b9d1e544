package org.pastiche.imaging;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.CancelledException;

/**
 * The life of an export's temporary file: its name (in the target's folder, short whatever the
 * target), its creation with the umask's permissions (like any new file), the stream that stops
 * once cancelled or once the process is stopping, the rename over the target, and its removal on
 * failure, by the shutdown hook on a signal, or, for a run that was killed, by the next export into
 * the same folder.
 */
final class ExportTemps {
    /** Temporary files start so; then the process id, a counter, ".tmp": short whatever the target. */
    static final String TEMP_PREFIX = ".pastiche-";
    static final String TEMP_SUFFIX = ".tmp";
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final long PID = ProcessHandle.current().pid();
    /** Temporary files being written now; a signal (shutdown hook) removes them. */
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
    private static final Object LOCK = new Object();
    private static boolean shuttingDown;
    private static boolean hookInstalled;

    private ExportTemps() {}

    /** Installs the cleanup hook, removes stale temporary files from {@code dir}, names a new one there. */
    static Path prepare(Path dir) {
        installHook();
        removeStaleTemps(dir);
        return dir.resolve(TEMP_PREFIX + PID + "-" + COUNTER.incrementAndGet() + TEMP_SUFFIX);
    }

    /** Marks {@code tmp} as being written, so that a signal removes it; refused once the process is stopping. */
    static void register(Path tmp) {
        synchronized (LOCK) {
            if (shuttingDown) {
                throw new CancelledException();
            }
            LIVE.add(tmp);
        }
    }

    /** Creates {@code tmp} (it must not exist) for writing, through a stream that stops when told to. */
    static OutputStream create(Path tmp, CancellationToken cancel) throws IOException {
        return new StoppableOutputStream(new BufferedOutputStream(
                Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16), cancel);
    }

    /** Renames {@code tmp} over {@code target}, atomically where the file system can; refused once stopping. */
    static void commit(Path tmp, Path target) throws IOException {
            synchronized (LOCK) {
                if (shuttingDown) {
                    throw new CancelledException();
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                LIVE.remove(tmp);
            }
    }

    /** Removes {@code tmp} after a failed or cancelled write. */
    static void discard(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // best effort: a later export into this folder removes it
        }
        LIVE.remove(tmp);
    }

    /** Whether {@code e} comes from the write being stopped (cancelled, or the process stopping). */
    static boolean stopped(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof StoppedException || c instanceof CancelledException) {
                return true;
            }
        }
        return false;
    }

    private static void installHook() {
        synchronized (LOCK) {
            if (hookInstalled) {
                return;
            }
            hookInstalled = true;
        }
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(ExportTemps::onShutdown, "pastiche-export-cleanup"));
        } catch (IllegalStateException e) {
            // shutting down already
        }
    }

    /** The shutdown hook: no rename from now on; every temporary file of this process goes. */
    static void onShutdown() {
        synchronized (LOCK) {
            shuttingDown = true;
            for (Path p : LIVE) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // nothing more to do while the process ends
                }
            }
            LIVE.clear();
        }
    }

    /** Temporary files in {@code dir} whose process is gone (killed with SIGKILL, crashed). */
    static void removeStaleTemps(Path dir) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                String mid = name.substring(TEMP_PREFIX.length(), name.length() - TEMP_SUFFIX.length());
                int dash = mid.indexOf('-');
                long pid;
                try {
                    pid = Long.parseLong(dash > 0 ? mid.substring(0, dash) : mid);
                } catch (NumberFormatException e) {
                    continue;
                }
                boolean alive = pid == PID ? LIVE.contains(p) : ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                if (!alive && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException ignored) {
                        // not ours to remove after all (another user's folder)
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unlistable folder: the write itself will say what is wrong
        }
    }

    /** Stops the writer at its next write once cancelled or once the process is stopping. */
    private static final class StoppableOutputStream extends FilterOutputStream {
        private final CancellationToken cancel;

        StoppableOutputStream(OutputStream out, CancellationToken cancel) {
            super(out);
            this.cancel = cancel;
        }

        private void check() throws StoppedException {
            if (cancel.isCancelled() || shuttingDown) {
                throw new StoppedException();
            }
        }

        @Override
        public void write(int b) throws IOException {
            check();
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            check();
            out.write(b, off, len);
        }
    }

    private static final class StoppedException extends IOException {
        StoppedException() {
            super("stopped");
        }
    }
}
