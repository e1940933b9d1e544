package org.pastiche.ui.photo;

/**
 * How large the preview is for a view: its long side follows the compare area's, at most {@value
 * #MAX_LONG_SIDE} px; before the window is laid out, the largest. A view that grows well past the
 * preview (by {@value #GROWTH}x) gets a larger one; a smaller view keeps the larger preview.
 */
public final class PreviewSize {
    public static final int MAX_LONG_SIDE = 1024;
    static final double GROWTH = 1.15;

    private PreviewSize() { }

    /** The preview's long side for a view whose long side is {@code viewport} pixels. */
    public static int forViewport(int viewport) {
        // Before the window is laid out the viewport is unknown: use the largest preview then.
        return viewport < PhotoLoader.QUICK_LONG_SIDE ? MAX_LONG_SIDE : Math.min(MAX_LONG_SIDE, viewport);
    }

    /** True if {@code session}'s preview should be painted again, larger, for a view of {@code viewport}. */
    public static boolean needsLarger(PhotoSession session, int viewport) {
        if (session == null || !session.hasOriginal()) {
            return false;
        }
        int side = forViewport(viewport);
        int current = Math.max(session.preview().width(), session.preview().height());
        int photo = Math.max(session.original().width(), session.original().height());
        return side > current * GROWTH && current < photo;
    }
}
