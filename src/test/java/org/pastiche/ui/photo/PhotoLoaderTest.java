package org.pastiche.ui.photo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pastiche.core.PasticheException;
import org.pastiche.ui.FakeImaging;
import org.pastiche.ui.QueuedTaskRunner;

class PhotoLoaderTest {
    private final FakeImaging imaging = new FakeImaging();
    private final QueuedTaskRunner runner = QueuedTaskRunner.queued();
    private final PhotoLoader loader = new PhotoLoader(imaging, runner);
    private final List<String> events = new ArrayList<>();

    PhotoLoaderTest() {
        loader.onPreview(s -> events.add("preview " + s.name() + " " + s.preview().width() + " " + s.hasOriginal()));
        loader.onOriginal(s -> events.add("original " + s.name() + " " + s.original().width()));
        loader.onFailure(f -> events.add("failed " + f.name() + " "
                + ((PasticheException) f.error()).reason()));
    }

    @Test
    void thePreviewFirstThenTheFullResolution() {
        loader.open(Path.of("dog.jpg"), 400);
        assertTrue(loader.loadingProperty().get());
        runner.runNext();
        assertFalse(loader.loadingProperty().get());
        assertEquals(List.of("preview dog.jpg 400 false"), events);
        assertEquals(0, imaging.fullLoads, "the full resolution waits until the preview is on screen");
        runner.runAll();
        assertEquals(List.of("preview dog.jpg 400 false", "original dog.jpg 800"), events);
    }

    @Test
    void aNewerPhotoSupersedesTheOlderAtAnyStep() {
        loader.open(Path.of("first.jpg"), 400);
        runner.runNext(); // first's preview is shown, its original queued
        loader.open(Path.of("second.jpg"), 400);
        runner.runAll();
        assertEquals(List.of("preview first.jpg 400 false", "preview second.jpg 400 false", "original second.jpg 800"),
                events, "the first photo's original never arrives");
    }

    @Test
    void aBrokenFileSaysWhich() {
        loader.open(Path.of("broken.png"), 400);
        runner.runAll();
        assertEquals(List.of("failed broken.png CORRUPT_FILE"), events);
        assertFalse(loader.loadingProperty().get());
    }

    @Test
    void anImageWithoutAFileIsItsOwnOriginal() {
        loader.open(FakeImaging.photo(300, 200, 3), "Pasted", 1024);
        runner.runAll();
        assertEquals(List.of("preview Pasted 300 true"), events);
        assertEquals(0, imaging.fullLoads);
    }

    @Test
    void theQuickCopyIs256Pixels() {
        PhotoSession[] seen = new PhotoSession[1];
        loader.onPreview(s -> seen[0] = s);
        loader.open(Path.of("dog.jpg"), 1024);
        runner.runAll();
        assertEquals(PhotoLoader.QUICK_LONG_SIDE, seen[0].quick().width());
        assertEquals(800, seen[0].preview().width());
    }
}
