package org.pastiche.ui;

import atlantafx.base.controls.ToggleSwitch;
import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import javafx.beans.binding.Bindings;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignI;
import org.pastiche.inference.StrokeScale;
import org.pastiche.ui.gallery.StyleInfoView;
import org.pastiche.ui.photo.PhotoSession;
import org.pastiche.ui.preview.StrokePainting;

/** The panel on the right: the chosen style's information, the adjustments and the photo's name and size. */
final class SidePanelView {
    /** Arrow keys move the strength by this much (5 %). */
    static final double STRENGTH_STEP = 0.05;

    private final ScrollPane scroll;

    /** {@code painting}: the "Your painting" section, first (it shows only while a painting is the style). */
    SidePanelView(MainViewModel vm, I18n i18n, Node painting) {
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
        strength.setBlockIncrement(STRENGTH_STEP);
        strength.setMajorTickUnit(0.25);
        strength.setMinorTickCount(4);
        strength.valueProperty().bindBidirectional(vm.strengthProperty());
        ToggleSwitch keepColors = new ToggleSwitch();
        keepColors.setId("keep-colors-switch");
        keepColors.textProperty().bind(i18n.text("adjust.keep-colors"));
        keepColors.selectedProperty().bindBidirectional(vm.keepColorsProperty());
        Label strokeLabel = new Label();
        strokeLabel.textProperty().bind(i18n.text("adjust.stroke"));
        strokeLabel.getStyleClass().add("field-label");
        ComboBox<StrokeScale> stroke = new ComboBox<>();
        stroke.setId("stroke-scale-box");
        stroke.getItems().setAll(StrokePainting.OFFERED);
        stroke.setMaxWidth(Double.MAX_VALUE);
        stroke.setCellFactory(list -> new StrokeCell(i18n));
        stroke.setButtonCell(new StrokeCell(i18n));
        stroke.valueProperty().bindBidirectional(vm.strokeScaleProperty());
        strokeLabel.setLabelFor(stroke);
        Tooltip strokeTip = new Tooltip();
        strokeTip.textProperty().bind(i18n.text("adjust.stroke.tooltip"));
        strokeTip.setWrapText(true);
        strokeTip.setMaxWidth(320);
        stroke.setTooltip(strokeTip);
        VBox adjust = new VBox(10, adjustTitle, new HBox(strengthLabel, grow, strengthValue), strength, keepColors,
                strokeLabel, stroke);
        adjust.getStyleClass().add("sidebar-section");

        Label photoTitle = new Label();
        photoTitle.textProperty().bind(i18n.text("photo.title"));
        photoTitle.getStyleClass().add("section-title");
        Label photoName = new Label(null, new FontIcon(MaterialDesignI.IMAGE_OUTLINE));
        photoName.setId("photo-name");
        photoName.textProperty().bind(Bindings.createStringBinding(() -> {
            PhotoSession photo = vm.photoProperty().get();
            return photo == null ? i18n.get("photo.none") : photo.name();
        }, vm.photoProperty(), i18n.localeProperty()));
        photoName.setWrapText(true);
        Label photoSize = new Label();
        photoSize.textProperty().bind(vm.photoSizeProperty());
        photoSize.getStyleClass().add(Styles.TEXT_MUTED);
        VBox photo = new VBox(6, photoTitle, photoName, photoSize);
        photo.getStyleClass().add("sidebar-section");

        VBox info = new StyleInfoView(vm, i18n).node();
        info.getStyleClass().add("sidebar-section");
        VBox content = new VBox(painting, info, adjust, photo);
        content.getStyleClass().add("sidebar-content");
        scroll = new ScrollPane(content);
        scroll.setId("side-panel");
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.getStyleClass().addAll("sidebar", Tweaks.EDGE_TO_EDGE);
        scroll.setPrefWidth(300);
    }

    Node node() {
        return scroll;
    }

    /** The text for a stroke size in the UI language ({@code 1.5×}, "Native (finest)"). */
    static String strokeText(I18n i18n, StrokeScale scale) {
        return scale.isNative() ? i18n.get("adjust.stroke.native") : i18n.get("adjust.stroke.value", scale.factor());
    }

    /** A stroke size in the UI language, re-written when the language changes. */
    private static final class StrokeCell extends ListCell<StrokeScale> {
        private final I18n i18n;

        StrokeCell(I18n i18n) {
            this.i18n = i18n;
            i18n.localeProperty().addListener((obs, old, now) -> show());
        }

        @Override
        protected void updateItem(StrokeScale scale, boolean empty) {
            super.updateItem(scale, empty);
            show();
        }

        private void show() {
            setText(isEmpty() || getItem() == null ? null : strokeText(i18n, getItem()));
        }
    }
}
