package org.pastiche.inference;

import java.util.Locale;

/**
 * How large the style's strokes are relative to the picture, whatever its pixel count.
 *
 * <p>A style network paints strokes of a fixed size in pixels, so the same photo at 12 MP gets
 * strokes a quarter of those of its 1024-px preview, and looks like another picture. A stroke
 * scale instead fixes the resolution the network works at to the picture: its long side is
 * {@link #REFERENCE_LONG_SIDE} / S pixels ({@link #networkSize}), whatever the size of the image
 * being painted (preview, 100 % view or export), and {@link StrokeStylizer} brings the result to
 * the image's size. S = 1 is the look of the 1024-px preview; 2 paints strokes twice as large
 * (network at 512 px), 0.5 finer ones (2048 px); {@link #NATIVE} runs the network at the image's
 * own resolution (the behaviour before stroke scales; fine strokes at high resolution).
 *
 * <p>Immutable value; {@link #parse} reads what a person types ({@code 1}, {@code 0.5}, {@code 2x},
 * {@code native}), {@link #toString} writes it back.
 */
public final class StrokeScale {
    /** The long side, in pixels, at which the network works for S = 1: the app's sharp preview. */
    public static final int REFERENCE_LONG_SIDE = 1024;
    public static final double MIN = 0.25;
    public static final double MAX = 4;
    /**
     * A small image (a quick preview, a thumbnail) is scaled up for the network at most this much:
     * beyond it there is no detail to paint, only time to spend.
     */
    public static final double MAX_UPSCALE = 4;
    /** A network size within this fraction of the image's own counts as the image's own: no resampling. */
    static final double SAME_SIZE_TOLERANCE = 0.02;
    /** The network never gets a side shorter than this (or than the image's own side, if shorter). */
    public static final int MIN_SIDE = 32;

    public static final StrokeScale NATIVE = new StrokeScale(Double.NaN);
    /** S = 1: the export looks like the 1024-px preview. */
    public static final StrokeScale DEFAULT = new StrokeScale(1);

    private final double factor;

    private StrokeScale(double factor) {
        this.factor = factor;
    }

    /** @throws IllegalArgumentException outside {@link #MIN}..{@link #MAX} */
    public static StrokeScale of(double factor) {
        if (!(factor >= MIN && factor <= MAX)) {
            throw new IllegalArgumentException("stroke scale must be between " + fmt(MIN) + " and " + fmt(MAX)
                    + " (or native), was " + fmt(factor));
        }
        return factor == 1 ? DEFAULT : new StrokeScale(factor);
    }

    /**
     * Reads {@code native}, or a number with an optional trailing {@code x} ({@code 0.5}, {@code 2x}).
     *
     * @throws IllegalArgumentException with a message for people
     */
    public static StrokeScale parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("native")) {
            return NATIVE;
        }
        String number = t.endsWith("x") ? t.substring(0, t.length() - 1).trim() : t;
        double f;
        try {
            f = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("stroke scale must be a number (0.5, 1, 2) or native, was '" + text + "'");
        }
        return of(f);
    }

    public boolean isNative() {
        return Double.isNaN(factor);
    }

    /** S; NaN for {@link #NATIVE}. */
    public double factor() {
        return factor;
    }

    /** The long side the network works at, whatever the image's size; 0 for {@link #NATIVE}. */
    public int networkLongSide() {
        return isNative() ? 0 : (int) Math.round(REFERENCE_LONG_SIDE / factor);
    }

    /** A size in pixels. */
    public record Size(int width, int height) {
        public long pixels() {
            return (long) width * height;
        }
    }

    /**
     * The size at which the network paints an image of {@code width x height} pixels: the aspect
     * ratio kept, the long side {@link #networkLongSide()} (the image's own size for {@link #NATIVE}
     * or within {@link #SAME_SIZE_TOLERANCE} of it), scaled up at most {@link #MAX_UPSCALE} times,
     * no side below {@link #MIN_SIDE} unless the image's own is.
     */
    public Size networkSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("bad size " + width + "x" + height);
        }
        if (isNative()) {
            return new Size(width, height);
        }
        int side = Math.max(width, height);
        double s = Math.min(MAX_UPSCALE, (double) networkLongSide() / side);
        if (Math.abs(s - 1) <= SAME_SIZE_TOLERANCE) {
            return new Size(width, height);
        }
        return new Size(side(width, s), side(height, s));
    }

    private static int side(int own, double s) {
        int scaled = (int) Math.round(own * s);
        return Math.max(scaled, Math.min(own, MIN_SIDE));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StrokeScale other && (isNative() ? other.isNative() : factor == other.factor);
    }

    @Override
    public int hashCode() {
        return isNative() ? 0 : Double.hashCode(factor);
    }

    /** {@code native}, or the factor as a person writes it ({@code 1}, {@code 0.5}, {@code 2}). */
    @Override
    public String toString() {
        return isNative() ? "native" : fmt(factor);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : Double.toString(v);
    }
}
