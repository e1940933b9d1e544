package org.pastiche.imaging;

/**
 * What the file header says, read before any pixel is decoded.
 *
 * @param width       width as shown, after the EXIF orientation is applied
 * @param height      height as shown, after the EXIF orientation is applied
 * @param format      the decoder's format name, e.g. "JPEG", "png"
 * @param orientation the EXIF orientation (1..8; 1 when absent)
 */
public record ImageInfo(int width, int height, String format, int orientation) {
    public long pixelCount() {
        return (long) width * height;
    }
}
