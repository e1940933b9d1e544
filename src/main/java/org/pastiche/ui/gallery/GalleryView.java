package org.pastiche.ui.gallery;

import javafx.geometry.Orientation;
import javafx.scene.control.ListView;
import javafx.scene.control.SelectionMode;
import javafx.scene.image.Image;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StyleModel;
import org.pastiche.ui.FxImages;
import org.pastiche.ui.I18n;
import org.pastiche.ui.IdentityCache;
import org.pastiche.ui.MainViewModel;

/** The strip of styles: arrow keys move through it, a click or key press chooses the style. */
public final class GalleryView {
    private final ListView<StyleModel> list = new ListView<>();

    public GalleryView(MainViewModel vm, I18n i18n) {
        list.setId("gallery");
        list.getStyleClass().add("gallery");
        list.setOrientation(Orientation.HORIZONTAL);
        list.getSelectionModel().setSelectionMode(SelectionMode.SINGLE);
        list.setItems(vm.styles());
        // The live tiles, converted once each.
        IdentityCache<RgbaImage, Image> converted = new IdentityCache<>(64, FxImages::toFx);
        // Each cell follows the tiles itself: a refresh of the whole strip would recreate its cells under a click.
        list.setCellFactory(v -> new StyleTileCell(i18n, vm.galleryTiles(), converted::get));
        list.setFixedCellSize(StyleTileCell.THUMB + 36);
        list.setPrefHeight(StyleTileCell.THUMB + 76);
        list.setMinHeight(StyleTileCell.THUMB + 76);

        list.getSelectionModel().selectedItemProperty().addListener((obs, old, chosen) -> {
            vm.selectStyle(chosen);
            StyleModel selected = vm.selectedStyleProperty().get();
            if (chosen != null && chosen != selected) {
                list.getSelectionModel().select(selected); // an unavailable style was refused
            }
        });
        vm.selectedStyleProperty().addListener((obs, old, style) -> {
            if (style != null && !list.getItems().contains(style)) {
                list.getSelectionModel().clearSelection(); // a painting as the style: its own tile shows it
            } else if (list.getSelectionModel().getSelectedItem() != style) {
                list.getSelectionModel().select(style);
                list.scrollTo(style);
            }
        });
        vm.styles().addListener((javafx.collections.ListChangeListener<StyleModel>) c ->
                list.getSelectionModel().select(vm.selectedStyleProperty().get()));
        i18n.localeProperty().addListener((obs, old, locale) -> list.refresh());
        list.getSelectionModel().select(vm.selectedStyleProperty().get()); // chosen before the view existed
    }

    public ListView<StyleModel> node() {
        return list;
    }

    /** Moves the choice by {@code step} styles (arrow keys pressed outside the strip). */
    public void move(int step) {
        int i = list.getSelectionModel().getSelectedIndex() + step;
        if (i >= 0 && i < list.getItems().size()) {
            list.getSelectionModel().select(i);
            list.scrollTo(Math.max(0, i - 2));
        }
    }
}
