package org.pastiche.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.controls.Notification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pastiche.imaging.ImageDecoder;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StyleModel;
import org.pastiche.ui.I18n;
import org.pastiche.ui.MainViewModel;
import org.pastiche.ui.preview.PreviewQuality;

/** The real window on the real engine (the model lab's tiny network), headless under Monocle. */
class PasticheAppFxTest extends FxAppSetup {
    @BeforeEach
    void titleNamesTheApp() throws Exception {
        assertTrue(fx(stage::getTitle).endsWith("Pastiche"), "the title names the app (and the photo once open)");
    }

    private static PreviewQuality quality(MainViewModel vm) {
        return vm.shownProperty().get() == null ? null : vm.shownProperty().get().quality();
    }

    private static String styleId(MainViewModel vm) {
        return vm.shownProperty().get() == null ? null : vm.shownProperty().get().styleId();
    }

    private static String photoName(MainViewModel vm) {
        return vm.photoProperty().get() == null ? null : vm.photoProperty().get().name();
    }

    private void idle() throws Exception {
        waitUntil(() -> !vm.stylizingProperty().get() && !vm.loadingProperty().get()
                && app.runner().activeTasksProperty().get() == 0);
    }

    @Test
    void windowOpensWithTheSampleStylized() throws Exception {
        assertEquals("sample.png", fx(() -> photoName(vm)));
        assertEquals(styleIds.get(0), fx(() -> styleId(vm)));
        assertNotNull(fx(() -> app.view().compareView().getAfterImage()));
        assertEquals(320.0, fx(() -> app.view().compareView().getBeforeImage().getWidth()));
        assertFalse(fx(() -> robot.lookup("#empty-state").query().isVisible()));
        ListView<StyleModel> gallery = robot.lookup("#gallery").queryListView();
        assertEquals(styleIds.get(0), fx(() -> gallery.getSelectionModel().getSelectedItem().id()));
    }

    @Test
    void aPhotoLoadedTheWayADropDoesAppears() throws Exception {
        Path photo = TestModels.photo(photos.resolve("dropped.png"), 200, 300);
        robot.interact(() -> app.view().openDropped(List.of(photo.toFile())));
        waitUntil(() -> "dropped.png".equals(photoName(vm))
                && quality(vm) == PreviewQuality.SHARP);
        assertEquals(300.0, fx(() -> app.view().compareView().getBeforeImage().getHeight()));
        assertEquals(300.0, fx(() -> app.view().compareView().getAfterImage().getHeight()));
    }

    @Test
    void choosingAStyleChangesTheAfterImage() throws Exception {
        RgbaImage first = fx(() -> vm.shownProperty().get().image());
        robot.clickOn("#style-" + styleIds.get(1));
        waitUntil(() -> styleIds.get(1).equals(styleId(vm))
                && quality(vm) == PreviewQuality.SHARP);
        RgbaImage second = fx(() -> vm.shownProperty().get().image());
        assertFalse(java.util.Arrays.equals(first.argb(), second.argb()), "the painting changed");
        assertTrue(fx(() -> robot.lookup("#style-info-non-commercial").query().isVisible()),
                "the second style's non-commercial licence is shown");
    }

    @Test
    void fiftyRapidStyleChangesEndOnTheLastWithNoWorkLeft() throws Exception {
        ListView<StyleModel> gallery = robot.lookup("#gallery").queryListView();
        int n = styleIds.size();
        for (int i = 1; i <= 50; i++) {
            int index = i % n;
            robot.interact(() -> gallery.getSelectionModel().select(index));
        }
        String last = styleIds.get(50 % n);
        idle();
        assertEquals(last, fx(() -> vm.selectedStyleProperty().get().id()));
        assertEquals(last, fx(() -> styleId(vm)));
        assertEquals(PreviewQuality.SHARP, fx(() -> quality(vm)));
        assertEquals(0, fx(() -> app.runner().activeTasksProperty().get()));
    }

    @Test
    void exportWritesTheFileAndLeavesTheOriginal() throws Exception {
        byte[] original = Files.readAllBytes(sample);
        Path target = photos.resolve("exported-" + UUID.randomUUID() + ".png");
        robot.clickOn("#export-button");
        waitUntil(() -> robot.lookup("#export-target").tryQuery().isPresent());
        TextField field = robot.lookup("#export-target").query();
        assertEquals(photos.resolve("sample-" + styleIds.get(0) + ".png").toString(), fx(field::getText));
        robot.interact(() -> field.setText(target.toString()));
        robot.clickOn("#export-confirm");
        waitUntil(() -> Files.exists(target) && robot.lookup("#export-dialog").tryQuery().isEmpty());
        RgbaImage written = new ImageDecoder().decode(target);
        assertEquals(320, written.width());
        assertEquals(240, written.height());
        assertArrayEquals(original, Files.readAllBytes(sample));
    }

    @Test
    void aBrokenFileShowsANotificationAndKeepsThePhoto() throws Exception {
        Path broken = photos.resolve("broken.jpg");
        Files.write(broken, new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, 4});
        Object before = fx(() -> vm.beforeImageProperty().get());
        robot.interact(() -> app.view().openDropped(List.of(broken.toFile())));
        waitUntil(() -> robot.lookup(".app-notification").tryQuery().isPresent());
        Notification notification = robot.lookup(".app-notification").query();
        assertTrue(fx(notification::getMessage).contains("broken.jpg"), fx(notification::getMessage));
        assertEquals("sample.png", fx(() -> photoName(vm)));
        assertSame(before, fx(() -> vm.beforeImageProperty().get()));
    }

    @Test
    void switchingTheLanguageRelabelsTheWindow() throws Exception {
        Button open = robot.lookup("#open-button").queryButton();
        Label title = robot.lookup("#style-info-title").queryAs(Label.class);
        assertEquals("Open", fx(open::getText));
        assertEquals("Tiny A", fx(title::getText));
        ComboBox<Locale> language = robot.lookup("#language-choice").queryComboBox();
        robot.interact(() -> language.setValue(I18n.CHINESE));
        assertEquals("打开", fx(open::getText));
        assertEquals("微型 A", fx(title::getText));
        assertEquals("zh-CN", prefs.get("language", ""));
        robot.interact(() -> language.setValue(I18n.ENGLISH));
        assertEquals("Open", fx(open::getText));
    }

    @Test
    void unavailableStylesAreShownButCannotBeChosen() throws Exception {
        robot.clickOn("#style-missing");
        waitUntil(() -> robot.lookup(".app-notification").tryQuery().isPresent());
        assertEquals(styleIds.get(0), fx(() -> vm.selectedStyleProperty().get().id()));
    }

    @Test
    void theDividerFollowsTheMouseAndSpaceShowsTheOriginal() throws Exception {
        var compare = app.view().compareView();
        javafx.geometry.Bounds bounds = fx(() -> compare.localToScreen(compare.getBoundsInLocal()));
        double y = bounds.getCenterY();
        robot.drag(bounds.getCenterX(), y, javafx.scene.input.MouseButton.PRIMARY)
                .dropTo(new javafx.geometry.Point2D(bounds.getCenterX() - 60, y));
        double position = fx(compare::getDividerPosition);
        assertTrue(position < 0.5, "divider moved left: " + position);

        robot.press(javafx.scene.input.KeyCode.SPACE);
        assertTrue(fx(compare::isShowOriginal));
        robot.release(javafx.scene.input.KeyCode.SPACE);
        assertFalse(fx(compare::isShowOriginal));
    }

    @Test
    void ctrlVPastesAnImageFromTheClipboard() throws Exception {
        robot.interact(() -> {
            javafx.scene.image.WritableImage image = new javafx.scene.image.WritableImage(120, 90);
            for (int y = 0; y < 90; y++) {
                for (int x = 0; x < 120; x++) {
                    image.getPixelWriter().setArgb(x, y, 0xFF000000 | (x * 2) << 16 | (y * 2) << 8 | 0x40);
                }
            }
            javafx.scene.input.ClipboardContent content = new javafx.scene.input.ClipboardContent();
            content.putImage(image);
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(content);
        });
        robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.V)
                .release(javafx.scene.input.KeyCode.V, javafx.scene.input.KeyCode.CONTROL);
        waitUntil(() -> vm.photoProperty().get() != null && vm.photoProperty().get().file().isEmpty()
                && vm.beforeImageProperty().get() != null
                && vm.beforeImageProperty().get().width() == 120
                && quality(vm) == PreviewQuality.SHARP);
        assertEquals("Pasted image", fx(() -> photoName(vm)));
    }

    @Test
    void exportAsksBeforeReplacingAnotherFile() throws Exception {
        Path target = photos.resolve("existing-" + UUID.randomUUID() + ".png");
        Files.writeString(target, "an older file");
        robot.clickOn("#export-button");
        waitUntil(() -> robot.lookup("#export-target").tryQuery().isPresent());
        TextField field = robot.lookup("#export-target").query();
        robot.interact(() -> field.setText(target.toString()));
        robot.clickOn("#export-confirm");
        waitUntil(() -> robot.lookup("#export-replace").tryQuery().isPresent());
        assertEquals("an older file", Files.readString(target), "nothing written before the answer");
        robot.clickOn("#export-replace-confirm");
        waitUntil(() -> robot.lookup("#export-dialog").tryQuery().isEmpty());
        assertEquals(320, new ImageDecoder().decode(target).width());
    }

    @Test
    void exportRefusesTheOriginalAsTarget() throws Exception {
        robot.clickOn("#export-button");
        waitUntil(() -> robot.lookup("#export-target").tryQuery().isPresent());
        TextField field = robot.lookup("#export-target").query();
        robot.interact(() -> field.setText(sample.toString()));
        assertTrue(fx(() -> robot.lookup("#export-confirm").queryButton().isDisabled()));
        robot.clickOn("#export-cancel");
        waitUntil(() -> robot.lookup("#export-dialog").tryQuery().isEmpty());
    }

    @Test
    void arrowKeysMoveThroughTheStyles() throws Exception {
        robot.clickOn("#compare-view");
        robot.type(javafx.scene.input.KeyCode.RIGHT);
        waitUntil(() -> styleIds.get(1).equals(vm.selectedStyleProperty().get().id()));
        robot.type(javafx.scene.input.KeyCode.LEFT);
        waitUntil(() -> styleIds.get(0).equals(vm.selectedStyleProperty().get().id()));
        idle();
        assertEquals(styleIds.get(0), fx(() -> styleId(vm)));
    }

    @Test
    void at100PercentBothSidesHaveThePhotosOwnPixelSize() throws Exception {
        Path photo = TestModels.photo(photos.resolve("large.png"), 1600, 1200);
        robot.interact(() -> app.view().openDropped(List.of(photo.toFile())));
        waitUntil(() -> "large.png".equals(photoName(vm)) && vm.photoProperty().get().hasOriginal()
                && quality(vm) == PreviewQuality.SHARP);
        var compare = app.view().compareView();
        double previewWidth = fx(() -> compare.getAfterImage().getWidth());
        assertTrue(previewWidth < 1600, "fitted, the painting is the view-sized preview: " + previewWidth);

        robot.clickOn("#zoom-actual");
        assertEquals(1600.0, fx(() -> compare.getBeforeImage().getWidth()), "the original at once");
        waitUntil(() -> quality(vm) == PreviewQuality.FULL);
        assertEquals(1600.0, fx(() -> compare.getAfterImage().getWidth()));
        assertEquals(1200.0, fx(() -> compare.getAfterImage().getHeight()));
        assertEquals(styleIds.get(0), fx(() -> styleId(vm)));
        assertFalse(fx(() -> robot.lookup("#full-resolution-progress").query().isVisible()));

        robot.clickOn("#zoom-fit");
        assertEquals(previewWidth, fx(() -> compare.getAfterImage().getWidth()));
    }

    @Test
    void aBrokenFileNotificationIsInChineseWhenTheWindowIs() throws Exception {
        ComboBox<Locale> language = robot.lookup("#language-choice").queryComboBox();
        robot.interact(() -> language.setValue(I18n.CHINESE));
        Path broken = photos.resolve("broken-zh.jpg");
        Files.write(broken, new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, 4});
        robot.interact(() -> app.view().openDropped(List.of(broken.toFile())));
        waitUntil(() -> robot.lookup(".app-notification").tryQuery().isPresent());
        Notification notification = robot.lookup(".app-notification").query();
        String message = fx(notification::getMessage);
        assertTrue(message.startsWith("无法打开 broken-zh.jpg："), message);
        assertFalse(message.replace("broken-zh.jpg", "").matches("(?s).*[A-Za-z].*"), "no English words: " + message);
    }

    @Test
    void theExportDialogRelabelsWhenTheLanguageChangesWhileItIsOpen() throws Exception {
        robot.clickOn("#export-button");
        waitUntil(() -> robot.lookup("#export-dialog").tryQuery().isPresent());
        javafx.scene.control.DialogPane pane = robot.lookup("#export-dialog").query();
        Button confirm = robot.lookup("#export-confirm").queryButton();
        Button cancel = robot.lookup("#export-cancel").queryButton();
        Label header = robot.lookup("#export-header").queryAs(Label.class);
        Label format = robot.lookup("#export-format-label").queryAs(Label.class);
        javafx.scene.control.RadioButton full = robot.lookup("#export-full").queryAs(javafx.scene.control.RadioButton.class);
        Callable<String> windowTitle = () -> ((Stage) pane.getScene().getWindow()).getTitle();
        assertEquals("Export painting", fx(windowTitle));
        assertEquals("Export", fx(confirm::getText));
        assertEquals("Full resolution (320 × 240)", fx(full::getText));

        robot.interact(() -> app.i18n().setLocale(I18n.CHINESE));
        assertEquals("导出画作", fx(windowTitle));
        assertEquals("导出", fx(confirm::getText));
        assertEquals("取消", fx(cancel::getText));
        assertEquals("导出画作", fx(header::getText));
        assertEquals("格式", fx(format::getText));
        assertEquals("原始分辨率（320 × 240）", fx(full::getText));

        robot.interact(() -> app.i18n().setLocale(I18n.ENGLISH));
        assertEquals("Format", fx(format::getText));
        robot.clickOn("#export-cancel");
        waitUntil(() -> robot.lookup("#export-dialog").tryQuery().isEmpty());
    }

    // ---- drag and drop through the scene's own drop target ----

    private record Drag(javafx.scene.input.TransferMode over, boolean overlayShown,
                        javafx.scene.input.TransferMode dropped) { }

    /**
     * Drags {@code content} over the middle of the picture and lets go, through the scene's drop
     * target ({@link SceneDrop}); notes whether "drop to open" shows while the drag is over it.
     */
    private Drag dragAndDrop(java.util.Map<javafx.scene.input.DataFormat, Object> content) throws Exception {
        var compare = app.view().compareView();
        return fx(() -> {
            boolean[] overlay = new boolean[1];
            SceneDrop.Result r = SceneDrop.dropOn(compare, content,
                    () -> overlay[0] = robot.lookup(".drop-overlay").query().isVisible());
            return new Drag(r.over(), overlay[0], r.dropped());
        });
    }

    @Test
    void droppingAnImageFileThroughTheDragEventsOpensIt() throws Exception {
        Path photo = TestModels.photo(photos.resolve("dragged.png"), 180, 270);
        Drag drag = dragAndDrop(java.util.Map.of(javafx.scene.input.DataFormat.FILES, List.of(photo.toFile())));
        assertEquals(javafx.scene.input.TransferMode.COPY, drag.over(), "the drag is accepted");
        assertTrue(drag.overlayShown(), "'drop to open' shows while dragging");
        assertEquals(javafx.scene.input.TransferMode.COPY, drag.dropped(), "the drop is completed");
        waitUntil(() -> "dragged.png".equals(photoName(vm))
                && quality(vm) == PreviewQuality.SHARP);
        assertEquals(270.0, fx(() -> app.view().compareView().getBeforeImage().getHeight()));
        assertEquals(270.0, fx(() -> app.view().compareView().getAfterImage().getHeight()));
        assertFalse(fx(() -> robot.lookup(".drop-overlay").query().isVisible()));
    }

    @Test
    void draggedTextIsRefusedAndChangesNothing() throws Exception {
        Drag drag = dragAndDrop(java.util.Map.of(javafx.scene.input.DataFormat.PLAIN_TEXT, "not a photo"));
        assertEquals(null, drag.over(), "the drag is refused");
        assertFalse(drag.overlayShown());
        assertEquals(null, drag.dropped());
        assertFalse(fx(() -> robot.lookup(".drop-overlay").query().isVisible()));
        assertEquals("sample.png", fx(() -> photoName(vm)));
        assertTrue(robot.lookup(".app-notification").tryQuery().isEmpty(), "no error for a refused drag");
    }
}
