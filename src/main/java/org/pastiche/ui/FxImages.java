package org.pastiche.ui;

import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import org.pastiche.imaging.RgbaImage;

/** Converts between JavaFX images and the engine's ARGB buffers, through pixel readers and writers. */
public final class FxImages {
    private FxImages() { }

    public static Image toFx(RgbaImage image) {
        if (image == null) {
            return null;
        }
        WritableImage fx = new WritableImage(image.width(), image.height());
        fx.getPixelWriter().setPixels(0, 0, image.width(), image.height(), PixelFormat.getIntArgbInstance(),
                image.argb(), 0, image.width());
        return fx;
    }

    public static RgbaImage fromFx(Image image) {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        PixelReader reader = image.getPixelReader();
        if (reader == null || w <= 0 || h <= 0) {
            throw new IllegalArgumentException("image has no pixels");
        }
        int[] argb = new int[w * h];
        reader.getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        return new RgbaImage(w, h, argb);
    }
}
