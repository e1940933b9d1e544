package org.pastiche.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.CancelledException;
import org.pastiche.core.ProgressListener;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.imaging.SyntheticImage;

class StrokeStylizerTest {
    /** Inverts the colours and records the sizes it was given; reports two units of progress. */
    static final class Inverter implements Stylizer {
        final List<String> sizes = new ArrayList<>();
        boolean closed;

        @Override
        public List<StyleModel> styles() {
            return List.of();
        }

        @Override
        public RgbaImage stylize(RgbaImage source, String styleId, ProgressListener progress,
                CancellationToken cancel) {
            cancel.throwIfCancelled();
            sizes.add(source.width() + "x" + source.height());
            progress.progress(1, 2);
            int[] px = source.argb().clone();
            for (int i = 0; i < px.length; i++) {
                px[i] = 0xFF000000 | (~px[i] & 0xFFFFFF);
            }
            progress.progress(2, 2);
            return new RgbaImage(source.width(), source.height(), px);
        }

        @Override
        public RgbaImage finish(RgbaImage original, RgbaImage stylized, StyleOptions options) {
            return stylized;
        }

        @Override
        public void warmUp(String styleId) { }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void theNetworkSeesThePictureAtTheScalesResolution() throws Exception {
        Inverter net = new Inverter();
        StrokeStylizer strokes = new StrokeStylizer(net, StrokeScale.DEFAULT);
        RgbaImage photo = SyntheticImage.photoLike(2048, 1536, 1);
        List<long[]> reports = new ArrayList<>();
        RgbaImage out = strokes.stylize(photo, "x", (d, t) -> reports.add(new long[] {d, t}),
                CancellationToken.none());
        assertEquals(2048, out.width());
        assertEquals(1536, out.height());
        assertEquals(List.of("1024x768"), net.sizes);
        long[] last = reports.get(reports.size() - 1);
        assertEquals(last[1], last[0], "progress ends complete");
        assertEquals(3, last[1], "the network's units and one for the upsampling");

        strokes.stylize(photo, "x", StrokeScale.of(2), ProgressListener.NONE, CancellationToken.none());
        strokes.stylize(photo, "x", StrokeScale.NATIVE, ProgressListener.NONE, CancellationToken.none());
        assertEquals(List.of("1024x768", "512x384", "2048x1536"), net.sizes);
        // Upsampled from the inverted 1024-px copy: close to the inverted photo, not to the photo.
        assertTrue(meanAbs(out, net.stylize(photo, "x", ProgressListener.NONE, CancellationToken.none())) < 12);
    }

    @Test
    void aPreviewIsPaintedAtTheSameResolutionAsTheExport() throws Exception {
        Inverter net = new Inverter();
        StrokeStylizer strokes = new StrokeStylizer(net, StrokeScale.of(0.5));
        RgbaImage preview = SyntheticImage.photoLike(512, 384, 2);
        int[] px = preview.argb().clone();
        px[0] = 0x00123456; // transparent corner
        preview = new RgbaImage(512, 384, px);
        RgbaImage out = strokes.stylize(preview, "x", ProgressListener.NONE, CancellationToken.none());
        assertEquals(List.of("2048x1536"), net.sizes, "S = 0.5: 2048 px (4x, the most a small image is scaled up)");
        assertEquals(512, out.width());
        assertEquals(0, out.argb()[0] >>> 24, "alpha from the source");
        assertEquals(0xFF, out.argb()[1] >>> 24);
    }

    @Test
    void anImageAtTheNetworksSizeGoesStraightThrough() throws Exception {
        Inverter net = new Inverter();
        StrokeStylizer strokes = new StrokeStylizer(net, StrokeScale.DEFAULT);
        RgbaImage preview = SyntheticImage.photoLike(1024, 683, 3);
        RgbaImage out = strokes.stylize(preview, "x", ProgressListener.NONE, CancellationToken.none());
        assertEquals(List.of("1024x683"), net.sizes);
        assertEquals(0, meanAbs(out, net.stylize(preview, "x", ProgressListener.NONE, CancellationToken.none())));
        assertSame(StrokeScale.DEFAULT, strokes.scale());
        strokes.close();
        assertTrue(net.closed, "close() closes the wrapped stylizer");
    }

    @Test
    void cancellationStopsIt() {
        StrokeStylizer strokes = new StrokeStylizer(new Inverter(), StrokeScale.DEFAULT);
        CancellationToken cancel = new CancellationToken();
        cancel.cancel();
        assertThrows(CancelledException.class, () -> strokes.stylize(SyntheticImage.photoLike(2000, 1000, 1), "x",
                ProgressListener.NONE, cancel));
    }

    private static double meanAbs(RgbaImage a, RgbaImage b) {
        double sum = 0;
        for (int i = 0; i < a.argb().length; i++) {
            int p = a.argb()[i];
            int q = b.argb()[i];
            for (int s = 0; s <= 16; s += 8) {
                sum += Math.abs(((p >>> s) & 0xFF) - ((q >>> s) & 0xFF));
            }
        }
        return sum / (3.0 * a.argb().length);
    }
}
