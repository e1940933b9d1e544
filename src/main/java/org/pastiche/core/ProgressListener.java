package org.pastiche.core;

/** UI-free progress report: units done out of a total. Implementations must be thread-safe. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> { };

    void progress(long done, long total);
}
