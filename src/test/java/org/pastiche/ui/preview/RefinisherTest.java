package org.pastiche.ui.preview;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StyleOptions;
import org.pastiche.ui.FakeImaging;
import org.pastiche.ui.FakeStylizer;
import org.pastiche.ui.QueuedTaskRunner;

class RefinisherTest {
    private final FakeStylizer stylizer = new FakeStylizer("a");
    private final QueuedTaskRunner runner = QueuedTaskRunner.queued();
    private final Refinisher refinisher = new Refinisher(stylizer, runner);
    private final RgbaImage source = FakeImaging.photo(40, 30, 1);
    private final Rendered base = new Rendered("a", PreviewQuality.SHARP, source, FakeStylizer.expected(source, "a"),
            StyleOptions.DEFAULT, FakeStylizer.expected(source, "a"));
    private final List<Rendered> done = new ArrayList<>();

    @Test
    void theLatestRequestWins() {
        refinisher.refinish(base, new StyleOptions(0.5, false), done::add);
        refinisher.refinish(base, new StyleOptions(0.0, false), done::add);
        runner.runAll();
        assertEquals(1, done.size());
        assertEquals(0.0, done.get(0).options().strength());
        assertArrayEquals(source.argb(), done.get(0).finished().argb());
        org.junit.jupiter.api.Assertions.assertSame(base.raw(), done.get(0).raw(), "the raw output is kept for the next time");
    }

    @Test
    void theSameOptionsNeedNoWorkAndDropAnOlderRequest() {
        refinisher.refinish(base, new StyleOptions(0.5, false), done::add);
        refinisher.refinish(base, StyleOptions.DEFAULT, done::add);
        runner.runAll();
        assertEquals(List.of(), done);
        assertEquals(0, stylizer.finishCalls);
    }
}
