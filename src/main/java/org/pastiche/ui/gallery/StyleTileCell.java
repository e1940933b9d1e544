package org.pastiche.ui.gallery;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javafx.collections.MapChangeListener;
import javafx.collections.ObservableMap;
import javafx.collections.WeakMapChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;
import javafx.util.Duration;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StyleModel;
import org.pastiche.ui.ErrorReasons;
import org.pastiche.ui.I18n;

/**
 * One style in the gallery strip: a rounded tile with the style's name under it. The tile is the
 * person's photo in that style once {@link LiveGallery} has painted it, the style's thumbnail until then.
 */
final class StyleTileCell extends ListCell<StyleModel> {
    static final double THUMB = 96;
    private static final PseudoClass UNAVAILABLE = PseudoClass.getPseudoClass("unavailable");
    private static final Map<Path, Image> THUMBNAILS = new ConcurrentHashMap<>();

    private static final PseudoClass LIVE = PseudoClass.getPseudoClass("live");

    private final I18n i18n;
    private final ObservableMap<String, RgbaImage> tiles;
    private final Function<RgbaImage, Image> convert;
    private final MapChangeListener<String, RgbaImage> tileChanged;
    private final ImageView thumbnail = new ImageView();
    private final FontIcon placeholder = new FontIcon(MaterialDesignP.PALETTE_OUTLINE);
    private final Label name = new Label();
    private final Label badge = new Label();
    private final VBox tile;
    private final Tooltip tooltip = new Tooltip();

    /** {@code tiles}: the styles' tiles painted from the photo; {@code convert} makes them images. */
    StyleTileCell(I18n i18n, ObservableMap<String, RgbaImage> tiles, Function<RgbaImage, Image> convert) {
        this.i18n = i18n;
        this.tiles = tiles;
        this.convert = convert;
        this.tileChanged = change -> {
            if (getItem() != null && getItem().id().equals(change.getKey())) {
                showTile(getItem());
            }
        };
        tiles.addListener(new WeakMapChangeListener<>(tileChanged));
        getStyleClass().add("style-tile-cell");
        thumbnail.getStyleClass().add("tile-image");
        thumbnail.setFitWidth(THUMB);
        thumbnail.setFitHeight(THUMB);
        thumbnail.setPreserveRatio(false);
        Rectangle clip = new Rectangle(THUMB, THUMB);
        clip.setArcWidth(18);
        clip.setArcHeight(18);
        thumbnail.setClip(clip);
        placeholder.getStyleClass().add("thumbnail-placeholder");
        StackPane frame = new StackPane(placeholder, thumbnail, badge);
        frame.getStyleClass().add("thumbnail-frame");
        StackPane.setAlignment(badge, Pos.BOTTOM_CENTER);
        badge.getStyleClass().add("unavailable-badge");
        name.getStyleClass().add("style-name");
        name.setPrefWidth(THUMB + 24);
        name.setMaxWidth(THUMB + 24);
        name.setWrapText(true); // long names take two lines rather than an ellipsis
        name.setAlignment(Pos.CENTER);
        name.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
        tile = new VBox(6, frame, name);
        tile.setAlignment(Pos.TOP_CENTER);
        tile.getStyleClass().add("style-tile");
        tooltip.setShowDelay(Duration.millis(350));
        tooltip.setWrapText(true);
        tooltip.setMaxWidth(360);
        setText(null);
    }

    @Override
    protected void updateItem(StyleModel style, boolean empty) {
        super.updateItem(style, empty);
        if (empty || style == null) {
            setGraphic(null);
            setTooltip(null);
            setId(null);
            pseudoClassStateChanged(UNAVAILABLE, false);
            return;
        }
        var locale = i18n.getLocale();
        name.setText(style.name(locale));
        showTile(style);
        pseudoClassStateChanged(UNAVAILABLE, !style.available());
        badge.setVisible(!style.available());
        badge.setText(i18n.get("gallery.unavailable"));
        // Name and description; the licence and attribution are in the side panel, in full.
        StringBuilder tip = new StringBuilder(i18n.get("gallery.tooltip", style.name(locale), style.description(locale)));
        if (StyleLicence.isNonCommercial(style.license())) {
            tip.append("\n").append(i18n.get("info.non-commercial"));
        }
        if (!style.available()) {
            tip.append("\n\n").append(i18n.get("info.unavailable", ErrorReasons.unavailable(i18n, style)));
        }
        tooltip.setText(tip.toString());
        setTooltip(tooltip);
        setId("style-" + style.id());
        setGraphic(tile);
    }

    private void showTile(StyleModel style) {
        Image live = convert.apply(tiles.get(style.id()));
        thumbnail.setImage(live != null ? live : style.thumbnail().map(StyleTileCell::thumbnail).orElse(null));
        pseudoClassStateChanged(LIVE, live != null);
        thumbnail.getProperties().put("live", live != null);
    }

    private static Image thumbnail(Path file) {
        // Background loading: the FX thread never waits for the file.
        return THUMBNAILS.computeIfAbsent(file, f -> new Image(f.toUri().toString(), THUMB * 2, THUMB * 2, true, true, true));
    }
}
