package org.pastiche.ui.gallery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.ui.FakeImaging;
import org.pastiche.ui.FakeStylizer;
import org.pastiche.ui.QueuedTaskRunner;
import org.pastiche.ui.photo.PhotoSession;

class LiveGalleryTest {
    private final FakeStylizer stylizer = new FakeStylizer("a", "b", "c");
    private final QueuedTaskRunner runner = QueuedTaskRunner.queued();
    private final LiveGallery gallery = new LiveGallery(stylizer, new FakeImaging(), runner);

    private static PhotoSession photo(int seed) {
        return new PhotoSession(Optional.empty(), "p", FakeImaging.photo(400, 300, seed),
                FakeImaging.photo(256, 192, seed), null);
    }

    @Test
    void theCentreSquare() {
        RgbaImage image = FakeImaging.photo(6, 4, 1);
        RgbaImage square = LiveGallery.centreSquare(image);
        assertEquals(4, square.width());
        assertEquals(4, square.height());
        assertEquals(image.get(1, 0), square.get(0, 0));
        assertEquals(image.get(4, 3), square.get(3, 3));
    }

    @Test
    void oneTileAtATimeInOrderAndNotAgainForTheSamePhoto() {
        PhotoSession p = photo(1);
        gallery.paint(p, List.of("b", "a"));
        assertEquals(1, runner.pending());
        runner.runNext();
        assertEquals(List.of("b"), List.copyOf(gallery.tiles().keySet()));
        runner.runAll();
        assertEquals(2, gallery.tiles().size());
        gallery.paint(p.withOriginal(FakeImaging.photo(800, 600, 1)), List.of("b", "a"));
        assertEquals(0, runner.pending(), "cached for the photo on show");
        assertEquals(LiveGallery.TILE_SIDE, gallery.tiles().get("a").width());
    }

    @Test
    void aNewPhotoCancelsAndForgets() {
        gallery.paint(photo(1), List.of("a", "b", "c"));
        runner.runNext();
        gallery.paint(photo(2), List.of("a", "b", "c"));
        assertTrue(gallery.tiles().isEmpty());
        runner.runAll();
        assertEquals(1 + 3, stylizer.calls.size());
        RgbaImage square = new FakeImaging().fit(LiveGallery.centreSquare(photo(2).quick()), LiveGallery.TILE_SIDE);
        assertArrayEquals(FakeStylizer.expected(square, "c").argb(), gallery.tiles().get("c").argb());
    }

    @Test
    void aFailingStyleKeepsItsThumbnailAndTheOthersGoOn() {
        stylizer.failingStyle = "a";
        gallery.paint(photo(1), List.of("a", "b"));
        runner.runAll();
        assertEquals(List.of("b"), List.copyOf(gallery.tiles().keySet()));
    }
}
