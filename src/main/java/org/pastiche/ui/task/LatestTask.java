package org.pastiche.ui.task;

import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.pastiche.core.CancellationToken;
import org.pastiche.ui.TaskRunner;
import org.pastiche.ui.TaskRunner.Lane;
import org.pastiche.ui.TaskRunner.Work;

/**
 * One kind of request where only the latest counts ("latest wins"). {@link Request#start()} cancels
 * the run before it (its token reaches the engine) and starts a new one; the callbacks of a
 * superseded run never arrive, so callers need no tokens or generation counters of their own. A run
 * may hold several pieces of work, queued one after another (a quick then a sharp pass): {@link
 * Request#join(Run)} adds one to a run while it is the current one. Used on the UI thread only, like the view models.
 */
public final class LatestTask {
    private final TaskRunner runner;
    private final Lane lane;
    private CancellationToken current = cancelledToken();
    private int pending;

    public LatestTask(TaskRunner runner, Lane lane) {
        this.runner = runner;
        this.lane = lane;
    }

    private static CancellationToken cancelledToken() {
        CancellationToken token = new CancellationToken();
        token.cancel();
        return token;
    }

    /** A request for {@code work}; add callbacks, then {@link Request#start()} or {@link Request#join()}. */
    public <T> Request<T> run(Work<T> work) {
        return new Request<>(work);
    }

    /**
     * Cancels the current run: its work is told to stop, and of its callbacks only {@code onCancelled}
     * arrives (once per piece of work).
     */
    public void cancel() {
        current.cancel();
    }

    /** True while the current run has work that has not ended and was not cancelled. */
    public boolean isRunning() {
        return pending > 0 && !current.isCancelled();
    }

    /** A started run, to add work to it while it is the current one. */
    public static final class Run {
        private final CancellationToken token;

        private Run(CancellationToken token) {
            this.token = token;
        }
    }

    /** A piece of work with its callbacks, all optional. */
    public final class Request<T> {
        private final Work<T> work;
        private Consumer<? super T> onSuccess = value -> { };
        private Consumer<Throwable> onFailure = error -> { };
        private Runnable onCancelled = () -> { };
        private BiConsumer<Long, Long> onProgress = (done, total) -> { };

        private Request(Work<T> work) {
            this.work = work;
        }

        public Request<T> onSuccess(Consumer<? super T> callback) {
            onSuccess = callback;
            return this;
        }

        public Request<T> onFailure(Consumer<Throwable> callback) {
            onFailure = callback;
            return this;
        }

        /** Called when the run was cancelled through {@link LatestTask#cancel()}, never when superseded. */
        public Request<T> onCancelled(Runnable callback) {
            onCancelled = callback;
            return this;
        }

        public Request<T> onProgress(BiConsumer<Long, Long> callback) {
            onProgress = callback;
            return this;
        }

        /**
         * Supersedes the current run (if any) and starts a new one with this work. With a same-thread
         * runner the work (and a newer request it makes) may already have run when this returns.
         */
        public Run start() {
            current.cancel();
            current = new CancellationToken();
            pending = 0;
            Run run = new Run(current);
            submit(current);
            return run;
        }

        /**
         * Adds this work to {@code run}, after the work already queued on the same lane. A run that
         * was cancelled or superseded takes no more work: nothing is queued, and {@code false} says so.
         */
        public boolean join(Run run) {
            if (run.token != current || current.isCancelled()) {
                return false;
            }
            submit(current);
            return true;
        }

        /** Adds this work to the current run; meant for a callback of that run, which is current then. */
        public boolean join() {
            return join(new Run(current));
        }

        private void submit(CancellationToken token) {
            pending++;
            runner.submit(lane, token, work, new TaskRunner.Outcome<T>() {
                @Override
                public void succeeded(T value) {
                    if (ended(token)) {
                        onSuccess.accept(value);
                    }
                }

                @Override
                public void failed(Throwable error) {
                    if (ended(token)) {
                        onFailure.accept(error);
                    }
                }

                @Override
                public void cancelled() {
                    if (ended(token)) {
                        onCancelled.run();
                    }
                }

                @Override
                public void progress(long done, long total) {
                    if (token == current && !token.isCancelled()) {
                        onProgress.accept(done, total);
                    }
                }
            });
        }

        /** True if the work's run is still the current one (its callback may arrive). */
        private boolean ended(CancellationToken token) {
            if (token != current) {
                return false;
            }
            pending--;
            return true;
        }
    }
}
