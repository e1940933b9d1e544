package org.pastiche.ui;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.ProgressListener;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StyleModel;
import org.pastiche.inference.StyleOptions;
import org.pastiche.inference.Stylizer;
import org.pastiche.ui.TaskRunner.Lane;
import org.pastiche.ui.export.ExportViewModel;

/**
 * The main window's state: the photo, the chosen style, the before/after preview and its options.
 * A style choice runs a quick low-resolution pass, then a sharp one at view size; a newer choice or
 * photo cancels older work, and results of superseded work are never shown. At 100 % ({@link
 * #actualSizeProperty()}) the before side is the original and the after side the painting at the
 * photo's own resolution, computed in the background (the upscaled preview shows meanwhile).
 */
public final class MainViewModel {
    /** QUICK: 256 px; SHARP: the view's size; FULL: the photo's own resolution (shown at 100 %). */
    public enum PreviewQuality { QUICK, SHARP, FULL }

    public static final int QUICK_LONG_SIDE = 256;
    public static final int MAX_PREVIEW_LONG_SIDE = 1024;
    private static final int CACHED_PREVIEWS = 8;

    /** A stylized preview: the raw network output and its source, so options can be re-applied. */
    private record Rendered(String styleId, PreviewQuality quality, RgbaImage source, RgbaImage raw,
                            StyleOptions options, RgbaImage finished) { }

    private record Loaded(Path file, String name, RgbaImage original, RgbaImage preview, RgbaImage quick) { }

    private final Stylizer stylizer;
    private final ImagingService imaging;
    private final TaskRunner runner;
    private final AppSettings settings;
    private final I18n i18n;
    private final PreviewTimings timings;

    private final ObservableList<StyleModel> styles = FXCollections.observableArrayList();
    private final ObservableList<StyleModel> readOnlyStyles = FXCollections.unmodifiableObservableList(styles);
    private final ReadOnlyObjectWrapper<StyleModel> selectedStyle = new ReadOnlyObjectWrapper<>(this, "selectedStyle");
    private final ReadOnlyObjectWrapper<RgbaImage> beforeImage = new ReadOnlyObjectWrapper<>(this, "beforeImage");
    private final ReadOnlyObjectWrapper<RgbaImage> afterImage = new ReadOnlyObjectWrapper<>(this, "afterImage");
    private final ReadOnlyStringWrapper afterStyleId = new ReadOnlyStringWrapper(this, "afterStyleId");
    private final ReadOnlyObjectWrapper<PreviewQuality> afterQuality = new ReadOnlyObjectWrapper<>(this, "afterQuality");
    private final ReadOnlyObjectWrapper<Path> photoPath = new ReadOnlyObjectWrapper<>(this, "photoPath");
    private final ReadOnlyStringWrapper photoName = new ReadOnlyStringWrapper(this, "photoName", "");
    private final ReadOnlyStringWrapper photoSize = new ReadOnlyStringWrapper(this, "photoSize", "");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private final ReadOnlyBooleanWrapper stylizing = new ReadOnlyBooleanWrapper(this, "stylizing");
    private final ReadOnlyObjectWrapper<Notice> notice = new ReadOnlyObjectWrapper<>(this, "notice");
    private final DoubleProperty strength = new SimpleDoubleProperty(this, "strength", 1.0);
    private final BooleanProperty keepColors = new SimpleBooleanProperty(this, "keepColors");
    private final BooleanProperty darkTheme = new SimpleBooleanProperty(this, "darkTheme");
    private final BooleanProperty actualSize = new SimpleBooleanProperty(this, "actualSize");
    private final ReadOnlyBooleanWrapper fullPending = new ReadOnlyBooleanWrapper(this, "fullPending");
    private final ReadOnlyDoubleWrapper fullProgress = new ReadOnlyDoubleWrapper(this, "fullProgress", -1);
    private final IntegerProperty viewportLongSide = new SimpleIntegerProperty(this, "viewportLongSide", MAX_PREVIEW_LONG_SIDE);
    private final BooleanBinding hasResult = afterImage.isNotNull();
    private final BooleanBinding canExport;

    private RgbaImage original;
    private long photoGeneration;
    private final ReadOnlyBooleanWrapper originalReady = new ReadOnlyBooleanWrapper(this, "originalReady");
    private RgbaImage previewSource;
    private RgbaImage quickSource;
    private Rendered current;
    private final Map<String, Rendered> sharpCache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Rendered> eldest) {
            return size() > CACHED_PREVIEWS;
        }
    };
    private CancellationToken previewToken = cancelled();
    /** The one full-resolution result kept (of photo {@link #fullPhoto}); a new one replaces it. */
    private Rendered full;
    private long fullPhoto = -1;
    private String fullJobStyle;
    private CancellationToken fullToken = cancelled();
    private CancellationToken fullFinishToken = cancelled();
    private CancellationToken finishToken = cancelled();
    private CancellationToken loadToken = cancelled();
    private final CancellationToken warmToken = new CancellationToken();
    private boolean warmedOthers;
    private long previewGeneration;

    public MainViewModel(Stylizer stylizer, ImagingService imaging, TaskRunner runner, AppSettings settings,
                         I18n i18n, PreviewTimings timings) {
        this.stylizer = stylizer;
        this.imaging = imaging;
        this.runner = runner;
        this.settings = settings;
        this.i18n = i18n;
        this.timings = timings;
        canExport = Bindings.createBooleanBinding(() -> (afterQuality.get() == PreviewQuality.SHARP
                || afterQuality.get() == PreviewQuality.FULL) && originalReady.get(), afterQuality, originalReady);
        darkTheme.set(settings.darkTheme());
        darkTheme.addListener((obs, old, dark) -> settings.setDarkTheme(dark));
        i18n.localeProperty().addListener((obs, old, locale) -> {
            settings.setLanguage(locale);
            updatePhotoSize();
        });
        strength.addListener((obs, old, now) -> refinish());
        keepColors.addListener((obs, old, now) -> refinish());
        actualSize.addListener((obs, old, now) -> {
            showImages();
            ensureFull();
        });
    }

    private static CancellationToken cancelled() {
        CancellationToken token = new CancellationToken();
        token.cancel();
        return token;
    }

    /** Lists the styles, picks the last used (or first available) one and opens {@code photo} if given. */
    public void start(Optional<Path> photo) {
        List<StyleModel> all = stylizer.styles();
        styles.setAll(all);
        if (all.stream().noneMatch(StyleModel::available)) {
            notice.set(Notice.error(i18n.get("error.no-styles")));
        }
        Optional<StyleModel> last = settings.lastStyle()
                .flatMap(id -> all.stream().filter(s -> s.id().equals(id) && s.available()).findFirst());
        last.or(() -> all.stream().filter(StyleModel::available).findFirst()).ifPresent(selectedStyle::set);
        // The session is created on the inference thread while the photo decodes on the I/O thread.
        StyleModel first = selectedStyle.get();
        if (first != null) {
            runner.submit(Lane.INFERENCE, warmToken, (progress, cancel) -> {
                stylizer.warmUp(first.id());
                return null;
            }, value -> { });
        }
        photo.ifPresent(this::open);
    }

    // ---- photo ----

    /** Opens a photo file (from the open dialog, a drop, the clipboard or the command line). */
    public void open(Path file) {
        String name = String.valueOf(file.getFileName());
        // The screen-sized preview first (the decoder skips pixels); the full resolution follows.
        load(name, file, null, side -> imaging.loadPreview(file, side));
    }

    /** Opens the first of several files, as a drop of many files does. */
    public void open(List<Path> files) {
        if (!files.isEmpty()) {
            open(files.get(0));
        }
    }

    /** Opens an image that has no file, such as one pasted from the clipboard. */
    public void open(RgbaImage image, String name) {
        load(name, null, image, side -> imaging.fit(image, side));
    }

    @FunctionalInterface
    private interface PreviewDecoder {
        RgbaImage decode(int maxLongSide) throws Exception;
    }

    private void load(String name, Path file, RgbaImage inMemory, PreviewDecoder decoder) {
        loadToken.cancel();
        CancellationToken token = new CancellationToken();
        loadToken = token;
        loading.set(true);
        int viewport = viewportLongSide.get();
        // Before the window is laid out the viewport is unknown: use the largest preview then.
        int previewSide = viewport < QUICK_LONG_SIDE ? MAX_PREVIEW_LONG_SIDE : Math.min(MAX_PREVIEW_LONG_SIDE, viewport);
        runner.submit(Lane.IO, token, (progress, cancel) -> {
            RgbaImage preview = decoder.decode(previewSide);
            cancel.throwIfCancelled();
            RgbaImage quick = imaging.fit(preview, QUICK_LONG_SIDE);
            return new Loaded(file, name, inMemory, preview, quick);
        }, new TaskRunner.Outcome<Loaded>() {
            @Override
            public void succeeded(Loaded loaded) {
                loading.set(false);
                show(loaded);
                if (loaded.original() == null) {
                    loadOriginal(file, name, token, photoGeneration);
                }
            }

            @Override
            public void failed(Throwable error) {
                loading.set(false);
                notice.set(Notice.error(i18n.get("error.open", name, reason(file, error))));
            }
        });
    }

    /** Decodes the full resolution, needed for export only, after the preview is on screen. */
    private void loadOriginal(Path file, String name, CancellationToken token, long generation) {
        runner.submit(Lane.IO, token, (progress, cancel) -> imaging.load(file), new TaskRunner.Outcome<RgbaImage>() {
            @Override
            public void succeeded(RgbaImage full) {
                if (generation != photoGeneration) {
                    return;
                }
                original = full;
                updatePhotoSize();
                originalReady.set(true);
                showImages();
                ensureFull();
            }

            @Override
            public void failed(Throwable error) {
                if (generation == photoGeneration) {
                    notice.set(Notice.error(i18n.get("error.open", name, reason(file, error))));
                }
            }
        });
    }

    private void show(Loaded loaded) {
        photoGeneration++;
        original = loaded.original();
        originalReady.set(original != null);
        previewSource = loaded.preview();
        quickSource = loaded.quick();
        photoPath.set(loaded.file());
        photoName.set(loaded.name());
        updatePhotoSize();
        if (loaded.file() != null && loaded.file().toAbsolutePath().getParent() != null) {
            settings.setLastFolder(loaded.file().toAbsolutePath().getParent());
        }
        sharpCache.clear();
        current = null;
        previewToken.cancel();
        fullToken.cancel();
        fullFinishToken.cancel();
        full = null; // one full-resolution result, of the current photo only
        fullJobStyle = null;
        fullPending.set(false);
        afterImage.set(null);
        afterStyleId.set(null);
        afterQuality.set(null);
        beforeImage.set(actualSize.get() && original != null ? original : previewSource);
        restartPreview();
    }

    private void updatePhotoSize() {
        photoSize.set(original == null ? "" : i18n.get("photo.size", original.width(), original.height()));
    }

    private String reason(Path file, Throwable error) {
        return ErrorReasons.describe(i18n, error, file == null ? null : file.toString());
    }

    private String reason(Throwable error) {
        return ErrorReasons.describe(i18n, error);
    }

    // ---- styles ----

    public void selectStyle(StyleModel style) {
        if (style == null || style.equals(selectedStyle.get())) {
            return;
        }
        if (!style.available()) {
            notice.set(Notice.error(i18n.get("error.style-unavailable", style.name(i18n.getLocale()),
                    ErrorReasons.unavailable(i18n, style))));
            return;
        }
        selectedStyle.set(style);
        settings.setLastStyle(style.id());
        restartPreview();
    }

    public void selectStyle(String id) {
        styles.stream().filter(s -> s.id().equals(id)).findFirst().ifPresent(this::selectStyle);
    }

    private void restartPreview() {
        previewToken.cancel();
        finishToken.cancel();
        cancelFull();
        StyleModel style = selectedStyle.get();
        if (previewSource == null || style == null) {
            stylizing.set(false);
            return;
        }
        CancellationToken token = new CancellationToken();
        previewToken = token;
        long generation = ++previewGeneration;
        String id = style.id();
        timings.requested(id);
        Rendered cached = sharpCache.get(id);
        if (cached != null) {
            stylizing.set(false);
            present(cached, generation);
            ensureFull();
            return;
        }
        stylizing.set(true);
        if (quickSource.width() < previewSource.width()) {
            render(Lane.INFERENCE, token, generation, id, PreviewQuality.QUICK, quickSource);
        }
        render(Lane.INFERENCE, token, generation, id, PreviewQuality.SHARP, previewSource);
        ensureFull(); // queued behind the previews on the one inference thread
    }

    private void render(Lane lane, CancellationToken token, long generation, String id, PreviewQuality quality,
                        RgbaImage source) {
        StyleOptions options = options();
        runner.submit(lane, token, (progress, cancel) -> {
            RgbaImage raw = stylizer.stylize(source, id, ProgressListener.NONE, cancel);
            cancel.throwIfCancelled();
            return new Rendered(id, quality, source, raw, options, stylizer.finish(source, raw, options));
        }, new TaskRunner.Outcome<Rendered>() {
            @Override
            public void succeeded(Rendered rendered) {
                if (generation != previewGeneration) {
                    return;
                }
                if (quality == PreviewQuality.SHARP) {
                    sharpCache.put(id, rendered);
                    stylizing.set(false);
                }
                present(rendered, generation);
            }

            @Override
            public void failed(Throwable error) {
                if (generation != previewGeneration) {
                    return;
                }
                token.cancel(); // the sharp pass would fail the same way
                cancelFull(); // and so would the full-resolution one
                stylizing.set(false);
                refreshStyle(id);
                notice.set(Notice.error(i18n.get("error.stylize", styleName(id), reason(error))));
            }
        });
    }

    private void present(Rendered rendered, long generation) {
        if (current != null && current.quality() == PreviewQuality.SHARP && rendered.quality() == PreviewQuality.QUICK
                && current.styleId().equals(rendered.styleId()) && generation == previewGeneration) {
            return; // never replace a sharp picture with a blurry one of the same style
        }
        current = rendered;
        timings.shown(rendered.styleId(), rendered.quality() == PreviewQuality.SHARP);
        showImages();
        if (!rendered.options().equals(options())) {
            refinish();
        }
        if (rendered.quality() == PreviewQuality.SHARP && !warmedOthers) {
            warmedOthers = true;
            warmNext(styles.stream().filter(StyleModel::available)
                    .filter(s -> !s.id().equals(rendered.styleId())).map(StyleModel::id).toList(), 0);
        }
    }

    /**
     * Shows the pictures that go with the zoom: the preview pair when fitted; at 100 % the original
     * and, once computed, the full-resolution painting (the view scales the preview up meanwhile).
     */
    private void showImages() {
        RgbaImage before = previewSource == null ? null : actualSize.get() && original != null ? original : previewSource;
        beforeImage.set(before);
        Rendered shown = fullShown() ? full : current;
        if (shown == null) {
            return;
        }
        // The image last, so that a listener of the image sees the style and quality that go with it.
        afterStyleId.set(shown.styleId());
        afterQuality.set(shown.quality());
        afterImage.set(shown.finished());
    }

    private boolean fullShown() {
        return actualSize.get() && full != null && fullPhoto == photoGeneration && current != null
                && full.styleId().equals(current.styleId());
    }

    /**
     * At 100 %, makes sure the chosen style's full-resolution painting exists or is on its way: one
     * background pass on the inference thread, behind the previews, with progress; superseded like them.
     */
    private void ensureFull() {
        StyleModel style = selectedStyle.get();
        if (!actualSize.get() || original == null || previewSource == null || style == null) {
            return;
        }
        if (original.width() <= previewSource.width() && original.height() <= previewSource.height()) {
            return; // the sharp preview already has the photo's own size
        }
        String id = style.id();
        if (full != null && fullPhoto == photoGeneration && full.styleId().equals(id)) {
            refinishFull(); // cached; only strength and keep-colours may have changed since
            return;
        }
        if (id.equals(fullJobStyle)) {
            return; // already on its way
        }
        fullToken.cancel();
        CancellationToken token = new CancellationToken();
        fullToken = token;
        fullJobStyle = id;
        long photo = photoGeneration;
        RgbaImage source = original;
        StyleOptions options = options();
        fullPending.set(true);
        fullProgress.set(-1);
        timings.fullRequested();
        runner.submit(Lane.INFERENCE, token, (progress, cancel) -> {
            RgbaImage raw = stylizer.stylize(source, id, progress, cancel); // the engine tiles large photos
            cancel.throwIfCancelled();
            return new Rendered(id, PreviewQuality.FULL, source, raw, options, stylizer.finish(source, raw, options));
        }, new TaskRunner.Outcome<Rendered>() {
            @Override
            public void succeeded(Rendered rendered) {
                if (token != fullToken) {
                    return;
                }
                endFullJob();
                if (photo != photoGeneration) {
                    return;
                }
                full = rendered; // replaces the previous one: one full-resolution result is kept
                fullPhoto = photo;
                timings.fullShown(id, source.width(), source.height()); // before the listeners of the image
                showImages();
                refinishFull();
            }

            @Override
            public void failed(Throwable error) {
                if (token != fullToken) {
                    return;
                }
                endFullJob();
                notice.set(Notice.error(i18n.get("error.stylize", styleName(id), reason(error))));
            }

            @Override
            public void cancelled() {
                if (token == fullToken) {
                    endFullJob();
                }
            }

            @Override
            public void progress(long done, long total) {
                if (token == fullToken && total > 0) {
                    fullProgress.set((double) done / total);
                }
            }
        });
    }

    private void endFullJob() {
        fullJobStyle = null;
        fullPending.set(false);
        fullProgress.set(-1);
    }

    /** A newer style or photo: the full-resolution pass under way stops (a finished one stays kept). */
    private void cancelFull() {
        fullToken.cancel();
        fullFinishToken.cancel();
        endFullJob();
    }

    /** Applies the current strength and keep-colours to the kept full-resolution result, if it is on show. */
    private void refinishFull() {
        fullFinishToken.cancel();
        Rendered base = full;
        StyleOptions options = options();
        if (base == null || fullPhoto != photoGeneration || !actualSize.get() || base.options().equals(options)) {
            return;
        }
        CancellationToken token = new CancellationToken();
        fullFinishToken = token;
        runner.submit(Lane.IO, token, (progress, cancel) -> stylizer.finish(base.source(), base.raw(), options),
                new TaskRunner.Outcome<RgbaImage>() {
                    @Override
                    public void succeeded(RgbaImage finished) {
                        if (full != base) {
                            return;
                        }
                        full = new Rendered(base.styleId(), base.quality(), base.source(), base.raw(), options, finished);
                        showImages();
                    }
                });
    }

    /** Creates the other styles' sessions one after another in the background, so that clicks are quick. */
    private void warmNext(List<String> ids, int index) {
        if (index >= ids.size() || warmToken.isCancelled()) {
            return;
        }
        String id = ids.get(index);
        runner.submit(Lane.IO, warmToken, (progress, cancel) -> {
            stylizer.warmUp(id);
            return id;
        }, new TaskRunner.Outcome<String>() {
            @Override
            public void succeeded(String value) {
                warmNext(ids, index + 1);
            }

            @Override
            public void failed(Throwable error) {
                refreshStyle(id);
                warmNext(ids, index + 1);
            }
        });
    }

    /** Takes a style's availability again from the engine (it disables a model that fails to load). */
    private void refreshStyle(String id) {
        stylizer.styles().stream().filter(s -> s.id().equals(id)).findFirst().ifPresent(updated -> {
            for (int i = 0; i < styles.size(); i++) {
                if (styles.get(i).id().equals(id) && !styles.get(i).equals(updated)) {
                    boolean wasSelected = styles.get(i).equals(selectedStyle.get());
                    styles.set(i, updated);
                    if (wasSelected) {
                        selectedStyle.set(updated);
                    }
                }
            }
        });
    }

    private String styleName(String id) {
        return styles.stream().filter(s -> s.id().equals(id)).findFirst()
                .map(s -> s.name(i18n.getLocale())).orElse(id);
    }

    public StyleOptions options() {
        return new StyleOptions(Math.max(0, Math.min(1, strength.get())), keepColors.get());
    }

    /** Re-applies strength and keep-colours to the current raw result, without running the network. */
    private void refinish() {
        refinishFull();
        finishToken.cancel();
        Rendered base = current;
        if (base == null) {
            return;
        }
        CancellationToken token = new CancellationToken();
        finishToken = token;
        StyleOptions options = options();
        long generation = previewGeneration;
        runner.submit(Lane.IO, token, (progress, cancel) -> stylizer.finish(base.source(), base.raw(), options),
                new TaskRunner.Outcome<RgbaImage>() {
                    @Override
                    public void succeeded(RgbaImage finished) {
                        if (generation != previewGeneration || current != base) {
                            return;
                        }
                        Rendered refinished = new Rendered(base.styleId(), base.quality(), base.source(), base.raw(),
                                options, finished);
                        current = refinished;
                        if (base.quality() == PreviewQuality.SHARP) {
                            sharpCache.put(base.styleId(), refinished);
                        }
                        showImages();
                    }
                });
    }

    // ---- export ----

    /** A snapshot of the current photo and style for the export dialog, or empty if nothing to export. */
    public Optional<ExportViewModel> exportViewModel() {
        Rendered sharp = current != null && current.quality() == PreviewQuality.SHARP ? current : null;
        if (original == null || sharp == null) {
            return Optional.empty();
        }
        Path photo = photoPath.get();
        Path folder = photo != null && photo.toAbsolutePath().getParent() != null
                ? photo.toAbsolutePath().getParent()
                : settings.lastFolder().orElse(Path.of(System.getProperty("user.home")));
        Optional<RgbaImage> fullRaw = full != null && fullPhoto == photoGeneration
                && full.styleId().equals(sharp.styleId()) ? Optional.of(full.raw()) : Optional.empty();
        var source = new ExportViewModel.Source(original, sharp.source(), sharp.raw(), fullRaw,
                Optional.ofNullable(photo), baseName(photoName.get()), sharp.styleId(), options(), folder);
        return Optional.of(new ExportViewModel(source, stylizer, imaging, runner, i18n, notice::set));
    }

    private static String baseName(String name) {
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return base.isBlank() ? "photo" : base;
    }

    /** The current after-image at view resolution (for the clipboard). */
    public Optional<RgbaImage> currentResult() {
        return Optional.ofNullable(afterImage.get());
    }

    /** Cancels every piece of work this view model started. */
    public void dispose() {
        warmToken.cancel();
        fullToken.cancel();
        fullFinishToken.cancel();
        previewToken.cancel();
        finishToken.cancel();
        loadToken.cancel();
    }

    public void notify(Notice value) {
        notice.set(value);
    }

    // ---- properties ----

    public ObservableList<StyleModel> styles() {
        return readOnlyStyles;
    }

    public ReadOnlyObjectProperty<StyleModel> selectedStyleProperty() {
        return selectedStyle.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<RgbaImage> beforeImageProperty() {
        return beforeImage.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<RgbaImage> afterImageProperty() {
        return afterImage.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty afterStyleIdProperty() {
        return afterStyleId.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<PreviewQuality> afterQualityProperty() {
        return afterQuality.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Path> photoPathProperty() {
        return photoPath.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty photoNameProperty() {
        return photoName.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty photoSizeProperty() {
        return photoSize.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** True once the full-resolution photo is decoded (export needs it). */
    public ReadOnlyBooleanProperty originalReadyProperty() {
        return originalReady.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty stylizingProperty() {
        return stylizing.getReadOnlyProperty();
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

    /**
     * True while the view shows 100 %: the before side is then the original, and the after side the
     * painting at the photo's resolution, computed in the background on first need.
     */
    public BooleanProperty actualSizeProperty() {
        return actualSize;
    }

    /** True while the full-resolution painting for the chosen style is being computed. */
    public ReadOnlyBooleanProperty fullResolutionPendingProperty() {
        return fullPending.getReadOnlyProperty();
    }

    /** The full-resolution pass's progress, 0..1, or -1 while unknown. */
    public ReadOnlyDoubleProperty fullResolutionProgressProperty() {
        return fullProgress.getReadOnlyProperty();
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

    public I18n i18n() {
        return i18n;
    }

    public PreviewTimings timings() {
        return timings;
    }

    /** Where the open dialog starts: the folder of the last photo. */
    public Optional<Path> lastFolder() {
        return settings.lastFolder();
    }

    public boolean hasPhoto() {
        return previewSource != null;
    }
}
