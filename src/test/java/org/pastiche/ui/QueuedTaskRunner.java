package org.pastiche.ui;

import java.util.ArrayDeque;
import java.util.Deque;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.CancelledException;

/**
 * Same-thread task runner for ViewModel tests. With {@code autoRun} work runs at once inside
 * {@link #submit}; without, it waits in a queue until {@link #runAll()}, so tests can interleave requests.
 */
public final class QueuedTaskRunner implements TaskRunner {
    private record Job<T>(Lane lane, CancellationToken cancel, Work<T> work, Outcome<T> outcome) { }

    private final Deque<Job<?>> queue = new ArrayDeque<>();
    private final boolean autoRun;
    private boolean running;

    public QueuedTaskRunner(boolean autoRun) {
        this.autoRun = autoRun;
    }

    public static QueuedTaskRunner direct() {
        return new QueuedTaskRunner(true);
    }

    public static QueuedTaskRunner queued() {
        return new QueuedTaskRunner(false);
    }

    @Override
    public <T> void submit(Lane lane, CancellationToken cancel, Work<T> work, Outcome<T> outcome) {
        queue.add(new Job<>(lane, cancel, work, outcome));
        if (autoRun && !running) {
            runAll();
        }
    }

    public int pending() {
        return queue.size();
    }

    /** Runs the oldest queued piece of work (and nothing it queues). */
    public void runNext() {
        if (!queue.isEmpty()) {
            run(queue.poll());
        }
    }

    public void runAll() {
        running = true;
        try {
            while (!queue.isEmpty()) {
                run(queue.poll());
            }
        } finally {
            running = false;
        }
    }

    private static <T> void run(Job<T> job) {
        if (job.cancel().isCancelled()) {
            job.outcome().cancelled();
            return;
        }
        T value;
        try {
            value = job.work().run(job.outcome()::progress, job.cancel());
        } catch (CancelledException e) {
            job.outcome().cancelled();
            return;
        } catch (Exception e) {
            if (job.cancel().isCancelled()) {
                job.outcome().cancelled();
            } else {
                job.outcome().failed(e);
            }
            return;
        }
        if (job.cancel().isCancelled()) {
            job.outcome().cancelled();
        } else {
            job.outcome().succeeded(value);
        }
    }
}
