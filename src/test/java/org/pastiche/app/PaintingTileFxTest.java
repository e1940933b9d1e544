package org.pastiche.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javafx.scene.Node;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.input.DataFormat;
import javafx.scene.input.TransferMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StyleModel;
import org.pastiche.ui.preview.PreviewQuality;

/**
 * "Your painting…" in the real window on the real engine: the lab's tiny network as the styles and
 * its tiny arbitrary-style network (src/test/resources/models/tiny-arbitrary) for paintings, headless.
 */
class PaintingTileFxTest extends FxAppSetup {
    @TempDir
    static Path networks;
    @TempDir
    static Path files;
    @TempDir
    Path user;
    private static Path painting;

    @BeforeAll
    static void networksAndPainting() throws Exception {
        Path fixture;
        try {
            fixture = Path.of(PaintingTileFxTest.class.getResource("/models/tiny-arbitrary/catalog.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try (var list = Files.list(fixture)) {
            for (Path f : list.toList()) {
                Files.copy(f, networks.resolve(f.getFileName()));
            }
        }
        painting = TestModels.photo(files.resolve("my-painting.png"), 300, 200);
    }

    @Override
    List<Path> modelFolders() {
        return List.of(models, networks, user);
    }

    /** Visible, and so are all its parents. */
    private static boolean shown(Node node) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return true;
    }

    private Node lookup(String query) {
        return robot.lookup(query).query();
    }

    /** The painting style is on show, sharp, and its painting is the tile's thumbnail and in the side panel. */
    private void waitForThePaintingStyle() throws Exception {
        waitUntil(() -> {
            StyleModel style = vm.selectedStyleProperty().get();
            return style != null && style.id().startsWith("painting-") && vm.shownProperty().get() != null
                    && vm.shownProperty().get().styleId().equals(style.id())
                    && vm.shownProperty().get().quality() == PreviewQuality.SHARP;
        });
        ImageView tile = (ImageView) lookup("#painting-tile-image");
        assertNotNull(fx(tile::getImage), "the painting is the tile's thumbnail");
        assertEquals(256.0, fx(() -> tile.getImage().getWidth()), "the painting (300 x 200) at the tile's 256 px");
        assertEquals(171.0, fx(() -> tile.getImage().getHeight()));
        assertTrue(fx(() -> lookup("#painting-panel").isVisible()), "the side panel shows the painting");
        assertNotNull(fx(() -> ((ImageView) lookup("#painting-image")).getImage()));
        assertTrue(fx(() -> lookup("#painting-tile").getPseudoClassStates().stream()
                .anyMatch(p -> p.getPseudoClassName().equals("selected"))), "the tile looks chosen");
        assertEquals(-1, fx(() -> ((ListView<?>) lookup("#gallery")).getSelectionModel().getSelectedIndex()),
                "no gallery style looks chosen");
    }

    @Test
    void aPaintingDroppedOnTheTileBecomesTheStyle() throws Exception {
        RgbaImage before = fx(() -> vm.shownProperty().get().image());
        Node tile = lookup("#painting-tile");
        assertFalse(fx(() -> lookup("#painting-panel").isVisible()), "no painting yet: no painting section");
        SceneDrop.Result drop = fx(() -> SceneDrop.dropOn(tile, Map.of(DataFormat.FILES, List.of(painting.toFile())), () -> {
            assertFalse(lookup(".drop-overlay").isVisible(), "not 'drop to open a photo' over the gallery");
        }));
        assertEquals(TransferMode.COPY, drop.over(), "the drag is accepted");
        assertEquals(TransferMode.COPY, drop.dropped(), "the drop is completed");
        waitForThePaintingStyle();
        assertEquals("sample.png", fx(() -> vm.photoProperty().get().name()), "the photo stays: the painting is the style");
        RgbaImage after = fx(() -> vm.shownProperty().get().image());
        assertEquals(before.width(), after.width());
        assertFalse(Arrays.equals(before.argb(), after.argb()), "the preview is painted in the painting's style");
        assertFalse(fx(() -> shown(lookup("#painting-mix-slider"))), "one painting: no mix slider");
    }

    @Test
    void aPaintingChosenWithTheTileBecomesTheStyleAndASecondShowsTheMixSlider() throws Exception {
        app.view().paintingTile().setChooser(owner -> Optional.of(painting));
        robot.clickOn("#painting-tile");
        waitForThePaintingStyle();
        String first = fx(() -> vm.selectedStyleProperty().get().id());

        Path second = TestModels.photo(files.resolve("second-" + UUID.randomUUID() + ".png"), 120, 160);
        app.view().paintingTile().setChooser(owner -> Optional.of(second));
        robot.clickOn("#painting-add-second");
        waitUntil(() -> app.painting().mixingProperty().get() && !vm.selectedStyleProperty().get().id().equals(first)
                && vm.shownProperty().get() != null && vm.shownProperty().get().quality() == PreviewQuality.SHARP);
        assertTrue(fx(() -> shown(lookup("#painting-mix-slider"))), "two paintings: the mix slider");
        assertNotNull(fx(() -> ((ImageView) lookup("#painting-second-image")).getImage()));
    }

    @Test
    void aBrokenPaintingDroppedOnTheGalleryIsRefusedAndTheStyleStays() throws Exception {
        Path broken = Files.writeString(files.resolve("notes.png"), "not a picture");
        StyleModel style = fx(() -> vm.selectedStyleProperty().get());
        SceneDrop.Result drop = fx(() -> SceneDrop.dropOn(lookup("#gallery"), Map.of(DataFormat.FILES,
                List.of(broken.toFile())), () -> { }));
        assertEquals(TransferMode.COPY, drop.dropped(), "the gallery takes paintings too");
        waitUntil(() -> robot.lookup(".app-notification").tryQuery().isPresent());
        assertTrue(fx(() -> robot.lookup(".app-notification").queryAll().stream()
                .anyMatch(n -> ((atlantafx.base.controls.Notification) n).getMessage().contains("notes"))),
                "the notification names the painting");
        assertSame(style, fx(() -> vm.selectedStyleProperty().get()), "the style on show stays");
        assertEquals("sample.png", fx(() -> vm.photoProperty().get().name()), "and so does the photo");
        assertNull(fx(() -> app.painting().firstProperty().get()));
    }

    @Test
    void savingThePaintingAsAStyleListsItInTheGalleryAndTheUserFolder() throws Exception {
        app.view().paintingTile().setChooser(owner -> Optional.of(painting));
        robot.clickOn("#painting-tile");
        waitForThePaintingStyle();
        robot.clickOn("#painting-save");
        waitUntil(() -> robot.lookup("#painting-save-name").tryQuery().isPresent());
        fx(() -> {
            ((TextField) lookup("#painting-save-name")).setText("Stripes");
            return null;
        });
        robot.clickOn("#painting-save-ok");
        waitUntil(() -> vm.styles().stream().anyMatch(s -> s.id().equals("stripes")));
        assertEquals("stripes", fx(() -> vm.selectedStyleProperty().get().id()), "the saved style is on show");
        assertTrue(fx(() -> ((ListView<?>) lookup("#gallery")).getItems().stream()
                .anyMatch(s -> ((StyleModel) s).id().equals("stripes"))), "the gallery lists it");
        assertTrue(Files.readString(user.resolve("catalog.json")).contains("\"stripes\""));
        assertTrue(Files.isRegularFile(user.resolve("stripes.stylecode.json")));
        assertTrue(Files.isRegularFile(user.resolve("stripes.png")));
    }
}
