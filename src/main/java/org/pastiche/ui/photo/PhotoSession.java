package org.pastiche.ui.photo;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.pastiche.imaging.RgbaImage;

/**
 * One opened photo, immutable: the screen-sized preview and its quick (256 px) copy at once, the
 * full-resolution original once decoded ({@link #withOriginal}), a larger preview when the view
 * grows ({@link #withPreview}). Two sessions are the same photo when they share the quick copy,
 * which never changes, whatever else they know.
 *
 * @param file     where the photo came from; empty for an image pasted or dropped without a file
 * @param original the decoded full resolution, or {@code null} while it is still being decoded
 */
public record PhotoSession(Optional<Path> file, String name, RgbaImage preview, RgbaImage quick, RgbaImage original) {

    public PhotoSession {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(preview, "preview");
        Objects.requireNonNull(quick, "quick");
    }

    /** The same photo, now with its full resolution. */
    public PhotoSession withOriginal(RgbaImage full) {
        return new PhotoSession(file, name, preview, quick, Objects.requireNonNull(full, "full"));
    }

    /** The same photo with a preview of another size (the quick copy stays). */
    public PhotoSession withPreview(RgbaImage larger) {
        return new PhotoSession(file, name, Objects.requireNonNull(larger, "larger"), quick, original);
    }

    public boolean hasOriginal() {
        return original != null;
    }

    /** True for the same opened photo (a session with or without its original). */
    public boolean isSamePhoto(PhotoSession other) {
        return other != null && other.quick == quick;
    }

    /** True if the quick pass is worth running: smaller than the preview, yet not too thin to paint. */
    public boolean hasQuickPass() {
        return quick.width() < preview.width() && Math.min(quick.width(), quick.height()) >= PhotoLoader.MIN_SIDE;
    }

    /**
     * True if the photo is larger than its preview, so that 100 % needs a painting at the photo's own
     * resolution; false while the original is unknown.
     */
    public boolean needsFullResolutionPass() {
        return original != null && (original.width() > preview.width() || original.height() > preview.height());
    }

    /** The folder of the file, if the photo has one. */
    public Optional<Path> folder() {
        return file.map(Path::toAbsolutePath).map(Path::getParent);
    }

    /** The name without its extension, for export names ({@code photo} if nothing is left). */
    public String baseName() {
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return base.isBlank() ? "photo" : base;
    }
}
