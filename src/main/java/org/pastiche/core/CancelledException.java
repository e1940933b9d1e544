package org.pastiche.core;

/** Work stopped because its {@link CancellationToken} was cancelled. */
public final class CancelledException extends RuntimeException {
    public CancelledException() {
        super("cancelled", null, false, false);
    }
}
