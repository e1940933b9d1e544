package org.pastiche.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pastiche.inference.StrokeScale.Size;

class StrokeScaleTest {
    @Test
    void parsesWhatPeopleType() {
        assertEquals(StrokeScale.DEFAULT, StrokeScale.parse("1"));
        assertEquals(StrokeScale.of(0.5), StrokeScale.parse("0.5"));
        assertEquals(StrokeScale.of(2), StrokeScale.parse(" 2x "));
        assertEquals(StrokeScale.of(1.5), StrokeScale.parse("1.5X"));
        assertTrue(StrokeScale.parse("native").isNative());
        assertTrue(StrokeScale.parse("Native").isNative());
        assertFalse(StrokeScale.parse("1").isNative());
        assertEquals(2.0, StrokeScale.parse("2").factor());
    }

    @Test
    void refusesWithAMessage() {
        for (String bad : new String[] {"0", "-1", "5", "0.1", "abc", "", "NaN", "Infinity", "x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrokeScale.parse(bad),
                    bad);
            assertTrue(e.getMessage().startsWith("stroke scale must be"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> StrokeScale.parse(null));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StrokeScale.of(8)).getMessage()
                .contains("between 0.25 and 4"));
    }

    @Test
    void writesItBack() {
        for (String s : new String[] {"1", "0.5", "2", "0.75", "native"}) {
            assertEquals(s, StrokeScale.parse(s).toString());
            assertEquals(StrokeScale.parse(s), StrokeScale.parse(StrokeScale.parse(s).toString()));
        }
        assertEquals(StrokeScale.NATIVE.hashCode(), StrokeScale.parse("native").hashCode());
    }

    @Test
    void theNetworkWorksAtTheReferenceLongSideOverTheScale() {
        assertEquals(1024, StrokeScale.DEFAULT.networkLongSide());
        assertEquals(512, StrokeScale.of(2).networkLongSide());
        assertEquals(2048, StrokeScale.of(0.5).networkLongSide());
        assertEquals(0, StrokeScale.NATIVE.networkLongSide());

        assertEquals(new Size(1024, 768), StrokeScale.DEFAULT.networkSize(4000, 3000));
        assertEquals(new Size(768, 1024), StrokeScale.DEFAULT.networkSize(3000, 4000));
        assertEquals(new Size(512, 384), StrokeScale.of(2).networkSize(4000, 3000));
        assertEquals(new Size(2048, 1536), StrokeScale.of(0.5).networkSize(4000, 3000));
        assertEquals(new Size(1024, 683), StrokeScale.DEFAULT.networkSize(1732, 1155));
        assertEquals(new Size(4000, 3000), StrokeScale.NATIVE.networkSize(4000, 3000));
        assertEquals(new Size(1024, 768), StrokeScale.DEFAULT.networkSize(4000, 3000));
    }

    @Test
    void thePreviewSizeIsItsOwn() {
        assertEquals(new Size(1024, 768), StrokeScale.DEFAULT.networkSize(1024, 768));
        // Within 2 %: not worth resampling.
        assertEquals(new Size(1010, 700), StrokeScale.DEFAULT.networkSize(1010, 700));
        assertEquals(new Size(1040, 700), StrokeScale.DEFAULT.networkSize(1040, 700));
        assertEquals(new Size(1024, 673), StrokeScale.DEFAULT.networkSize(1070, 703));
    }

    @Test
    void smallImagesAreScaledUpAtMostFourTimes() {
        // A 600-px preview at S = 1 is painted at 1024 px (the same strokes as the export) ...
        assertEquals(new Size(1024, 683), StrokeScale.DEFAULT.networkSize(600, 400));
        // ... at S = 0.5 a 1024-px preview at 2048 px ...
        assertEquals(new Size(2048, 1536), StrokeScale.of(0.5).networkSize(1024, 768));
        // ... but a thumbnail at most 4 times its size.
        assertEquals(new Size(800, 400), StrokeScale.of(0.5).networkSize(200, 100));
        assertEquals(new Size(4, 4), StrokeScale.DEFAULT.networkSize(1, 1));
    }

    @Test
    void thinImagesKeepTheirThinSide() {
        assertEquals(new Size(7, 1024), StrokeScale.DEFAULT.networkSize(7, 2000));
        assertEquals(new Size(32, 256), StrokeScale.of(4).networkSize(40, 2000));
        assertEquals(new Size(512, 20), StrokeScale.of(2).networkSize(2000, 20));
        assertThrows(IllegalArgumentException.class, () -> StrokeScale.DEFAULT.networkSize(0, 10));
    }
}
