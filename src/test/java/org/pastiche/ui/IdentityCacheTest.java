package org.pastiche.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentityCacheTest {
    private final List<String> converted = new ArrayList<>();
    private final IdentityCache<String, StringBuilder> cache = new IdentityCache<>(2, s -> {
        converted.add(s);
        return new StringBuilder(s);
    });

    @Test
    void theSameObjectIsConvertedOnce() {
        String preview = new String("preview");
        String original = new String("original");
        StringBuilder first = cache.get(preview);
        cache.get(original);
        assertSame(first, cache.get(preview), "Fit -> 100 % -> Fit converts nothing again");
        cache.get(original);
        assertEquals(List.of("preview", "original"), converted);
    }

    @Test
    void anEqualButOtherObjectIsConvertedAgain() {
        cache.get(new String("x"));
        cache.get(new String("x"));
        assertEquals(2, converted.size());
    }

    @Test
    void theLeastRecentlyUsedGoes() {
        String a = new String("a");
        String b = new String("b");
        String c = new String("c");
        cache.get(a);
        cache.get(b);
        cache.get(a);
        cache.get(c); // b goes
        cache.get(a);
        assertEquals(List.of("a", "b", "c"), converted);
        cache.get(b);
        assertEquals(List.of("a", "b", "c", "b"), converted);
        assertEquals(2, cache.size());
        assertNull(cache.get(null));
    }
}
