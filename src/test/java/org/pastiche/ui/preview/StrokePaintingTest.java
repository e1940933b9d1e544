package org.pastiche.ui.preview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StrokeScale;
import org.pastiche.inference.StrokeStylizer;
import org.pastiche.inference.StyleOptions;
import org.pastiche.ui.FakeImaging;
import org.pastiche.ui.FakeStylizer;
import org.pastiche.ui.QueuedTaskRunner;
import org.pastiche.ui.photo.PhotoSession;

/** Issue 16: the preview paints at the stroke size, so that it looks like the export scaled down. */
class StrokePaintingTest {
    /** A 3000 x 2000 photo with its 1024 px preview and 256 px quick copy; the original decoded or not. */
    private static PhotoSession photo(boolean decoded) {
        return new PhotoSession(Optional.of(Path.of("big.jpg")), "big.jpg", FakeImaging.photo(1024, 683, 1),
                FakeImaging.photo(256, 171, 1), decoded ? FakeImaging.photo(3000, 2000, 1) : null);
    }

    private static String size(StrokeScale scale, boolean quick, boolean decoded) {
        PhotoSession p = photo(decoded);
        StrokeScale.Size s = StrokePainting.previewNetworkSize(scale, quick ? p.quick() : p.preview(), p);
        return s.width() + "x" + s.height();
    }

    @Test
    void atTheDefaultStrokeSizeA1024PxPreviewPaintsAsBefore() {
        assertEquals("1024x683", size(StrokeScale.DEFAULT, false, true));
        assertEquals("256x171", size(StrokeScale.DEFAULT, true, true));
        assertEquals("1024x683", size(null, false, true), "no stroke scale: the preview's own size");
    }

    @Test
    void theSharpPreviewGetsTheNetworkSizeOfTheWholePhoto() {
        assertEquals("512x342", size(StrokeScale.of(2), false, true), "S = 2: 1024 / 2");
        assertEquals("2048x1366", size(StrokeScale.of(0.5), false, true), "S = 0.5: 1024 / 0.5");
        assertEquals("4096x2732", size(StrokeScale.of(0.25), false, true), "at most 4x the preview");
        assertEquals("3000x2001", size(StrokeScale.NATIVE, false, true), "native: the photo's own long side");
        assertEquals("1024x683", size(StrokeScale.NATIVE, false, false), "native, original not yet decoded: as is");
    }

    @Test
    void theQuickCopyKeepsItsRatioToTheSharpPreviewAtMostTwiceItsSize() {
        assertEquals("128x86", size(StrokeScale.of(2), true, true));
        assertEquals("512x342", size(StrokeScale.of(0.5), true, true));
        assertEquals("512x342", size(StrokeScale.NATIVE, true, true));
    }

    @Test
    void thePipelinePaintsAtTheStrokeSizeAndBringsItToThePreviewsSize() {
        FakeStylizer network = new FakeStylizer("a");
        QueuedTaskRunner runner = QueuedTaskRunner.direct();
        StrokeScale[] scale = {StrokeScale.of(2)};
        PreviewPipeline pipeline = new PreviewPipeline(new StrokeStylizer(network, StrokeScale.DEFAULT), runner,
                () -> StyleOptions.DEFAULT, () -> scale[0]);
        List<Rendered> painted = new ArrayList<>();
        pipeline.onPainting(painted::add);
        PhotoSession opened = photo(false);
        pipeline.setPhoto(opened);
        pipeline.render("a");

        assertEquals(List.of("128x86", "512x342"), network.calls.stream().map(c -> c.width() + "x" + c.height()).toList());
        RgbaImage sharp = pipeline.sharp().orElseThrow().finished();
        assertEquals(1024, sharp.width(), "brought back to the preview's size");
        assertEquals(683, sharp.height());

        scale[0] = StrokeScale.NATIVE;
        pipeline.forgetPaintings();
        pipeline.render("a");
        assertEquals("1024x683", network.calls.get(network.calls.size() - 1).width() + "x"
                + network.calls.get(network.calls.size() - 1).height(), "native before the original is known: as is");
        assertTrue(pipeline.setPhoto(opened.withOriginal(FakeImaging.photo(3000, 2000, 1))),
                "native: the decoded original changes the network's size, so the preview must paint again");
        assertFalse(pipeline.setPhoto(opened.withOriginal(FakeImaging.photo(3000, 2000, 1))),
                "the same again: nothing to paint");
    }
}
