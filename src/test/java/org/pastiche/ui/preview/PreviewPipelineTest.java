package org.pastiche.ui.preview;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pastiche.inference.StyleOptions;
import org.pastiche.ui.FakeImaging;
import org.pastiche.ui.FakeStylizer;
import org.pastiche.ui.QueuedTaskRunner;
import org.pastiche.ui.photo.PhotoSession;

class PreviewPipelineTest {
    private final FakeStylizer stylizer = new FakeStylizer("a", "b", "c");
    private final QueuedTaskRunner runner = QueuedTaskRunner.queued();
    private StyleOptions options = StyleOptions.DEFAULT;
    private final PreviewPipeline pipeline = new PreviewPipeline(stylizer, runner, () -> options);
    private final List<Rendered> painted = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final PhotoSession photo = new PhotoSession(Optional.of(Path.of("dog.jpg")), "dog.jpg",
            FakeImaging.photo(400, 300, 1), FakeImaging.photo(256, 192, 1), null);

    PreviewPipelineTest() {
        pipeline.onPainting(painted::add);
        pipeline.onFailure((id, error) -> failures.add(id));
        pipeline.setPhoto(photo);
    }

    private List<String> shown() {
        return painted.stream().map(r -> r.styleId() + " " + r.quality()).toList();
    }

    @Test
    void aQuickPassThenASharpOne() {
        pipeline.render("a");
        assertTrue(pipeline.stylizingProperty().get());
        runner.runAll();
        assertEquals(List.of("a QUICK", "a SHARP"), shown());
        assertFalse(pipeline.stylizingProperty().get());
        assertArrayEquals(FakeStylizer.expected(photo.preview(), "a").argb(), pipeline.sharp().orElseThrow()
                .finished().argb());
    }

    @Test
    void aNewerStyleSupersedesBothPasses() {
        pipeline.render("a");
        pipeline.render("b");
        runner.runAll();
        assertEquals(List.of("b QUICK", "b SHARP"), shown());
        assertTrue(stylizer.calls.stream().noneMatch(c -> c.styleId().equals("a")));
    }

    @Test
    void sharpPaintingsAreCachedPerStyle() {
        pipeline.render("a");
        runner.runAll();
        pipeline.render("b");
        runner.runAll();
        int calls = stylizer.calls.size();
        pipeline.render("a");
        assertEquals(calls, stylizer.calls.size());
        assertEquals("a SHARP", shown().get(shown().size() - 1), "at once, with no work queued");
        assertEquals(0, runner.pending());
    }

    @Test
    void aNewPhotoForgetsTheCacheButItsOwnOriginalDoesNot() {
        pipeline.render("a");
        runner.runAll();
        pipeline.setPhoto(photo.withOriginal(FakeImaging.photo(800, 600, 1)));
        assertTrue(pipeline.sharp().isPresent(), "the same photo: the previews stay");
        pipeline.setPhoto(new PhotoSession(Optional.empty(), "cat", FakeImaging.photo(400, 300, 2),
                FakeImaging.photo(256, 192, 2), null));
        assertTrue(pipeline.current().isEmpty());
        int calls = stylizer.calls.size();
        pipeline.render("a");
        runner.runAll();
        assertEquals(calls + 2, stylizer.calls.size(), "painted again for the new photo");
    }

    @Test
    void refinishAppliesTheOptionsWithoutTheNetwork() {
        pipeline.render("a");
        runner.runAll();
        int calls = stylizer.calls.size();
        options = new StyleOptions(0.0, false);
        pipeline.refinish();
        runner.runAll();
        assertEquals(calls, stylizer.calls.size());
        assertArrayEquals(photo.preview().argb(), pipeline.current().orElseThrow().finished().argb());
        pipeline.render("b");
        runner.runAll();
        pipeline.render("a");
        assertArrayEquals(photo.preview().argb(), pipeline.current().orElseThrow().finished().argb(),
                "the cache holds the re-finished painting");
    }

    @Test
    void optionsChangedWhileAPassRunsApplyWhenItArrives() {
        pipeline.render("a");
        options = new StyleOptions(0.0, false);
        runner.runAll();
        assertArrayEquals(photo.preview().argb(), pipeline.current().orElseThrow().finished().argb());
    }

    @Test
    void aFailingPassDropsTheSharpOneAndSaysWhichStyle() {
        stylizer.failingStyle = "b";
        pipeline.render("b");
        runner.runAll();
        assertEquals(List.of("b"), failures);
        assertEquals(1, stylizer.calls.size(), "the sharp pass would fail the same way");
        assertFalse(pipeline.stylizingProperty().get());
    }
}
