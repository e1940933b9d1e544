package org.pastiche.app;

import java.util.ArrayDeque;
import java.util.Deque;
import javafx.application.Platform;
import javafx.beans.InvalidationListener;
import org.pastiche.inference.StyleModel;
import org.pastiche.ui.FxTaskRunner;
import org.pastiche.ui.MainViewModel;
import org.pastiche.ui.MainViewModel.PreviewQuality;
import org.pastiche.ui.PreviewTimings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code -Dpastiche.benchmark=true}: after the first sharp preview, chooses every other style in
 * turn as a click would, waits for its sharp preview, logs the figures and quits.
 */
final class TimingBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(TimingBenchmark.class);

    private final MainViewModel vm;
    private final FxTaskRunner runner;
    private final Deque<StyleModel> todo = new ArrayDeque<>();
    private String waitingFor;
    private boolean started;

    TimingBenchmark(MainViewModel vm, FxTaskRunner runner) {
        this.vm = vm;
        this.runner = runner;
    }

    void start() {
        // The image changes last, together with its style and quality.
        vm.afterImageProperty().addListener((InvalidationListener) o -> step());
    }

    private void step() {
        if (vm.afterQualityProperty().get() != PreviewQuality.SHARP) {
            return;
        }
        String shown = vm.afterStyleIdProperty().get();
        if (!started) {
            started = true;
            vm.styles().stream().filter(StyleModel::available).filter(s -> !s.id().equals(shown)).forEach(todo::add);
        } else if (waitingFor == null || !waitingFor.equals(shown)) {
            return;
        }
        StyleModel next = todo.poll();
        if (next == null) {
            report();
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

    private void report() {
        PreviewTimings t = vm.timings();
        LOG.info("benchmark: launch to first stylized preview {} ms, to first sharp preview {} ms",
                Math.round(t.launchToFirstMs()), Math.round(t.launchToSharpMs()));
        t.samples().forEach(s -> LOG.info("benchmark: style {}: click to first preview {} ms, to sharp preview {} ms",
                s.styleId(), Math.round(s.firstMs()), Math.round(s.sharpMs())));
        LOG.info("benchmark: median click to first preview {} ms, to sharp preview {} ms",
                Math.round(t.median(false).orElse(-1)), Math.round(t.median(true).orElse(-1)));
        Platform.exit();
    }
}
