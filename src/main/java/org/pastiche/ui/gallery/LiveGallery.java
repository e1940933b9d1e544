package org.pastiche.ui.gallery;

import java.util.List;
import java.util.function.Function;
import javafx.collections.FXCollections;
import javafx.collections.ObservableMap;
import org.pastiche.core.ProgressListener;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StrokeStylizer;
import org.pastiche.inference.Stylizer;
import org.pastiche.ui.ImagingService;
import org.pastiche.ui.TaskRunner;
import org.pastiche.ui.photo.PhotoSession;
import org.pastiche.ui.task.LatestTask;

/**
 * The gallery's tiles painted from the person's own photo: a square from the middle of the quick
 * copy, {@value #TILE_SIDE} px, in every style. Lowest priority: one tile at a time on the inference
 * lane, each queued only when the one before is done, so a style click waits for one small tile at
 * most; started once the photo's sharp preview is on show. A new photo cancels the rest and forgets
 * the tiles; the tiles of the photo on show stay (a resize keeps them). The gallery shows the style's
 * thumbnail until its tile is there.
 */
public final class LiveGallery {
    public static final int TILE_SIDE = 128;

    private final Stylizer stylizer;
    private final Function<PhotoSession, RgbaImage> tileOf;
    private final LatestTask task;
    private final ObservableMap<String, RgbaImage> tiles = FXCollections.observableHashMap();
    private final ObservableMap<String, RgbaImage> readOnlyTiles = FXCollections.unmodifiableObservableMap(tiles);
    private PhotoSession photo;

    public LiveGallery(Stylizer stylizer, ImagingService imaging, TaskRunner runner) {
        this(stylizer, runner, session -> imaging.fit(centreSquare(session.quick()), TILE_SIDE));
    }

    /** Tiles that {@code tileOf} cuts from the photo (the compare grid's: the whole photo, larger). */
    public LiveGallery(Stylizer stylizer, TaskRunner runner, Function<PhotoSession, RgbaImage> tileOf) {
        this.stylizer = StrokeStylizer.unwrap(stylizer); // paints at its own size, not at the stroke scale
        this.tileOf = tileOf;
        this.task = new LatestTask(runner, TaskRunner.Lane.INFERENCE);
    }

    /**
     * Paints the tiles of {@code session} in {@code styleIds}, in that order. For the photo on show,
     * only the tiles still missing (after a {@link #cancel()}), and nothing while they are on their way.
     */
    public void paint(PhotoSession session, List<String> styleIds) {
        if (session == null) {
            return;
        }
        if (photo != null && photo.isSamePhoto(session)) {
            if (task.isRunning()) {
                return;
            }
            styleIds = styleIds.stream().filter(id -> !tiles.containsKey(id)).toList();
        } else {
            photo = session;
            tiles.clear();
            task.cancel();
        }
        if (styleIds.isEmpty()) {
            return;
        }
        RgbaImage square = tileOf.apply(session);
        step(square, styleIds, 0).start();
    }

    private LatestTask.Request<RgbaImage> step(RgbaImage square, List<String> ids, int index) {
        String id = ids.get(index);
        Runnable next = () -> {
            if (index + 1 < ids.size()) {
                step(square, ids, index + 1).join();
            }
        };
        return task.run((progress, cancel) -> stylizer.stylize(square, id, ProgressListener.NONE, cancel))
                .onSuccess(tile -> {
                    tiles.put(id, tile);
                    next.run();
                })
                .onFailure(error -> next.run()); // that style keeps its thumbnail
    }

    /** A new photo is on its way: the tiles of the one before stop and go. */
    public void forget() {
        task.cancel();
        tiles.clear();
        photo = null;
    }

    /** Stops the tiles under way (another photo is being opened); those painted stay. */
    public void cancel() {
        task.cancel();
    }

    /** Style id to its tile for the photo on show; a style without a tile yet is missing. */
    public ObservableMap<String, RgbaImage> tiles() {
        return readOnlyTiles;
    }

    static RgbaImage centreSquare(RgbaImage image) {
        int side = Math.min(image.width(), image.height());
        int x0 = (image.width() - side) / 2;
        int y0 = (image.height() - side) / 2;
        int[] px = new int[side * side];
        for (int y = 0; y < side; y++) {
            System.arraycopy(image.argb(), (y0 + y) * image.width() + x0, px, y * side, side);
        }
        return new RgbaImage(side, side, px);
    }
}
