package org.pastiche.ui.preview;

import java.util.Optional;
import org.pastiche.imaging.Resize;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.ui.TaskRunner;
import org.pastiche.ui.task.LatestTask;

/**
 * The full-resolution painting scaled down to the view, for Fit: on the I/O lane (never on the UI thread),
 * once per painting and size; the last one is kept. Asked for another painting or size, the scaling under way
 * is superseded ({@link LatestTask}), and a result is only ever handed out for the painting it was made from.
 * Used on the UI thread only.
 */
public final class FittedPainting {
    private final LatestTask task;
    private Runnable onReady = () -> { };
    private RgbaImage keptFrom;
    private RgbaImage kept;
    private RgbaImage wantedFrom;
    private int wantedWidth;
    private int wantedHeight;

    public FittedPainting(TaskRunner runner) {
        this.task = new LatestTask(runner, TaskRunner.Lane.IO);
    }

    /** Called when a scaled painting is ready: ask {@link #get} again. */
    public void onReady(Runnable callback) {
        onReady = callback;
    }

    /**
     * {@code painting} scaled to {@code width x height} if it is ready; else empty, and the scaling is queued
     * (once: asking again while it runs queues nothing).
     */
    public Optional<RgbaImage> get(RgbaImage painting, int width, int height) {
        if (painting.width() == width && painting.height() == height) {
            return Optional.of(painting);
        }
        Optional<RgbaImage> ready = ready(painting, width, height);
        if (ready.isPresent()) {
            return ready;
        }
        if (wantedFrom == painting && wantedWidth == width && wantedHeight == height && task.isRunning()) {
            return Optional.empty();
        }
        wantedFrom = painting;
        wantedWidth = width;
        wantedHeight = height;
        task.run((progress, cancel) -> Resize.resize(painting, width, height))
                .onSuccess(scaled -> {
                    keptFrom = painting;
                    kept = scaled;
                    wantedFrom = null;
                    onReady.run();
                })
                .onFailure(error -> wantedFrom = null) // the preview stays on show
                .start();
        return ready(painting, width, height); // a runner that runs at once (tests) has it already
    }

    private Optional<RgbaImage> ready(RgbaImage painting, int width, int height) {
        return kept != null && keptFrom == painting && kept.width() == width && kept.height() == height
                ? Optional.of(kept) : Optional.empty();
    }

    /** Stops the scaling under way and drops the kept one (a new photo or stroke size). */
    public void forget() {
        task.cancel();
        wantedFrom = null;
        keptFrom = null;
        kept = null;
    }
}
