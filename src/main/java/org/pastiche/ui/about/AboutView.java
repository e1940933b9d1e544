package org.pastiche.ui.about;

import atlantafx.base.theme.Styles;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.pastiche.ui.I18n;

/**
 * The About dialog: name, version, a line on privacy, and two tabs: each style's licence and
 * attribution (from the catalog), and the bundled components' licences. Texts follow the UI language.
 */
public final class AboutView {
    private final Dialog<ButtonType> dialog = new Dialog<>();
    private final AboutViewModel vm;
    private final I18n i18n;
    private final VBox styles = new VBox(10);

    public AboutView(AboutViewModel vm, I18n i18n, Window owner) {
        this.vm = vm;
        this.i18n = i18n;
        dialog.initOwner(owner);
        dialog.titleProperty().bind(i18n.text("about.title"));
        dialog.setHeaderText(null);
        dialog.setResizable(true);
        dialog.getDialogPane().setId("about-dialog");
        dialog.getDialogPane().getStyleClass().add("about-dialog");
        if (owner != null && owner.getScene() != null) {
            dialog.getDialogPane().getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        ButtonType close = new ButtonType(i18n.get("about.close"), ButtonBar.ButtonData.CANCEL_CLOSE);
        dialog.getDialogPane().getButtonTypes().setAll(close);
        Button closeButton = (Button) dialog.getDialogPane().lookupButton(close);
        closeButton.setId("about-close");
        closeButton.textProperty().bind(i18n.text("about.close"));
        dialog.getDialogPane().setContent(content());
        dialog.getDialogPane().setPrefSize(640, 560);
        i18n.localeProperty().addListener((obs, old, now) -> fillStyles());
    }

    public void show() {
        dialog.show();
    }

    private Node content() {
        Label name = new Label("Pastiche " + vm.version());
        name.setId("about-version");
        name.getStyleClass().add(Styles.TITLE_3);
        Label tagline = wrapped(null);
        tagline.textProperty().bind(i18n.text("app.tagline"));
        Label privacy = wrapped("about-privacy");
        privacy.textProperty().bind(i18n.text("about.privacy"));

        fillStyles();
        Tab stylesTab = new Tab(null, scroll(styles));
        stylesTab.textProperty().bind(i18n.text("about.styles"));
        stylesTab.setId("about-styles-tab");
        Tab componentsTab = new Tab(null, scroll(components()));
        componentsTab.textProperty().bind(i18n.text("about.components"));
        TabPane tabs = new TabPane(stylesTab, componentsTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        VBox.setVgrow(tabs, javafx.scene.layout.Priority.ALWAYS);

        VBox box = new VBox(8, name, tagline, privacy, tabs);
        box.setPadding(new Insets(4));
        return box;
    }

    private void fillStyles() {
        styles.getChildren().clear();
        styles.setId("about-styles");
        for (AboutViewModel.StyleCredit c : vm.styleCredits(i18n.getLocale())) {
            Label title = new Label(c.name());
            title.getStyleClass().add(Styles.TEXT_BOLD);
            Label licence = wrapped(null);
            licence.setText(i18n.get("about.licence", c.licence()));
            if (c.nonCommercial()) {
                licence.getStyleClass().add(Styles.WARNING);
            }
            Label attribution = wrapped(null);
            attribution.setText(c.attribution());
            attribution.getStyleClass().add(Styles.TEXT_MUTED);
            VBox entry = new VBox(2, title, licence, attribution);
            entry.setId("about-style-" + c.id());
            styles.getChildren().add(entry);
        }
    }

    private Node components() {
        GridPane grid = new GridPane();
        grid.setId("about-components");
        grid.setHgap(16);
        grid.setVgap(6);
        int row = 0;
        for (AboutViewModel.Component c : vm.components()) {
            Label name = new Label(c.name());
            name.getStyleClass().add(Styles.TEXT_BOLD);
            grid.addRow(row++, name, new Label(c.licence()), new Label(c.homepage()));
        }
        Label own = wrapped(null);
        own.textProperty().bind(i18n.text("about.components.more"));
        VBox box = new VBox(12, grid, own);
        return box;
    }

    private static ScrollPane scroll(Node content) {
        ScrollPane pane = new ScrollPane(content);
        pane.setFitToWidth(true);
        pane.setPadding(new Insets(8));
        return pane;
    }

    private static Label wrapped(String id) {
        Label l = new Label();
        l.setWrapText(true);
        if (id != null) {
            l.setId(id);
        }
        return l;
    }
}
