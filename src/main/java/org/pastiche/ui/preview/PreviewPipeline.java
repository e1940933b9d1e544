package org.pastiche.ui.preview;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StrokeScale;
import org.pastiche.inference.StyleOptions;
import org.pastiche.inference.Stylizer;
import org.pastiche.ui.TaskRunner;
import org.pastiche.ui.photo.PhotoSession;
import org.pastiche.ui.task.LatestTask;

/**
 * The view-sized painting of the photo in the chosen style: a quick low-resolution pass, then a sharp
 * one at the preview's size, both on the inference lane; a newer style or photo supersedes them. Sharp
 * paintings are cached per style (the last {@value #CACHED_PREVIEWS}), so going back to a style is
 * instant; strength and keep-colours re-finish the current painting without the network. Both passes
 * paint at the chosen stroke size, so that the preview looks like the export scaled down
 * ({@link StrokePainting#previewNetworkSize}); a new stroke size drops the paintings ({@link #forgetPaintings}).
 */
public final class PreviewPipeline {
    public static final int CACHED_PREVIEWS = 8;

    private final Stylizer stylizer;
    private final Supplier<StyleOptions> options;
    private final Supplier<StrokeScale> strokes;
    private final LatestTask passes;
    private final Refinisher refinisher;
    private final ReadOnlyBooleanWrapper stylizing = new ReadOnlyBooleanWrapper(this, "stylizing");
    private final Map<String, Rendered> sharpCache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Rendered> eldest) {
            return size() > CACHED_PREVIEWS;
        }
    };
    private PhotoSession photo;
    private Rendered current;
    private Consumer<Rendered> onPainting = rendered -> { };
    private BiConsumer<String, Throwable> onFailure = (styleId, error) -> { };

    /** A pipeline that paints at the previews' own sizes (no stroke scale). */
    public PreviewPipeline(Stylizer stylizer, TaskRunner runner, Supplier<StyleOptions> options) {
        this(stylizer, runner, options, () -> null);
    }

    /**
     * {@code options} gives the strength and keep-colours of the moment a painting arrives; {@code strokes} the
     * stroke size of the moment a pass is queued (null: the previews' own sizes).
     */
    public PreviewPipeline(Stylizer stylizer, TaskRunner runner, Supplier<StyleOptions> options,
            Supplier<StrokeScale> strokes) {
        this.stylizer = stylizer;
        this.options = options;
        this.strokes = strokes;
        this.passes = new LatestTask(runner, TaskRunner.Lane.INFERENCE);
        this.refinisher = new Refinisher(stylizer, runner);
    }

    /** Called with every new current painting: a pass's result, a cached one, or a re-finished one. */
    public void onPainting(Consumer<Rendered> callback) {
        onPainting = callback;
    }

    /** Called when a pass fails, with the style's id; the passes still queued for it are dropped. */
    public void onFailure(BiConsumer<String, Throwable> callback) {
        onFailure = callback;
    }

    /**
     * A new photo: every painting of the one before is forgotten and its passes stop. The same photo
     * with its original decoded keeps everything; with a larger preview (or, at the native stroke size,
     * its original decoded: the network's size follows the photo's) it keeps the painting on show
     * (scaled up by the view) until {@link #render} paints again.
     *
     * @return true if the paintings were dropped and the chosen style needs {@link #render} again
     */
    public boolean setPhoto(PhotoSession session) {
        if (photo != null && photo.isSamePhoto(session)) {
            StrokeScale scale = strokes.get();
            boolean stale = photo.preview() != session.preview()
                    || !StrokePainting.previewNetworkSize(scale, photo.preview(), photo)
                            .equals(StrokePainting.previewNetworkSize(scale, session.preview(), session));
            photo = session;
            if (stale) {
                forgetPaintings(); // paintings of the old size
            }
            return stale;
        }
        photo = session;
        sharpCache.clear();
        current = null;
        cancel();
        return false;
    }

    /** Drops the cached paintings and stops the passes (a new stroke size); the painting on show stays until
     * {@link #render} paints again. */
    public void forgetPaintings() {
        sharpCache.clear();
        cancel();
    }

    /** Paints the photo in {@code styleId}: from the cache at once, else a quick and a sharp pass. */
    public void render(String styleId) {
        cancel();
        if (photo == null || styleId == null) {
            return;
        }
        Rendered cached = sharpCache.get(styleId);
        if (cached != null) {
            present(cached);
            return;
        }
        stylizing.set(true);
        PhotoSession session = photo;
        boolean sameStyleOnShow = current != null && current.styleId().equals(styleId);
        if (session.hasQuickPass() && !sameStyleOnShow) {
            LatestTask.Run run = pass(styleId, PreviewQuality.QUICK, session.quick()).start();
            pass(styleId, PreviewQuality.SHARP, session.preview()).join(run); // unless superseded meanwhile
        } else {
            pass(styleId, PreviewQuality.SHARP, session.preview()).start();
        }
    }

    private LatestTask.Request<Rendered> pass(String styleId, PreviewQuality quality, RgbaImage source) {
        StyleOptions asked = options.get();
        StrokeScale scale = strokes.get();
        PhotoSession session = photo;
        return passes.run((progress, cancel) -> {
            RgbaImage raw = StrokePainting.stylizePreview(stylizer, source, session, styleId, scale, cancel);
            cancel.throwIfCancelled();
            return new Rendered(styleId, quality, source, raw, asked, stylizer.finish(source, raw, asked));
        }).onSuccess(rendered -> {
            if (quality == PreviewQuality.SHARP) {
                sharpCache.put(styleId, rendered);
                stylizing.set(false);
            }
            present(rendered);
        }).onFailure(error -> {
            passes.cancel(); // the sharp pass would fail the same way
            stylizing.set(false);
            onFailure.accept(styleId, error);
        });
    }

    private void present(Rendered rendered) {
        if (current != null && current.quality() == PreviewQuality.SHARP && rendered.quality() == PreviewQuality.QUICK
                && current.styleId().equals(rendered.styleId())) {
            return; // never replace a sharp picture with a blurry one of the same style
        }
        current = rendered;
        refinisher.cancel(); // a re-finish of the painting before is stale now
        onPainting.accept(rendered);
        refinish();
    }

    /** Applies the current strength and keep-colours to the current painting, if they changed. */
    public void refinish() {
        Rendered base = current;
        if (base == null) {
            return;
        }
        refinisher.refinish(base, options.get(), refinished -> {
            current = refinished;
            if (refinished.quality() == PreviewQuality.SHARP) {
                sharpCache.put(refinished.styleId(), refinished);
            }
            onPainting.accept(refinished);
        });
    }

    /** Stops the passes and the re-finish under way. */
    public void cancel() {
        passes.cancel();
        refinisher.cancel();
        stylizing.set(false);
    }

    /** The current painting (quick or sharp), if any. */
    public Optional<Rendered> current() {
        return Optional.ofNullable(current);
    }

    /** The current painting if it is the sharp one. */
    public Optional<Rendered> sharp() {
        return current().filter(r -> r.quality() == PreviewQuality.SHARP);
    }

    /** True while a style's sharp painting is on its way. */
    public ReadOnlyBooleanProperty stylizingProperty() {
        return stylizing.getReadOnlyProperty();
    }
}
