package org.pastiche.ui;

import atlantafx.base.controls.Notification;
import atlantafx.base.controls.ToggleSwitch;
import atlantafx.base.theme.Styles;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.animation.PauseTransition;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.Slider;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.DragEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.Duration;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;
import org.kordamp.ikonli.materialdesign2.MaterialDesignB;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignE;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignI;
import org.kordamp.ikonli.materialdesign2.MaterialDesignM;
import org.kordamp.ikonli.materialdesign2.MaterialDesignT;
import org.kordamp.ikonli.materialdesign2.MaterialDesignW;
import org.pastiche.ui.compare.BeforeAfterView;
import org.pastiche.ui.about.AboutView;
import org.pastiche.ui.about.AboutViewModel;
import org.pastiche.ui.export.ExportDialog;
import org.pastiche.ui.gallery.GalleryView;
import org.pastiche.ui.gallery.StyleInfoView;

/**
 * The main window: toolbar, the large compare area, the style information and adjustments on the
 * right, the gallery strip and status bar below, and notifications over it all. Lays out, binds and
 * forwards events to {@link MainViewModel}; the toolkit-only work (dialogs, clipboard, drag and
 * drop) stays here.
 */
public final class MainView {
    private final MainViewModel vm;
    private final I18n i18n;
    private final StackPane root = new StackPane();
    private final BeforeAfterView compare = new BeforeAfterView();
    private final GalleryView gallery;
    private final VBox notifications = new VBox(10);
    private final javafx.beans.property.BooleanProperty dragging = new javafx.beans.property.SimpleBooleanProperty();

    public MainView(MainViewModel vm) {
        this.vm = vm;
        this.i18n = vm.i18n();
        this.gallery = new GalleryView(vm);

        BorderPane layout = new BorderPane();
        layout.getStyleClass().add("main-layout");
        layout.setTop(toolbar());
        layout.setCenter(compareArea());
        layout.setRight(sidebar());
        layout.setBottom(new VBox(gallery.node(), statusBar()));

        notifications.getStyleClass().add("notification-layer");
        notifications.setPickOnBounds(false);
        notifications.setMaxWidth(420);
        notifications.setMaxHeight(Region.USE_PREF_SIZE);
        StackPane.setAlignment(notifications, Pos.TOP_RIGHT);

        root.getStyleClass().add("pastiche-root");
        root.setId("main-root");
        root.getChildren().addAll(layout, dropOverlay(), notifications);
        vm.noticeProperty().addListener((obs, old, notice) -> {
            if (notice != null) {
                show(notice);
            }
        });
        if (vm.noticeProperty().get() != null) {
            show(vm.noticeProperty().get()); // raised while the window was being built
        }
        installDragAndDrop();
    }

    public Parent root() {
        return root;
    }

    public BeforeAfterView compareView() {
        return compare;
    }

    // ---- layout ----

    private Node toolbar() {
        Label brandIcon = new Label(null, new FontIcon(MaterialDesignB.BRUSH_VARIANT));
        brandIcon.getStyleClass().add("brand-icon");
        Label brand = new Label();
        brand.textProperty().bind(i18n.text("app.title"));
        brand.getStyleClass().add("brand");
        Label tagline = new Label();
        tagline.textProperty().bind(i18n.text("app.tagline"));
        tagline.getStyleClass().add("tagline");

        Button open = toolButton("open-button", MaterialDesignF.FOLDER_OPEN_OUTLINE, "toolbar.open");
        open.setOnAction(e -> chooseFile());
        Button paste = toolButton("paste-button", MaterialDesignC.CONTENT_PASTE, "toolbar.paste");
        paste.setOnAction(e -> paste());
        Button export = toolButton("export-button", MaterialDesignE.EXPORT_VARIANT, "toolbar.export");
        export.getStyleClass().add(Styles.ACCENT);
        export.disableProperty().bind(vm.canExportProperty().not());
        export.setOnAction(e -> export());
        Button copy = toolButton("copy-button", MaterialDesignC.CONTENT_COPY, "toolbar.copy");
        copy.disableProperty().bind(vm.hasResultProperty().not());
        copy.setOnAction(e -> copy());

        ToggleGroup zoom = new ToggleGroup();
        ToggleButton fit = zoomButton("zoom-fit", MaterialDesignF.FIT_TO_SCREEN_OUTLINE, "toolbar.fit", Styles.LEFT_PILL);
        ToggleButton actual = zoomButton("zoom-actual", MaterialDesignM.MAGNIFY_PLUS_OUTLINE, "toolbar.actual",
                Styles.RIGHT_PILL);
        fit.setToggleGroup(zoom);
        actual.setToggleGroup(zoom);
        fit.setSelected(true);
        zoom.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null) {
                old.setSelected(true);
            } else {
                compare.setZoom(now == actual ? BeforeAfterView.Zoom.ACTUAL : BeforeAfterView.Zoom.FIT);
            }
        });
        compare.zoomProperty().addListener((obs, old, z) -> (z == BeforeAfterView.Zoom.FIT ? fit : actual).setSelected(true));

        ComboBox<Locale> language = new ComboBox<>();
        language.setId("language-choice");
        language.getItems().setAll(I18n.SUPPORTED);
        language.setButtonCell(new LanguageCell());
        language.setCellFactory(v -> new LanguageCell());
        language.valueProperty().bindBidirectional(i18n.localeProperty());
        Tooltip languageTip = new Tooltip();
        languageTip.textProperty().bind(i18n.text("toolbar.language.tooltip"));
        language.setTooltip(languageTip);
        Label languageIcon = new Label(null, new FontIcon(MaterialDesignT.TRANSLATE));

        ToggleSwitch dark = new ToggleSwitch();
        dark.setId("theme-switch");
        dark.selectedProperty().bindBidirectional(vm.darkThemeProperty());
        Label darkIcon = new Label(null, new FontIcon(MaterialDesignW.WEATHER_NIGHT));
        darkIcon.textProperty().bind(i18n.text("toolbar.dark"));

        Button about = new Button(null, new FontIcon(MaterialDesignI.INFORMATION_OUTLINE)); // About hook
        about.setId("about-button");
        about.setTooltip(tooltip("toolbar.about.tooltip"));
        about.setOnAction(e -> about());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, brandIcon, brand, tagline, separator(), open, paste, export, copy, separator(),
                new HBox(fit, actual), spacer, languageIcon, language, separator(), darkIcon, dark, about);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("app-toolbar");
        return bar;
    }

    private Node separator() {
        Separator s = new Separator(javafx.geometry.Orientation.VERTICAL);
        s.getStyleClass().add("toolbar-separator");
        return s;
    }

    private Button toolButton(String id, Ikon icon, String key) {
        Button b = new Button(null, new FontIcon(icon));
        b.setId(id);
        b.textProperty().bind(i18n.text(key));
        b.setTooltip(tooltip(key + ".tooltip"));
        b.getStyleClass().add("tool-button");
        return b;
    }

    private ToggleButton zoomButton(String id, Ikon icon, String key, String pill) {
        ToggleButton b = new ToggleButton(null, new FontIcon(icon));
        b.setId(id);
        b.textProperty().bind(i18n.text(key));
        b.setTooltip(tooltip(key + ".tooltip"));
        b.getStyleClass().add(pill);
        return b;
    }

    private Tooltip tooltip(String key) {
        Tooltip t = new Tooltip();
        t.textProperty().bind(i18n.text(key));
        return t;
    }

    private Node compareArea() {
        compare.setId("compare-view");
        compare.beforeImageProperty().bind(Bindings.createObjectBinding(
                () -> FxImages.toFx(vm.beforeImageProperty().get()), vm.beforeImageProperty()));
        compare.afterImageProperty().bind(Bindings.createObjectBinding(
                () -> FxImages.toFx(vm.afterImageProperty().get()), vm.afterImageProperty()));
        compare.beforeLabelProperty().bind(i18n.text("compare.before"));
        compare.afterLabelProperty().bind(i18n.text("compare.after"));

        Label emptyIcon = new Label(null, new FontIcon(MaterialDesignI.IMAGE_PLUS));
        emptyIcon.getStyleClass().add("empty-icon");
        Label emptyTitle = new Label();
        emptyTitle.textProperty().bind(i18n.text("compare.empty"));
        emptyTitle.getStyleClass().add(Styles.TITLE_3);
        Label emptyHint = new Label();
        emptyHint.textProperty().bind(i18n.text("compare.empty.hint"));
        emptyHint.getStyleClass().add(Styles.TEXT_MUTED);
        VBox empty = new VBox(10, emptyIcon, emptyTitle, emptyHint);
        empty.setId("empty-state");
        empty.setAlignment(Pos.CENTER);
        empty.getStyleClass().add("empty-state");
        empty.setMouseTransparent(true);
        empty.visibleProperty().bind(vm.beforeImageProperty().isNull());

        ProgressIndicator busy = new ProgressIndicator();
        busy.setId("preview-busy");
        busy.getStyleClass().add("preview-busy");
        busy.visibleProperty().bind(vm.stylizingProperty().or(vm.loadingProperty()));
        busy.setMouseTransparent(true);
        busy.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
        StackPane.setAlignment(busy, Pos.BOTTOM_RIGHT);

        // At 100 % the painting at the photo's resolution is computed in the background: a small pill says so.
        // A spinner (a determinate one is unreadable this small); the label gives the percentage.
        ProgressIndicator fullBusy = new ProgressIndicator(ProgressIndicator.INDETERMINATE_PROGRESS);
        Label fullText = new Label();
        fullText.textProperty().bind(Bindings.createStringBinding(() -> {
            double p = vm.fullResolutionProgressProperty().get();
            return p <= 0 ? i18n.get("compare.full.pending") : i18n.get("compare.full.progress", p);
        }, vm.fullResolutionProgressProperty(), i18n.localeProperty()));
        HBox fullPill = new HBox(8, fullBusy, fullText);
        fullPill.setId("full-resolution-progress");
        fullPill.getStyleClass().add("full-resolution-pill");
        fullPill.setAlignment(Pos.CENTER_LEFT);
        fullPill.setMouseTransparent(true);
        fullPill.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
        fullPill.visibleProperty().bind(vm.fullResolutionPendingProperty().and(vm.actualSizeProperty()));
        StackPane.setAlignment(fullPill, Pos.BOTTOM_CENTER);

        // Kept in step both ways: the toolbar and double-click zoom the view, the view model can too.
        vm.actualSizeProperty().set(compare.getZoom() == BeforeAfterView.Zoom.ACTUAL);
        compare.zoomProperty().addListener((obs, old, zoom) -> vm.actualSizeProperty().set(zoom == BeforeAfterView.Zoom.ACTUAL));
        vm.actualSizeProperty().addListener((obs, old, actual) ->
                compare.setZoom(actual ? BeforeAfterView.Zoom.ACTUAL : BeforeAfterView.Zoom.FIT));

        StackPane area = new StackPane(compare, empty, busy, fullPill);
        area.getStyleClass().add("compare-area");
        area.setMinSize(320, 240);
        vm.viewportLongSideProperty().bind(Bindings.createIntegerBinding(
                () -> (int) Math.max(area.getWidth(), area.getHeight()), area.widthProperty(), area.heightProperty()));
        return area;
    }

    private Node sidebar() {
        Label adjustTitle = new Label();
        adjustTitle.textProperty().bind(i18n.text("adjust.title"));
        adjustTitle.getStyleClass().add("section-title");
        Label strengthLabel = new Label();
        strengthLabel.textProperty().bind(i18n.text("adjust.strength"));
        strengthLabel.getStyleClass().add("field-label");
        Label strengthValue = new Label();
        strengthValue.textProperty().bind(Bindings.createStringBinding(
                () -> i18n.get("adjust.strength.value", vm.strengthProperty().get()),
                vm.strengthProperty(), i18n.localeProperty()));
        strengthValue.getStyleClass().add(Styles.TEXT_MUTED);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        Slider strength = new Slider(0, 1, 1);
        strength.setId("strength-slider");
        strength.valueProperty().bindBidirectional(vm.strengthProperty());
        ToggleSwitch keepColors = new ToggleSwitch();
        keepColors.setId("keep-colors-switch");
        keepColors.textProperty().bind(i18n.text("adjust.keep-colors"));
        keepColors.selectedProperty().bindBidirectional(vm.keepColorsProperty());
        VBox adjust = new VBox(10, adjustTitle, new HBox(strengthLabel, grow, strengthValue), strength, keepColors);
        adjust.getStyleClass().add("sidebar-section");

        Label photoTitle = new Label();
        photoTitle.textProperty().bind(i18n.text("photo.title"));
        photoTitle.getStyleClass().add("section-title");
        Label photoName = new Label(null, new FontIcon(MaterialDesignI.IMAGE_OUTLINE));
        photoName.setId("photo-name");
        photoName.textProperty().bind(Bindings.when(vm.photoNameProperty().isEmpty())
                .then(i18n.text("photo.none")).otherwise(vm.photoNameProperty()));
        photoName.setWrapText(true);
        Label photoSize = new Label();
        photoSize.textProperty().bind(vm.photoSizeProperty());
        photoSize.getStyleClass().add(Styles.TEXT_MUTED);
        VBox photo = new VBox(6, photoTitle, photoName, photoSize);
        photo.getStyleClass().add("sidebar-section");

        VBox info = new StyleInfoView(vm).node();
        info.getStyleClass().add("sidebar-section");
        VBox content = new VBox(info, adjust, photo);
        content.getStyleClass().add("sidebar-content");
        ScrollPane scroll = new ScrollPane(content);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.getStyleClass().addAll("sidebar", atlantafx.base.theme.Tweaks.EDGE_TO_EDGE);
        scroll.setPrefWidth(300);
        return scroll;
    }

    private Node statusBar() {
        Label state = new Label();
        state.setId("status-state");
        state.textProperty().bind(Bindings.createStringBinding(() -> {
            if (vm.loadingProperty().get()) {
                return i18n.get("status.loading");
            }
            if (vm.stylizingProperty().get()) {
                return vm.afterQualityProperty().get() == MainViewModel.PreviewQuality.QUICK
                        ? i18n.get("status.quick.stylizing") : i18n.get("status.stylizing");
            }
            if (vm.afterImageProperty().get() == null) {
                return "";
            }
            return vm.afterQualityProperty().get() == MainViewModel.PreviewQuality.FULL
                    ? i18n.get("status.full") : i18n.get("status.sharp");
        }, vm.loadingProperty(), vm.stylizingProperty(), vm.afterQualityProperty(), vm.afterImageProperty(),
                i18n.localeProperty()));
        Label hint = new Label(null, new FontIcon(MaterialDesignA.ARROW_LEFT_RIGHT));
        hint.textProperty().bind(i18n.text("compare.hint"));
        hint.getStyleClass().add(Styles.TEXT_MUTED);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(12, state, spacer, hint);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("status-bar");
        return bar;
    }

    private Node dropOverlay() {
        Label text = new Label(null, new FontIcon(MaterialDesignI.IMAGE_PLUS));
        text.textProperty().bind(i18n.text("compare.drop"));
        text.getStyleClass().add("drop-label");
        StackPane overlay = new StackPane(text);
        overlay.getStyleClass().add("drop-overlay");
        overlay.setMouseTransparent(true);
        overlay.visibleProperty().bind(dragging);
        return overlay;
    }

    // ---- scene-wide input ----

    /** Keyboard shortcuts, hold-Space-for-the-original and arrow keys for the gallery. */
    public void install(Scene scene) {
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN), this::chooseFile);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.V, KeyCombination.SHORTCUT_DOWN), this::paste);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN), this::export);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F1), this::about);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN,
                KeyCombination.SHIFT_DOWN), this::copy);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            Node focus = scene.getFocusOwner();
            boolean typing = focus instanceof TextInputControl;
            if (e.getCode() == KeyCode.SPACE && !typing) {
                compare.setShowOriginal(true);
                e.consume();
            } else if ((e.getCode() == KeyCode.LEFT || e.getCode() == KeyCode.RIGHT) && !typing
                    && !(focus instanceof Slider) && !(focus instanceof ListView)) {
                gallery.move(e.getCode() == KeyCode.LEFT ? -1 : 1);
                e.consume();
            }
        });
        scene.addEventFilter(KeyEvent.KEY_RELEASED, e -> {
            if (e.getCode() == KeyCode.SPACE) {
                compare.setShowOriginal(false);
            }
        });
        gallery.node().requestFocus();
    }

    private void installDragAndDrop() {
        root.addEventHandler(DragEvent.DRAG_OVER, e -> {
            if (e.getDragboard().hasFiles() || e.getDragboard().hasImage()) {
                e.acceptTransferModes(TransferMode.COPY);
                dragging.set(true);
            }
            e.consume();
        });
        root.addEventHandler(DragEvent.DRAG_EXITED, e -> dragging.set(false));
        root.addEventHandler(DragEvent.DRAG_DROPPED, e -> {
            dragging.set(false);
            boolean done = false;
            if (e.getDragboard().hasFiles()) {
                openDropped(e.getDragboard().getFiles());
                done = true;
            } else if (e.getDragboard().hasImage()) {
                openImage(e.getDragboard().getImage());
                done = true;
            }
            e.setDropCompleted(done);
            e.consume();
        });
    }

    /** What a drop of files does (also used by tests to load a photo the same way). */
    public void openDropped(List<File> files) {
        vm.open(files.stream().map(File::toPath).toList());
    }

    private void openImage(Image image) {
        try {
            vm.open(FxImages.fromFx(image), i18n.get("status.pasted"));
        } catch (IllegalArgumentException e) {
            vm.notify(Notice.error(i18n.get("error.paste")));
        }
    }

    // ---- commands that need the toolkit ----

    private void chooseFile() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(i18n.get("open.title"));
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(i18n.get("open.filter.images"),
                "*.jpg", "*.jpeg", "*.png", "*.webp", "*.bmp", "*.tif", "*.tiff", "*.gif",
                "*.JPG", "*.JPEG", "*.PNG"));
        vm.lastFolder().map(Path::toFile).ifPresent(chooser::setInitialDirectory);
        File file = chooser.showOpenDialog(root.getScene().getWindow());
        if (file != null) {
            vm.open(file.toPath());
        }
    }

    private void paste() {
        Clipboard clipboard = Clipboard.getSystemClipboard();
        if (clipboard.hasFiles() && !clipboard.getFiles().isEmpty()) {
            openDropped(clipboard.getFiles());
        } else if (clipboard.hasImage() && clipboard.getImage() != null) {
            openImage(clipboard.getImage());
        } else {
            vm.notify(Notice.error(i18n.get("error.paste")));
        }
    }

    private void copy() {
        vm.currentResult().ifPresent(result -> {
            ClipboardContent content = new ClipboardContent();
            content.putImage(FxImages.toFx(result));
            Clipboard.getSystemClipboard().setContent(content);
            vm.notify(Notice.success(i18n.get("copy.done")));
        });
    }

    private void export() {
        vm.exportViewModel().ifPresent(export -> new ExportDialog(export, i18n, root.getScene().getWindow()).show());
    }

    private void about() {
        new AboutView(AboutViewModel.of(vm.styles()), i18n, root.getScene().getWindow()).show();
    }

    private void show(Notice notice) {
        Ikon icon = switch (notice.kind()) {
            case ERROR -> MaterialDesignA.ALERT_CIRCLE_OUTLINE;
            case SUCCESS -> MaterialDesignC.CHECK_CIRCLE_OUTLINE;
            case INFO -> MaterialDesignI.INFORMATION_OUTLINE;
        };
        Notification n = new Notification(notice.message(), new FontIcon(icon));
        n.getStyleClass().addAll(Styles.ELEVATED_2, "app-notification", switch (notice.kind()) {
            case ERROR -> Styles.DANGER;
            case SUCCESS -> Styles.SUCCESS;
            case INFO -> Styles.ACCENT;
        });
        n.setPrefWidth(400);
        n.setMaxHeight(Region.USE_PREF_SIZE);
        n.setOnClose(e -> notifications.getChildren().remove(n));
        notifications.getChildren().add(n);
        if (notifications.getChildren().size() > 3) {
            notifications.getChildren().remove(0);
        }
        PauseTransition dismiss = new PauseTransition(Duration.seconds(notice.kind() == Notice.Kind.ERROR ? 10 : 5));
        dismiss.setOnFinished(e -> notifications.getChildren().remove(n));
        dismiss.play();
    }

    private final class LanguageCell extends ListCell<Locale> {
        @Override
        protected void updateItem(Locale locale, boolean empty) {
            super.updateItem(locale, empty);
            setText(empty || locale == null ? null : i18n.get("language." + locale.getLanguage()));
        }
    }
}
