package org.pastiche.ui.gallery;

import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StyleModel;
import org.pastiche.inference.Stylizer;
import org.pastiche.ui.ImagingService;
import org.pastiche.ui.MainViewModel;
import org.pastiche.ui.TaskRunner;
import org.pastiche.ui.photo.PhotoSession;
import org.pastiche.ui.preview.ShownPainting;

/**
 * "Compare styles": the photo in every style at once, a click chooses one and goes back. The cells are
 * painted by a second {@link LiveGallery} (the strip's background renders: one at a time, lowest priority),
 * from the whole photo at {@value #CELL_SIDE} px, once the grid is first opened for a photo and its sharp
 * preview is on show; they stay for the photo on show (cached, also while the grid is closed), a new photo
 * cancels them. Until a cell is painted it shows the strip's tile or the style's thumbnail. UI thread only.
 */
public final class StyleGrid {
    /** The long side of a cell's painting. */
    public static final int CELL_SIDE = 320;

    private final LiveGallery cells;
    private final ObservableList<StyleModel> styles;
    private final ReadOnlyObjectProperty<PhotoSession> photo;
    private final ReadOnlyObjectProperty<ShownPainting> shown;
    private final Consumer<StyleModel> choose;
    private final ReadOnlyBooleanWrapper showing = new ReadOnlyBooleanWrapper(this, "showing");
    private PhotoSession painted;

    /**
     * @param loading true while another photo is being opened (the cells under way stop)
     * @param choose  chooses a style, as a click in the strip does
     */
    public StyleGrid(Stylizer stylizer, ImagingService imaging, TaskRunner runner, ObservableList<StyleModel> styles,
            ReadOnlyObjectProperty<PhotoSession> photo, ReadOnlyObjectProperty<ShownPainting> shown,
            ReadOnlyBooleanProperty loading, Consumer<StyleModel> choose) {
        this.cells = new LiveGallery(stylizer, runner, session -> imaging.fit(session.preview(), CELL_SIDE));
        this.styles = styles;
        this.photo = photo;
        this.shown = shown;
        this.choose = choose;
        photo.addListener((obs, old, now) -> {
            if (now == null || !now.isSamePhoto(painted)) {
                cells.forget();
                painted = null;
            }
            paint();
        });
        loading.addListener((obs, was, now) -> {
            if (now) {
                cells.cancel(); // a new photo comes first
            }
        });
        shown.addListener((obs, old, now) -> paint());
    }

    /** The grid of {@code vm}'s photo and styles; a click chooses the style in {@code vm}. */
    public static StyleGrid of(Stylizer stylizer, ImagingService imaging, TaskRunner runner, MainViewModel vm) {
        return new StyleGrid(stylizer, imaging, runner, vm.styles(), vm.photoProperty(), vm.shownProperty(),
                vm.loadingProperty(), vm::selectStyle);
    }

    /** Shows the grid and paints the cells still missing. */
    public void open() {
        showing.set(true);
        paint();
    }

    /** Back to the picture. */
    public void close() {
        showing.set(false);
    }

    /** Chooses {@code style} (an unavailable one is refused, as in the strip) and goes back to the picture. */
    public void choose(StyleModel style) {
        choose.accept(style);
        close();
    }

    private void paint() {
        ShownPainting onShow = shown.get();
        PhotoSession session = photo.get();
        if (!showing.get() || session == null || onShow == null || !onShow.isSharp()) {
            return; // lowest priority: after the sharp preview
        }
        painted = session;
        cells.paint(session, styles.stream().filter(StyleModel::available).map(StyleModel::id).toList());
    }

    /** Stops the cells under way (the window closes). */
    public void cancel() {
        cells.cancel();
    }

    /** Style id to its cell's painting, for the photo on show. */
    public ObservableMap<String, RgbaImage> cells() {
        return cells.tiles();
    }

    public ObservableList<StyleModel> styles() {
        return styles;
    }

    /** True while the grid is on show instead of the picture. */
    public ReadOnlyBooleanProperty showingProperty() {
        return showing.getReadOnlyProperty();
    }
}
