package org.pastiche.ui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.PasticheException;
import org.pastiche.core.ProgressListener;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StyleModel;
import org.pastiche.inference.StyleOptions;
import org.pastiche.inference.Stylizer;

/** Test double: each style XORs the colours with its own mask; records calls and cancellations. */
public final class FakeStylizer implements Stylizer {
    public record Call(String styleId, int width, int height, CancellationToken cancel) { }

    private final List<StyleModel> styles;
    public final List<Call> calls = new ArrayList<>();
    public int finishCalls;
    public boolean closed;
    /** Runs inside {@link #stylize} before it returns: lets a test act "while the network runs". */
    public Consumer<Call> duringStylize = call -> { };
    public String failingStyle;

    public FakeStylizer(String... ids) {
        List<StyleModel> list = new ArrayList<>();
        for (String id : ids) {
            list.add(style(id, true));
        }
        list.add(style("broken", false));
        styles = List.copyOf(list);
    }

    public static StyleModel style(String id, boolean available) {
        return new StyleModel(id, Map.of("en", "Style " + id, "zh", "风格 " + id),
                Map.of("en", "About " + id, "zh", "关于 " + id), Path.of(id + ".onnx"), Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of("en", "CC BY-NC 4.0"),
                Map.of("en", "by someone"), 1000, 1e9, 4, Map.of(),
                available, available ? Optional.empty() : Optional.of("model file missing"));
    }

    public static int mask(String styleId) {
        return (styleId.hashCode() | 0x010101) & 0x00FFFFFF;
    }

    public static RgbaImage expected(RgbaImage source, String styleId) {
        int[] out = source.argb().clone();
        int m = mask(styleId);
        for (int i = 0; i < out.length; i++) {
            out[i] ^= m;
        }
        return new RgbaImage(source.width(), source.height(), out);
    }

    @Override
    public List<StyleModel> styles() {
        return styles;
    }

    @Override
    public RgbaImage stylize(RgbaImage source, String styleId, ProgressListener progress, CancellationToken cancel)
            throws PasticheException {
        Call call = new Call(styleId, source.width(), source.height(), cancel);
        calls.add(call);
        if (styleId.equals(failingStyle)) {
            throw new PasticheException("model " + styleId + " failed");
        }
        cancel.throwIfCancelled();
        progress.progress(1, 2);
        duringStylize.accept(call);
        progress.progress(2, 2);
        return expected(source, styleId);
    }

    @Override
    public RgbaImage finish(RgbaImage original, RgbaImage stylized, StyleOptions options) {
        finishCalls++;
        int[] out = new int[stylized.argb().length];
        double s = options.strength();
        for (int i = 0; i < out.length; i++) {
            int a = original.argb()[i];
            int b = stylized.argb()[i];
            int px = 0xFF000000;
            for (int shift = 0; shift < 24; shift += 8) {
                int ca = (a >> shift) & 0xFF;
                int cb = (b >> shift) & 0xFF;
                px |= ((int) Math.round(ca + (cb - ca) * s) & 0xFF) << shift;
            }
            out[i] = options.keepColors() ? (px & 0xFFFF00FF) | (a & 0x0000FF00) : px;
        }
        return new RgbaImage(stylized.width(), stylized.height(), out);
    }

    @Override
    public void warmUp(String styleId) { }

    @Override
    public void close() {
        closed = true;
    }
}
