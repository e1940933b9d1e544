package org.pastiche.ui.preview;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StrokeScale;
import org.pastiche.inference.StrokeStylizer;
import org.pastiche.inference.StyleOptions;
import org.pastiche.ui.FakeImaging;
import org.pastiche.ui.FakeStylizer;
import org.pastiche.ui.QueuedTaskRunner;
import org.pastiche.ui.photo.PhotoSession;

class FullResolutionPassTest {
    private final FakeStylizer stylizer = new FakeStylizer("a", "b");
    private final QueuedTaskRunner runner = QueuedTaskRunner.queued();
    private StyleOptions options = StyleOptions.DEFAULT;
    private final FullResolutionPass pass = new FullResolutionPass(stylizer, runner, () -> options);
    private final List<Rendered> painted = new ArrayList<>();
    private final RgbaImage original = FakeImaging.photo(800, 600, 1);
    private final PhotoSession photo = new PhotoSession(Optional.empty(), "dog", FakeImaging.photo(400, 300, 1),
            FakeImaging.photo(256, 192, 1), original);

    FullResolutionPassTest() {
        pass.onPainting(painted::add);
    }

    @Test
    void paintsTheOriginalWithProgressAndKeepsIt() {
        double[] seen = {-1};
        stylizer.duringStylize = call -> seen[0] = pass.progressProperty().get();
        pass.ensure(photo, "a");
        assertTrue(pass.pendingProperty().get());
        runner.runAll();
        assertEquals(0.5, seen[0]);
        assertFalse(pass.pendingProperty().get());
        assertEquals(-1.0, pass.progressProperty().get());
        assertArrayEquals(FakeStylizer.expected(original, "a").argb(), painted.get(0).finished().argb());
        assertEquals(PreviewQuality.FULL, painted.get(0).quality());
        assertTrue(pass.kept(photo, "a").isPresent());
        pass.ensure(photo, "a");
        assertEquals(0, runner.pending(), "kept: not run again");
    }

    @Test
    void paintsAtTheStrokeScaleAndANewScaleDropsTheKeptPainting() {
        FullResolutionPass strokes = new FullResolutionPass(new StrokeStylizer(stylizer, StrokeScale.DEFAULT), runner,
                () -> options);
        strokes.strokeScaleProperty().set(StrokeScale.of(2));
        strokes.ensure(photo, "a");
        runner.runAll();
        assertEquals(512, stylizer.calls.get(0).width(), "the network at 1024 px / S");
        assertEquals(800, strokes.kept(photo, "a").orElseThrow().raw().width());

        strokes.strokeScaleProperty().set(StrokeScale.of(0.5));
        assertTrue(strokes.kept(photo, "a").isEmpty(), "painted at another stroke size: dropped");
        strokes.ensure(photo, "a");
        runner.runAll();
        assertEquals(2048, stylizer.calls.get(1).width());
        assertTrue(strokes.kept(photo, "a").isPresent());
    }

    @Test
    void aPhotoNoLargerThanItsPreviewOrNotDecodedNeedsNone() {
        pass.ensure(new PhotoSession(Optional.empty(), "x", original, original, original), "a");
        pass.ensure(new PhotoSession(Optional.empty(), "x", photo.preview(), photo.quick(), null), "a");
        assertEquals(0, runner.pending());
    }

    @Test
    void aNewerStyleSupersedesAndOneResultIsKept() {
        pass.ensure(photo, "a");
        pass.cancel();
        pass.ensure(photo, "b");
        runner.runAll();
        assertEquals(List.of("b"), painted.stream().map(Rendered::styleId).toList());
        assertTrue(pass.kept(photo, "a").isEmpty());
        pass.ensure(photo, "a");
        runner.runAll();
        assertTrue(pass.kept(photo, "b").isEmpty(), "a's replaced b's");
    }

    @Test
    void aRequestForTheStyleUnderWayIsNotQueuedTwice() {
        pass.ensure(photo, "a");
        pass.ensure(photo, "a");
        assertEquals(1, runner.pending());
    }

    @Test
    void forgetDropsTheKeptPainting() {
        pass.ensure(photo, "a");
        runner.runAll();
        pass.forget();
        assertTrue(pass.kept(photo, "a").isEmpty());
    }

    @Test
    void refinishChangesTheKeptPaintingWithoutTheNetwork() {
        pass.ensure(photo, "a");
        runner.runAll();
        int calls = stylizer.calls.size();
        options = new StyleOptions(0.0, false);
        pass.refinish();
        runner.runAll();
        assertEquals(calls, stylizer.calls.size());
        assertArrayEquals(original.argb(), pass.kept(photo, "a").orElseThrow().finished().argb());
        assertEquals(2, painted.size());
    }
}
