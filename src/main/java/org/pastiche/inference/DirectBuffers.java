package org.pastiche.inference;

import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicReference;
import org.pastiche.imaging.Tiler;

/**
 * The input/output pair of direct buffers a run reads from and writes into. Direct buffers are
 * costly to allocate (zeroed, freed only by the garbage collector): the last pair is kept for the
 * next call. Concurrent calls simply allocate their own. Thread-safe.
 */
final class DirectBuffers {
    private final AtomicReference<FloatBuffer[]> spare = new AtomicReference<>();

    /** A pair of at least {@code floats} floats each: the kept one if large enough, else a new one. */
    FloatBuffer[] take(int floats) {
        FloatBuffer[] b = spare.getAndSet(null);
        if (b != null && b[0].capacity() >= floats) {
            return b;
        }
        return new FloatBuffer[] {Tiler.directFloats(floats), Tiler.directFloats(floats)};
    }

    /** Keeps {@code buffers} for the next call, unless a larger pair is kept already. */
    void giveBack(FloatBuffer[] buffers) {
        spare.accumulateAndGet(buffers, (old, mine) -> old == null || old[0].capacity() < mine[0].capacity()
                ? mine : old);
    }

    void clear() {
        spare.set(null);
    }
}
