package org.pastiche.ui;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.control.Slider;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import javafx.stage.WindowEvent;
import org.pastiche.ui.about.AboutView;
import org.pastiche.ui.about.AboutViewModel;
import org.pastiche.ui.compare.BeforeAfterView;
import org.pastiche.ui.compare.CompareAreaView;
import org.pastiche.ui.export.ExportDialog;
import org.pastiche.ui.export.ExportViewModel;
import org.pastiche.ui.gallery.GalleryView;
import org.pastiche.ui.gallery.StyleGrid;
import org.pastiche.ui.gallery.StyleGridView;
import org.pastiche.ui.painting.PaintingPanelView;
import org.pastiche.ui.painting.PaintingStyleViewModel;
import org.pastiche.ui.painting.PaintingTileView;

/**
 * The main window, put together from its parts: {@link ToolbarView} at the top, the {@link
 * CompareAreaView} in the middle, the {@link SidePanelView} on the right, the gallery strip and the
 * {@link StatusBarView} below, and the {@link NotificationsView} over it all; {@link PhotoInput}
 * takes photos in. The "compare styles" grid ({@link StyleGridView}) lies over the picture while
 * open. It binds and forwards events to {@link MainViewModel}, nothing more.
 */
public final class MainView {
    private final MainViewModel vm;
    private final I18n i18n;
    private final StackPane root = new StackPane();
    private final CompareAreaView compareArea;
    private final GalleryView gallery;
    private final PhotoInput input;
    private final PaintingStyleViewModel painting;
    private final PaintingTileView paintingTile;
    private final StyleGrid grid;
    private ExportViewModel openExport;
    private Consumer<Path> revealer = folder -> { };

    public MainView(MainViewModel vm, PaintingStyleViewModel painting, I18n i18n, StyleGrid grid) {
        this.vm = vm;
        this.i18n = i18n;
        this.grid = grid;
        this.compareArea = new CompareAreaView(vm, i18n);
        this.gallery = new GalleryView(vm, i18n);
        this.input = new PhotoInput(vm, i18n, root);
        this.painting = painting;
        this.paintingTile = new PaintingTileView(painting, i18n);
        ToolbarView toolbar = new ToolbarView(vm, i18n, compareArea.compareView(),
                new ToolbarView.Commands(input::chooseFile, input::paste, this::export, input::copy, this::about,
                        this::compareStyles));

        BorderPane layout = new BorderPane();
        layout.getStyleClass().add("main-layout");
        layout.setTop(toolbar.node());
        layout.setCenter(new StackPane(compareArea.node(),
                new StyleGridView(grid, i18n, vm.galleryTiles(), vm.selectedStyleProperty()).node()));
        layout.setRight(new SidePanelView(vm, i18n, new PaintingPanelView(painting, paintingTile, i18n).node()).node());
        HBox strip = new HBox(paintingTile.node(), gallery.node()); // "Your painting…" first, then the styles
        strip.getStyleClass().add("gallery-strip");
        HBox.setHgrow(gallery.node(), Priority.ALWAYS);
        strip.prefHeightProperty().bind(gallery.node().prefHeightProperty()); // the strip as tall as the gallery was
        strip.setMaxHeight(Region.USE_PREF_SIZE);
        paintingTile.acceptDrops(strip, input::hideDropOverlay);
        layout.setBottom(new VBox(strip, new StatusBarView(vm, i18n).node()));

        root.getStyleClass().add("pastiche-root");
        root.setId("main-root");
        // The toasts sit over the compare area, not over the side panel.
        compareArea.overlay(new NotificationsView(vm, i18n, file -> revealer.accept(file)).node());
        root.getChildren().addAll(layout, input.dropOverlay());
    }

    public Parent root() {
        return root;
    }

    public BeforeAfterView compareView() {
        return compareArea.compareView();
    }

    /**
     * Keyboard shortcuts (listed by {@link ShortcutsDialog}, F1), zoom by keys and wheel,
     * hold-Space-for-the-original while the picture has focus, and arrow keys for the gallery.
     */
    public void install(Scene scene) {
        var keys = scene.getAccelerators();
        keys.put(new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN), input::chooseFile);
        keys.put(new KeyCodeCombination(KeyCode.V, KeyCombination.SHORTCUT_DOWN), input::paste);
        keys.put(new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN), this::export);
        keys.put(new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), input::copy);
        keys.put(new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN), () -> requestClose(scene));
        keys.put(new KeyCodeCombination(KeyCode.F1), () -> new ShortcutsDialog(i18n, scene.getWindow()).show());
        keys.put(new KeyCodeCombination(KeyCode.G, KeyCombination.SHORTCUT_DOWN), this::compareStyles);
        BeforeAfterView compare = compareView();
        Runnable zoomIn = () -> compare.setZoom(BeforeAfterView.Zoom.ACTUAL);
        Runnable zoomOut = () -> compare.setZoom(BeforeAfterView.Zoom.FIT);
        keys.put(new KeyCodeCombination(KeyCode.PLUS, KeyCombination.SHORTCUT_DOWN), zoomIn);
        keys.put(new KeyCodeCombination(KeyCode.EQUALS, KeyCombination.SHORTCUT_DOWN), zoomIn);
        keys.put(new KeyCodeCombination(KeyCode.ADD, KeyCombination.SHORTCUT_DOWN), zoomIn);
        keys.put(new KeyCodeCombination(KeyCode.MINUS, KeyCombination.SHORTCUT_DOWN), zoomOut);
        keys.put(new KeyCodeCombination(KeyCode.SUBTRACT, KeyCombination.SHORTCUT_DOWN), zoomOut);
        keys.put(new KeyCodeCombination(KeyCode.DIGIT0, KeyCombination.SHORTCUT_DOWN), zoomOut);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            Node focus = scene.getFocusOwner();
            boolean typing = focus instanceof TextInputControl;
            if ((e.getCode() == KeyCode.LEFT || e.getCode() == KeyCode.RIGHT) && !typing && !e.isShortcutDown()
                    && !(focus instanceof Slider) && !(focus instanceof ListView) && !grid.showingProperty().get()) {
                gallery.move(e.getCode() == KeyCode.LEFT ? -1 : 1);
                e.consume();
            }
        });
        gallery.node().requestFocus();
    }

    /** Closes the window as its close button does, so that the same checks (an export running) apply. */
    private static void requestClose(Scene scene) {
        Window window = scene.getWindow();
        window.fireEvent(new WindowEvent(window, WindowEvent.WINDOW_CLOSE_REQUEST));
    }

    /** True while an export started from this window is running. */
    public boolean exportRunning() {
        return openExport != null && openExport.runningProperty().get();
    }

    /** Stops the export under way, if any (the window is closing). */
    public void cancelExport() {
        if (openExport != null) {
            openExport.cancel();
        }
    }

    /** What a drop of files does (also used by tests to load a photo the same way). */
    public void openDropped(List<File> files) {
        input.openDropped(files);
    }

    /** Opens the "compare styles" grid, or goes back to the picture if it is open. */
    private void compareStyles() {
        if (grid.showingProperty().get()) {
            grid.close();
        } else if (vm.photoProperty().get() != null) {
            grid.open();
        }
    }

    /** The "compare styles" grid's state (for the tests). */
    public StyleGrid styleGrid() {
        return grid;
    }

    private void about() {
        new AboutView(AboutViewModel.of(vm.styles(), painting.network().stream().toList()), i18n,
                root.getScene().getWindow()).show();
    }

    private void export() {
        vm.exportViewModel().ifPresent(export -> {
            openExport = export;
            new ExportDialog(export, i18n, root.getScene().getWindow()).show();
        });
    }

    /** The "Your painting…" tile (for tests, which replace its open dialog). */
    public PaintingTileView paintingTile() {
        return paintingTile;
    }

    /** How "show in folder" opens a folder (the app's host services); nothing by default. */
    public void setRevealer(Consumer<Path> revealer) {
        this.revealer = revealer;
    }
}
