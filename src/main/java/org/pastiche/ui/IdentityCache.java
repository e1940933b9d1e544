package org.pastiche.ui;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;

/**
 * Remembers the last few conversions by the identity of their input, so that showing the same
 * picture again (Fit &lt;-&gt; 100 % swaps the preview and the full-resolution original) costs nothing.
 * For the FX thread only; not thread-safe.
 */
public final class IdentityCache<K, V> {
    private record Entry<K, V>(K key, V value) { }

    private final int capacity;
    private final Function<K, V> convert;
    private final Deque<Entry<K, V>> entries = new ArrayDeque<>();

    public IdentityCache(int capacity, Function<K, V> convert) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.convert = convert;
    }

    /** The conversion of {@code key}, made now only if none of the last ones was of this very object. */
    public V get(K key) {
        if (key == null) {
            return null;
        }
        for (Entry<K, V> e : entries) {
            if (e.key() == key) {
                entries.remove(e);
                entries.addFirst(e);
                return e.value();
            }
        }
        V value = convert.apply(key);
        entries.addFirst(new Entry<>(key, value));
        while (entries.size() > capacity) {
            entries.removeLast();
        }
        return value;
    }

    public int size() {
        return entries.size();
    }
}
