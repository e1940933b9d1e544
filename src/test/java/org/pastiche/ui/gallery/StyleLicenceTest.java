package org.pastiche.ui.gallery;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StyleLicenceTest {
    @Test
    void nonCommercialTermsAreRecognised() {
        assertTrue(StyleLicence.isNonCommercial("Research and non-commercial use only, with attribution"));
        assertTrue(StyleLicence.isNonCommercial("CC BY-NC 4.0"));
        assertTrue(StyleLicence.isNonCommercial("noncommercial"));
        assertFalse(StyleLicence.isNonCommercial("BSD-3-Clause (derived from the pytorch/examples model)"));
        assertFalse(StyleLicence.isNonCommercial("MIT (derived from VangoghCrazyWorld)"));
        assertFalse(StyleLicence.isNonCommercial(null));
    }
}
