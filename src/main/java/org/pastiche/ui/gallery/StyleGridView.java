package org.pastiche.ui.gallery;

import atlantafx.base.theme.Styles;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javafx.collections.ListChangeListener;
import javafx.collections.MapChangeListener;
import javafx.collections.ObservableMap;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.TilePane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StyleModel;
import org.pastiche.ui.FxImages;
import org.pastiche.ui.I18n;
import org.pastiche.ui.IdentityCache;

/**
 * The "compare styles" grid: one cell per style with the photo painted in it ({@link StyleGrid}), the chosen
 * one marked; a click (or Enter) on a cell chooses that style and goes back to the picture, as do Esc and the
 * back button. It lies over the picture while {@link StyleGrid#showingProperty() showing}.
 */
public final class StyleGridView {
    static final double CELL_WIDTH = 240;
    static final double CELL_HEIGHT = 180;
    private static final double NAME_HEIGHT = 40;
    private static final PseudoClass CHOSEN = PseudoClass.getPseudoClass("chosen");
    private static final Map<Path, Image> THUMBNAILS = new ConcurrentHashMap<>();

    private final StyleGrid grid;
    private final I18n i18n;
    private final ObservableMap<String, RgbaImage> stripTiles;
    private final IdentityCache<RgbaImage, Image> converted = new IdentityCache<>(64, FxImages::toFx);
    private final TilePane cells = new TilePane(14, 14);
    private final Map<String, ImageView> pictures = new HashMap<>();
    private final ScrollPane scroll;
    private final VBox root;
    private StyleModel chosen;

    /**
     * @param stripTiles the gallery strip's tiles, shown in a cell until its own painting is there
     * @param chosen     the style chosen now, marked in the grid
     */
    public StyleGridView(StyleGrid grid, I18n i18n, ObservableMap<String, RgbaImage> stripTiles,
            javafx.beans.value.ObservableValue<StyleModel> chosen) {
        this.grid = grid;
        this.i18n = i18n;
        this.stripTiles = stripTiles;
        Label title = new Label();
        title.textProperty().bind(i18n.text("grid.title"));
        title.getStyleClass().add(Styles.TITLE_3);
        Label hint = new Label();
        hint.textProperty().bind(i18n.text("grid.hint"));
        hint.getStyleClass().add(Styles.TEXT_MUTED);
        hint.setWrapText(true);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        Button back = new Button(null, new FontIcon(MaterialDesignA.ARROW_LEFT));
        back.setId("style-grid-back");
        back.textProperty().bind(i18n.text("grid.back"));
        back.setOnAction(e -> grid.close());
        HBox header = new HBox(12, title, hint, grow, back);
        header.setAlignment(Pos.CENTER_LEFT);
        header.getStyleClass().add("style-grid-header");

        cells.setId("style-grid-cells");
        cells.setPrefTileWidth(CELL_WIDTH + 16);
        cells.setPrefTileHeight(CELL_HEIGHT + NAME_HEIGHT + 20); // a fixed row height: names take at most two lines
        cells.setTileAlignment(Pos.TOP_CENTER);
        cells.getStyleClass().add("style-grid-cells");
        scroll = new ScrollPane(cells);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.getStyleClass().add("style-grid-scroll");
        VBox.setVgrow(scroll, Priority.ALWAYS);

        root = new VBox(8, header, scroll);
        root.setId("style-grid");
        root.getStyleClass().add("style-grid");
        root.visibleProperty().bind(grid.showingProperty());
        root.managedProperty().bind(grid.showingProperty());
        root.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                grid.close();
                e.consume();
            }
        });

        this.chosen = chosen.getValue();
        chosen.addListener((obs, old, now) -> {
            this.chosen = now;
            rebuild();
        });
        grid.styles().addListener((ListChangeListener<StyleModel>) c -> rebuild());
        // A painting that arrives replaces the cell's picture in place (the focus stays where it is).
        grid.cells().addListener((MapChangeListener<String, RgbaImage>) c -> refresh(c.getKey()));
        stripTiles.addListener((MapChangeListener<String, RgbaImage>) c -> refresh(c.getKey()));
        i18n.localeProperty().addListener((obs, old, now) -> rebuild());
        grid.showingProperty().addListener((obs, was, showing) -> {
            if (showing) {
                rebuild();
                cells.getChildren().stream().filter(n -> n.getPseudoClassStates().contains(CHOSEN)).findFirst()
                        .or(() -> cells.getChildren().stream().findFirst()).ifPresent(Node::requestFocus);
            }
        });
        rebuild();
    }

    private void rebuild() {
        if (!grid.showingProperty().get() && !cells.getChildren().isEmpty()) {
            return; // brought up to date when shown
        }
        pictures.clear();
        cells.getChildren().setAll(grid.styles().stream().map(this::cell).toList());
    }

    private void refresh(String styleId) {
        ImageView picture = pictures.get(styleId);
        grid.styles().stream().filter(s -> s.id().equals(styleId)).findFirst().ifPresent(style -> {
            if (picture != null) {
                picture.setImage(image(style));
                picture.getProperties().put("painted", grid.cells().containsKey(styleId));
            }
        });
    }

    private Node cell(StyleModel style) {
        var locale = i18n.getLocale();
        ImageView picture = new ImageView(image(style));
        picture.setFitWidth(CELL_WIDTH);
        picture.setFitHeight(CELL_HEIGHT);
        picture.setPreserveRatio(true);
        picture.setSmooth(true);
        picture.getProperties().put("painted", grid.cells().containsKey(style.id()));
        pictures.put(style.id(), picture);
        StackPane frame = new StackPane(picture);
        frame.getStyleClass().add("style-grid-frame");
        frame.setMinSize(CELL_WIDTH, CELL_HEIGHT);
        frame.setPrefSize(CELL_WIDTH, CELL_HEIGHT);
        Label name = new Label(style.name(locale));
        name.getStyleClass().add("style-grid-name");
        name.setWrapText(true);
        name.setMaxWidth(CELL_WIDTH);
        name.setMaxHeight(NAME_HEIGHT);
        VBox content = new VBox(6, frame, name);
        content.setAlignment(Pos.TOP_CENTER);
        Button cell = new Button(null, content);
        cell.setId("grid-style-" + style.id());
        cell.getStyleClass().addAll("style-grid-cell", Styles.FLAT);
        cell.pseudoClassStateChanged(CHOSEN, style.equals(chosen));
        cell.setDisable(!style.available());
        cell.setTooltip(new Tooltip(style.description(locale)));
        cell.setOnAction(e -> grid.choose(style));
        cell.focusedProperty().addListener((obs, was, focused) -> {
            if (focused) {
                reveal(cell);
            }
        });
        return cell;
    }

    /** Scrolls the grid so that a cell reached with the keyboard is on show. */
    private void reveal(Node cell) {
        double hidden = cells.getBoundsInLocal().getHeight() - scroll.getViewportBounds().getHeight();
        if (hidden <= 0) {
            return;
        }
        double top = scroll.getVvalue() * hidden;
        var bounds = cell.getBoundsInParent();
        if (bounds.getMinY() < top) {
            scroll.setVvalue(bounds.getMinY() / hidden);
        } else if (bounds.getMaxY() > top + scroll.getViewportBounds().getHeight()) {
            scroll.setVvalue(Math.min(1, (bounds.getMaxY() - scroll.getViewportBounds().getHeight()) / hidden));
        }
    }

    private Image image(StyleModel style) {
        RgbaImage painted = grid.cells().get(style.id());
        RgbaImage fallback = painted != null ? painted : stripTiles.get(style.id());
        if (fallback != null) {
            return converted.get(fallback);
        }
        // Background loading: the UI thread never waits for the file.
        return style.thumbnail().map(f -> THUMBNAILS.computeIfAbsent(f,
                p -> new Image(p.toUri().toString(), CELL_WIDTH, CELL_WIDTH, true, true, true))).orElse(null);
    }

    public Node node() {
        return root;
    }
}
