package org.pastiche.ui;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.StackPane;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignI;

/**
 * Every way a photo comes in, which all need the toolkit: the open dialog, the clipboard (a file or
 * an image), and drag and drop anywhere on the window (with its overlay); and the copy out.
 */
final class PhotoInput {
    private final MainViewModel vm;
    private final I18n i18n;
    private final Node window;
    private final BooleanProperty dragging = new SimpleBooleanProperty();
    private final StackPane overlay;

    /** {@code window} is the node that accepts drops (the root). */
    PhotoInput(MainViewModel vm, I18n i18n, Node window) {
        this.vm = vm;
        this.i18n = i18n;
        this.window = window;
        Label text = new Label(null, new FontIcon(MaterialDesignI.IMAGE_PLUS));
        text.textProperty().bind(i18n.text("compare.drop"));
        text.getStyleClass().add("drop-label");
        overlay = new StackPane(text);
        overlay.getStyleClass().add("drop-overlay");
        overlay.setMouseTransparent(true);
        overlay.visibleProperty().bind(dragging);
        installDragAndDrop();
    }

    /** The "drop to open" overlay shown while something is dragged over the window. */
    Node dropOverlay() {
        return overlay;
    }

    private void installDragAndDrop() {
        window.addEventHandler(DragEvent.DRAG_OVER, e -> {
            if (e.getDragboard().hasFiles() || e.getDragboard().hasImage()) {
                e.acceptTransferModes(TransferMode.COPY);
                dragging.set(true);
            }
            e.consume();
        });
        window.addEventHandler(DragEvent.DRAG_EXITED, e -> dragging.set(false));
        window.addEventHandler(DragEvent.DRAG_DROPPED, e -> {
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

    /** A drag went on to a part of the window that takes it otherwise (a painting on the gallery). */
    void hideDropOverlay() {
        dragging.set(false);
    }

    void openDropped(List<File> files) {
        vm.open(files.stream().map(File::toPath).toList());
    }

    private void openImage(Image image) {
        try {
            vm.open(FxImages.fromFx(image), i18n.get("status.pasted"));
        } catch (IllegalArgumentException e) {
            vm.notify(Notice.error(i18n.get("error.paste")));
        }
    }

    void chooseFile() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(i18n.get("open.title"));
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(i18n.get("open.filter.images"),
                "*.jpg", "*.jpeg", "*.png", "*.webp", "*.bmp", "*.tif", "*.tiff", "*.gif",
                "*.JPG", "*.JPEG", "*.PNG"));
        vm.lastFolder().map(Path::toFile).ifPresent(chooser::setInitialDirectory);
        File file = chooser.showOpenDialog(window.getScene().getWindow());
        if (file != null) {
            vm.open(file.toPath());
        }
    }

    void paste() {
        Clipboard clipboard = Clipboard.getSystemClipboard();
        if (clipboard.hasFiles() && !clipboard.getFiles().isEmpty()) {
            openDropped(clipboard.getFiles());
        } else if (clipboard.hasImage() && clipboard.getImage() != null) {
            openImage(clipboard.getImage());
        } else {
            vm.notify(Notice.error(i18n.get("error.paste")));
        }
    }

    void copy() {
        vm.currentResult().ifPresent(result -> {
            ClipboardContent content = new ClipboardContent();
            content.putImage(FxImages.toFx(result));
            Clipboard.getSystemClipboard().setContent(content);
            vm.notify(Notice.success(i18n.get("copy.done")));
        });
    }
}
