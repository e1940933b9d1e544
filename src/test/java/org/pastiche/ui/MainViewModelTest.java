package org.pastiche.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StrokeScale;
import org.pastiche.inference.StrokeStylizer;
import org.pastiche.ui.preview.PreviewQuality;

class MainViewModelTest {
    private final FakeStylizer stylizer = new FakeStylizer("a", "b", "c");
    private final FakeImaging imaging = new FakeImaging();
    private Preferences prefs;
    private AppSettings settings;

    @BeforeEach
    void setUp() {
        prefs = Preferences.userRoot().node("pastiche-test-" + UUID.randomUUID());
        settings = new AppSettings(prefs);
    }

    @AfterEach
    void tearDown() throws Exception {
        prefs.removeNode();
    }

    private final I18n i18n = new I18n(Locale.ENGLISH);

    private MainViewModel viewModel(TaskRunner runner) {
        return new MainViewModel(stylizer, imaging, runner, settings, i18n);
    }

    @Test
    void loadShowsThePhotoStylizedQuickThenSharp() {
        MainViewModel vm = viewModel(QueuedTaskRunner.direct());
        vm.start(Optional.of(Path.of("photos", "dog.jpg")));

        assertEquals("dog.jpg", vm.photoProperty().get().name());
        assertEquals("800 × 600 px", vm.photoSizeProperty().get());
        RgbaImage before = vm.beforeImageProperty().get();
        assertEquals(800, before.width());
        assertEquals("a", vm.selectedStyleProperty().get().id());
        assertEquals("a", vm.shownProperty().get().styleId());
        assertEquals(PreviewQuality.SHARP, vm.shownProperty().get().quality());
        assertArrayEquals(FakeStylizer.expected(before, "a").argb(), vm.shownProperty().get().image().argb());
        // a quick low-resolution pass first, then the sharp one at view size
        assertEquals(List.of(256, 800), stylizer.calls.subList(0, 2).stream().map(FakeStylizer.Call::width).toList());
        assertFalse(vm.stylizingProperty().get());
    }

    @Test
    void switchingStyleShowsTheNewStyleAndRemembersIt() {
        MainViewModel vm = viewModel(QueuedTaskRunner.direct());
        vm.start(Optional.of(Path.of("dog.jpg")));
        vm.selectStyle("b");

        assertEquals("b", vm.shownProperty().get().styleId());
        assertArrayEquals(FakeStylizer.expected(vm.beforeImageProperty().get(), "b").argb(),
                vm.shownProperty().get().image().argb());
        assertEquals(Optional.of("b"), settings.lastStyle());
    }

    @Test
    void lastUsedStyleIsChosenAtStart() {
        settings.setLastStyle("c");
        MainViewModel vm = viewModel(QueuedTaskRunner.direct());
        vm.start(Optional.empty());
        assertEquals("c", vm.selectedStyleProperty().get().id());
    }

    @Test
    void newerStyleRequestCancelsTheOlderAndOnlyTheNewestIsShown() {
        QueuedTaskRunner runner = QueuedTaskRunner.queued();
        MainViewModel vm = viewModel(runner);
        vm.start(Optional.of(Path.of("dog.jpg")));
        runner.runAll();
        int before = stylizer.calls.size();

        vm.selectStyle("b");
        vm.selectStyle("c");
        runner.runAll();

        assertEquals("c", vm.shownProperty().get().styleId());
        assertEquals(PreviewQuality.SHARP, vm.shownProperty().get().quality());
        assertTrue(stylizer.calls.subList(before, stylizer.calls.size()).stream()
                .noneMatch(c -> c.styleId().equals("b")), "the superseded style never reached the engine");
        assertFalse(vm.stylizingProperty().get());
        assertEquals(0, runner.pending());
    }

    @Test
    void aStyleChosenWhileTheNetworkRunsCancelsTheRunningWork() {
        QueuedTaskRunner runner = QueuedTaskRunner.direct();
        MainViewModel vm = viewModel(runner);
        vm.start(Optional.of(Path.of("dog.jpg")));
        stylizer.duringStylize = call -> {
            if (call.styleId().equals("b")) {
                vm.selectStyle("c");
            }
        };
        vm.selectStyle("b");

        FakeStylizer.Call b = stylizer.calls.stream().filter(c -> c.styleId().equals("b") && c.width() != TILE)
                .findFirst().orElseThrow();
        assertTrue(b.cancel().isCancelled(), "the engine was told to stop");
        assertEquals("c", vm.shownProperty().get().styleId());
        assertEquals(1, stylizer.calls.stream().filter(c -> c.styleId().equals("b") && c.width() != TILE).count(),
                "the sharp pass of the superseded style never ran");
    }

    @Test
    void switchingBackToAStyleReusesItsSharpPreview() {
        MainViewModel vm = viewModel(QueuedTaskRunner.direct());
        vm.start(Optional.of(Path.of("dog.jpg")));
        vm.selectStyle("b");
        int calls = stylizer.calls.size();
        vm.selectStyle("a");
        assertEquals(calls, stylizer.calls.size());
        assertEquals("a", vm.shownProperty().get().styleId());
    }

    @Test
    void strengthAndKeepColoursApplyWithoutRunningTheNetwork() {
        MainViewModel vm = viewModel(QueuedTaskRunner.direct());
        vm.start(Optional.of(Path.of("dog.jpg")));
        int calls = stylizer.calls.size();
        RgbaImage full = vm.shownProperty().get().image();

        vm.strengthProperty().set(0.0);
        assertArrayEquals(vm.beforeImageProperty().get().argb(), vm.shownProperty().get().image().argb());
        vm.strengthProperty().set(1.0);
        vm.keepColorsProperty().set(true);
        assertFalse(java.util.Arrays.equals(full.argb(), vm.shownProperty().get().image().argb()));
        assertEquals(calls, stylizer.calls.size());
    }

    @Test
    void aBrokenFileKeepsThePreviousPhotoAndSaysWhy() {
        MainViewModel vm = viewModel(QueuedTaskRunner.direct());
        vm.start(Optional.of(Path.of("dog.jpg")));
        RgbaImage before = vm.beforeImageProperty().get();
        RgbaImage after = vm.shownProperty().get().image();

        vm.open(List.of(Path.of("broken.png")));

        assertSame(before, vm.beforeImageProperty().get());
        assertSame(after, vm.shownProperty().get().image());
        assertEquals("dog.jpg", vm.photoProperty().get().name());
        Notice notice = vm.noticeProperty().get();
        assertNotNull(notice);
        assertEquals(Notice.Kind.ERROR, notice.kind());
        assertTrue(notice.message().contains("broken.png"), notice.message());
        assertEquals("Couldn't open broken.png: the file is truncated or corrupt", notice.message());
    }

    @Test
    void errorReasonsAreInTheUiLanguage() {
        MainViewModel vm = viewModel(QueuedTaskRunner.direct());
        vm.start(Optional.of(Path.of("dog.jpg")));
        i18n.setLocale(Locale.SIMPLIFIED_CHINESE);
        assertEquals("800 × 600 像素", vm.photoSizeProperty().get());

        vm.open(Path.of("photos", "broken.png"));
        assertEquals("无法打开 broken.png：文件不完整或已损坏", vm.noticeProperty().get().message());

        // A failure without a reason code: a generic text in the UI language with the raw one.
        vm.open(Path.of("photos", "strange.png"));
        assertEquals("无法打开 strange.png：发生了意外问题（something strange happened）",
                vm.noticeProperty().get().message());

        vm.selectStyle("broken");
        assertEquals("风格 broken 不可用：模型缺失或无法加载（model file missing）", vm.noticeProperty().get().message());
    }

    @Test
    void aFailingModelSaysWhichStyle() {
        MainViewModel vm = viewModel(QueuedTaskRunner.direct());
        vm.start(Optional.of(Path.of("dog.jpg")));
        stylizer.failingStyle = "b";
        vm.selectStyle("b");
        assertTrue(vm.noticeProperty().get().message().contains("Style b"), vm.noticeProperty().get().message());
        assertFalse(vm.stylizingProperty().get());
    }

    @Test
    void unavailableStylesCannotBeChosen() {
        MainViewModel vm = viewModel(QueuedTaskRunner.direct());
        vm.start(Optional.of(Path.of("dog.jpg")));
        vm.selectStyle("broken");
        assertEquals("a", vm.selectedStyleProperty().get().id());
        assertEquals("Style broken is unavailable: the model is missing or cannot be loaded (model file missing)",
                vm.noticeProperty().get().message());
    }

    @Test
    void aPastedImageOpensWithoutAFile() {
        MainViewModel vm = viewModel(QueuedTaskRunner.direct());
        vm.start(Optional.empty());
        assertNull(vm.shownProperty().get());
        vm.open(FakeImaging.photo(300, 200, 1), "clipboard");
        assertTrue(vm.photoProperty().get().file().isEmpty());
        assertEquals(300, vm.beforeImageProperty().get().width());
        assertEquals("a", vm.shownProperty().get().styleId());
    }

    @Test
    void aNewerPhotoSupersedesAnOlderLoad() {
        QueuedTaskRunner runner = QueuedTaskRunner.queued();
        MainViewModel vm = viewModel(runner);
        vm.start(Optional.of(Path.of("first.jpg")));
        vm.open(Path.of("second.jpg"));
        runner.runAll();
        assertEquals("second.jpg", vm.photoProperty().get().name());
    }

    @Test
    void languageAndThemeAreRemembered() {
        MainViewModel vm = viewModel(QueuedTaskRunner.direct());
        i18n.setLocale(Locale.CHINA);
        vm.darkThemeProperty().set(true);
        assertEquals(Optional.of(Locale.SIMPLIFIED_CHINESE), settings.language());
        assertTrue(settings.darkTheme());
    }

    @Test
    void disposeCancelsRunningWork() {
        QueuedTaskRunner runner = QueuedTaskRunner.queued();
        MainViewModel vm = viewModel(runner);
        vm.start(Optional.of(Path.of("dog.jpg")));
        runner.runAll();
        vm.selectStyle("b");
        vm.dispose();
        runner.runAll();
        assertNull(vm.shownProperty().get(), "b's painting never came, and a's is not shown under b's name");
        assertTrue(stylizer.calls.stream().noneMatch(c -> c.styleId().equals("b") && c.width() != TILE),
                "b's passes never ran");
    }

    @Test
    void thePreviewShowsBeforeTheFullResolutionIsDecodedAndExportWaitsForIt() {
        QueuedTaskRunner runner = QueuedTaskRunner.queued();
        MainViewModel vm = viewModel(runner);
        vm.start(Optional.of(Path.of("dog.jpg")));
        runner.runNext(); // session warm-up
        runner.runNext(); // screen-sized preview decode
        assertNotNull(vm.beforeImageProperty().get());
        assertEquals(0, imaging.fullLoads);
        assertFalse(vm.photoProperty().get().hasOriginal());
        runner.runNext(); // quick pass
        runner.runNext(); // sharp pass
        assertEquals(PreviewQuality.SHARP, vm.shownProperty().get().quality());
        assertFalse(vm.canExportProperty().get());
        assertTrue(vm.exportViewModel().isEmpty());

        runner.runAll();
        assertEquals(1, imaging.fullLoads);
        assertTrue(vm.canExportProperty().get());
        assertEquals(800, vm.exportViewModel().orElseThrow().source().original().width());
    }

    // ---- 100 %: the photo's own pixels ----

    /** A view model whose view is 400 px: the 800 x 600 photo's preview is 400 x 300. */
    private MainViewModel smallView(TaskRunner runner) {
        MainViewModel vm = viewModel(runner);
        vm.viewportLongSideProperty().set(400);
        return vm;
    }

    private long fullRuns(String styleId) {
        return stylizer.calls.stream().filter(c -> c.styleId().equals(styleId) && c.width() == 800).count();
    }

    /** Issue 16: the preview, 100 % (and the export) paint at the stroke scale, the network at the same size. */
    @Test
    void theFullResolutionPassAndThePreviewPaintAtTheStrokeScale() {
        MainViewModel vm = new MainViewModel(new StrokeStylizer(stylizer, StrokeScale.of(2)), imaging,
                QueuedTaskRunner.direct(), settings, i18n);
        vm.viewportLongSideProperty().set(400);
        vm.start(Optional.of(Path.of("dog.jpg")));
        assertEquals(List.of("328x246", "512x384"), sizes().subList(0, 2),
                "the 400 px preview painted by the network at 1024 / S = 512 px, as the whole photo is; the 256 px "
                        + "quick copy keeps that ratio (x 1.28)");
        assertEquals(400, vm.shownProperty().get().image().width(), "brought back to the preview's size");
        stylizer.calls.clear();

        vm.actualSizeProperty().set(true);

        assertEquals(List.of("512x384"), stylizer.calls.stream().map(c -> c.width() + "x" + c.height()).toList(),
                "the network works at 1024 px / S = 512 px, whatever the photo's size");
        assertEquals(800, vm.shownProperty().get().image().width(), "brought back to the photo's size");
        assertEquals(PreviewQuality.FULL, vm.shownProperty().get().quality());
    }

    @Test
    void changingTheStrokeScaleRepaintsTheFullPassAtItsNetworkSizeAndIsRemembered() {
        MainViewModel vm = new MainViewModel(new StrokeStylizer(stylizer, StrokeScale.DEFAULT), imaging,
                QueuedTaskRunner.direct(), settings, i18n);
        assertEquals(StrokeScale.DEFAULT, vm.strokeScaleProperty().get());
        vm.viewportLongSideProperty().set(400);
        vm.start(Optional.of(Path.of("dog.jpg")));
        vm.actualSizeProperty().set(true);
        assertEquals("1024x768", last(), "S = 1: the network at 1024 px");
        stylizer.calls.clear();

        vm.strokeScaleProperty().set(StrokeScale.of(2));

        assertEquals(List.of("512x384", "512x384"), sizes(),
                "the preview and the kept S = 1 full painting dropped, both painted again at S = 2");
        assertEquals(800, vm.shownProperty().get().image().width());
        assertEquals(PreviewQuality.FULL, vm.shownProperty().get().quality());
        assertEquals(Optional.of(StrokeScale.of(2)), settings.strokeScale(), "remembered");
        stylizer.calls.clear();

        vm.actualSizeProperty().set(false);
        vm.strokeScaleProperty().set(StrokeScale.NATIVE);
        assertEquals(List.of("800x600"), sizes(), "fitted: the preview painted again with the network at the photo's "
                + "own size (native), nothing at full resolution");
        assertEquals(400, vm.shownProperty().get().image().width());
        stylizer.calls.clear();
        vm.actualSizeProperty().set(true);
        assertEquals(List.of("800x600"), sizes(), "native: the network at the photo's own resolution");

        MainViewModel again = new MainViewModel(new StrokeStylizer(stylizer, StrokeScale.DEFAULT), imaging,
                QueuedTaskRunner.direct(), settings, i18n);
        assertEquals(StrokeScale.NATIVE, again.strokeScaleProperty().get(), "read back at the next start");
    }

    private List<String> sizes() {
        return stylizer.calls.stream().map(c -> c.width() + "x" + c.height()).toList();
    }

    private String last() {
        List<String> all = sizes();
        return all.isEmpty() ? "" : all.get(all.size() - 1);
    }

    @Test
    void at100PercentBothSidesShowThePhotosOwnPixels() {
        MainViewModel vm = smallView(QueuedTaskRunner.direct());
        vm.start(Optional.of(Path.of("dog.jpg")));
        assertEquals(400, vm.beforeImageProperty().get().width());
        assertEquals(400, vm.shownProperty().get().image().width());
        assertEquals(0, fullRuns("a"), "fitted: nothing at full resolution");

        vm.actualSizeProperty().set(true);

        RgbaImage before = vm.beforeImageProperty().get();
        assertEquals(800, before.width());
        assertEquals(600, before.height());
        assertEquals(PreviewQuality.FULL, vm.shownProperty().get().quality());
        assertEquals("a", vm.shownProperty().get().styleId());
        assertArrayEquals(FakeStylizer.expected(before, "a").argb(), vm.shownProperty().get().image().argb());
        assertEquals(1, fullRuns("a"));
        assertFalse(vm.fullResolutionPendingProperty().get());
        assertTrue(vm.canExportProperty().get());

        vm.actualSizeProperty().set(false);
        assertEquals(400, vm.beforeImageProperty().get().width());
        assertEquals(400, vm.shownProperty().get().image().width());
        assertEquals(PreviewQuality.FULL, vm.shownProperty().get().quality(), "Fit shows the full result, scaled down");
        vm.actualSizeProperty().set(true);
        assertEquals(800, vm.shownProperty().get().image().width());
        assertEquals(1, fullRuns("a"), "the full-resolution result is kept");
    }

    /** Issue 16: "Fit shows the full-resolution result once it is computed", scaled off the UI thread, once. */
    @Test
    void fitShowsTheFullResolutionPaintingScaledDownOnceItIsComputed() {
        QueuedTaskRunner runner = QueuedTaskRunner.queued();
        MainViewModel vm = smallView(runner);
        vm.start(Optional.of(Path.of("dog.jpg")));
        runner.runAll();
        RgbaImage sharp = vm.shownProperty().get().image();
        vm.actualSizeProperty().set(true);
        vm.actualSizeProperty().set(false); // back to Fit while the full pass runs: it goes on
        assertSame(sharp, vm.shownProperty().get().image(), "the sharp preview until the full result is there");
        runner.runNext(); // the full-resolution pass
        assertEquals(PreviewQuality.SHARP, vm.shownProperty().get().quality(),
                "not scaled on the UI thread: the preview stays while the scaling is queued");
        assertEquals(1, runner.pending(), "the scaling, queued");
        runner.runAll();

        RgbaImage full = FakeStylizer.expected(vm.photoProperty().get().original(), "a");
        RgbaImage shown = vm.shownProperty().get().image();
        assertEquals(PreviewQuality.FULL, vm.shownProperty().get().quality());
        assertEquals("a", vm.shownProperty().get().styleId());
        assertEquals(400, shown.width());
        assertEquals(300, shown.height());
        assertArrayEquals(org.pastiche.imaging.Resize.resize(full, 400, 300).argb(), shown.argb(),
                "the full-resolution painting scaled down to the view");
        assertFalse(java.util.Arrays.equals(sharp.argb(), shown.argb()), "not the preview");

        vm.actualSizeProperty().set(true);
        vm.actualSizeProperty().set(false);
        assertEquals(0, runner.pending(), "scaled once per result and size: Fit again scales nothing");
        assertSame(shown, vm.shownProperty().get().image());
    }

    @Test
    void atFitStrengthShowsThePreviewUntilTheFullResultIsRefinishedAndScaled() {
        QueuedTaskRunner runner = QueuedTaskRunner.queued();
        MainViewModel vm = smallView(runner);
        vm.start(Optional.of(Path.of("dog.jpg")));
        runner.runAll();
        vm.actualSizeProperty().set(true);
        runner.runAll();
        vm.actualSizeProperty().set(false);
        runner.runAll();
        assertEquals(PreviewQuality.FULL, vm.shownProperty().get().quality());
        int calls = stylizer.calls.size();

        vm.strengthProperty().set(0.0);
        runner.runNext(); // the preview's re-finish (the full result's is still queued)
        assertEquals(PreviewQuality.SHARP, vm.shownProperty().get().quality(),
                "never the full result with the old strength: the re-finished preview meanwhile");
        assertArrayEquals(vm.beforeImageProperty().get().argb(), vm.shownProperty().get().image().argb(),
                "the preview at strength 0 is the photo");
        runner.runAll();
        assertEquals(PreviewQuality.FULL, vm.shownProperty().get().quality());
        assertArrayEquals(org.pastiche.imaging.Resize.resize(vm.photoProperty().get().original(), 400, 300).argb(),
                vm.shownProperty().get().image().argb(), "strength 0 at full resolution, scaled down");
        assertEquals(calls, stylizer.calls.size(), "without the network");
    }

    @Test
    void aSupersededFullResultNeverShowsAtFit() {
        QueuedTaskRunner runner = QueuedTaskRunner.queued();
        MainViewModel vm = smallView(runner);
        vm.start(Optional.of(Path.of("dog.jpg")));
        runner.runAll();
        vm.actualSizeProperty().set(true);
        runner.runAll();
        vm.actualSizeProperty().set(false);
        assertEquals(1, runner.pending(), "a's full result being scaled for Fit");
        List<String> seen = new java.util.ArrayList<>();
        vm.shownProperty().addListener((obs, old, now) -> seen.add(now == null ? "none" : now.styleId() + "/" + now.quality()));
        vm.selectStyle("b");
        runner.runAll();
        assertEquals("b", vm.shownProperty().get().styleId());
        assertEquals(PreviewQuality.SHARP, vm.shownProperty().get().quality(), "b has no full result: its preview");
        assertTrue(seen.stream().noneMatch(v -> v.startsWith("a/")), seen.toString());

        vm.selectStyle("a");
        runner.runAll();
        assertEquals(PreviewQuality.FULL, vm.shownProperty().get().quality(), "a's full result is still the kept one");
        assertEquals("a", vm.shownProperty().get().styleId());
    }

    @Test
    void whileTheFullResolutionRunsTheUpscaledPreviewShowsWithProgress() {
        QueuedTaskRunner runner = QueuedTaskRunner.queued();
        MainViewModel vm = smallView(runner);
        vm.start(Optional.of(Path.of("dog.jpg")));
        runner.runAll();
        vm.actualSizeProperty().set(true);

        assertTrue(vm.fullResolutionPendingProperty().get());
        assertEquals(-1.0, vm.fullResolutionProgressProperty().get());
        assertEquals(800, vm.beforeImageProperty().get().width(), "the original at once");
        assertEquals(400, vm.shownProperty().get().image().width(), "the preview until the full result is there");
        assertEquals(PreviewQuality.SHARP, vm.shownProperty().get().quality());
        double[] seen = {-1};
        stylizer.duringStylize = call -> seen[0] = vm.fullResolutionProgressProperty().get();
        runner.runAll();

        assertEquals(0.5, seen[0], "progress reported while the network runs");
        assertFalse(vm.fullResolutionPendingProperty().get());
        assertEquals(800, vm.shownProperty().get().image().width());
        assertEquals(PreviewQuality.FULL, vm.shownProperty().get().quality());
    }

    @Test
    void aNewStyleAt100PercentCancelsTheFullPassUnderWayAndNeverShowsIt() {
        MainViewModel vm = smallView(QueuedTaskRunner.direct());
        vm.start(Optional.of(Path.of("dog.jpg")));
        stylizer.duringStylize = call -> {
            if (call.styleId().equals("a") && call.width() == 800) {
                vm.selectStyle("b");
            }
        };
        vm.actualSizeProperty().set(true);

        FakeStylizer.Call a = stylizer.calls.stream().filter(c -> c.styleId().equals("a") && c.width() == 800)
                .findFirst().orElseThrow();
        assertTrue(a.cancel().isCancelled(), "the engine was told to stop");
        assertEquals("b", vm.shownProperty().get().styleId());
        assertEquals(PreviewQuality.FULL, vm.shownProperty().get().quality());
        assertArrayEquals(FakeStylizer.expected(vm.beforeImageProperty().get(), "b").argb(),
                vm.shownProperty().get().image().argb());
        assertFalse(vm.fullResolutionPendingProperty().get());
    }

    @Test
    void aNewPhotoDropsTheFullResolutionResultAndComputesItsOwn() {
        QueuedTaskRunner runner = QueuedTaskRunner.queued();
        MainViewModel vm = smallView(runner);
        vm.start(Optional.of(Path.of("dog.jpg")));
        runner.runAll();
        vm.actualSizeProperty().set(true);
        runner.runNext(); // the full pass would run now, but another photo comes first
        vm.open(Path.of("cat.jpg"));
        runner.runAll();

        assertEquals("cat.jpg", vm.photoProperty().get().name());
        RgbaImage before = vm.beforeImageProperty().get();
        assertEquals(800, before.width());
        assertEquals(PreviewQuality.FULL, vm.shownProperty().get().quality());
        assertArrayEquals(FakeStylizer.expected(before, "a").argb(), vm.shownProperty().get().image().argb());
    }

    @Test
    void strengthAndKeepColoursApplyToTheFullResolutionWithoutRunningTheNetwork() {
        MainViewModel vm = smallView(QueuedTaskRunner.direct());
        vm.start(Optional.of(Path.of("dog.jpg")));
        vm.actualSizeProperty().set(true);
        int calls = stylizer.calls.size();

        vm.strengthProperty().set(0.0);
        assertEquals(800, vm.shownProperty().get().image().width());
        assertArrayEquals(vm.beforeImageProperty().get().argb(), vm.shownProperty().get().image().argb());
        vm.strengthProperty().set(1.0);
        vm.keepColorsProperty().set(true);
        RgbaImage kept = vm.shownProperty().get().image();
        assertEquals(800, kept.width());
        assertFalse(java.util.Arrays.equals(FakeStylizer.expected(vm.beforeImageProperty().get(), "a").argb(),
                kept.argb()));
        assertEquals(calls, stylizer.calls.size());
    }

    @Test
    void optionsChangedWhileFittedApplyToTheKeptFullResolutionOnReturn() {
        MainViewModel vm = smallView(QueuedTaskRunner.direct());
        vm.start(Optional.of(Path.of("dog.jpg")));
        vm.actualSizeProperty().set(true);
        vm.actualSizeProperty().set(false);
        vm.strengthProperty().set(0.0);
        int calls = stylizer.calls.size();
        vm.actualSizeProperty().set(true);
        assertEquals(800, vm.shownProperty().get().image().width());
        assertArrayEquals(vm.beforeImageProperty().get().argb(), vm.shownProperty().get().image().argb());
        assertEquals(calls, stylizer.calls.size());
    }

    @Test
    void exportReusesTheFullResolutionResultOf100Percent(@org.junit.jupiter.api.io.TempDir Path dir) {
        MainViewModel vm = smallView(QueuedTaskRunner.direct());
        vm.start(Optional.of(dir.resolve("dog.jpg")));
        vm.actualSizeProperty().set(true);
        var export = vm.exportViewModel().orElseThrow();
        assertTrue(export.source().fullRaw().isPresent());
        int calls = stylizer.calls.size();
        export.export(() -> { });
        assertEquals(calls, stylizer.calls.size(), "the network did not run again");
        assertEquals(800, imaging.exports.get(0).image().width());
    }

    @Test
    void oneFullResolutionResultIsKept() {
        MainViewModel vm = smallView(QueuedTaskRunner.direct());
        vm.start(Optional.of(Path.of("dog.jpg")));
        vm.actualSizeProperty().set(true);
        vm.selectStyle("b");
        assertEquals(1, fullRuns("b"));
        vm.selectStyle("a");
        assertEquals(2, fullRuns("a"), "b's result replaced a's");
        vm.selectStyle("b");
        assertEquals(2, fullRuns("b"));
        assertEquals(PreviewQuality.FULL, vm.shownProperty().get().quality());
    }

    @Test
    void aPhotoNoLargerThanTheViewNeedsNoFullResolutionPass() {
        MainViewModel vm = viewModel(QueuedTaskRunner.direct()); // view 1024 px: the preview is the photo
        vm.start(Optional.of(Path.of("dog.jpg")));
        int calls = stylizer.calls.size();
        vm.actualSizeProperty().set(true);
        assertEquals(calls, stylizer.calls.size());
        assertEquals(800, vm.shownProperty().get().image().width());
        assertFalse(vm.fullResolutionPendingProperty().get());
    }

    // ---- issue 16: live gallery, resize, style switch, tiny photos ----

    private static final int TILE = org.pastiche.ui.gallery.LiveGallery.TILE_SIDE;

    private long tileRuns() {
        return stylizer.calls.stream().filter(c -> c.width() == TILE && c.height() == TILE).count();
    }

    @Test
    void galleryTilesArePaintedFromThePhotoAfterItsSharpPreview() {
        QueuedTaskRunner runner = QueuedTaskRunner.queued();
        MainViewModel vm = viewModel(runner);
        vm.start(Optional.of(Path.of("dog.jpg")));
        runner.runNext(); // warm-up
        runner.runNext(); // decode
        runner.runNext(); // quick
        assertEquals(0, tileRuns(), "not before the sharp preview");
        runner.runAll();
        assertEquals(Set.of("a", "b", "c"), vm.galleryTiles().keySet());
        RgbaImage tile = vm.galleryTiles().get("b");
        assertEquals(TILE, tile.width());
        // the middle square of the photo's quick copy, painted in b
        RgbaImage quick = imaging.fit(imaging.fit(FakeImaging.photo(800, 600, "dog.jpg".hashCode()), 800), 256);
        RgbaImage square = imaging.fit(org.pastiche.ui.gallery.LiveGalleryTestAccess.centreSquare(quick), TILE);
        assertArrayEquals(FakeStylizer.expected(square, "b").argb(), tile.argb());
    }

    @Test
    void galleryTilesGoOneAtATimeSoAClickWaitsForOneAtMost() {
        QueuedTaskRunner runner = QueuedTaskRunner.queued();
        MainViewModel vm = viewModel(runner);
        vm.start(Optional.of(Path.of("dog.jpg")));
        while (tileRuns() == 0) {
            runner.runNext();
        }
        vm.selectStyle("c");
        // queued now: the next tile (one) and c's passes
        int before = stylizer.calls.size();
        runner.runNext();
        runner.runNext();
        runner.runNext();
        assertTrue(stylizer.calls.subList(before, stylizer.calls.size()).stream().filter(c -> c.width() == TILE).count() <= 1);
        assertEquals("c", vm.shownProperty().get().styleId());
    }

    @Test
    void aNewPhotoCancelsTheTilesOfTheOneBefore() {
        QueuedTaskRunner runner = QueuedTaskRunner.queued();
        MainViewModel vm = viewModel(runner);
        vm.start(Optional.of(Path.of("dog.jpg")));
        while (tileRuns() == 0) {
            runner.runNext();
        }
        assertEquals(1, vm.galleryTiles().size());
        vm.open(Path.of("cat.jpg"));
        while (!"cat.jpg".equals(vm.photoProperty().get().name())) {
            runner.runNext();
        }
        assertTrue(vm.galleryTiles().isEmpty(), "the dog's tile went with the dog");
        assertEquals(1, tileRuns(), "no more of the dog's tiles after the cat was opened");
        runner.runAll();
        assertEquals(3 + 1, tileRuns(), "dog's other tiles never ran; cat's all did");
        RgbaImage catQuick = vm.photoProperty().get().quick();
        RgbaImage square = imaging.fit(org.pastiche.ui.gallery.LiveGalleryTestAccess.centreSquare(catQuick), TILE);
        assertArrayEquals(FakeStylizer.expected(square, "a").argb(), vm.galleryTiles().get("a").argb());
    }

    @Test
    void aLastingLargerViewPaintsTheSharpPreviewAgainAtItsSize() {
        MainViewModel vm = smallView(QueuedTaskRunner.direct());
        vm.start(Optional.of(Path.of("dog.jpg")));
        assertEquals(400, vm.shownProperty().get().image().width());
        int quickRuns = (int) stylizer.calls.stream().filter(c -> c.width() == 256).count();
        vm.viewportLongSideProperty().set(700);
        assertEquals(700, vm.beforeImageProperty().get().width());
        assertEquals(700, vm.shownProperty().get().image().width());
        assertEquals(PreviewQuality.SHARP, vm.shownProperty().get().quality());
        assertEquals(quickRuns, stylizer.calls.stream().filter(c -> c.width() == 256).count(),
                "no quick pass: the painting on show stays until the sharp one");
        vm.viewportLongSideProperty().set(720); // within 15 %: nothing
        vm.viewportLongSideProperty().set(500); // smaller: the larger preview stays
        assertEquals(700, vm.shownProperty().get().image().width());
        assertEquals("dog.jpg", vm.photoProperty().get().name());
    }

    @Test
    void aStyleSwitchNeverShowsThePreviousStylesPainting() {
        QueuedTaskRunner runner = QueuedTaskRunner.queued();
        MainViewModel vm = viewModel(runner);
        vm.start(Optional.of(Path.of("dog.jpg")));
        runner.runAll();
        List<String> seen = new java.util.ArrayList<>();
        vm.shownProperty().addListener((obs, old, now) -> seen.add(now == null ? "none"
                : now.styleId() + "/" + vm.selectedStyleProperty().get().id()));
        vm.selectStyle("b");
        assertNull(vm.shownProperty().get(), "the photo meanwhile, not a's painting under b's name");
        runner.runAll();
        assertTrue(seen.stream().filter(s -> !s.equals("none")).allMatch(s -> s.startsWith("b/")), seen.toString());
    }

    @Test
    void tinyAndThinPhotosGetAClearReason() {
        MainViewModel vm = viewModel(QueuedTaskRunner.direct());
        vm.start(Optional.empty());
        vm.open(FakeImaging.photo(1, 1, 1), "dot.png");
        assertEquals("Couldn't open dot.png: the picture is too small or too thin to paint (1 × 1 pixels at the "
                + "view's size; each side needs at least 16)", vm.noticeProperty().get().message());
        vm.open(FakeImaging.photo(7, 2000, 1), "thin.png");
        assertTrue(vm.noticeProperty().get().message().contains("7 × 2000"), vm.noticeProperty().get().message());
        assertNull(vm.photoProperty().get());
        assertTrue(stylizer.calls.isEmpty(), "the network was not asked");
        vm.open(FakeImaging.photo(40, 2000, 1), "narrow.png");
        assertEquals(PreviewQuality.SHARP, vm.shownProperty().get().quality(), "thin but paintable: painted");
    }
}
