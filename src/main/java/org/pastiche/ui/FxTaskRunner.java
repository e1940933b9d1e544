package org.pastiche.ui;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.concurrent.Task;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.CancelledException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link TaskRunner}: every piece of work is a {@link Task} on a named daemon executor.
 * Tasks are never cancelled through {@link Task#cancel()}: the token tells the work to stop, and the
 * task always runs to its end, so that {@link #activeTasksProperty()} counts work that really runs.
 * Work is submitted on the FX thread only (where its callbacks arrive too); other threads are refused.
 */
public final class FxTaskRunner implements TaskRunner {
    private static final Logger LOG = LoggerFactory.getLogger(FxTaskRunner.class);

    private final ExecutorService inference = Executors.newSingleThreadExecutor(named("inference"));
    private final ExecutorService io = Executors.newFixedThreadPool(2, named("io"));
    private final ReadOnlyIntegerWrapper activeTasks = new ReadOnlyIntegerWrapper(this, "activeTasks");
    private final AtomicInteger active = new AtomicInteger();
    private final Set<Runnable> live = ConcurrentHashMap.newKeySet();

    /** ONNX Runtime's session set-up overflows the JVM's default 1 MiB thread stack (a native crash). */
    private static final long STACK_BYTES = 16L << 20;

    private static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(null, r, name + "-" + n.incrementAndGet(), STACK_BYTES);
            t.setDaemon(true);
            return t;
        };
    }

    /** Tasks queued or running; changes on the FX thread. */
    public ReadOnlyIntegerProperty activeTasksProperty() {
        return activeTasks.getReadOnlyProperty();
    }

    @Override
    public <T> void submit(Lane lane, CancellationToken cancel, Work<T> work, Outcome<T> outcome) {
        if (!Platform.isFxApplicationThread()) {
            throw new IllegalStateException("work is submitted on the FX thread only, not on "
                    + Thread.currentThread().getName());
        }
        Task<T> task = new Task<>() {
            @Override
            protected T call() throws Exception {
                cancel.throwIfCancelled();
                return work.run(this::updateProgress, cancel);
            }
        };
        task.workDoneProperty().addListener((obs, old, done) -> {
            if (done.doubleValue() >= 0 && !cancel.isCancelled()) {
                outcome.progress(done.longValue(), (long) task.getTotalWork());
            }
        });
        Runnable stop = cancel::cancel;
        task.setOnSucceeded(e -> {
            finished(stop);
            if (cancel.isCancelled()) {
                outcome.cancelled();
            } else {
                outcome.succeeded(task.getValue());
            }
        });
        task.setOnFailed(e -> {
            finished(stop);
            Throwable error = task.getException();
            if (cancel.isCancelled() || error instanceof CancelledException) {
                outcome.cancelled();
            } else {
                LOG.debug("background work failed", error);
                outcome.failed(error);
            }
        });
        live.add(stop);
        activeTasks.set(active.incrementAndGet());
        (lane == Lane.INFERENCE ? inference : io).execute(task);
    }

    private void finished(Runnable stop) {
        live.remove(stop);
        activeTasks.set(active.decrementAndGet());
    }

    /**
     * Cancels all work (a running inference is told to stop) and stops the executors, waiting briefly
     * for running work to end; true if it did.
     */
    public boolean close() {
        live.forEach(Runnable::run);
        inference.shutdownNow();
        io.shutdownNow();
        try {
            if (!inference.awaitTermination(10, TimeUnit.SECONDS) || !io.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("background work still running at shutdown");
                return false;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
