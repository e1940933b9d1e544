package org.pastiche.inference;

import java.util.List;
import java.util.Objects;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.PasticheException;
import org.pastiche.core.ProgressListener;
import org.pastiche.imaging.GuidedUpsampler;
import org.pastiche.imaging.Resize;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StrokeScale.Size;

/**
 * A {@link Stylizer} that paints every image with strokes of the same size relative to the
 * picture ({@link StrokeScale}): the source is resized to {@link StrokeScale#networkSize}, the
 * wrapped stylizer paints that (tiling it if it is large, as it would any image), and the result
 * is brought back to the source's size: up by the {@link GuidedUpsampler}, guided by the source
 * (sharp where the photo is sharp, painted like the smaller picture elsewhere), or down by the
 * area filter when the network worked larger than the source (a small preview at S &lt; 1).
 * Alpha always comes from the source.
 *
 * <p>Preview, 100 % view and export all go through the same call, so they show the same
 * picture at any resolution. A decorator: {@link #styles}, {@link #finish} and {@link #warmUp} are
 * the wrapped stylizer's, and {@link #close} closes it.
 *
 * <pre>{@code
 * StrokeStylizer stylizer = new StrokeStylizer(new OnnxStylizer(registry), StrokeScale.DEFAULT);
 * RgbaImage raw = stylizer.stylize(photo, "candy", progress, cancel);                     // S = 1
 * RgbaImage big = stylizer.stylize(photo, "candy", StrokeScale.of(2), progress, cancel);  // per call
 * }</pre>
 */
public final class StrokeStylizer implements Stylizer {
    private final Stylizer delegate;
    private final StrokeScale scale;
    private final GuidedUpsampler upsampler;

    public StrokeStylizer(Stylizer delegate, StrokeScale scale) {
        this(delegate, scale, GuidedUpsampler.DEFAULT);
    }

    public StrokeStylizer(Stylizer delegate, StrokeScale scale, GuidedUpsampler upsampler) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.scale = Objects.requireNonNull(scale, "scale");
        this.upsampler = Objects.requireNonNull(upsampler, "upsampler");
    }

    /** The wrapped stylizer (the network at whatever resolution it is given). */
    public Stylizer delegate() {
        return delegate;
    }

    /**
     * The network at whatever resolution it is given: {@code s}'s delegate if it is a stroke stylizer,
     * else {@code s}. For work at a size of its own (a quick preview, a gallery tile) that is not a
     * picture of the photo at the stroke scale.
     */
    public static Stylizer unwrap(Stylizer s) {
        return s instanceof StrokeStylizer strokes ? strokes.delegate : s;
    }

    /** The scale {@link #stylize(RgbaImage, String, ProgressListener, CancellationToken)} uses. */
    public StrokeScale scale() {
        return scale;
    }

    @Override
    public List<StyleModel> styles() {
        return delegate.styles();
    }

    /** Paints {@code source} at this stylizer's {@link #scale()}. */
    @Override
    public RgbaImage stylize(RgbaImage source, String styleId, ProgressListener progress, CancellationToken cancel)
            throws PasticheException {
        return stylize(source, styleId, scale, progress, cancel);
    }

    /**
     * Paints {@code source} with strokes of {@code strokeScale}: the raw result at the source's
     * size (strength and keep-colours are {@link #finish}'s, as for any stylizer).
     */
    public RgbaImage stylize(RgbaImage source, String styleId, StrokeScale strokeScale, ProgressListener progress,
            CancellationToken cancel) throws PasticheException {
        return stylizeAt(source, styleId, strokeScale.networkSize(source.width(), source.height()), progress, cancel);
    }

    /**
     * Paints {@code source} with the network at {@code size} and brings the result to the source's size, the same
     * way as at a stroke scale (a preview that must look like the export scaled down picks the size itself).
     */
    public RgbaImage stylizeAt(RgbaImage source, String styleId, Size size, ProgressListener progress,
            CancellationToken cancel) throws PasticheException {
        if (size.width() == source.width() && size.height() == source.height()) {
            return delegate.stylize(source, styleId, progress, cancel);
        }
        cancel.throwIfCancelled();
        RgbaImage small = Resize.resize(source, size.width(), size.height());
        // One more unit after the network's for bringing the result to size.
        long[] last = {1};
        ProgressListener network = (done, total) -> {
            last[0] = total + 1;
            progress.progress(done, total + 1);
        };
        RgbaImage painted = delegate.stylize(small, styleId, network, cancel);
        RgbaImage out;
        if (size.width() >= source.width() && size.height() >= source.height()) {
            out = withAlpha(Resize.resize(painted, source.width(), source.height()), source);
        } else {
            out = upsampler.upsample(painted, small, source, cancel);
        }
        progress.progress(last[0], last[0]);
        return out;
    }

    /** The area filter averages alpha too; the source's is the truth. */
    private static RgbaImage withAlpha(RgbaImage image, RgbaImage source) {
        int[] px = image.argb();
        int[] src = source.argb();
        for (int i = 0; i < px.length; i++) {
            px[i] = (src[i] & 0xFF000000) | (px[i] & 0x00FFFFFF);
        }
        return image;
    }

    @Override
    public RgbaImage finish(RgbaImage original, RgbaImage stylized, StyleOptions options) {
        return delegate.finish(original, stylized, options);
    }

    @Override
    public void warmUp(String styleId) throws PasticheException {
        delegate.warmUp(styleId);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
