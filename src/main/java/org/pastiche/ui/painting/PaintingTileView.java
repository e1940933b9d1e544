package org.pastiche.ui.painting;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.util.Duration;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignI;
import org.pastiche.ui.FxImages;
import org.pastiche.ui.I18n;

/**
 * The "Your painting…" tile at the start of the gallery strip: the painting in use as its thumbnail
 * (a spinner while one is read), "drop here" while a file is dragged over the strip. A click chooses
 * a painting (or shows the painting style again, when another style is on show); a drop of a file on
 * the tile or anywhere on the gallery uses it as the style.
 */
public final class PaintingTileView {
    static final double THUMB = 96;
    private static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");
    private static final PseudoClass DROP = PseudoClass.getPseudoClass("drop-target");
    private static final PseudoClass UNAVAILABLE = PseudoClass.getPseudoClass("unavailable");

    private final PaintingStyleViewModel vm;
    private final I18n i18n;
    private final Button button = new Button();
    private final ImageView image = new ImageView();
    private final javafx.beans.property.BooleanProperty dropping = new javafx.beans.property.SimpleBooleanProperty();
    /** How a painting file is chosen: the open dialog; tests put their own. */
    private Function<Window, Optional<Path>> chooser = this::showOpenDialog;

    public PaintingTileView(PaintingStyleViewModel vm, I18n i18n) {
        this.vm = vm;
        this.i18n = i18n;
        image.setId("painting-tile-image");
        image.setFitWidth(THUMB);
        image.setFitHeight(THUMB);
        image.setPreserveRatio(false);
        Rectangle clip = new Rectangle(THUMB, THUMB);
        clip.setArcWidth(18);
        clip.setArcHeight(18);
        image.setClip(clip);
        image.imageProperty().bind(Bindings.createObjectBinding(() -> vm.firstProperty().get() == null ? null
                : FxImages.toFx(vm.firstProperty().get().image()), vm.firstProperty()));
        FontIcon placeholder = new FontIcon(MaterialDesignI.IMAGE_PLUS);
        placeholder.getStyleClass().add("thumbnail-placeholder");
        placeholder.visibleProperty().bind(vm.firstProperty().isNull());
        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setMaxSize(36, 36);
        spinner.visibleProperty().bind(vm.busyProperty());
        Label badge = new Label();
        badge.getStyleClass().add("unavailable-badge");
        badge.textProperty().bind(i18n.text("gallery.unavailable"));
        badge.visibleProperty().bind(vm.unavailableProperty().isNotNull());
        StackPane frame = new StackPane(placeholder, image, spinner, badge);
        frame.getStyleClass().add("thumbnail-frame");
        StackPane.setAlignment(badge, Pos.BOTTOM_CENTER);
        Label name = new Label();
        name.getStyleClass().add("style-name");
        name.textProperty().bind(Bindings.createStringBinding(() -> i18n.get(dropping.get() ? "painting.drop" : "painting.tile"),
                dropping, i18n.localeProperty()));
        name.setPrefWidth(THUMB + 24);
        name.setMaxWidth(THUMB + 24);
        name.setWrapText(true);
        name.setAlignment(Pos.CENTER);
        name.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
        VBox tile = new VBox(6, frame, name);
        tile.setAlignment(Pos.TOP_CENTER);
        tile.getStyleClass().add("style-tile");

        button.setId("painting-tile");
        button.getStyleClass().addAll("painting-tile", "style-tile-cell");
        button.setGraphic(tile);
        button.setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
        button.setMinHeight(THUMB + 56);
        Tooltip tip = new Tooltip();
        tip.setShowDelay(Duration.millis(350));
        tip.setWrapText(true);
        tip.setMaxWidth(360);
        tip.textProperty().bind(Bindings.createStringBinding(() -> vm.unavailableProperty().get() == null
                ? i18n.get("painting.tile.tooltip")
                : i18n.get("painting.tile.tooltip") + "\n\n" + i18n.get("info.unavailable", vm.unavailableProperty().get()),
                vm.unavailableProperty(), i18n.localeProperty()));
        button.setTooltip(tip);
        button.setOnAction(e -> clicked());
        vm.activeProperty().addListener((obs, old, now) -> button.pseudoClassStateChanged(SELECTED, now));
        vm.unavailableProperty().addListener((obs, old, now) -> button.pseudoClassStateChanged(UNAVAILABLE, now != null));
        button.pseudoClassStateChanged(UNAVAILABLE, vm.unavailableProperty().get() != null);
    }

    public Node node() {
        return button;
    }

    private void clicked() {
        if (vm.styleProperty().get() != null && !vm.activeProperty().get()) {
            vm.showAgain();
        } else {
            choose();
        }
    }

    /** The open dialog, then the chosen painting becomes the style. */
    void choose() {
        chooser.apply(button.getScene() == null ? null : button.getScene().getWindow()).ifPresent(vm::choose);
    }

    /** The open dialog for a second painting to mix. */
    void chooseSecond() {
        chooser.apply(button.getScene() == null ? null : button.getScene().getWindow()).ifPresent(vm::addSecond);
    }

    /** Replaces the open dialog (for tests). */
    public void setChooser(Function<Window, Optional<Path>> chooser) {
        this.chooser = chooser;
    }

    private Optional<Path> showOpenDialog(Window owner) {
        FileChooser dialog = new FileChooser();
        dialog.setTitle(i18n.get("painting.choose.title"));
        dialog.getExtensionFilters().add(new FileChooser.ExtensionFilter(i18n.get("open.filter.images"),
                "*.jpg", "*.jpeg", "*.png", "*.webp", "*.bmp", "*.tif", "*.tiff", "*.gif", "*.JPG", "*.JPEG", "*.PNG"));
        return Optional.ofNullable(dialog.showOpenDialog(owner)).map(File::toPath);
    }

    /**
     * Makes {@code strip} (the tile and the gallery) take dropped files as paintings, before the
     * window's "drop a photo" handler sees them; {@code entered} runs when a drag comes in (the
     * window's overlay hides).
     */
    public void acceptDrops(Node strip, Runnable entered) {
        strip.addEventHandler(DragEvent.DRAG_ENTERED, e -> {
            if (e.getDragboard().hasFiles()) {
                entered.run();
            }
        });
        strip.addEventHandler(DragEvent.DRAG_OVER, e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
                button.pseudoClassStateChanged(DROP, true);
                dropping.set(true);
                e.consume();
            }
        });
        strip.addEventHandler(DragEvent.DRAG_EXITED, e -> {
            button.pseudoClassStateChanged(DROP, false);
            dropping.set(false);
        });
        strip.addEventHandler(DragEvent.DRAG_DROPPED, e -> {
            button.pseudoClassStateChanged(DROP, false);
            dropping.set(false);
            List<File> files = e.getDragboard().hasFiles() ? e.getDragboard().getFiles() : List.of();
            if (!files.isEmpty()) {
                vm.choose(files.get(0).toPath());
                e.setDropCompleted(true);
                e.consume();
            }
        });
    }
}
