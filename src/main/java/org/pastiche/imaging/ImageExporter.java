package org.pastiche.imaging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.CancelledException;
import org.pastiche.core.PasticheException;

/**
 * Writes PNG or JPEG (chosen by the file extension) atomically: the image goes to a temporary
 * file in the target's folder, which is then renamed over the target, so that a reader never
 * sees half a file and a failed export leaves nothing behind. Refuses to write over the files it
 * is told to protect (the inputs). The encoding is {@link ImageEncoders}'; the temporary file's
 * life (naming, cleanup on a signal, stale files, the rename) is {@link ExportTemps}'.
 */
public final class ImageExporter {
    public static final float DEFAULT_JPEG_QUALITY = 0.92f;

    /** Output formats, by file extension. */
    public enum Format {
        PNG, JPEG;

        public static Optional<Format> forPath(Path file) {
            String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".png")) {
                return Optional.of(PNG);
            }
            if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
                return Optional.of(JPEG);
            }
            return Optional.empty();
        }
    }

    private ImageExporter() {}

    public static void write(RgbaImage image, Path target) throws PasticheException {
        write(image, target, DEFAULT_JPEG_QUALITY, List.of());
    }

    public static void write(RgbaImage image, Path target, float jpegQuality, Collection<Path> protect)
            throws PasticheException {
        write(image, target, jpegQuality, protect, CancellationToken.none());
    }

    /**
     * Everything that can be known before any work: the type, that {@code target} is none of
     * {@code protect} (the same file, also through a symbolic or hard link), that its folder exists
     * and can be written to, and that it is not a folder itself.
     */
    public static void checkTarget(Path target, Collection<Path> protect) throws PasticheException {
        Format.forPath(target).orElseThrow(() -> new PasticheException(PasticheException.Reason.UNSUPPORTED_OUTPUT_TYPE,
                target + ": unsupported output type; use .png, .jpg or .jpeg"));
        for (Path p : protect) {
            if (sameFile(p, target)) {
                throw new PasticheException(PasticheException.Reason.OVERWRITES_INPUT, target + ": refusing to write over an input file"
                        + (p.equals(target) ? "" : " (" + p + ")"));
            }
        }
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new PasticheException(PasticheException.Reason.FOLDER_MISSING, target + ": the folder " + dir + " does not exist", dir);
        }
        if (!Files.isWritable(dir)) {
            throw new PasticheException(PasticheException.Reason.FOLDER_NOT_WRITABLE, target
                    + ": permission denied: cannot create files in the folder " + dir, dir);
        }
        if (Files.isDirectory(abs)) {
            throw new PasticheException(PasticheException.Reason.NOT_A_FILE, target + ": is a folder");
        }
        int nameBytes = abs.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (nameBytes > MAX_NAME_BYTES) {
            throw new PasticheException(PasticheException.Reason.WRITE_FAILED, target + ": the file name is too long ("
                    + nameBytes + " bytes; file systems allow " + MAX_NAME_BYTES + ")");
        }
    }

    /** The longest file name most file systems take (ext4, XFS, APFS, NTFS in UTF-16 units). */
    static final int MAX_NAME_BYTES = 255;

    /**
     * Writes atomically: to a temporary file in the target's folder (created with the umask's
     * permissions, like any new file), renamed over the target at the end. The write stops when
     * {@code cancel} fires or the process is told to stop (then the temporary file is removed,
     * also by the shutdown hook); temporary files of a run that was killed are removed from the
     * folder first. PNG is tagged sRGB, JPEG carries the sRGB profile.
     *
     * @param jpegQuality 0..1, used for JPEG only
     * @param protect     files that must never be written over (compared as the same file on disk)
     */
    public static void write(RgbaImage image, Path target, float jpegQuality, Collection<Path> protect,
            CancellationToken cancel) throws PasticheException {
        if (!(jpegQuality > 0f && jpegQuality <= 1f)) {
            throw new IllegalArgumentException("JPEG quality must be in (0, 1], was " + jpegQuality);
        }
        checkTarget(target, protect);
        Format format = Format.forPath(target).orElseThrow();
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = ExportTemps.prepare(dir);
        try {
            ExportTemps.register(tmp);
            try (OutputStream os = ExportTemps.create(tmp, cancel)) {
                ImageEncoders.encode(format, image, os, jpegQuality);
            }
            cancel.throwIfCancelled();
            ExportTemps.commit(tmp, abs);
            tmp = null;
        } catch (IOException | RuntimeException e) {
            if (ExportTemps.stopped(e) || cancel.isCancelled()) {
                throw new CancelledException();
            }
            throw writeFailure(target, dir, e);
        } finally {
            if (tmp != null) {
                ExportTemps.discard(tmp);
            }
        }
    }

    /** Encodes {@code image} onto {@code out} (not closed), as {@link #write} would; no file (measurements, warm-ups). */
    public static void encode(Format format, RgbaImage image, OutputStream out) throws IOException {
        ImageEncoders.encode(format, image, out, DEFAULT_JPEG_QUALITY);
    }

    /**
     * PNG encoders side by side, for {@code bench --png}: {@code "imageio"} (ImageIO's writer, the
     * exporter's before) or the exporter's own on {@code threads} threads.
     */
    public static void encodePngWith(String encoder, int threads, RgbaImage image, OutputStream out) throws IOException {
        if (encoder.equals("imageio")) {
            ImageEncoders.encodePngWithImageIo(image, out);
        } else {
            new PngEncoder(PngEncoder.LEVEL, threads, PngEncoder.BAND_BYTES).write(image, out);
        }
    }

    /** The real cause, in words, never the temporary file's name. */
    static PasticheException writeFailure(Path target, Path dir, Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = c instanceof FileSystemException fse ? fse.getReason() : c.getMessage();
            String lower = m == null ? "" : m.toLowerCase(Locale.ROOT);
            if (lower.contains("no space left") || lower.contains("disk quota")) {
                return new PasticheException(PasticheException.Reason.DISK_FULL, target + ": cannot write the image: the disk is full ("
                        + m + ")", e, dir);
            }
            if (c instanceof AccessDeniedException || lower.contains("permission denied")) {
                return new PasticheException(PasticheException.Reason.FOLDER_NOT_WRITABLE, target
                        + ": permission denied: cannot create files in the folder " + dir, e, dir);
            }
            if (lower.contains("file name too long")) {
                return new PasticheException(PasticheException.Reason.WRITE_FAILED, target + ": the file name is too long", e);
            }
            if (lower.contains("read-only file system")) {
                return new PasticheException(PasticheException.Reason.FOLDER_NOT_WRITABLE, target
                        + ": the folder " + dir + " is on a read-only file system", e, dir);
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root instanceof FileSystemException fse ? fse.getReason() : root.getMessage();
        return new PasticheException(PasticheException.Reason.WRITE_FAILED, target + ": cannot write the image ("
                + (m == null ? root.getClass().getSimpleName() : m) + ")", e);
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
        } catch (IOException e) {
            // fall through to the path comparison
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
