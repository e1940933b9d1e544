package org.pastiche.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class DirectBuffersTest {
    @Test
    void keepsTheLargestPairForTheNextCall() {
        DirectBuffers pool = new DirectBuffers();
        FloatBuffer[] a = pool.take(100);
        assertTrue(a[0].isDirect() && a[0].capacity() >= 100 && a[1].capacity() >= 100);
        assertNotSame(a[0], a[1]);
        pool.giveBack(a);
        assertSame(a, pool.take(50), "a smaller request reuses the kept pair");
        FloatBuffer[] b = pool.take(10); // nothing kept now: a new pair
        assertNotSame(a, b);
        pool.giveBack(a);
        pool.giveBack(b); // smaller: the larger one stays
        assertSame(a, pool.take(100));
        pool.giveBack(a);
        FloatBuffer[] c = pool.take(1000); // too small: a new, larger pair
        assertEquals(1000, c[0].capacity());
        pool.clear();
        assertNotSame(a, pool.take(10));
    }
}
