package org.pastiche.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The timings follow the view model from outside: a style click to its first and sharp painting, 100 %. */
class PreviewTimingsTest {
    private final Preferences prefs = Preferences.userRoot().node("pastiche-test-" + UUID.randomUUID());
    private final FakeStylizer stylizer = new FakeStylizer("a", "b");
    private final PreviewTimings timings = new PreviewTimings(false, System.currentTimeMillis());

    @AfterEach
    void tearDown() throws Exception {
        prefs.removeNode();
    }

    private MainViewModel observed(TaskRunner runner) {
        MainViewModel vm = new MainViewModel(stylizer, new FakeImaging(), runner, new AppSettings(prefs),
                new I18n(Locale.ENGLISH));
        timings.observe(vm.selectedStyleProperty(), vm.photoProperty(), vm.shownProperty(),
                vm.fullResolutionPendingProperty());
        return vm;
    }

    @Test
    void eachStyleChoiceGivesOneSampleAndLaunchFiguresAreSet() {
        MainViewModel vm = observed(QueuedTaskRunner.direct());
        vm.start(Optional.of(Path.of("dog.jpg")));
        vm.selectStyle("b");
        vm.selectStyle("a"); // cached: shown at once
        assertEquals(3, timings.samples().size());
        assertEquals("a", timings.samples().get(0).styleId());
        assertEquals("b", timings.samples().get(1).styleId());
        assertTrue(timings.samples().stream().allMatch(s -> s.firstMs() >= 0 && s.sharpMs() >= s.firstMs()));
        assertTrue(timings.launchToFirstMs() >= 0);
        assertTrue(timings.launchToSharpMs() >= timings.launchToFirstMs());
    }

    @Test
    void aStyleSupersededBeforeAnythingShowedIsASampleWithoutTimes() {
        QueuedTaskRunner runner = QueuedTaskRunner.queued();
        MainViewModel vm = observed(runner);
        vm.start(Optional.of(Path.of("dog.jpg")));
        runner.runAll();
        vm.selectStyle("b");
        vm.selectStyle("a");
        runner.runAll();
        assertEquals(-1.0, timings.samples().get(1).firstMs());
        assertEquals("b", timings.samples().get(1).styleId());
    }

    @Test
    void theFullResolutionPassIsTimedOnce() {
        MainViewModel vm = observed(QueuedTaskRunner.direct());
        vm.viewportLongSideProperty().set(400);
        vm.start(Optional.of(Path.of("dog.jpg")));
        assertEquals(-1.0, timings.fullMs());
        vm.actualSizeProperty().set(true);
        double first = timings.fullMs();
        assertTrue(first >= 0);
        vm.actualSizeProperty().set(false);
        vm.actualSizeProperty().set(true); // kept: nothing computed, nothing timed
        assertEquals(first, timings.fullMs());
    }
}
