package org.pastiche.ui.painting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pastiche.core.PasticheException;
import org.pastiche.imaging.ImageExporter.Format;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StyleCode;
import org.pastiche.inference.StyleModel;
import org.pastiche.ui.AppSettings;
import org.pastiche.ui.FakeImaging;
import org.pastiche.ui.FakeStylizer;
import org.pastiche.ui.I18n;
import org.pastiche.ui.ImagingService;
import org.pastiche.ui.MainViewModel;
import org.pastiche.ui.Notice;
import org.pastiche.ui.QueuedTaskRunner;
import org.pastiche.ui.TaskRunner;
import org.pastiche.ui.preview.PreviewQuality;

/** "Your painting" with a same-thread runner, the fake engine and the real main view model. */
class PaintingStyleViewModelTest {
    private final FakeStylizer built = new FakeStylizer("a", "b");
    private final FakePaintings engine = new FakePaintings(built);
    private final FakeImaging photos = new FakeImaging();
    private final I18n i18n = new I18n(Locale.ENGLISH);
    private Preferences prefs;
    private MainViewModel main;
    private PaintingStyleViewModel vm;

    /** The fake decoder, with "narrow" files 2000 x 20 and "huge" ones refused as the real decoder does. */
    private final ImagingService imaging = new ImagingService() {
        @Override
        public RgbaImage load(Path file) throws PasticheException {
            return photos.load(file);
        }

        @Override
        public RgbaImage loadPreview(Path file, int maxLongSide) throws PasticheException {
            String name = file.getFileName().toString();
            if (name.contains("narrow")) {
                return RgbaImage.blank(2000, 20);
            }
            if (name.contains("huge")) {
                throw new PasticheException(PasticheException.Reason.TOO_MANY_PIXELS, file + ": too large",
                        20000, 10000, 150);
            }
            return photos.loadPreview(file, maxLongSide);
        }

        @Override
        public RgbaImage fit(RgbaImage image, int maxLongSide) {
            return photos.fit(image, maxLongSide);
        }

        @Override
        public void export(RgbaImage image, Path target, Format format, float quality, Collection<Path> protect)
                throws PasticheException {
            photos.export(image, target, format, quality, protect);
        }
    };

    @BeforeEach
    void setUp() {
        prefs = Preferences.userRoot().node("pastiche-test-" + UUID.randomUUID());
    }

    @AfterEach
    void tearDown() throws Exception {
        prefs.removeNode();
    }

    private void open(TaskRunner runner) {
        open(runner, 1024);
    }

    private void open(TaskRunner runner, int viewSide) {
        main = new MainViewModel(engine.stylizer(), imaging, runner, new AppSettings(prefs), i18n);
        main.viewportLongSideProperty().set(viewSide);
        vm = new PaintingStyleViewModel(engine, imaging, runner, i18n, main);
        main.start(Optional.of(Path.of("photos", "dog.jpg")));
        vm.start();
    }

    private RgbaImage paintingOf(String file) throws PasticheException {
        return imaging.loadPreview(Path.of(file), PaintingStyleViewModel.DECODE_SIDE);
    }

    private void assertShownWith(StyleCode code) {
        assertEquals(PreviewQuality.SHARP, main.shownProperty().get().quality());
        assertArrayEquals(FakePaintings.paint(main.beforeImageProperty().get(), code).argb(),
                main.shownProperty().get().image().argb(), "the preview is painted with the painting's style code");
    }

    @Test
    void aChosenPaintingPaintsThePreviewWithItsStyleCode() throws Exception {
        open(QueuedTaskRunner.direct());
        vm.choose(Path.of("paintings", "la-muse.jpg"));

        StyleCode code = FakePaintings.codeOf(paintingOf("la-muse.jpg"));
        StyleModel style = main.selectedStyleProperty().get();
        assertSame(vm.styleProperty().get(), style);
        assertEquals("painting-la-muse", style.id());
        assertEquals(code, engine.registered.get(style.id()), "the painting's code was registered as the style");
        assertShownWith(code);
        assertEquals("la-muse", vm.firstProperty().get().name());
        assertTrue(Math.max(vm.firstProperty().get().image().width(), vm.firstProperty().get().image().height())
                <= PaintingStyleViewModel.IMAGE_SIDE, "the tile's and panel's copy is small");
        assertTrue(vm.activeProperty().get());
        assertFalse(vm.mixingProperty().get(), "one painting: no mix slider");
        assertFalse(vm.busyProperty().get());
        assertFalse(main.styles().contains(style), "not a gallery style until saved");

        main.selectStyle("b");
        assertFalse(vm.activeProperty().get());
        vm.showAgain();
        assertShownWith(code);
    }

    @Test
    void at100PercentAndInTheExportThePaintingStyleIsPaintedAsAnyStyle(@org.junit.jupiter.api.io.TempDir Path out)
            throws Exception {
        open(QueuedTaskRunner.direct(), 400); // the 800 x 600 photo's preview is 400 x 300
        vm.choose(Path.of("la-muse.jpg"));
        StyleCode code = FakePaintings.codeOf(paintingOf("la-muse.jpg"));
        main.actualSizeProperty().set(true);
        RgbaImage original = main.photoProperty().get().original();
        assertEquals(800, main.shownProperty().get().image().width(), "the photo's own resolution");
        assertArrayEquals(FakePaintings.paint(original, code).argb(), main.shownProperty().get().image().argb());

        var export = main.exportViewModel().orElseThrow();
        export.formatProperty().set(Format.PNG);
        export.targetProperty().set(out.resolve("dog-painting.png"));
        export.export(() -> { });
        assertEquals(1, photos.exports.size());
        assertArrayEquals(FakePaintings.paint(original, code).argb(), photos.exports.get(0).image().argb(),
                "the export is painted with the painting's code");
    }

    @Test
    void aSecondPaintingShowsTheMixSliderAndMixesTheCodes() throws Exception {
        open(QueuedTaskRunner.direct());
        vm.choose(Path.of("la-muse.jpg"));
        vm.addSecond(Path.of("starry.png"));

        assertTrue(vm.mixingProperty().get(), "two paintings: the mix slider shows");
        StyleCode a = FakePaintings.codeOf(paintingOf("la-muse.jpg"));
        StyleCode b = FakePaintings.codeOf(paintingOf("starry.png"));
        assertEquals("starry", vm.secondProperty().get().name());
        assertEquals("la-muse + starry", main.selectedStyleProperty().get().name(Locale.ENGLISH));
        assertShownWith(StyleCode.mix(a, b, 0.5));

        int encodes = engine.encodes.size();
        vm.mixProperty().set(0.9);
        assertShownWith(StyleCode.mix(a, b, 0.9));
        assertEquals(encodes, engine.encodes.size(), "a new mix runs no encoder");

        vm.removeSecond();
        assertFalse(vm.mixingProperty().get());
        assertShownWith(a);
        assertEquals("painting-la-muse", main.selectedStyleProperty().get().id(), "the first painting's style again");
    }

    @Test
    void theMixMovedWhileTheSecondPaintingIsOnItsWayIsApplied() throws Exception {
        QueuedTaskRunner runner = QueuedTaskRunner.queued();
        open(runner);
        runner.runAll();
        vm.choose(Path.of("la-muse.jpg"));
        runner.runAll();
        vm.addSecond(Path.of("starry.png"));
        vm.mixProperty().set(0.4); // while the second painting is read
        runner.runNext(); // read: its style code is queued, with the mix of now
        vm.mixProperty().set(0.25); // before the second painting's code is there
        runner.runAll();
        StyleCode a = FakePaintings.codeOf(paintingOf("la-muse.jpg"));
        StyleCode b = FakePaintings.codeOf(paintingOf("starry.png"));
        assertShownWith(StyleCode.mix(a, b, 0.25));
    }

    @Test
    void savingAddsTheStyleToTheGalleryAndShowsIt() throws Exception {
        open(QueuedTaskRunner.direct());
        vm.choose(Path.of("la-muse.jpg"));
        vm.addSecond(Path.of("starry.png"));
        vm.mixProperty().set(0.3);
        StyleCode shown = engine.registered.get(main.selectedStyleProperty().get().id());

        vm.save("  Muse at night  ");

        assertEquals(1, engine.saved.size());
        assertEquals(shown, engine.saved.get(0), "the code on show is saved");
        StyleModel saved = main.selectedStyleProperty().get();
        assertEquals("saved-1", saved.id());
        assertEquals("Muse at night", saved.name(Locale.ENGLISH));
        assertEquals("Muse at night", saved.name(Locale.CHINESE), "the name as typed, in both languages");
        assertTrue(main.styles().contains(saved), "the gallery lists it");
        assertShownWith(shown);
        assertEquals(Notice.Kind.SUCCESS, main.noticeProperty().get().kind());
    }

    @Test
    void aFailedSaveSaysWhyAndChangesNothing() {
        open(QueuedTaskRunner.direct());
        vm.choose(Path.of("la-muse.jpg"));
        StyleModel before = main.selectedStyleProperty().get();
        int listed = main.styles().size();
        engine.saveFailure = new PasticheException(PasticheException.Reason.WRITE_FAILED, "disk full", Path.of("x"));
        vm.save("Mine");
        assertEquals(Notice.Kind.ERROR, main.noticeProperty().get().kind());
        assertTrue(main.noticeProperty().get().message().contains("Mine"), main.noticeProperty().get().message());
        assertSame(before, main.selectedStyleProperty().get());
        assertEquals(listed, main.styles().size());
        assertTrue(vm.canSaveProperty().get(), "can be tried again");
    }

    @Test
    void aBrokenPaintingGetsAMessageAndThePreviousStyleStays() throws Exception {
        open(QueuedTaskRunner.direct());
        vm.choose(Path.of("la-muse.jpg"));
        StyleModel style = main.selectedStyleProperty().get();
        StyleCode code = FakePaintings.codeOf(paintingOf("la-muse.jpg"));
        int encodes = engine.encodes.size();

        for (String bad : new String[] {"broken.jpg", "notes-narrow.png", "huge.tif"}) {
            vm.choose(Path.of(bad));
            Notice notice = main.noticeProperty().get();
            assertEquals(Notice.Kind.ERROR, notice.kind(), bad);
            String stem = bad.substring(0, bad.lastIndexOf('.'));
            assertTrue(notice.message().contains(stem), notice.message());
            assertSame(style, main.selectedStyleProperty().get(), "the previous style is still chosen: " + bad);
            assertEquals("la-muse", vm.firstProperty().get().name());
            assertNull(vm.secondProperty().get());
            assertShownWith(code);
            assertFalse(vm.busyProperty().get());
        }
        assertEquals(encodes, engine.encodes.size(), "none of them reached the encoder");
        vm.choose(Path.of("notes-narrow.png"));
        assertTrue(main.noticeProperty().get().message().contains("too narrow"), main.noticeProperty().get().message());
        vm.choose(Path.of("broken.jpg"));
        assertTrue(main.noticeProperty().get().message().contains("truncated or corrupt"), main.noticeProperty().get().message());
        vm.choose(Path.of("huge.tif"));
        assertTrue(main.noticeProperty().get().message().contains("too large"), main.noticeProperty().get().message());
    }

    @Test
    void aNewerPaintingCancelsTheOlderAndOnlyTheNewestIsShown() throws Exception {
        QueuedTaskRunner runner = QueuedTaskRunner.queued();
        open(runner);
        runner.runAll();
        vm.choose(Path.of("la-muse.jpg"));
        runner.runNext(); // decoded; its encoding is queued
        vm.choose(Path.of("starry.png"));
        assertTrue(vm.busyProperty().get());
        runner.runAll();

        assertEquals(1, engine.encodes.size(), "the older painting's encoding was cancelled before it ran");
        assertEquals("painting-starry", main.selectedStyleProperty().get().id());
        assertShownWith(FakePaintings.codeOf(paintingOf("starry.png")));
        assertFalse(engine.registered.containsKey("painting-la-muse"));
        assertFalse(vm.busyProperty().get());
        assertEquals(0, runner.pending());
    }

    @Test
    void aStyleChosenWhileThePaintingIsOnItsWayStaysOnShow() throws Exception {
        QueuedTaskRunner runner = QueuedTaskRunner.queued();
        open(runner);
        runner.runAll();
        vm.choose(Path.of("la-muse.jpg"));
        main.selectStyle("b"); // the person changed their mind
        runner.runAll();
        assertEquals("b", main.selectedStyleProperty().get().id(), "the latest choice wins");
        assertEquals("b", main.shownProperty().get().styleId());
        assertEquals("la-muse", vm.firstProperty().get().name(), "the painting is ready on its tile");
        assertFalse(vm.activeProperty().get());
        vm.showAgain();
        runner.runAll();
        assertShownWith(FakePaintings.codeOf(paintingOf("la-muse.jpg")));
    }

    @Test
    void aBrokenNetworkIsUnavailableWithTheReason() {
        engine.checkFailure = "any-painting.onnx: on a 48x32 test picture, the style network returned NaN values";
        open(QueuedTaskRunner.direct());
        assertNotNull(vm.unavailableProperty().get());
        assertTrue(vm.unavailableProperty().get().contains("NaN"), vm.unavailableProperty().get());
        StyleModel before = main.selectedStyleProperty().get();
        vm.choose(Path.of("la-muse.jpg"));
        assertEquals(Notice.Kind.ERROR, main.noticeProperty().get().kind());
        assertTrue(engine.encodes.isEmpty());
        assertSame(before, main.selectedStyleProperty().get());
        i18n.setLocale(I18n.CHINESE);
        assertTrue(vm.unavailableProperty().get().startsWith("模型"), vm.unavailableProperty().get());
    }

    @Test
    void theNetworkIsCheckedOnceTheFirstSharpPreviewIsOnShow() {
        QueuedTaskRunner runner = QueuedTaskRunner.queued();
        open(runner);
        assertEquals(0, engine.checks, "the first preview comes first");
        while (main.shownProperty().get() == null || !main.shownProperty().get().isSharp()) {
            runner.runNext();
        }
        assertEquals(0, engine.checks);
        runner.runAll();
        assertEquals(1, engine.checks, "then the network's sessions are opened and probed, once");
        vm.choose(Path.of("la-muse.jpg"));
        runner.runAll();
        assertEquals(1, engine.checks);
    }

    @Test
    void idsAreNewForANewCodeAndNeverAGalleryStyles() {
        StyleCode a = new StyleCode("n", new float[] {1});
        StyleCode b = new StyleCode("n", new float[] {2});
        assertEquals("painting-la-muse", PaintingNames.idFor("La Muse", a, java.util.Map.of(), java.util.Set.of()));
        assertEquals("painting-la-muse", PaintingNames.idFor("La Muse", a,
                java.util.Map.of("painting-la-muse", a), java.util.Set.of()), "the same code keeps its id (and previews)");
        assertNotEquals("painting-la-muse", PaintingNames.idFor("La Muse", b,
                java.util.Map.of("painting-la-muse", a), java.util.Set.of()));
        assertEquals("painting-2", PaintingNames.idFor("向日葵", a, java.util.Map.of(), java.util.Set.of("painting")));
    }
}
