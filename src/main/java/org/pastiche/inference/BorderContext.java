package org.pastiche.inference;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.pastiche.imaging.RgbaImage;

/**
 * A mirrored margin round a picture, and its removal: the engine runs a style whose catalog entry has
 * a {@code border_context} on the photo with that many px of mirror image on each side named by its
 * {@code border_sides} (all four when absent; the mirror leaves the edge pixel out, like NumPy's and
 * PyTorch's {@code reflect}), then crops the painting back to the photo's size. A student that paints a
 * line along the border of whatever it is given (La Muse's right-edge and bottom lines) then paints it in
 * the margin, which is cut away; the lab measures the same feeding ({@code evaluate --feed-context
 * --feed-sides}).
 */
public final class BorderContext {
    /** The widest context a catalog may ask for. */
    public static final int MAX = 32;

    /** A side of the picture, as the catalog's {@code border_sides} names it. */
    public enum Side {
        TOP, RIGHT, BOTTOM, LEFT;

        /** The side a catalog names ("top", "right", "bottom", "left"), or empty for anything else. */
        public static Optional<Side> parse(String name) {
            for (Side s : values()) {
                if (s.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    /** px of margin on each side. */
    public record Margin(int top, int right, int bottom, int left) {
        public static final Margin NONE = new Margin(0, 0, 0, 0);

        public Margin {
            if (top < 0 || right < 0 || bottom < 0 || left < 0) {
                throw new IllegalArgumentException("a margin is not negative");
            }
        }

        /** {@code px} on each of {@code sides}, none on the others. */
        public static Margin of(int px, Set<Side> sides) {
            return new Margin(sides.contains(Side.TOP) ? px : 0, sides.contains(Side.RIGHT) ? px : 0,
                    sides.contains(Side.BOTTOM) ? px : 0, sides.contains(Side.LEFT) ? px : 0);
        }

        /** {@code px} on every side. */
        public static Margin all(int px) {
            return of(px, EnumSet.allOf(Side.class));
        }

        public boolean isNone() {
            return top == 0 && right == 0 && bottom == 0 && left == 0;
        }

        /** The widest side. */
        public int px() {
            return Math.max(Math.max(top, right), Math.max(bottom, left));
        }

        /** This margin on a width x height picture: at most one px less than the side it mirrors. */
        public Margin fitted(int width, int height) {
            int cx = Math.max(0, width - 1);
            int cy = Math.max(0, height - 1);
            return new Margin(Math.min(top, cy), Math.min(right, cx), Math.min(bottom, cy), Math.min(left, cx));
        }
    }

    private BorderContext() {
    }

    /** {@code source} with {@code c} px of its mirror image on every side (fewer where a side is shorter than c + 1). */
    public static RgbaImage reflect(RgbaImage source, int c) {
        return reflect(source, Margin.all(c));
    }

    /** {@code source} with {@code margin} of its mirror image ({@link Margin#fitted} to it). */
    public static RgbaImage reflect(RgbaImage source, Margin margin) {
        int w = source.width();
        int h = source.height();
        Margin m = margin.fitted(w, h);
        int pw = w + m.left() + m.right();
        int ph = h + m.top() + m.bottom();
        int[] src = source.argb();
        int[] out = new int[Math.multiplyExact(pw, ph)];
        int[] col = new int[pw];
        for (int x = 0; x < pw; x++) {
            col[x] = mirror(x - m.left(), w);
        }
        for (int y = 0; y < ph; y++) {
            int row = mirror(y - m.top(), h) * w;
            int o = y * pw;
            for (int x = 0; x < pw; x++) {
                out[o + x] = src[row + col[x]];
            }
        }
        return new RgbaImage(pw, ph, out);
    }

    /** The inner {@code width} x {@code height} of {@code padded}, which {@link #reflect(RgbaImage, int)} made from such a picture. */
    public static RgbaImage crop(RgbaImage padded, int width, int height) {
        int cx = (padded.width() - width) / 2;
        int cy = (padded.height() - height) / 2;
        if (cx < 0 || cy < 0 || padded.width() != width + 2 * cx || padded.height() != height + 2 * cy) {
            throw new IllegalArgumentException("a " + padded.width() + "x" + padded.height()
                    + " picture is not a margin round " + width + "x" + height);
        }
        return crop(padded, new Margin(cy, cx, cy, cx), width, height);
    }

    /** The {@code width} x {@code height} picture inside {@code padded}, which {@link #reflect(RgbaImage, Margin)} made
     *  from such a picture with this margin. */
    public static RgbaImage crop(RgbaImage padded, Margin margin, int width, int height) {
        Margin m = margin.fitted(width, height);
        if (padded.width() != width + m.left() + m.right() || padded.height() != height + m.top() + m.bottom()) {
            throw new IllegalArgumentException("a " + padded.width() + "x" + padded.height()
                    + " picture is not the margin " + m + " round " + width + "x" + height);
        }
        int[] out = new int[Math.multiplyExact(width, height)];
        for (int y = 0; y < height; y++) {
            System.arraycopy(padded.argb(), (y + m.top()) * padded.width() + m.left(), out, y * width, width);
        }
        return new RgbaImage(width, height, out);
    }

    /** Index i of a row of n, mirrored at both ends without repeating the end pixel. */
    static int mirror(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int k = Math.floorMod(i, period);
        return k < n ? k : period - k;
    }
}
