package org.pastiche.ui;

import java.io.File;
import java.util.List;
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
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.pastiche.ui.about.AboutView;
import org.pastiche.ui.about.AboutViewModel;
import org.pastiche.ui.compare.BeforeAfterView;
import org.pastiche.ui.compare.CompareAreaView;
import org.pastiche.ui.export.ExportDialog;
import org.pastiche.ui.gallery.GalleryView;

/**
 * The main window, put together from its parts: {@link ToolbarView} at the top, the {@link
 * CompareAreaView} in the middle, the {@link SidePanelView} on the right, the gallery strip and the
 * {@link StatusBarView} below, and the {@link NotificationsView} over it all; {@link PhotoInput}
 * takes photos in. It binds and forwards events to {@link MainViewModel}, nothing more.
 */
public final class MainView {
    private final MainViewModel vm;
    private final I18n i18n;
    private final StackPane root = new StackPane();
    private final CompareAreaView compareArea;
    private final GalleryView gallery;
    private final PhotoInput input;

    public MainView(MainViewModel vm, I18n i18n) {
        this.vm = vm;
        this.i18n = i18n;
        this.compareArea = new CompareAreaView(vm, i18n);
        this.gallery = new GalleryView(vm, i18n);
        this.input = new PhotoInput(vm, i18n, root);
        ToolbarView toolbar = new ToolbarView(vm, i18n, compareArea.compareView(),
                new ToolbarView.Commands(input::chooseFile, input::paste, this::export, input::copy, this::about));

        BorderPane layout = new BorderPane();
        layout.getStyleClass().add("main-layout");
        layout.setTop(toolbar.node());
        layout.setCenter(compareArea.node());
        layout.setRight(new SidePanelView(vm, i18n).node());
        layout.setBottom(new VBox(gallery.node(), new StatusBarView(vm, i18n).node()));

        root.getStyleClass().add("pastiche-root");
        root.setId("main-root");
        root.getChildren().addAll(layout, input.dropOverlay(), new NotificationsView(vm).node());
    }

    public Parent root() {
        return root;
    }

    public BeforeAfterView compareView() {
        return compareArea.compareView();
    }

    /** Keyboard shortcuts, hold-Space-for-the-original and arrow keys for the gallery. */
    public void install(Scene scene) {
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN), input::chooseFile);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.V, KeyCombination.SHORTCUT_DOWN), input::paste);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN), this::export);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F1), this::about);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN,
                KeyCombination.SHIFT_DOWN), input::copy);
        BeforeAfterView compare = compareView();
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

    /** What a drop of files does (also used by tests to load a photo the same way). */
    public void openDropped(List<File> files) {
        input.openDropped(files);
    }

    private void about() {
        new AboutView(AboutViewModel.of(vm.styles()), i18n, root.getScene().getWindow()).show();
    }

    private void export() {
        vm.exportViewModel().ifPresent(export -> new ExportDialog(export, i18n, root.getScene().getWindow()).show());
    }
}
