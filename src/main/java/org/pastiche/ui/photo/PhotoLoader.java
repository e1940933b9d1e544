package org.pastiche.ui.photo;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.ui.ImagingService;
import org.pastiche.ui.TaskRunner;
import org.pastiche.ui.task.LatestTask;

/**
 * Opens photos on the I/O lane: the screen-sized preview first (the decoder skips pixels), then the
 * full resolution, which only export and 100 % need. A newer photo supersedes an older one at any
 * step; the callbacks of a superseded photo never arrive.
 */
public final class PhotoLoader {
    /** The smallest picture the first, quick pass paints (long side, pixels). */
    public static final int QUICK_LONG_SIDE = 256;

    /** The shortest side, in the preview, that a style network paints well. */
    public static final int MIN_SIDE = 16;

    /** A photo too small or too thin to paint: its preview's size says why, in the person's words. */
    public static final class TooSmallException extends Exception {
        private final int width;
        private final int height;

        TooSmallException(int width, int height) {
            super("too small to paint: " + width + " x " + height + " px");
            this.width = width;
            this.height = height;
        }

        public int width() {
            return width;
        }

        public int height() {
            return height;
        }
    }

    /** A photo that could not be opened: its name, its file if any, and why. */
    public record Failure(String name, Optional<Path> file, Throwable error) { }

    @FunctionalInterface
    private interface PreviewDecoder {
        RgbaImage decode(int maxLongSide) throws Exception;
    }

    private final ImagingService imaging;
    private final LatestTask task;
    private final LatestTask resizeTask;
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private Consumer<PhotoSession> onPreview = session -> { };
    private Consumer<PhotoSession> onOriginal = session -> { };
    private Consumer<Failure> onFailure = failure -> { };

    public PhotoLoader(ImagingService imaging, TaskRunner runner) {
        this.imaging = imaging;
        this.task = new LatestTask(runner, TaskRunner.Lane.IO);
        this.resizeTask = new LatestTask(runner, TaskRunner.Lane.IO);
    }

    /** Called with a new photo's session as soon as its preview is decoded (no original yet). */
    public void onPreview(Consumer<PhotoSession> callback) {
        onPreview = callback;
    }

    /** Called with the same photo's session once its full resolution is decoded. */
    public void onOriginal(Consumer<PhotoSession> callback) {
        onOriginal = callback;
    }

    public void onFailure(Consumer<Failure> callback) {
        onFailure = callback;
    }

    /** Opens a file; {@code previewSide} is the preview's long side. */
    public void open(Path file, int previewSide) {
        load(String.valueOf(file.getFileName()), Optional.of(file), null,
                side -> imaging.loadPreview(file, side), previewSide);
    }

    /** Opens an image that has no file (pasted or dropped): it is its own original. */
    public void open(RgbaImage image, String name, int previewSide) {
        load(name, Optional.empty(), image, side -> imaging.fit(image, side), previewSide);
    }

    /**
     * Scales a larger preview from the decoded original, for a view that grew; {@code done} gets the
     * same photo with it. A newer photo or resize supersedes it.
     */
    public void resize(PhotoSession session, int previewSide, Consumer<PhotoSession> done) {
        if (!session.hasOriginal()) {
            return;
        }
        resizeTask.run((progress, cancel) -> session.withPreview(imaging.fit(session.original(), previewSide)))
                .onSuccess(done)
                .start();
    }

    private void load(String name, Optional<Path> file, RgbaImage inMemory, PreviewDecoder decoder, int previewSide) {
        resizeTask.cancel();
        loading.set(true);
        task.run((progress, cancel) -> {
            RgbaImage preview = decoder.decode(previewSide);
            cancel.throwIfCancelled();
            if (Math.min(preview.width(), preview.height()) < MIN_SIDE) {
                // A 1 x 1 or a 7 x 2000 photo: a clear reason instead of a failing network or a blank.
                throw new TooSmallException(inMemory != null ? inMemory.width() : preview.width(),
                        inMemory != null ? inMemory.height() : preview.height());
            }
            RgbaImage quick = imaging.fit(preview, QUICK_LONG_SIDE);
            return new PhotoSession(file, name, preview, quick, inMemory);
        }).onSuccess(session -> {
            loading.set(false);
            onPreview.accept(session);
            if (!session.hasOriginal()) {
                loadOriginal(session);
            }
        }).onFailure(error -> {
            loading.set(false);
            onFailure.accept(new Failure(name, file, error));
        }).onCancelled(() -> loading.set(false)).start();
    }

    private void loadOriginal(PhotoSession session) {
        Path file = session.file().orElseThrow();
        task.run((progress, cancel) -> imaging.load(file))
                .onSuccess(full -> onOriginal.accept(session.withOriginal(full)))
                .onFailure(error -> onFailure.accept(new Failure(session.name(), session.file(), error)))
                .join();
    }

    /** Stops whatever is being opened. */
    public void cancel() {
        task.cancel();
        resizeTask.cancel();
    }

    /** True while a photo's preview is being decoded. */
    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }
}
