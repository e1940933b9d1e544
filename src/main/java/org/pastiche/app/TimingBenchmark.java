package org.pastiche.app;

import java.util.ArrayDeque;
import java.util.Deque;
import javafx.application.Platform;
import javafx.beans.InvalidationListener;
import org.pastiche.inference.StyleModel;
import org.pastiche.ui.FxTaskRunner;
import org.pastiche.ui.MainViewModel;
import org.pastiche.ui.PreviewTimings;
import org.pastiche.ui.preview.PreviewQuality;
import org.pastiche.ui.preview.ShownPainting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code -Dpastiche.benchmark=true}: after the first sharp preview, chooses every other style in
 * turn as a click would, waits for its sharp preview, then (if the photo is larger than the
 * preview) switches to 100 % and waits for the full-resolution painting; logs the figures and quits.
 */
final class TimingBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(TimingBenchmark.class);

    private final MainViewModel vm;
    private final FxTaskRunner runner;
    private final Deque<StyleModel> todo = new ArrayDeque<>();
    private String waitingFor;
    private boolean started;
    private boolean atFullResolution;

    private final PreviewTimings timings;

    TimingBenchmark(MainViewModel vm, FxTaskRunner runner, PreviewTimings timings) {
        this.vm = vm;
        this.runner = runner;
        this.timings = timings;
    }

    void start() {
        vm.shownProperty().addListener((InvalidationListener) o -> step());
    }

    private void step() {
        ShownPainting painting = vm.shownProperty().get();
        if (painting == null) {
            return;
        }
        if (atFullResolution) {
            if (painting.quality() == PreviewQuality.FULL) {
                atFullResolution = false;
                report();
            }
            return;
        }
        if (painting.quality() != PreviewQuality.SHARP) {
            return;
        }
        String shown = painting.styleId();
        if (!started) {
            started = true;
            vm.styles().stream().filter(StyleModel::available).filter(s -> !s.id().equals(shown)).forEach(todo::add);
        } else if (waitingFor == null || !waitingFor.equals(shown)) {
            return;
        }
        StyleModel next = todo.poll();
        if (next == null) {
            fullResolutionThenReport();
            return;
        }
        waitingFor = next.id();
        clickWhenIdle(next);
    }

    /** Chooses the style once background work (session warm-up) is done, as a person looking would. */
    private void clickWhenIdle(StyleModel next) {
        // Leave the listener before choosing, as a click would come from the event loop.
        Platform.runLater(() -> {
            if (runner.activeTasksProperty().get() == 0) {
                vm.selectStyle(next);
            } else {
                runner.activeTasksProperty().addListener(new InvalidationListener() {
                    @Override
                    public void invalidated(javafx.beans.Observable o) {
                        if (runner.activeTasksProperty().get() == 0) {
                            runner.activeTasksProperty().removeListener(this);
                            clickWhenIdle(next);
                        }
                    }
                });
            }
        });
    }

    /** 100 %: waits for the painting at the photo's resolution when the preview is smaller than the photo. */
    private void fullResolutionThenReport() {
        Platform.runLater(() -> {
            vm.actualSizeProperty().set(true);
            if (vm.fullResolutionPendingProperty().get()) {
                atFullResolution = true;
            } else {
                report(); // the preview is the photo's own size: nothing more to compute
            }
        });
    }

    private static long median(double[] values) {
        if (values.length == 0) {
            return -1;
        }
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return Math.round(v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2);
    }

    private void report() {
        PreviewTimings t = timings;
        LOG.info("benchmark: launch to first stylized preview {} ms, to first sharp preview {} ms",
                Math.round(t.launchToFirstMs()), Math.round(t.launchToSharpMs()));
        var samples = t.samples();
        // The first sample is the style chosen at start (no click): reported, not in the medians.
        for (int i = 0; i < samples.size(); i++) {
            var s = samples.get(i);
            LOG.info("benchmark: style {}{}: to first preview {} ms, to sharp preview {} ms", s.styleId(),
                    i == 0 ? " (at start)" : " (click)", Math.round(s.firstMs()), Math.round(s.sharpMs()));
        }
        var clicks = samples.subList(Math.min(1, samples.size()), samples.size());
        LOG.info("benchmark: {} clicks, median click to first preview {} ms, to sharp preview {} ms", clicks.size(),
                median(clicks.stream().mapToDouble(PreviewTimings.Sample::firstMs).toArray()),
                median(clicks.stream().mapToDouble(PreviewTimings.Sample::sharpMs).toArray()));
        if (t.fullMs() >= 0) {
            var photo = vm.beforeImageProperty().get();
            LOG.info("benchmark: 100 % to the full-resolution painting ({} x {}) {} ms", photo.width(), photo.height(),
                    Math.round(t.fullMs()));
        }
        Platform.exit();
    }
}
