package org.pastiche.ui.preview;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StyleOptions;
import org.pastiche.ui.FakeImaging;

class ShownPaintingTest {
    private final RgbaImage image = FakeImaging.photo(4, 3, 1);

    @Test
    void styleQualityAndPixelsGoTogether() {
        Rendered rendered = new Rendered("a", PreviewQuality.FULL, image, image, StyleOptions.DEFAULT, image);
        ShownPainting shown = rendered.shown();
        assertSame(image, shown.image());
        assertTrue(shown.isSharp());
        assertFalse(new ShownPainting("a", PreviewQuality.QUICK, image).isSharp());
        assertTrue(new ShownPainting("a", PreviewQuality.SHARP, image).isSharp());
        assertThrows(NullPointerException.class, () -> new ShownPainting(null, PreviewQuality.SHARP, image));
        assertThrows(NullPointerException.class, () -> new ShownPainting("a", PreviewQuality.SHARP, null));
    }
}
