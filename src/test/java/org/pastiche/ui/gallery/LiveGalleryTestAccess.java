package org.pastiche.ui.gallery;

import org.pastiche.imaging.RgbaImage;

/** Lets tests of other packages compute the expected tile. */
public final class LiveGalleryTestAccess {
    private LiveGalleryTestAccess() { }

    public static RgbaImage centreSquare(RgbaImage image) {
        return LiveGallery.centreSquare(image);
    }
}
