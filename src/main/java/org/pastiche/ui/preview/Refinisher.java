package org.pastiche.ui.preview;

import java.util.function.Consumer;
import org.pastiche.inference.StyleOptions;
import org.pastiche.inference.Stylizer;
import org.pastiche.ui.TaskRunner;
import org.pastiche.ui.task.LatestTask;

/**
 * Applies strength and keep-colours to a painting again, on the I/O lane, without the network. The
 * latest request wins: an older one still under way never delivers.
 */
public final class Refinisher {
    private final Stylizer stylizer;
    private final LatestTask task;

    public Refinisher(Stylizer stylizer, TaskRunner runner) {
        this.stylizer = stylizer;
        this.task = new LatestTask(runner, TaskRunner.Lane.IO);
    }

    /**
     * Finishes {@code base} for {@code options} and hands the result to {@code done}; nothing happens
     * if it already has those options (a refinish under way is dropped then too).
     */
    public void refinish(Rendered base, StyleOptions options, Consumer<Rendered> done) {
        if (base.options().equals(options)) {
            task.cancel();
            return;
        }
        task.run((progress, cancel) -> stylizer.finish(base.source(), base.raw(), options))
                .onSuccess(finished -> done.accept(base.refinished(options, finished)))
                .start();
    }

    /** Drops the refinish under way, if any. */
    public void cancel() {
        task.cancel();
    }
}
