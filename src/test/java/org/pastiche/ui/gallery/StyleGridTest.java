package org.pastiche.ui.gallery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.ui.AppSettings;
import org.pastiche.ui.FakeImaging;
import org.pastiche.ui.FakeStylizer;
import org.pastiche.ui.I18n;
import org.pastiche.ui.MainViewModel;
import org.pastiche.ui.QueuedTaskRunner;

/** Issue 16: "compare styles", the photo in every style, painted in the background, click to choose. */
class StyleGridTest {
    private final FakeStylizer stylizer = new FakeStylizer("a", "b", "c");
    private final FakeImaging imaging = new FakeImaging();
    private final QueuedTaskRunner runner = QueuedTaskRunner.queued();
    private final Preferences prefs = Preferences.userRoot().node("pastiche-grid-test-" + UUID.randomUUID());
    private final MainViewModel vm = new MainViewModel(stylizer, imaging, runner, new AppSettings(prefs),
            new I18n(Locale.ENGLISH));
    private final StyleGrid grid = StyleGrid.of(stylizer, imaging, runner, vm);

    @AfterEach
    void tearDown() throws Exception {
        prefs.removeNode();
    }

    private long cellRuns() {
        return stylizer.calls.stream().filter(c -> Math.max(c.width(), c.height()) == StyleGrid.CELL_SIDE).count();
    }

    @Test
    void nothingIsPaintedUntilTheGridIsOpenedThenEveryStyleFromTheWholePhoto() {
        vm.start(Optional.of(Path.of("dog.jpg")));
        runner.runAll();
        assertEquals(0, cellRuns(), "closed: no work for the grid");
        assertTrue(grid.cells().isEmpty());

        grid.open();
        assertTrue(grid.showingProperty().get());
        assertEquals(1, runner.pending(), "one cell at a time: lowest priority");
        runner.runAll();

        assertEquals(Set.of("a", "b", "c"), grid.cells().keySet());
        RgbaImage whole = imaging.fit(vm.photoProperty().get().preview(), StyleGrid.CELL_SIDE);
        assertEquals(StyleGrid.CELL_SIDE, grid.cells().get("b").width(), "the whole photo, not a square");
        assertEquals(whole.height(), grid.cells().get("b").height());
        assertArrayEquals(FakeStylizer.expected(whole, "b").argb(), grid.cells().get("b").argb());

        grid.close();
        grid.open();
        runner.runAll();
        assertEquals(3, cellRuns(), "cached: opened again, nothing painted again");
    }

    @Test
    void aNewPhotoCancelsTheCellsOfTheOneBefore() {
        vm.start(Optional.of(Path.of("dog.jpg")));
        runner.runAll();
        grid.open();
        runner.runNext(); // the first cell
        assertEquals(1, grid.cells().size());
        vm.open(Path.of("cat.jpg"));
        while (!"cat.jpg".equals(vm.photoProperty().get().name())) {
            runner.runNext();
        }
        assertTrue(grid.cells().isEmpty(), "the dog's cells went with the dog");
        assertEquals(1, cellRuns(), "no more of the dog's cells after the cat was opened");
        runner.runAll();
        assertEquals(1 + 3, cellRuns(), "the cat's, all of them, since the grid is open");
        RgbaImage whole = imaging.fit(vm.photoProperty().get().preview(), StyleGrid.CELL_SIDE);
        assertArrayEquals(FakeStylizer.expected(whole, "a").argb(), grid.cells().get("a").argb());
    }

    @Test
    void choosingACellChoosesTheStyleAndGoesBack() {
        vm.start(Optional.of(Path.of("dog.jpg")));
        runner.runAll();
        grid.open();
        grid.choose(vm.styles().get(2));
        runner.runAll();
        assertEquals("c", vm.selectedStyleProperty().get().id());
        assertEquals("c", vm.shownProperty().get().styleId());
        assertFalse(grid.showingProperty().get(), "back to the picture");
    }
}
