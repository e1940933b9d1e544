package org.pastiche.ui.gallery;

import atlantafx.base.theme.Styles;
import javafx.beans.InvalidationListener;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;
import org.pastiche.inference.StyleModel;
import org.pastiche.ui.I18n;
import org.pastiche.ui.MainViewModel;

/** The chosen style's name, description, licence and attribution; non-commercial terms stand out. */
public final class StyleInfoView {
    private final VBox box = new VBox(8);

    public StyleInfoView(MainViewModel vm, I18n i18n) {
        Label section = new Label();
        section.textProperty().bind(i18n.text("info.title"));
        section.getStyleClass().add("section-title");
        Label title = new Label();
        title.setId("style-info-title");
        title.getStyleClass().addAll(Styles.TITLE_3, "style-title");
        title.setWrapText(true);
        Label description = new Label();
        description.setId("style-info-description");
        description.setWrapText(true);
        description.getStyleClass().add("style-description");
        Label licenceHeading = new Label();
        licenceHeading.textProperty().bind(i18n.text("info.licence"));
        licenceHeading.getStyleClass().add("field-label");
        Label licence = new Label();
        licence.setId("style-info-licence");
        licence.setWrapText(true);
        licence.getStyleClass().add("licence-text");
        Label nonCommercial = new Label(null, new FontIcon(MaterialDesignA.ALERT_OUTLINE));
        nonCommercial.setId("style-info-non-commercial");
        nonCommercial.textProperty().bind(i18n.text("info.non-commercial"));
        nonCommercial.getStyleClass().addAll("licence-warning", Styles.WARNING);
        nonCommercial.setWrapText(true);
        Label attributionHeading = new Label();
        attributionHeading.textProperty().bind(i18n.text("info.attribution"));
        attributionHeading.getStyleClass().add("field-label");
        Label attribution = new Label();
        attribution.setId("style-info-attribution");
        attribution.setWrapText(true);
        attribution.getStyleClass().add("attribution");

        box.getStyleClass().add("style-info");
        box.getChildren().addAll(section, title, description, licenceHeading, licence, nonCommercial,
                attributionHeading, attribution);

        InvalidationListener update = o -> {
            StyleModel style = vm.selectedStyleProperty().get();
            var locale = i18n.getLocale();
            title.setText(style == null ? "" : style.name(locale));
            description.setText(style == null ? "" : style.description(locale));
            licence.setText(style == null ? "" : StyleLicence.normalise(style.license(locale)));
            attribution.setText(style == null ? "" : style.attribution(locale));
            boolean nc = style != null && StyleLicence.isNonCommercial(style.license());
            nonCommercial.setVisible(nc);
            nonCommercial.setManaged(nc);
        };
        vm.selectedStyleProperty().addListener(update);
        i18n.localeProperty().addListener(update);
        update.invalidated(null);
    }

    public VBox node() {
        return box;
    }
}
