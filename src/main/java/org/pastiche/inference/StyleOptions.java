package org.pastiche.inference;

/**
 * How a stylized image is combined with its original.
 *
 * @param strength   0 = the original, 1 = the full style; linear blend in between
 * @param keepColors take luminance from the stylized image and chroma from the original
 */
public record StyleOptions(double strength, boolean keepColors) {
    public static final StyleOptions DEFAULT = new StyleOptions(1.0, false);

    public StyleOptions {
        if (!(strength >= 0.0 && strength <= 1.0)) {
            throw new IllegalArgumentException("strength must be in 0..1, was " + strength);
        }
    }
}
