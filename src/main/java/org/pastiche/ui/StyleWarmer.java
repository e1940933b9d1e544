package org.pastiche.ui;

import java.util.List;
import java.util.function.Consumer;
import org.pastiche.inference.Stylizer;
import org.pastiche.ui.task.LatestTask;

/**
 * Creates style sessions ahead of need: the chosen style's on the inference lane while the photo
 * decodes, then, once, every other style's one after another on the I/O lane, so that clicks are quick.
 */
final class StyleWarmer {
    private final Stylizer stylizer;
    private final LatestTask first;
    private final LatestTask others;
    private final Consumer<String> onFailure;
    private boolean warmedOthers;

    /** {@code onFailure} gets the id of a style whose session could not be created. */
    StyleWarmer(Stylizer stylizer, TaskRunner runner, Consumer<String> onFailure) {
        this.stylizer = stylizer;
        this.first = new LatestTask(runner, TaskRunner.Lane.INFERENCE);
        this.others = new LatestTask(runner, TaskRunner.Lane.IO);
        this.onFailure = onFailure;
    }

    void warmFirst(String styleId) {
        first.run((progress, cancel) -> {
            stylizer.warmUp(styleId);
            return styleId;
        }).start();
    }

    /** Warms {@code ids} one after another; only the first call does anything. */
    void warmOthers(List<String> ids) {
        if (warmedOthers || ids.isEmpty()) {
            return;
        }
        warmedOthers = true;
        step(ids, 0).start();
    }

    private LatestTask.Request<String> step(List<String> ids, int index) {
        String id = ids.get(index);
        Runnable next = () -> {
            if (index + 1 < ids.size()) {
                step(ids, index + 1).join();
            }
        };
        return others.run((progress, cancel) -> {
            stylizer.warmUp(id);
            return id;
        }).onSuccess(value -> next.run()).onFailure(error -> {
            onFailure.accept(id);
            next.run();
        });
    }

    void cancel() {
        first.cancel();
        others.cancel();
    }
}
