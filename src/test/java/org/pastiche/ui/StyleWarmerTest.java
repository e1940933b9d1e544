package org.pastiche.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pastiche.core.PasticheException;

class StyleWarmerTest {
    private final List<String> warmed = new ArrayList<>();
    private final List<String> failed = new ArrayList<>();
    private final FakeStylizer stylizer = new FakeStylizer("a", "b", "c");

    private StyleWarmer warmer(QueuedTaskRunner runner, String failing) {
        org.pastiche.inference.Stylizer recording = new DelegatingStylizer(stylizer) {
            @Override
            public void warmUp(String styleId) throws PasticheException {
                warmed.add(styleId);
                if (styleId.equals(failing)) {
                    throw new PasticheException("cannot load " + styleId);
                }
            }
        };
        return new StyleWarmer(recording, runner, failed::add);
    }

    @Test
    void theOthersAreWarmedOneAfterAnotherOnceAndAFailureDoesNotStopTheRest() {
        QueuedTaskRunner runner = QueuedTaskRunner.queued();
        StyleWarmer warmer = warmer(runner, "b");
        warmer.warmOthers(List.of("b", "c"));
        warmer.warmOthers(List.of("b", "c"));
        assertEquals(1, runner.pending(), "one after another, and only once");
        runner.runAll();
        assertEquals(List.of("b", "c"), warmed);
        assertEquals(List.of("b"), failed);
    }

    @Test
    void cancelStopsTheChain() {
        QueuedTaskRunner runner = QueuedTaskRunner.queued();
        StyleWarmer warmer = warmer(runner, null);
        warmer.warmFirst("a");
        warmer.warmOthers(List.of("b", "c"));
        warmer.cancel();
        runner.runAll();
        assertEquals(List.of(), warmed);
    }
}
