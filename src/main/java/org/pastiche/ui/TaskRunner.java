package org.pastiche.ui;

import org.pastiche.core.CancellationToken;
import org.pastiche.core.ProgressListener;

/**
 * The one way ViewModels run background work. Callbacks arrive on the UI thread (the FX application
 * thread for the real runner, the caller's thread for the same-thread runners used in tests).
 */
public interface TaskRunner {

    /** Named executors: one inference thread (ONNX Runtime parallelises inside), and I/O. */
    enum Lane { INFERENCE, IO }

    /** Work done off the UI thread; it should check {@code cancel} between steps. */
    @FunctionalInterface
    interface Work<T> {
        T run(ProgressListener progress, CancellationToken cancel) throws Exception;
    }

    /** What to do with the outcome, on the UI thread. Exactly one of the three end calls happens. */
    interface Outcome<T> {
        void succeeded(T value);

        default void failed(Throwable error) { }

        /** The token was cancelled before the work ended; its result, if any, is dropped. */
        default void cancelled() { }

        default void progress(long done, long total) { }
    }

    /**
     * Queues {@code work} on {@code lane}. Cancelling {@code cancel} stops it (cooperatively) and turns
     * its outcome into {@link Outcome#cancelled()}.
     */
    <T> void submit(Lane lane, CancellationToken cancel, Work<T> work, Outcome<T> outcome);
}
