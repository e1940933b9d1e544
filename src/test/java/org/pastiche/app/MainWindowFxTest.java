package org.pastiche.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.prefs.Preferences;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListCell;
import javafx.scene.control.Slider;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;
import org.pastiche.inference.StrokeScale;
import org.pastiche.ui.I18n;
import org.pastiche.ui.gallery.LiveGallery;
import org.pastiche.ui.gallery.StyleGrid;
import org.pastiche.ui.preview.PreviewQuality;
import org.testfx.util.WaitForAsyncUtils;

/** Issue 16 in the real window (the model lab's tiny network, headless): gallery, resize, keyboard. */
class MainWindowFxTest extends FxAppSetup {
    @Override
    void preferences(Preferences p) {
        p.putDouble("windowWidth", 900);
        p.putDouble("windowHeight", 620);
    }

    /** The tile's picture in the gallery strip for {@code styleId}, and whether it is the live one. */
    private boolean tileIsLive(String styleId) {
        Set<ListCell> cells = robot.lookup("#style-" + styleId).queryAllAs(ListCell.class);
        return cells.stream().filter(cell -> !cell.isEmpty() && cell.getItem() != null)
                .map(cell -> cell.lookup(".tile-image"))
                .anyMatch(view -> view != null && Boolean.TRUE.equals(view.getProperties().get("live"))
                        && ((ImageView) view).getImage() != null
                        && ((ImageView) view).getImage().getWidth() == LiveGallery.TILE_SIDE);
    }

    @Test
    void galleryTilesChangeToThePhotoAndANewPhotoReplacesThem() throws Exception {
        waitUntil(() -> vm.galleryTiles().keySet().containsAll(styleIds));
        waitUntil(() -> styleIds.stream().allMatch(this::tileIsLive));
        var first = fx(() -> vm.galleryTiles().get(styleIds.get(1)));

        Path other = TestModels.photo(photos.resolve("other.png"), 400, 300);
        Path third = TestModels.photo(photos.resolve("third.png"), 300, 400);
        robot.interact(() -> {
            app.view().openDropped(List.of(other.toFile()));
            app.view().openDropped(List.of(third.toFile())); // supersedes the other before it paints
        });
        waitUntil(() -> vm.photoProperty().get() != null && "third.png".equals(vm.photoProperty().get().name())
                && vm.galleryTiles().keySet().containsAll(styleIds) && styleIds.stream().allMatch(this::tileIsLive));
        assertFalse(fx(() -> vm.galleryTiles().get(styleIds.get(1)) == first), "the tiles are the new photo's");
        assertEquals(Set.copyOf(styleIds), fx(() -> Set.copyOf(vm.galleryTiles().keySet())));
    }

    @Test
    void aLargerWindowPaintsThePreviewAgainAtItsSize() throws Exception {
        Path large = TestModels.photo(photos.resolve("large.png"), 2000, 1500);
        robot.interact(() -> app.view().openDropped(List.of(large.toFile())));
        waitUntil(() -> "large.png".equals(vm.photoProperty().get().name()) && vm.photoProperty().get().hasOriginal()
                && vm.shownProperty().get() != null && vm.shownProperty().get().quality() == PreviewQuality.SHARP);
        int before = fx(() -> vm.shownProperty().get().image().width());
        robot.interact(() -> {
            stage.setWidth(1270); // the headless screen is 1280 x 800
            stage.setHeight(790);
        });
        waitUntil(() -> vm.shownProperty().get() != null && vm.shownProperty().get().quality() == PreviewQuality.SHARP
                && vm.shownProperty().get().image().width() > before * 1.15);
        int after = fx(() -> vm.shownProperty().get().image().width());
        assertTrue(after <= 1024 && after > before,
                "painted again at the larger size: " + before + " -> " + after);
        assertEquals(after, fx(() -> vm.beforeImageProperty().get().width()), "the original side too");
    }

    @Test
    void tabReachesThePictureTheGalleryTheSliderAndTheButtons() throws Exception {
        Set<String> reached = new java.util.HashSet<>();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            robot.push(KeyCode.TAB);
            WaitForAsyncUtils.waitForFxEvents();
            String id = fx(() -> {
                Scene scene = stage.getScene();
                Node n = scene.getFocusOwner();
                while (n != null && n.getId() == null) {
                    n = n.getParent();
                }
                return n == null ? "?" : n.getId();
            });
            reached.add(id);
            order.add(id);
        }
        assertTrue(reached.containsAll(Set.of("compare-view", "gallery", "strength-slider", "open-button",
                "keep-colors-switch", "language-choice")), order.toString());
    }

    @Test
    void spacePressesAFocusedButtonAndHoldsTheOriginalOnlyOnThePicture() throws Exception {
        robot.interact(() -> robot.lookup("#zoom-actual").query().requestFocus());
        robot.push(KeyCode.SPACE);
        waitUntil(() -> vm.actualSizeProperty().get());
        var compare = app.view().compareView();
        robot.interact(compare::requestFocus);
        robot.press(KeyCode.SPACE);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(compare::isShowOriginal));
        robot.release(KeyCode.SPACE);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(fx(compare::isShowOriginal));
    }

    @Test
    void theStrengthSliderStepsBy5PercentAndCtrlMinusZoomsOut() throws Exception {
        Slider slider = robot.lookup("#strength-slider").queryAs(Slider.class);
        robot.interact(slider::requestFocus);
        robot.push(KeyCode.LEFT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0.95, fx(() -> vm.strengthProperty().get()), 1e-9);
        robot.push(KeyCode.LEFT).push(KeyCode.LEFT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0.85, fx(() -> vm.strengthProperty().get()), 1e-9);
        robot.push(KeyCode.RIGHT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0.90, fx(() -> vm.strengthProperty().get()), 1e-9);

        robot.interact(() -> vm.actualSizeProperty().set(true));
        robot.push(KeyCode.CONTROL, KeyCode.MINUS);
        waitUntil(() -> !vm.actualSizeProperty().get());
    }

    @Test
    void theStrokeSizeBoxSetsTheViewModelsScaleAndSpeaksTheLanguage() throws Exception {
        @SuppressWarnings("unchecked")
        ComboBox<StrokeScale> box = robot.lookup("#stroke-scale-box").queryAs(ComboBox.class);
        assertEquals(StrokeScale.DEFAULT, fx(box::getValue));
        assertEquals("1×", fx(() -> box.getButtonCell().getText()));
        robot.interact(() -> box.setValue(StrokeScale.of(2)));
        assertEquals(StrokeScale.of(2), fx(() -> vm.strokeScaleProperty().get()));
        assertEquals("2", prefs.get("strokeScale", null));
        robot.interact(() -> box.setValue(StrokeScale.NATIVE));
        assertEquals("Native (finest)", fx(() -> box.getButtonCell().getText()));
        @SuppressWarnings("unchecked")
        ComboBox<Locale> language = robot.lookup("#language-choice").queryAs(ComboBox.class);
        robot.interact(() -> language.setValue(I18n.CHINESE));
        assertEquals("原始分辨率（最细）", fx(() -> box.getButtonCell().getText()));
        assertEquals("笔触大小", fx(() -> strokeLabel().getText()), "it acts on the preview too: no \"100 % and export\"");
        robot.interact(() -> language.setValue(Locale.ENGLISH));
        assertEquals("Stroke size", fx(() -> strokeLabel().getText()));
        assertTrue(fx(() -> box.getTooltip().getText()).contains("the same in the preview, at 100 % and in the export"));
    }

    private javafx.scene.control.Label strokeLabel() {
        return robot.lookup(".field-label").queryAllAs(javafx.scene.control.Label.class).stream()
                .filter(l -> l.getLabelFor() != null && "stroke-scale-box".equals(l.getLabelFor().getId()))
                .findFirst().orElseThrow();
    }

    /** Issue 16: "compare styles", the photo in every style at once, a click chooses one and goes back. */
    @Test
    void theCompareGridShowsOneCellPerStyleAndAClickChoosesIt() throws Exception {
        var grid = app.view().styleGrid();
        robot.clickOn("#compare-button");
        waitUntil(() -> grid.showingProperty().get() && robot.lookup("#style-grid").query().isVisible());
        waitUntil(() -> grid.cells().keySet().containsAll(styleIds));
        Set<Button> cells = robot.lookup(".style-grid-cell").queryAllAs(Button.class);
        assertEquals(fx(() -> vm.styles().size()), cells.size(), "one cell per style");
        assertTrue(styleIds.size() >= 3 && cells.size() >= styleIds.size());
        waitUntil(() -> styleIds.stream().allMatch(id -> {
            ImageView picture = robot.lookup("#grid-style-" + id).lookup(".image-view").queryAs(ImageView.class);
            return Boolean.TRUE.equals(picture.getProperties().get("painted")) && picture.getImage() != null
                    && picture.getImage().getWidth() == StyleGrid.CELL_SIDE;
        }));
        String other = styleIds.stream().filter(id -> !id.equals(vm.selectedStyleProperty().get().id()))
                .findFirst().orElseThrow(); // in the first row: on screen without scrolling

        robot.clickOn("#grid-style-" + other);

        waitUntil(() -> other.equals(vm.selectedStyleProperty().get().id()));
        waitUntil(() -> vm.shownProperty().get() != null && other.equals(vm.shownProperty().get().styleId()));
        assertFalse(fx(() -> grid.showingProperty().get()), "back to the picture");
        assertFalse(fx(() -> robot.lookup("#style-grid").query().isVisible()));

        robot.push(KeyCode.CONTROL, KeyCode.G);
        waitUntil(() -> grid.showingProperty().get());
        robot.push(KeyCode.ESCAPE);
        waitUntil(() -> !grid.showingProperty().get());
        assertEquals(other, fx(() -> vm.selectedStyleProperty().get().id()), "Esc chooses nothing");
    }

    @Test
    void theWindowTitleNamesThePhoto() throws Exception {
        assertEquals("sample.png — Pastiche", fx(stage::getTitle));
        assertTrue(fx(() -> stage.getMinWidth() == 800 && stage.getMinHeight() == 600));
    }
}
