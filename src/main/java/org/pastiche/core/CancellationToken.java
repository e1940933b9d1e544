package org.pastiche.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Cooperative cancellation shared between the one who asks for work and the work itself.
 * Listeners let long native calls (ONNX Runtime) be told to stop.
 */
public final class CancellationToken {
    private volatile boolean cancelled;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public static CancellationToken none() {
        return new CancellationToken();
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        listeners.forEach(Runnable::run);
    }

    /** Runs {@code listener} on cancellation (at once if already cancelled). */
    public void onCancel(Runnable listener) {
        listeners.add(listener);
        if (cancelled) {
            listener.run();
        }
    }

    public void removeOnCancel(Runnable listener) {
        listeners.remove(listener);
    }

    /** Throws {@link CancelledException} if cancelled. */
    public void throwIfCancelled() {
        if (cancelled) {
            throw new CancelledException();
        }
    }
}
