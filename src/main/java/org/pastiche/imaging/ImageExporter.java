package org.pastiche.imaging;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.CancelledException;
import org.pastiche.core.PasticheException;

/**
 * Writes PNG or JPEG (chosen by the file extension) atomically: the image goes to a temporary
 * file in the target's folder, which is then renamed over the target, so that a reader never
 * sees half a file and a failed export leaves nothing behind. Refuses to write over the files it
 * is told to protect (the inputs).
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
        installHook();
        removeStaleTemps(dir);
        Path tmp = dir.resolve(TEMP_PREFIX + PID + "-" + COUNTER.incrementAndGet() + TEMP_SUFFIX);
        try {
            synchronized (LOCK) {
                if (shuttingDown) {
                    throw new CancelledException();
                }
                LIVE.add(tmp);
            }
            try (OutputStream os = new StoppableOutputStream(new BufferedOutputStream(
                    Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16), cancel);
                    ImageOutputStream ios = new MemoryCacheImageOutputStream(os)) {
                if (format == Format.PNG) {
                    writeWith("png", image.hasAlpha() ? wrap(image, true) : wrap(image, false), ios, null);
                } else {
                    writeWith("jpeg", wrap(image.hasAlpha() ? overWhite(image) : image, false), ios, jpegQuality);
                }
            }
            cancel.throwIfCancelled();
            synchronized (LOCK) {
                if (shuttingDown) {
                    throw new CancelledException();
                }
                try {
                    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
                }
                LIVE.remove(tmp);
            }
            tmp = null;
        } catch (IOException | RuntimeException e) {
            if (stopped(e) || cancel.isCancelled()) {
                throw new CancelledException();
            }
            throw writeFailure(target, dir, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a later export into this folder removes it
                }
                LIVE.remove(tmp);
            }
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

    private static boolean stopped(Throwable e) {
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
            Runtime.getRuntime().addShutdownHook(new Thread(ImageExporter::onShutdown, "pastiche-export-cleanup"));
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

    private static void writeWith(String format, BufferedImage img, ImageOutputStream ios, Float quality)
            throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) {
            throw new IOException("no " + format + " writer");
        }
        ImageWriter writer = writers.next();
        try {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (quality != null && param.canWriteCompressed()) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
            IIOMetadata metadata = srgbMetadata(writer, img, param, format);
            writer.write(null, new IIOImage(img, null, metadata), param);
        } finally {
            writer.dispose();
        }
    }

    /**
     * Metadata that says "sRGB": PNG's sRGB chunk (with the gAMA and cHRM that go with it, for
     * older readers), JPEG's APP2 ICC profile; null (no tag) where the writer cannot take it.
     */
    static IIOMetadata srgbMetadata(ImageWriter writer, BufferedImage img, ImageWriteParam param, String format) {
        try {
            IIOMetadata m = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), param);
            String name = m.getNativeMetadataFormatName();
            if (m.isReadOnly() || name == null) {
                return null;
            }
            IIOMetadataNode root = new IIOMetadataNode(name);
            if (format.equals("png") && name.equals("javax_imageio_png_1.0")) {
                IIOMetadataNode srgb = new IIOMetadataNode("sRGB");
                srgb.setAttribute("renderingIntent", "Perceptual");
                IIOMetadataNode gama = new IIOMetadataNode("gAMA");
                gama.setAttribute("value", "45455");
                IIOMetadataNode chrm = new IIOMetadataNode("cHRM");
                chrm.setAttribute("whitePointX", "31270");
                chrm.setAttribute("whitePointY", "32900");
                chrm.setAttribute("redX", "64000");
                chrm.setAttribute("redY", "33000");
                chrm.setAttribute("greenX", "30000");
                chrm.setAttribute("greenY", "60000");
                chrm.setAttribute("blueX", "15000");
                chrm.setAttribute("blueY", "6000");
                root.appendChild(chrm);
                root.appendChild(gama);
                root.appendChild(srgb);
                m.mergeTree(name, root);
                return m;
            }
            if (format.equals("jpeg") && name.equals("javax_imageio_jpeg_image_1.0")) {
                IIOMetadataNode tree = (IIOMetadataNode) m.getAsTree(name);
                org.w3c.dom.NodeList jfif = tree.getElementsByTagName("app0JFIF");
                if (jfif.getLength() == 0) {
                    return m;
                }
                IIOMetadataNode icc = new IIOMetadataNode("app2ICC");
                icc.setUserObject(ICC_Profile.getInstance(ColorSpace.CS_sRGB));
                jfif.item(0).appendChild(icc);
                m.setFromTree(name, tree);
                return m;
            }
            return m;
        } catch (RuntimeException | javax.imageio.metadata.IIOInvalidTreeException e) {
            return null; // untagged is still sRGB by convention
        }
    }

    /** A BufferedImage over the same int[] (no copy); without alpha the top byte is ignored. */
    static BufferedImage wrap(RgbaImage image, boolean alpha) {
        DirectColorModel cm = alpha
                ? new DirectColorModel(32, 0x00FF0000, 0x0000FF00, 0x000000FF, 0xFF000000)
                : new DirectColorModel(24, 0x00FF0000, 0x0000FF00, 0x000000FF, 0);
        DataBufferInt buffer = new DataBufferInt(image.argb(), image.argb().length);
        WritableRaster raster = Raster.createPackedRaster(buffer, image.width(), image.height(), image.width(),
                cm.getMasks(), null);
        return new BufferedImage(cm, raster, false, null);
    }

    /** JPEG has no alpha: composite over white, as most viewers show transparency. */
    static RgbaImage overWhite(RgbaImage image) {
        int[] src = image.argb();
        int[] out = new int[src.length];
        for (int i = 0; i < src.length; i++) {
            int p = src[i];
            int a = p >>> 24;
            int r = ((p >> 16) & 0xFF) * a + 255 * (255 - a);
            int g = ((p >> 8) & 0xFF) * a + 255 * (255 - a);
            int b = (p & 0xFF) * a + 255 * (255 - a);
            out[i] = 0xFF000000 | (r + 127) / 255 << 16 | (g + 127) / 255 << 8 | (b + 127) / 255;
        }
        return new RgbaImage(image.width(), image.height(), out);
    }
}
