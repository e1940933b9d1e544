package org.pastiche.ui.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pastiche.imaging.ImageExporter.Format;
import org.pastiche.inference.StrokeScale;
import org.pastiche.inference.StrokeStylizer;
import org.pastiche.ui.AppSettings;
import org.pastiche.ui.FakeImaging;
import org.pastiche.ui.FakeStylizer;
import org.pastiche.ui.I18n;
import org.pastiche.ui.MainViewModel;
import org.pastiche.ui.Notice;
import org.pastiche.ui.QueuedTaskRunner;

class ExportViewModelTest {
    @TempDir
    Path dir;
    private final FakeStylizer stylizer = new FakeStylizer("a", "b");
    private final FakeImaging imaging = new FakeImaging();
    private Preferences prefs;
    private Path photo;

    @BeforeEach
    void setUp() throws Exception {
        prefs = Preferences.userRoot().node("pastiche-test-" + UUID.randomUUID());
        photo = dir.resolve("dog.jpg");
        Files.writeString(photo, "original bytes");
    }

    @AfterEach
    void tearDown() throws Exception {
        prefs.removeNode();
    }

    private MainViewModel main(QueuedTaskRunner runner) {
        MainViewModel vm = new MainViewModel(stylizer, imaging, runner, new AppSettings(prefs),
                new I18n(Locale.ENGLISH));
        vm.start(Optional.of(photo));
        runner.runAll();
        return vm;
    }

    @Test
    void defaultTargetIsPhotoDashStyleInThePhotosFolder() {
        ExportViewModel export = main(QueuedTaskRunner.direct()).exportViewModel().orElseThrow();
        assertEquals(dir.resolve("dog-a.png"), export.targetProperty().get());
        export.formatProperty().set(Format.JPEG);
        assertEquals(dir.resolve("dog-a.jpg"), export.targetProperty().get());
    }

    @Test
    void fullResolutionExportWritesTheFileAndLeavesTheOriginal() throws Exception {
        MainViewModel vm = main(QueuedTaskRunner.direct());
        ExportViewModel export = vm.exportViewModel().orElseThrow();
        boolean[] done = {false};
        export.export(() -> done[0] = true);

        assertTrue(done[0]);
        assertTrue(Files.exists(dir.resolve("dog-a.png")));
        assertEquals("original bytes", Files.readString(photo));
        FakeImaging.Export written = imaging.exports.get(0);
        assertEquals(800, written.image().width(), "full resolution runs the network on the original");
        assertEquals(Notice.Kind.SUCCESS, vm.noticeProperty().get().kind());
        assertFalse(export.runningProperty().get());
        assertEquals(1.0, export.progressProperty().get());
    }

    @Test
    void aFullResolutionExportPaintsAtTheChosenStrokeScale() {
        MainViewModel vm = new MainViewModel(new StrokeStylizer(stylizer, StrokeScale.DEFAULT), imaging,
                QueuedTaskRunner.direct(), new AppSettings(prefs), new I18n(Locale.ENGLISH));
        vm.viewportLongSideProperty().set(400);
        vm.start(Optional.of(photo));
        vm.strokeScaleProperty().set(StrokeScale.of(2));
        stylizer.calls.clear();

        vm.exportViewModel().orElseThrow().export(() -> { });

        assertEquals(List.of("512x384"), stylizer.calls.stream().map(c -> c.width() + "x" + c.height()).toList(),
                "S = 2: the network at 1024 px / 2, whatever the photo's size");
        assertEquals(800, imaging.exports.get(0).image().width(), "brought back to the photo's size");

        vm.strokeScaleProperty().set(StrokeScale.of(0.5)); // the preview paints again (at most 4x its 400 px)
        stylizer.calls.clear();
        vm.exportViewModel().orElseThrow().export(() -> { });
        assertEquals(List.of("2048x1536"), stylizer.calls.stream().map(c -> c.width() + "x" + c.height()).toList());
    }

    @Test
    void viewResolutionExportReusesThePreview() {
        MainViewModel vm = main(QueuedTaskRunner.direct());
        vm.viewportLongSideProperty().set(400);
        vm.open(photo);
        ExportViewModel export = vm.exportViewModel().orElseThrow();
        export.resolutionProperty().set(ExportViewModel.Resolution.VIEW);
        export.formatProperty().set(Format.JPEG);
        export.qualityProperty().set(80);
        int calls = stylizer.calls.size();
        export.export(() -> { });
        assertEquals(calls, stylizer.calls.size());
        FakeImaging.Export written = imaging.exports.get(0);
        assertEquals(400, written.image().width());
        assertEquals(Format.JPEG, written.format());
        assertEquals(0.8f, written.quality(), 1e-6);
    }

    @Test
    void neverOverwritesTheOriginal() throws Exception {
        MainViewModel vm = main(QueuedTaskRunner.direct());
        ExportViewModel export = vm.exportViewModel().orElseThrow();
        export.targetProperty().set(photo);
        assertTrue(export.targetIsOriginalProperty().get());
        assertFalse(export.canExportProperty().get());
        export.export(() -> { });
        assertEquals("original bytes", Files.readString(photo));
        assertTrue(imaging.exports.isEmpty());
    }

    @Test
    void anotherExistingFileNeedsConfirmation() throws Exception {
        ExportViewModel export = main(QueuedTaskRunner.direct()).exportViewModel().orElseThrow();
        assertFalse(export.targetExists());
        Files.writeString(dir.resolve("dog-a.png"), "older export");
        assertTrue(export.targetExists());
    }

    @Test
    void cancelledExportWritesNothing() {
        QueuedTaskRunner runner = QueuedTaskRunner.queued();
        MainViewModel vm = main(runner);
        ExportViewModel export = vm.exportViewModel().orElseThrow();
        export.export(() -> { });
        assertTrue(export.runningProperty().get());
        export.cancel();
        runner.runAll();
        assertFalse(export.runningProperty().get());
        assertTrue(imaging.exports.isEmpty());
        assertFalse(Files.exists(dir.resolve("dog-a.png")));
        assertEquals(Notice.Kind.INFO, vm.noticeProperty().get().kind());
    }

    @Test
    void exportProgressIsReported() {
        QueuedTaskRunner runner = QueuedTaskRunner.queued();
        MainViewModel vm = main(runner);
        ExportViewModel export = vm.exportViewModel().orElseThrow();
        double[] seen = {-1};
        export.progressProperty().addListener((obs, old, now) -> {
            if (now.doubleValue() > 0 && now.doubleValue() < 1) {
                seen[0] = now.doubleValue();
            }
        });
        export.export(() -> { });
        runner.runAll();
        assertEquals(0.5, seen[0]);
    }

    @Test
    void aTypedNameOfAnotherFormatChoosesThatFormat() {
        ExportViewModel export = main(QueuedTaskRunner.direct()).exportViewModel().orElseThrow();
        export.targetProperty().set(dir.resolve("mine.jpeg"));
        assertEquals(Format.JPEG, export.formatProperty().get());
        export.export(() -> { });
        assertEquals(Format.JPEG, imaging.exports.get(0).format());
        assertEquals(dir.resolve("mine.jpeg"), imaging.exports.get(0).target());
    }

    @Test
    void anUnsupportedTypeIsRefusedBeforeAnyWork() {
        MainViewModel vm = main(QueuedTaskRunner.direct());
        ExportViewModel export = vm.exportViewModel().orElseThrow();
        export.targetProperty().set(dir.resolve("out.webp"));
        assertEquals(ExportViewModel.TargetProblem.UNSUPPORTED_TYPE, export.problemProperty().get());
        assertFalse(export.canExportProperty().get());
        assertEquals("Use a name ending in .png, .jpg or .jpeg", export.problemText());
        int calls = stylizer.calls.size();
        export.export(() -> { });
        assertEquals(calls, stylizer.calls.size(), "the network did not run");
        assertTrue(imaging.exports.isEmpty());
        assertEquals("Use a name ending in .png, .jpg or .jpeg", export.errorProperty().get());
        export.targetProperty().set(null);
        assertEquals(ExportViewModel.TargetProblem.EMPTY, export.problemProperty().get());
    }

    @Test
    void theJpegQualityDefaultIsTheExportersAndTheFormatIsRemembered() {
        MainViewModel vm = main(QueuedTaskRunner.direct());
        ExportViewModel export = vm.exportViewModel().orElseThrow();
        assertEquals(Math.round(org.pastiche.imaging.ImageExporter.DEFAULT_JPEG_QUALITY * 100),
                export.qualityProperty().get());
        export.formatProperty().set(Format.JPEG);
        ExportViewModel next = vm.exportViewModel().orElseThrow();
        assertEquals(Format.JPEG, next.formatProperty().get());
        assertEquals(dir.resolve("dog-a.jpg"), next.targetProperty().get());
    }

    @Test
    void aFailedExportSaysWhyInTheDialog() throws Exception {
        MainViewModel vm = main(QueuedTaskRunner.direct());
        ExportViewModel export = vm.exportViewModel().orElseThrow();
        export.targetProperty().set(dir.resolve("missing-folder").resolve("out.png"));
        imaging.failure = new org.pastiche.core.PasticheException(
                org.pastiche.core.PasticheException.Reason.FOLDER_MISSING, "no folder", dir.resolve("missing-folder"));
        boolean[] done = {false};
        export.export(() -> done[0] = true);
        assertFalse(done[0], "the dialog stays open");
        assertFalse(export.runningProperty().get());
        assertTrue(export.errorProperty().get().startsWith("Couldn't save out.png: "), export.errorProperty().get());
        export.targetProperty().set(dir.resolve("out.png"));
        assertEquals("", export.errorProperty().get(), "a new name clears it");
    }

    @Test
    void thePathIsComparedByNameInTheBindingsAndAPastedImageSavesToTheLastExportFolder() throws Exception {
        MainViewModel vm = main(QueuedTaskRunner.direct());
        ExportViewModel export = vm.exportViewModel().orElseThrow();
        export.targetProperty().set(dir.resolve("sub").resolve("..").resolve("dog.jpg"));
        assertTrue(export.targetIsOriginalProperty().get(), "normalised");
        export.targetProperty().set(dir.resolve("dog-a.png"));
        export.export(() -> { });
        vm.open(org.pastiche.ui.FakeImaging.photo(300, 200, 1), "Pasted image");
        ExportViewModel pasted = vm.exportViewModel().orElseThrow();
        assertEquals(dir, pasted.targetProperty().get().getParent());
    }
}
