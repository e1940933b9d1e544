package org.pastiche.ui;

import atlantafx.base.theme.Styles;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;
import org.pastiche.ui.preview.PreviewQuality;
import org.pastiche.ui.preview.ShownPainting;

/** The line under the gallery: what the app is doing, and how to compare. */
final class StatusBarView {
    private final HBox bar;

    StatusBarView(MainViewModel vm, I18n i18n) {
        Label state = new Label();
        state.setId("status-state");
        state.textProperty().bind(Bindings.createStringBinding(() -> {
            ShownPainting shown = vm.shownProperty().get();
            if (vm.loadingProperty().get()) {
                return i18n.get("status.loading");
            }
            if (vm.stylizingProperty().get()) {
                return shown != null && shown.quality() == PreviewQuality.QUICK
                        ? i18n.get("status.quick.stylizing") : i18n.get("status.stylizing");
            }
            if (shown == null) {
                return "";
            }
            return shown.quality() == PreviewQuality.FULL ? i18n.get("status.full") : i18n.get("status.sharp");
        }, vm.loadingProperty(), vm.stylizingProperty(), vm.shownProperty(), i18n.localeProperty()));
        Label hint = new Label(null, new FontIcon(MaterialDesignA.ARROW_LEFT_RIGHT));
        hint.setId("status-hint");
        hint.textProperty().bind(i18n.text("compare.hint"));
        hint.getStyleClass().add(Styles.TEXT_MUTED);
        hint.setMinWidth(0);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        bar = new HBox(12, state, spacer, hint);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("status-bar");
    }

    Node node() {
        return bar;
    }
}
