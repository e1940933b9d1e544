package org.pastiche.ui.painting;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import org.pastiche.core.PasticheException;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.PaintingStyles;
import org.pastiche.inference.StyleCode;
import org.pastiche.inference.StyleModel;
import org.pastiche.ui.ErrorReasons;
import org.pastiche.ui.I18n;
import org.pastiche.ui.ImagingService;
import org.pastiche.ui.MainViewModel;
import org.pastiche.ui.Notice;
import org.pastiche.ui.TaskRunner;
import org.pastiche.ui.preview.ShownPainting;
import org.pastiche.ui.task.LatestTask;

/**
 * "Your painting": any picture as the style. A painting (dropped or chosen) is decoded on the I/O
 * lane, its style code computed on the inference lane (one run of the network's style encoder) and
 * registered as a style, which the main window then shows as it shows any style (quick and sharp
 * preview, 100 %, export, cancelling). A second painting mixes the two codes ({@link #mixProperty()},
 * no encoder run). Latest wins: a newer painting cancels the older one's work, whose result never
 * arrives. A painting that cannot be used (not an image, broken, too large, too narrow, or the network
 * is broken) gets a notice and changes nothing. {@link #save} stores the painting style in the user's
 * models folder, and the gallery lists it. Touched on the UI thread only.
 */
public final class PaintingStyleViewModel {
    /** Paintings are decoded at most this large (the style encoder sees 512 px): huge files cost little. */
    public static final int DECODE_SIDE = 1024;
    /** The painting kept for the tile, the side panel and a saved style's thumbnail. */
    public static final int IMAGE_SIDE = 256;

    /** A painting in use: its name (the file's), a copy of at most {@value #IMAGE_SIDE} px, and its style code. */
    public record Painting(String name, RgbaImage image, StyleCode code) { }

    /** What a run made: the paintings, the mix it used, the code and its registered style. */
    private record Made(Painting first, Painting second, double mix, StyleCode code, StyleModel style) { }

    private final PaintingEngine engine;
    private final ImagingService imaging;
    private final I18n i18n;
    private final MainViewModel main;
    private final LatestTask decode;
    private final LatestTask encode;
    private final LatestTask check;
    private final LatestTask store;
    private final ReadOnlyObjectWrapper<Painting> first = new ReadOnlyObjectWrapper<>(this, "first");
    private final ReadOnlyObjectWrapper<Painting> second = new ReadOnlyObjectWrapper<>(this, "second");
    private final DoubleProperty mix = new SimpleDoubleProperty(this, "mix", 0.5);
    private final ReadOnlyObjectWrapper<StyleModel> style = new ReadOnlyObjectWrapper<>(this, "style");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyBooleanWrapper saving = new ReadOnlyBooleanWrapper(this, "saving");
    /** Why no painting can be used: null while usable, "" when no network is installed, else the engine's reason. */
    private final StringProperty unavailableReason = new SimpleStringProperty(this, "unavailableReason");
    private final StringBinding unavailableText;
    private final BooleanBinding active;
    private final BooleanBinding mixing = second.isNotNull();
    private final BooleanBinding canSave;
    /** The painting styles registered in this session: id to code (a code made again reuses its style). */
    private final Map<String, StyleCode> codes = new HashMap<>();
    private final Map<String, StyleModel> made = new HashMap<>();
    /** The style on show when the painting (or mix) was asked for: a style chosen since then stays on show. */
    private StyleModel shownWhenAsked;

    public PaintingStyleViewModel(PaintingEngine engine, ImagingService imaging, TaskRunner runner, I18n i18n,
            MainViewModel main) {
        this.engine = engine;
        this.imaging = imaging;
        this.i18n = i18n;
        this.main = main;
        this.decode = new LatestTask(runner, TaskRunner.Lane.IO);
        this.encode = new LatestTask(runner, TaskRunner.Lane.INFERENCE);
        this.check = new LatestTask(runner, TaskRunner.Lane.INFERENCE);
        this.store = new LatestTask(runner, TaskRunner.Lane.IO);
        unavailableText = Bindings.createStringBinding(() -> {
            String reason = unavailableReason.get();
            return reason == null ? null : reason.isEmpty() ? i18n.get("painting.no-network")
                    : i18n.get("style.unavailable.reason", reason);
        }, unavailableReason, i18n.localeProperty());
        active = Bindings.createBooleanBinding(() -> style.get() != null
                && style.get().equals(main.selectedStyleProperty().get()), style, main.selectedStyleProperty());
        canSave = Bindings.createBooleanBinding(() -> style.get() != null && !busy.get() && !saving.get(),
                style, busy, saving);
        mix.addListener((obs, old, now) -> apply());
    }

    /**
     * Says whether a network is installed; once the first sharp preview is on show, checks it in the
     * background (its sessions open and are probed), so that a broken network is greyed out early and
     * the first painting does not wait for the sessions.
     */
    public void start() {
        if (engine.network().isEmpty()) {
            unavailableReason.set("");
            return;
        }
        if (engine.network().flatMap(PaintingStyles.Network::unavailableReason).map(reason -> {
            unavailableReason.set(reason);
            return reason;
        }).isPresent()) {
            return;
        }
        if (main.shownProperty().get() != null && main.shownProperty().get().isSharp()) {
            checkNetwork();
            return;
        }
        main.shownProperty().addListener(new ChangeListener<ShownPainting>() {
            @Override
            public void changed(ObservableValue<? extends ShownPainting> obs, ShownPainting old, ShownPainting now) {
                if (now != null && now.isSharp()) {
                    obs.removeListener(this);
                    checkNetwork();
                }
            }
        });
    }

    private void checkNetwork() {
        check.run((progress, cancel) -> {
            engine.check();
            return Boolean.TRUE;
        }).onFailure(this::networkFailed).start();
    }

    /** Uses the painting in {@code file} as the style (replacing the paintings in use). */
    public void choose(Path file) {
        load(file, false);
    }

    /** Adds a second painting to mix with the first; without a first, it becomes the first. */
    public void addSecond(Path file) {
        load(file, first.get() != null);
    }

    /** Back to the first painting alone. */
    public void removeSecond() {
        if (second.get() == null) {
            return;
        }
        if (busy.get()) { // a second painting on its way is dropped too
            decode.cancel();
            encode.cancel();
            busy.set(false);
        }
        second.set(null);
        apply();
    }

    /** Shows the painting style again (a click on the tile once a painting is in use). */
    public void showAgain() {
        if (style.get() != null) {
            main.selectStyle(style.get());
        }
    }

    private void load(Path file, boolean asSecond) {
        String name = PaintingNames.stem(file);
        if (unavailableReason.get() != null) {
            main.notify(Notice.error(i18n.get("painting.error", name, unavailableText.get())));
            return;
        }
        int styleSize = engine.network().map(PaintingStyles.Network::styleSize).orElse(PaintingStyles.DEFAULT_STYLE_SIZE);
        busy.set(true);
        shownWhenAsked = main.selectedStyleProperty().get();
        encode.cancel(); // an older painting's style code is not wanted any more
        decode.run((progress, cancel) -> {
            RgbaImage painting = imaging.loadPreview(file, DECODE_SIDE);
            PaintingNames.checkShape(painting, styleSize);
            return painting;
        }).onSuccess(painting -> encode(name, painting, asSecond)).onFailure(error -> failed(name, error)).start();
    }

    private void encode(String name, RgbaImage decoded, boolean asSecond) {
        Painting other = asSecond ? first.get() : null;
        double t = mix.get();
        Map<String, StyleCode> known = Map.copyOf(codes);
        Set<String> taken = takenIds();
        encode.run((progress, cancel) -> {
            StyleCode code = engine.encode(decoded, cancel);
            Painting painting = new Painting(name, imaging.fit(decoded, IMAGE_SIDE), code);
            return asSecond ? make(other, painting, t, known, taken) : make(painting, null, t, known, taken);
        }).onSuccess(this::commit).onFailure(error -> failed(name, error)).start();
    }

    /** The mix (or the second painting) changed: the style of the new code, registered once. */
    private void apply() {
        Painting a = first.get();
        if (busy.get() || a == null) {
            return; // a painting on its way takes the mix when it arrives
        }
        Painting b = second.get();
        double t = mix.get();
        StyleCode code = code(a, b, t);
        String id = PaintingNames.idFor(name(a, b), code, codes, takenIds());
        if (code.equals(codes.get(id))) {
            style.set(made.get(id));
            main.selectStyle(made.get(id));
            return;
        }
        busy.set(true);
        shownWhenAsked = main.selectedStyleProperty().get();
        Map<String, StyleCode> known = Map.copyOf(codes);
        Set<String> taken = takenIds();
        encode.run((progress, cancel) -> make(a, b, t, known, taken)).onSuccess(this::commit)
                .onFailure(error -> failed(name(a, b), error)).start();
    }

    /** On a background lane: the code of the paintings, registered as a style. */
    private Made make(Painting a, Painting b, double t, Map<String, StyleCode> known, Set<String> taken)
            throws PasticheException {
        StyleCode code = code(a, b, t);
        String name = name(a, b);
        StyleModel registered = engine.use(code, PaintingNames.idFor(name, code, known, taken), Map.of("en", name, "zh", name));
        return new Made(a, b, t, code, registered);
    }

    private void commit(Made m) {
        busy.set(false);
        first.set(m.first());
        second.set(m.second());
        codes.put(m.style().id(), m.code());
        made.put(m.style().id(), m.style());
        style.set(m.style());
        if (main.selectedStyleProperty().get() == shownWhenAsked) { // else another style was chosen meanwhile: it stays
            main.selectStyle(m.style());
        }
        if (m.second() != null && m.mix() != mix.get()) {
            apply(); // the slider moved while the painting was on its way
        }
    }

    private static StyleCode code(Painting a, Painting b, double t) {
        return b == null ? a.code() : StyleCode.mix(a.code(), b.code(), Math.max(0, Math.min(1, t)));
    }

    private static String name(Painting a, Painting b) {
        return b == null ? a.name() : a.name() + " + " + b.name();
    }

    private Set<String> takenIds() {
        return main.styles().stream().map(StyleModel::id).collect(Collectors.toUnmodifiableSet());
    }

    private void failed(String name, Throwable error) {
        busy.set(false);
        String why;
        if (error instanceof PaintingNames.TooNarrowException n) {
            why = i18n.get("painting.too-narrow", n.width(), n.height(), PaintingStyles.MIN_SIDE);
        } else {
            why = ErrorReasons.describe(i18n, error);
        }
        if (error instanceof PasticheException p && p.reason() == PasticheException.Reason.MODEL_UNAVAILABLE) {
            networkFailed(error);
        }
        main.notify(Notice.error(i18n.get("painting.error", name, why)));
    }

    private void networkFailed(Throwable error) {
        unavailableReason.set(error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
    }

    /**
     * Saves the painting style on show as a style named {@code typed} (in English and Chinese alike) in
     * the user's models folder; the gallery lists it at once and at the next start.
     */
    public void save(String typed) {
        String name = typed == null ? "" : typed.strip();
        StyleModel current = style.get();
        if (name.isEmpty() || current == null || !canSave.get()) {
            return;
        }
        StyleCode code = codes.get(current.id());
        RgbaImage thumbnail = first.get().image();
        saving.set(true);
        store.run((progress, cancel) -> engine.save(code, Map.of("en", name, "zh", name), thumbnail))
                .onSuccess(saved -> {
                    saving.set(false);
                    main.addStyle(saved);
                    main.selectStyle(saved);
                    main.notify(Notice.success(i18n.get("painting.saved", name)));
                })
                .onFailure(error -> {
                    saving.set(false);
                    main.notify(Notice.error(i18n.get("painting.save-failed", name, ErrorReasons.describe(i18n, error))));
                })
                .start();
    }

    /** Stops the work under way (the window closes). */
    public void dispose() {
        decode.cancel();
        encode.cancel();
        check.cancel();
        store.cancel();
    }

    // ---- properties ----

    /** The painting in use (the only one, or the first of a mix), or null. */
    public ReadOnlyObjectProperty<Painting> firstProperty() {
        return first.getReadOnlyProperty();
    }

    /** The second painting of a mix, or null. */
    public ReadOnlyObjectProperty<Painting> secondProperty() {
        return second.getReadOnlyProperty();
    }

    /** How much of the second painting: 0 the first only, 1 the second only. */
    public DoubleProperty mixProperty() {
        return mix;
    }

    /** True while there are two paintings: the mix slider shows. */
    public BooleanBinding mixingProperty() {
        return mixing;
    }

    /** The style made from the painting(s) in use, or null before the first. */
    public ReadOnlyObjectProperty<StyleModel> styleProperty() {
        return style.getReadOnlyProperty();
    }

    /** True while the painting style is the one on show. */
    public BooleanBinding activeProperty() {
        return active;
    }

    /** True while a painting is being read or its style code computed. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public BooleanBinding canSaveProperty() {
        return canSave;
    }

    /** Why no painting can be used, in the UI language; null while paintings can be used. */
    public StringBinding unavailableProperty() {
        return unavailableText;
    }

    /** The network's name, licence and attribution for the About dialog; empty if none is installed. */
    public java.util.Optional<PaintingStyles.Network> network() {
        return engine.network();
    }
}
