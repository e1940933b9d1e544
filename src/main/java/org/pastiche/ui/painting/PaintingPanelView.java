package org.pastiche.ui.painting;

import atlantafx.base.theme.Styles;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.TextInputDialog;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignI;
import org.pastiche.ui.FxImages;
import org.pastiche.ui.I18n;

/**
 * The side panel's "Your painting" section, shown while the painting style is on show: the
 * painting(s), another painting, a second to mix (then the mix slider), and "Save as style…".
 */
public final class PaintingPanelView {
    private static final double SIDE = 120;
    private final VBox box = new VBox(8);
    private final PaintingStyleViewModel vm;
    private final I18n i18n;

    public PaintingPanelView(PaintingStyleViewModel vm, PaintingTileView tile, I18n i18n) {
        this.vm = vm;
        this.i18n = i18n;
        Label title = new Label();
        title.textProperty().bind(i18n.text("painting.title"));
        title.getStyleClass().add("section-title");
        ImageView first = picture("painting-image", vm.firstProperty());
        ImageView second = picture("painting-second-image", vm.secondProperty());
        second.visibleProperty().bind(vm.mixingProperty());
        second.managedProperty().bind(vm.mixingProperty());
        Label names = new Label();
        names.setId("painting-names");
        names.setWrapText(true);
        names.getStyleClass().add(Styles.TEXT_MUTED);
        names.textProperty().bind(Bindings.createStringBinding(() -> vm.styleProperty().get() == null ? ""
                : vm.styleProperty().get().name(i18n.getLocale()), vm.styleProperty(), i18n.localeProperty()));

        Button another = button("painting-replace", "painting.replace", new FontIcon(MaterialDesignI.IMAGE_EDIT_OUTLINE));
        another.setOnAction(e -> tile.choose());
        Button addSecond = button("painting-add-second", "painting.add-second", new FontIcon(MaterialDesignI.IMAGE_PLUS));
        addSecond.setOnAction(e -> tile.chooseSecond());
        addSecond.visibleProperty().bind(vm.mixingProperty().not());
        addSecond.managedProperty().bind(vm.mixingProperty().not());
        Button removeSecond = button("painting-remove-second", "painting.remove-second", new FontIcon(MaterialDesignC.CLOSE));
        removeSecond.setOnAction(e -> vm.removeSecond());
        removeSecond.visibleProperty().bind(vm.mixingProperty());
        removeSecond.managedProperty().bind(vm.mixingProperty());

        Label mixLabel = new Label();
        mixLabel.textProperty().bind(i18n.text("painting.mix"));
        mixLabel.getStyleClass().add("field-label");
        Slider mix = new Slider(0, 1, vm.mixProperty().get());
        mix.setId("painting-mix-slider");
        mix.setBlockIncrement(0.1);
        Label mixValue = new Label();
        mixValue.getStyleClass().add(Styles.TEXT_MUTED);
        mixValue.textProperty().bind(Bindings.createStringBinding(() -> i18n.get("painting.mix.value", mix.getValue()),
                mix.valueProperty(), i18n.localeProperty()));
        // The mix is applied when the slider is let go (or moved by a key), not at every step of a drag.
        mix.valueChangingProperty().addListener((obs, was, changing) -> {
            if (!changing) {
                vm.mixProperty().set(mix.getValue());
            }
        });
        mix.valueProperty().addListener((obs, old, now) -> {
            if (!mix.isValueChanging()) {
                vm.mixProperty().set(now.doubleValue());
            }
        });
        vm.mixProperty().addListener((obs, old, now) -> mix.setValue(now.doubleValue()));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        VBox mixBox = new VBox(4, new HBox(mixLabel, grow, mixValue), mix);
        mixBox.visibleProperty().bind(vm.mixingProperty());
        mixBox.managedProperty().bind(vm.mixingProperty());

        Button save = button("painting-save", "painting.save", new FontIcon(MaterialDesignC.CONTENT_SAVE_OUTLINE));
        save.getStyleClass().add(Styles.ACCENT);
        save.disableProperty().bind(vm.canSaveProperty().not());
        save.setOnAction(e -> askName());

        box.setId("painting-panel");
        box.getStyleClass().add("sidebar-section");
        box.getChildren().addAll(title, new HBox(8, first, second), names, another, addSecond, removeSecond, mixBox, save);
        box.visibleProperty().bind(vm.activeProperty());
        box.managedProperty().bind(vm.activeProperty());
    }

    public Node node() {
        return box;
    }

    private static ImageView picture(String id, ObservableValue<PaintingStyleViewModel.Painting> painting) {
        ImageView view = new ImageView();
        view.setId(id);
        view.setFitWidth(SIDE);
        view.setFitHeight(SIDE);
        view.setPreserveRatio(true);
        view.imageProperty().bind(Bindings.createObjectBinding(() -> painting.getValue() == null ? null
                : FxImages.toFx(painting.getValue().image()), painting));
        return view;
    }

    private Button button(String id, String key, FontIcon icon) {
        Button b = new Button(null, icon);
        b.setId(id);
        b.textProperty().bind(i18n.text(key));
        b.setMaxWidth(Double.MAX_VALUE);
        return b;
    }

    /** Asks for the style's name (the painting's name to start with), then saves. */
    private void askName() {
        TextInputDialog dialog = new TextInputDialog(vm.firstProperty().get() == null ? "" : vm.firstProperty().get().name());
        if (box.getScene() != null) {
            dialog.initOwner(box.getScene().getWindow());
            dialog.getDialogPane().getStylesheets().setAll(box.getScene().getStylesheets());
        }
        dialog.getDialogPane().setId("painting-save-dialog");
        dialog.setTitle(i18n.get("painting.save.title"));
        dialog.setHeaderText(i18n.get("painting.save.header"));
        dialog.setContentText(i18n.get("painting.save.name"));
        ButtonType ok = new ButtonType(i18n.get("painting.save.ok"), ButtonBar.ButtonData.OK_DONE);
        ButtonType cancel = new ButtonType(i18n.get("painting.save.cancel"), ButtonBar.ButtonData.CANCEL_CLOSE);
        dialog.getDialogPane().getButtonTypes().setAll(ok, cancel);
        dialog.getDialogPane().lookupButton(ok).setId("painting-save-ok");
        dialog.getDialogPane().lookupButton(ok).disableProperty().bind(dialog.getEditor().textProperty().isEmpty());
        dialog.getEditor().setId("painting-save-name");
        dialog.setResultConverter(b -> b == ok ? dialog.getEditor().getText() : null);
        dialog.show(); // not showAndWait: the FX thread never waits
        dialog.setOnHidden(e -> {
            String name = dialog.getResult();
            if (name != null && !name.isBlank()) {
                vm.save(name);
            }
        });
    }
}
