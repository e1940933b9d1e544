package org.pastiche.ui;

import atlantafx.base.controls.ToggleSwitch;
import atlantafx.base.theme.Styles;
import java.util.List;
import java.util.Locale;
import javafx.beans.InvalidationListener;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListCell;
import javafx.scene.control.Separator;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignB;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignE;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignI;
import org.kordamp.ikonli.materialdesign2.MaterialDesignM;
import org.kordamp.ikonli.materialdesign2.MaterialDesignT;
import org.kordamp.ikonli.materialdesign2.MaterialDesignV;
import org.kordamp.ikonli.materialdesign2.MaterialDesignW;
import org.pastiche.ui.compare.BeforeAfterView;

/** The bar at the top: open, paste, export, copy, compare styles, the zoom pills, the language and the theme. */
final class ToolbarView {
    /** What the buttons do; the toolkit-only ones live in {@link PhotoInput} and {@link MainView}. */
    record Commands(Runnable open, Runnable paste, Runnable export, Runnable copy, Runnable about, Runnable compare) { }

    private final I18n i18n;
    private final HBox bar;

    ToolbarView(MainViewModel vm, I18n i18n, BeforeAfterView compare, Commands commands) {
        this.i18n = i18n;
        Label brandIcon = new Label(null, new FontIcon(MaterialDesignB.BRUSH_VARIANT));
        brandIcon.getStyleClass().add("brand-icon");
        Label brand = new Label();
        brand.textProperty().bind(i18n.text("app.title"));
        brand.getStyleClass().add("brand");
        Label tagline = new Label();
        tagline.textProperty().bind(i18n.text("app.tagline"));
        tagline.getStyleClass().add("tagline");

        Button open = toolButton("open-button", MaterialDesignF.FOLDER_OPEN_OUTLINE, "toolbar.open");
        open.setOnAction(e -> commands.open().run());
        Button paste = toolButton("paste-button", MaterialDesignC.CONTENT_PASTE, "toolbar.paste");
        paste.setOnAction(e -> commands.paste().run());
        Button export = toolButton("export-button", MaterialDesignE.EXPORT_VARIANT, "toolbar.export");
        export.getStyleClass().add(Styles.ACCENT);
        export.disableProperty().bind(vm.canExportProperty().not());
        export.setOnAction(e -> commands.export().run());
        Button copy = toolButton("copy-button", MaterialDesignC.CONTENT_COPY, "toolbar.copy");
        copy.disableProperty().bind(vm.hasResultProperty().not());
        copy.setOnAction(e -> commands.copy().run());
        Button compareStyles = toolButton("compare-button", MaterialDesignV.VIEW_GRID_OUTLINE, "toolbar.compare");
        compareStyles.disableProperty().bind(vm.photoProperty().isNull());
        compareStyles.setOnAction(e -> commands.compare().run());

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
        language.setTooltip(tooltip("toolbar.language.tooltip"));
        Label languageIcon = new Label(null, new FontIcon(MaterialDesignT.TRANSLATE));

        ToggleSwitch dark = new ToggleSwitch();
        dark.setId("theme-switch");
        dark.selectedProperty().bindBidirectional(vm.darkThemeProperty());
        Label darkIcon = new Label(null, new FontIcon(MaterialDesignW.WEATHER_NIGHT));
        darkIcon.textProperty().bind(i18n.text("toolbar.dark"));

        Button about = new Button(null, new FontIcon(MaterialDesignI.INFORMATION_OUTLINE));
        about.setId("about-button");
        about.setTooltip(tooltip("toolbar.about.tooltip"));
        about.setOnAction(e -> commands.about().run());

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        bar = new HBox(8, brandIcon, brand, tagline, separator(), open, paste, export, copy, compareStyles, separator(),
                new HBox(fit, actual), spacer, languageIcon, language, separator(), darkIcon, dark, about);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("app-toolbar");

        // Narrow windows: the tagline goes first, then the labels (icons and tooltips stay), then the
        // brand's name; nothing is cut to "…", in either language.
        language.setMinWidth(Region.USE_PREF_SIZE);
        List<Labeled> labelled = List.of(open, paste, export, copy, compareStyles, fit, actual, darkIcon);
        labelled.forEach(b -> b.setMinWidth(Region.USE_PREF_SIZE));
        InvalidationListener degrade = o -> {
            double w = bar.getWidth();
            boolean compact = w > 0 && w < COMPACT_WIDTH;
            setShown(tagline, w <= 0 || w >= FULL_WIDTH);
            setShown(brand, w <= 0 || w >= TINY_WIDTH);
            labelled.forEach(b -> b.setContentDisplay(compact ? ContentDisplay.GRAPHIC_ONLY : ContentDisplay.LEFT));
        };
        bar.widthProperty().addListener(degrade);
        i18n.localeProperty().addListener(o -> bar.requestLayout());
    }

    /** Below these widths the tagline, the labels and the brand's name give way. */
    static final double FULL_WIDTH = 1360;
    static final double COMPACT_WIDTH = 1180;
    static final double TINY_WIDTH = 880;

    private static void setShown(Node node, boolean shown) {
        node.setVisible(shown);
        node.setManaged(shown);
    }

    Node node() {
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

    private final class LanguageCell extends ListCell<Locale> {
        @Override
        protected void updateItem(Locale locale, boolean empty) {
            super.updateItem(locale, empty);
            setText(empty || locale == null ? null : i18n.get("language." + locale.getLanguage()));
        }
    }
}
