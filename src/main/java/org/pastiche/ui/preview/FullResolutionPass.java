package org.pastiche.ui.preview;

import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.SimpleObjectProperty;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StrokeScale;
import org.pastiche.inference.StyleOptions;
import org.pastiche.inference.Stylizer;
import org.pastiche.ui.TaskRunner;
import org.pastiche.ui.photo.PhotoSession;
import org.pastiche.ui.task.LatestTask;

/**
 * The painting at the photo's own resolution (100 % and export): one background pass on the
 * inference lane, queued behind the previews, with progress; a newer style or photo supersedes it.
 * One result is kept: the next style's replaces it, a new photo drops it, and strength and
 * keep-colours re-finish it without the network. It paints at the chosen {@link #strokeScaleProperty()
 * stroke size} (as the export does); a new stroke size drops the kept result. Fit shows it too, scaled
 * down to the view once it is there ({@link #fitted}).
 */
public final class FullResolutionPass {
    private final Stylizer stylizer;
    private final Supplier<StyleOptions> options;
    private final LatestTask task;
    private final Refinisher refinisher;
    private final FittedPainting fitted;
    private final ReadOnlyBooleanWrapper pending = new ReadOnlyBooleanWrapper(this, "pending");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", -1);
    private final ObjectProperty<StrokeScale> strokeScale = new SimpleObjectProperty<>(this, "strokeScale");
    private Rendered kept;
    private PhotoSession keptPhoto;
    private String jobStyle;
    private Consumer<Rendered> onPainting = rendered -> { };
    private BiConsumer<String, Throwable> onFailure = (styleId, error) -> { };

    public FullResolutionPass(Stylizer stylizer, TaskRunner runner, Supplier<StyleOptions> options) {
        this.stylizer = stylizer;
        this.options = options;
        this.task = new LatestTask(runner, TaskRunner.Lane.INFERENCE);
        this.refinisher = new Refinisher(stylizer, runner);
        this.fitted = new FittedPainting(runner);
        fitted.onReady(() -> {
            if (kept != null) {
                onPainting.accept(kept);
            }
        });
        strokeScale.set(StrokePainting.scaleOf(stylizer));
        strokeScale.addListener((obs, old, now) -> forget()); // a painting at another stroke size
    }

    /** Called with the kept painting when it arrives, when it is re-finished and when it is {@link #fitted}. */
    public void onPainting(Consumer<Rendered> callback) {
        onPainting = callback;
    }

    public void onFailure(BiConsumer<String, Throwable> callback) {
        onFailure = callback;
    }

    /**
     * Makes sure the painting of {@code photo} in {@code styleId} exists or is on its way; a kept one
     * is re-finished if the options changed. Nothing to do for a photo no larger than its preview.
     */
    public void ensure(PhotoSession photo, String styleId) {
        if (photo == null || styleId == null || !photo.needsFullResolutionPass()) {
            return;
        }
        if (kept(photo, styleId).isPresent()) {
            refinish();
            return;
        }
        if (styleId.equals(jobStyle)) {
            return; // already on its way
        }
        jobStyle = styleId;
        pending.set(true);
        progress.set(-1);
        RgbaImage source = photo.original();
        StyleOptions asked = options.get();
        StrokeScale scale = strokeScale.get();
        task.run((report, cancel) -> {
            // the engine tiles large photos
            RgbaImage raw = StrokePainting.stylize(stylizer, source, styleId, scale, report, cancel);
            cancel.throwIfCancelled();
            return new Rendered(styleId, PreviewQuality.FULL, source, raw, asked, stylizer.finish(source, raw, asked));
        }).onProgress((done, total) -> {
            if (total > 0) {
                progress.set((double) done / total);
            }
        }).onSuccess(rendered -> {
            endJob();
            kept = rendered; // replaces the previous one: one full-resolution result is kept
            keptPhoto = photo;
            onPainting.accept(rendered);
        }).onFailure(error -> {
            endJob();
            onFailure.accept(styleId, error);
        }).onCancelled(this::endJob).start();
    }

    /** Applies the current strength and keep-colours to the kept painting, if they changed. */
    public void refinish() {
        Rendered base = kept;
        if (base == null) {
            return;
        }
        refinisher.refinish(base, options.get(), refinished -> {
            if (kept == base) {
                kept = refinished;
                onPainting.accept(refinished);
            }
        });
    }

    /** The kept painting if it is of {@code photo} in {@code styleId}. */
    public Optional<Rendered> kept(PhotoSession photo, String styleId) {
        return kept != null && keptPhoto != null && keptPhoto.isSamePhoto(photo) && kept.styleId().equals(styleId)
                ? Optional.of(kept) : Optional.empty();
    }

    /**
     * For Fit: the kept painting of {@code photo} in {@code styleId}, finished for {@code options}, scaled down to
     * the preview's size once that is done (in the background, once per painting and size); empty meanwhile,
     * or if there is no such painting.
     */
    public Optional<ShownPainting> fitted(PhotoSession photo, String styleId, StyleOptions options) {
        RgbaImage view = photo.preview();
        return kept(photo, styleId).filter(r -> r.options().equals(options))
                .flatMap(r -> fitted.get(r.finished(), view.width(), view.height()))
                .map(image -> new ShownPainting(styleId, PreviewQuality.FULL, image));
    }

    /** Stops the pass under way (a finished one stays kept). */
    public void cancel() {
        task.cancel();
        refinisher.cancel();
        endJob();
    }

    /** A new photo: stops the pass and drops the kept painting. */
    public void forget() {
        cancel();
        fitted.forget();
        kept = null;
        keptPhoto = null;
    }

    private void endJob() {
        jobStyle = null;
        pending.set(false);
        progress.set(-1);
    }

    /** The stroke size the full-resolution painting (and the export) is painted at. */
    public ObjectProperty<StrokeScale> strokeScaleProperty() {
        return strokeScale;
    }

    /** True while a painting at full resolution is being computed. */
    public ReadOnlyBooleanProperty pendingProperty() {
        return pending.getReadOnlyProperty();
    }

    /** The pass's progress, 0..1, or -1 while unknown. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }
}
