package org.pastiche.ui;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StrokeScale;
import org.pastiche.inference.StyleModel;
import org.pastiche.inference.StyleOptions;
import org.pastiche.inference.Stylizer;
import org.pastiche.ui.export.ExportViewModel;
import org.pastiche.ui.gallery.LiveGallery;
import org.pastiche.ui.photo.PhotoLoader;
import org.pastiche.ui.photo.PhotoSession;
import org.pastiche.ui.photo.PreviewSize;
import org.pastiche.ui.preview.FullResolutionPass;
import org.pastiche.ui.preview.PreviewPipeline;
import org.pastiche.ui.preview.PreviewQuality;
import org.pastiche.ui.preview.Rendered;
import org.pastiche.ui.preview.ShownPainting;

/**
 * The main window's state: the photo, the chosen style, the before/after pictures and their options.
 * It wires the pieces that do the work: {@link PhotoLoader} opens photos, {@link PreviewPipeline}
 * paints the view-sized preview (quick, then sharp), {@link FullResolutionPass} the photo's own
 * resolution at 100 %. Each of them lets only its latest request deliver. Touched on the UI thread only.
 */
public final class MainViewModel {
    private final Stylizer stylizer;
    private final ImagingService imaging;
    private final TaskRunner runner;
    private final AppSettings settings;
    private final I18n i18n;
    private final PhotoLoader loader;
    private final PreviewPipeline preview;
    private final FullResolutionPass full;
    private final StyleWarmer warmer;
    private final LiveGallery gallery;

    private final StyleChoice styles;
    private final ReadOnlyObjectWrapper<PhotoSession> photo = new ReadOnlyObjectWrapper<>(this, "photo");
    private final ReadOnlyObjectWrapper<RgbaImage> beforeImage = new ReadOnlyObjectWrapper<>(this, "beforeImage");
    private final ReadOnlyObjectWrapper<ShownPainting> shown = new ReadOnlyObjectWrapper<>(this, "shown");
    private final StringBinding photoSize;
    private final ReadOnlyObjectWrapper<Notice> notice = new ReadOnlyObjectWrapper<>(this, "notice");
    private final DoubleProperty strength = new SimpleDoubleProperty(this, "strength", 1.0);
    private final BooleanProperty keepColors = new SimpleBooleanProperty(this, "keepColors");
    private final BooleanProperty darkTheme = new SimpleBooleanProperty(this, "darkTheme");
    private final BooleanProperty actualSize = new SimpleBooleanProperty(this, "actualSize");
    private final IntegerProperty viewportLongSide = new SimpleIntegerProperty(this, "viewportLongSide",
            PreviewSize.MAX_LONG_SIDE);
    private final BooleanBinding hasResult = shown.isNotNull();
    private final BooleanBinding canExport;

    public MainViewModel(Stylizer stylizer, ImagingService imaging, TaskRunner runner, AppSettings settings, I18n i18n) {
        this.stylizer = stylizer;
        this.imaging = imaging;
        this.runner = runner;
        this.settings = settings;
        this.i18n = i18n;
        this.loader = new PhotoLoader(imaging, runner);
        this.full = new FullResolutionPass(stylizer, runner, this::options);
        this.preview = new PreviewPipeline(stylizer, runner, this::options, full.strokeScaleProperty()::get);
        this.styles = new StyleChoice(stylizer, settings);
        this.warmer = new StyleWarmer(stylizer, runner, styles::refresh);
        this.gallery = new LiveGallery(stylizer, imaging, runner);
        photoSize = Bindings.createStringBinding(() -> photo.get() == null || !photo.get().hasOriginal() ? ""
                : i18n.get("photo.size", photo.get().original().width(), photo.get().original().height()),
                photo, i18n.localeProperty());
        canExport = Bindings.createBooleanBinding(() -> shown.get() != null && shown.get().isSharp()
                && photo.get() != null && photo.get().hasOriginal(), shown, photo);

        loader.onPreview(this::showPhoto);
        loader.onOriginal(this::originalDecoded);
        loader.onFailure(failure -> {
            paintGallery(); // the photo on show stays: its tiles go on
            notice.set(Notice.error(ErrorReasons.openFailed(i18n, failure)));
        });
        preview.onPainting(this::previewPainted);
        preview.onFailure((id, error) -> {
            full.cancel(); // the full-resolution pass would fail the same way
            styles.refresh(id);
            notice.set(Notice.error(ErrorReasons.styleFailed(i18n, styles.name(id, i18n.getLocale()), error)));
        });
        full.onPainting(rendered -> { showImages(); full.refinish(); }); // the options may have changed meanwhile
        full.onFailure((id, error) -> notice.set(Notice.error(
                ErrorReasons.styleFailed(i18n, styles.name(id, i18n.getLocale()), error))));

        darkTheme.set(settings.darkTheme());
        darkTheme.addListener((obs, old, dark) -> settings.setDarkTheme(dark));
        settings.strokeScale().ifPresent(full.strokeScaleProperty()::set); // else the stylizer's own (as the engine was made)
        full.strokeScaleProperty().addListener((obs, old, now) -> {
            settings.setStrokeScale(now);
            preview.forgetPaintings(); // the preview paints at the stroke size too
            restartPreview();
        });
        i18n.localeProperty().addListener((obs, old, locale) -> settings.setLanguage(locale));
        strength.addListener((obs, old, now) -> refinish()); keepColors.addListener((obs, old, now) -> refinish());
        actualSize.addListener((obs, old, now) -> {
            showImages();
            ensureFull();
        });
        viewportLongSide.addListener((obs, old, now) -> previewForView());
    }

    /** Lists the styles, picks the last used (or first available) one and opens {@code file} if given. */
    public void start(Optional<Path> file) {
        if (!styles.load()) {
            notice.set(Notice.error(i18n.get("error.no-styles")));
        }
        // The session is created on the inference thread while the photo decodes on the I/O thread.
        StyleModel chosen = styles.selectedProperty().get();
        if (chosen != null) {
            warmer.warmFirst(chosen.id());
        }
        file.ifPresent(this::open);
    }

    // ---- photo ----

    /** Opens a photo file (from the open dialog, a drop, the clipboard or the command line). */
    public void open(Path file) {
        gallery.cancel(); // a new photo comes first
        loader.open(file, previewSide());
    }

    /** Opens the first of several files, as a drop of many files does. */
    public void open(List<Path> files) {
        files.stream().findFirst().ifPresent(this::open);
    }

    /** Opens an image that has no file, such as one pasted from the clipboard. */
    public void open(RgbaImage image, String name) {
        gallery.cancel();
        loader.open(image, name, previewSide());
    }

    private int previewSide() {
        return PreviewSize.forViewport(viewportLongSide.get());
    }

    private void showPhoto(PhotoSession session) {
        session.folder().ifPresent(settings::setLastFolder);
        gallery.forget();
        full.forget(); // one full-resolution result, of the current photo only
        photo.set(session);
        preview.setPhoto(session);
        shown.set(null);
        beforeImage.set(session.preview());
        restartPreview();
    }

    private void originalDecoded(PhotoSession session) {
        photo.set(session);
        if (preview.setPhoto(session)) {
            restartPreview(); // native strokes: the preview's network follows the photo's size
        } else {
            showImages();
            ensureFull();
        }
        previewForView(); // the view may have grown while the photo was decoding
    }

    /** The view grew well past the preview (a lasting change; the view waits for the resize to settle): a larger
     * preview is scaled from the original and painted again; meanwhile the painting on show is drawn larger. */
    private void previewForView() {
        if (PreviewSize.needsLarger(photo.get(), viewportLongSide.get())) {
            loader.resize(photo.get(), previewSide(), this::previewResized);
        }
    }

    private void previewResized(PhotoSession session) {
        photo.set(session);
        preview.setPhoto(session);
        showImages();
        preview.render(styles.selectedId());
    }

    // ---- styles ----

    public void selectStyle(StyleModel style) {
        if (style == null || style.equals(styles.selectedProperty().get())) {
            return;
        }
        if (!style.available()) {
            notice.set(Notice.error(i18n.get("error.style-unavailable", style.name(i18n.getLocale()),
                    ErrorReasons.unavailable(i18n, style))));
            return;
        }
        styles.choose(style);
        restartPreview();
    }

    public void selectStyle(String id) {
        styles.byId(id).ifPresent(this::selectStyle);
    }
    /** Adds a style made while the app runs (a painting saved as a style) to the gallery. */
    public void addStyle(StyleModel style) {
        styles.add(style);
    }

    private void restartPreview() {
        full.cancel();
        preview.render(styles.selectedId());
        showImages(); // never another style's painting under this style's name: the photo meanwhile
        ensureFull(); // queued behind the previews on the one inference thread
    }

    private void previewPainted(Rendered rendered) {
        showImages();
        if (rendered.quality() == PreviewQuality.SHARP) {
            warmer.warmOthers(styles.othersAvailable(rendered.styleId()));
            paintGallery();
        }
    }

    private void paintGallery() {
        if (preview.sharp().isPresent()) {
            gallery.paint(photo.get(), styles.styles().stream().filter(StyleModel::available).map(StyleModel::id).toList());
        }
    }

    /** Shows the pictures that go with the zoom: the preview pair when fitted (or the full-resolution painting scaled
     * down, once computed); at 100 % the original and the full-resolution painting (meanwhile the preview, scaled up). */
    private void showImages() {
        PhotoSession session = photo.get();
        if (session == null) {
            return;
        }
        beforeImage.set(actualSize.get() && session.hasOriginal() ? session.original() : session.preview());
        Optional<Rendered> painting = preview.current().filter(p -> p.styleId().equals(styles.selectedId()));
        Optional<ShownPainting> fullPainting = painting.flatMap(p -> actualSize.get()
                ? full.kept(session, p.styleId()).map(Rendered::shown) : full.fitted(session, p.styleId(), options()));
        shown.set(fullPainting.or(() -> painting.map(Rendered::shown)).orElse(null));
    }

    /** At 100 %, makes sure the chosen style's full-resolution painting exists or is on its way. */
    private void ensureFull() {
        if (actualSize.get()) {
            full.ensure(photo.get(), styles.selectedId());
        }
    }

    public StyleOptions options() {
        return new StyleOptions(Math.max(0, Math.min(1, strength.get())), keepColors.get());
    }

    /** Re-applies strength and keep-colours without running the network (to the full result too, if on show). */
    private void refinish() {
        preview.refinish(); // first: the smaller picture is there sooner
        if (actualSize.get() || full.kept(photo.get(), styles.selectedId()).isPresent()) {
            full.refinish();
        }
    }

    // ---- export ----

    /** A snapshot of the current photo and style for the export dialog, or empty if nothing to export. */
    public Optional<ExportViewModel> exportViewModel() {
        PhotoSession session = photo.get();
        Optional<Rendered> sharp = preview.sharp();
        if (session == null || !session.hasOriginal() || sharp.isEmpty()) {
            return Optional.empty();
        }
        // A photo's own folder; for a pasted image the last export's folder, else Pictures, never the samples.
        var source = ExportViewModel.Source.of(session, sharp.get(), full.kept(session, sharp.get().styleId()),
                options(), full.strokeScaleProperty().get(), session.folder().orElseGet(settings::defaultExportFolder));
        return Optional.of(new ExportViewModel(source, stylizer, imaging, runner, i18n, settings, notice::set));
    }

    /** The current after-image at view resolution (for the clipboard). */
    public Optional<RgbaImage> currentResult() {
        return Optional.ofNullable(shown.get()).map(ShownPainting::image);
    }

    /** Cancels every piece of work this view model started. */
    public void dispose() {
        warmer.cancel();
        gallery.cancel();
        full.cancel();
        preview.cancel();
        loader.cancel();
    }
    public void notify(Notice value) {
        notice.set(value);
    }

    public ObservableList<StyleModel> styles() {
        return styles.styles();
    }

    public ReadOnlyObjectProperty<StyleModel> selectedStyleProperty() {
        return styles.selectedProperty();
    }

    /** The photo on show; the same photo is set again once its full resolution is decoded. */
    public ReadOnlyObjectProperty<PhotoSession> photoProperty() {
        return photo.getReadOnlyProperty();
    }

    /** The gallery's tiles painted from the photo on show, by style id (lowest priority, in the background). */
    public ObservableMap<String, RgbaImage> galleryTiles() {
        return gallery.tiles();
    }

    public ReadOnlyObjectProperty<RgbaImage> beforeImageProperty() {
        return beforeImage.getReadOnlyProperty();
    }

    /** The painting on show (its style, quality and pixels together), or null before the first. */
    public ReadOnlyObjectProperty<ShownPainting> shownProperty() {
        return shown.getReadOnlyProperty();
    }

    public StringBinding photoSizeProperty() {
        return photoSize;
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loader.loadingProperty();
    }

    public ReadOnlyBooleanProperty stylizingProperty() {
        return preview.stylizingProperty();
    }

    /** The latest message for the person; a new {@link Notice} object each time. */
    public ReadOnlyObjectProperty<Notice> noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    public DoubleProperty strengthProperty() {
        return strength;
    }

    public BooleanProperty keepColorsProperty() {
        return keepColors;
    }

    public BooleanProperty darkThemeProperty() {
        return darkTheme;
    }

    /** True while the view shows 100 %: the before side is then the original, and the after side the
     * painting at the photo's resolution, computed in the background on first need. */
    public BooleanProperty actualSizeProperty() {
        return actualSize;
    }

    /** The stroke size of the preview, the 100 % view and the export (persisted). */
    public ObjectProperty<StrokeScale> strokeScaleProperty() {
        return full.strokeScaleProperty();
    }

    /** True while the full-resolution painting for the chosen style is being computed. */
    public ReadOnlyBooleanProperty fullResolutionPendingProperty() {
        return full.pendingProperty();
    }

    /** The full-resolution pass's progress, 0..1, or -1 while unknown. */
    public ReadOnlyDoubleProperty fullResolutionProgressProperty() {
        return full.progressProperty();
    }

    /** The compare area's long side in pixels, so that the sharp preview matches the view. */
    public IntegerProperty viewportLongSideProperty() {
        return viewportLongSide;
    }

    public BooleanBinding hasResultProperty() {
        return hasResult;
    }

    public BooleanBinding canExportProperty() {
        return canExport;
    }

    /** Where the open dialog starts: the folder of the last photo. */
    public Optional<Path> lastFolder() {
        return settings.lastFolder();
    }
}
