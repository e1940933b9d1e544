package org.pastiche.core;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Files written whole or not at all: the style codes and catalogs of saved painting styles, the
 * cached ONNX Runtime libraries, the manual page. (Image exports have their own, cancellable,
 * variant with signal cleanup: {@code imaging.ExportTemps}.)
 *
 * <p>The content goes to a temporary file in the target's own folder (so that the rename cannot
 * cross file systems), named {@code .pastiche-PID-N.part} whatever the target's name (a 250-byte
 * name still fits), created like any new file (the umask decides its permissions, which the target
 * then has), flushed to the disk ({@code fsync}), then renamed over the target (atomically where the
 * file system can). On any failure the temporary file is removed and the target is as it was.
 */
public final class AtomicFiles {
    /** Temporary files start so, then the process id, a counter and {@link #TEMP_SUFFIX}. */
    public static final String TEMP_PREFIX = ".pastiche-";
    public static final String TEMP_SUFFIX = ".part";
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final long PID = ProcessHandle.current().pid();
    private static final int ATTEMPTS = 100;

    private AtomicFiles() {}

    /** What is written: into a buffered stream that the caller must not close. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code bytes} as the whole new content of {@code target}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Writes what {@code content} writes as the whole new content of {@code target}. */
    public static void write(Path target, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            FileChannel channel = null;
            for (int i = 0; channel == null; i++) {
                tmp = dir.resolve(TEMP_PREFIX + PID + "-" + COUNTER.incrementAndGet() + TEMP_SUFFIX);
                try {
                    channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    tmp = null; // a stale file of an earlier process with the same id: not ours to remove
                    if (i >= ATTEMPTS) {
                        throw e;
                    }
                }
            }
            try (FileChannel ch = channel; OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
