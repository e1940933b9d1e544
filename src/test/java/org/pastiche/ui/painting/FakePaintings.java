package org.pastiche.ui.painting;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.PasticheException;
import org.pastiche.core.ProgressListener;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.PaintingStyles;
import org.pastiche.inference.StyleCode;
import org.pastiche.inference.StyleModel;
import org.pastiche.inference.StyleOptions;
import org.pastiche.inference.Stylizer;
import org.pastiche.ui.FakeStylizer;

/**
 * Test double of the arbitrary-style engine, with the stylizer that paints its styles: a painting's
 * code is {mean colour, width, height}; a painting style XORs the photo with a mask made from its
 * code's first value, so a test can tell which code painted a preview. Other styles go to {@link FakeStylizer}.
 */
final class FakePaintings implements PaintingEngine {
    static final String NET = "fake-net";

    final Map<String, StyleCode> registered = new LinkedHashMap<>();
    final List<StyleCode> saved = new ArrayList<>();
    final List<CancellationToken> encodes = new ArrayList<>();
    String checkFailure;
    int checks;
    PasticheException saveFailure;
    final FakeStylizer built;

    FakePaintings(FakeStylizer built) {
        this.built = built;
    }

    static StyleCode codeOf(RgbaImage painting) {
        long sum = 0;
        for (int px : painting.argb()) {
            sum += px & 0xFFFFFF;
        }
        return new StyleCode(NET, new float[] {sum / painting.argb().length, painting.width(), painting.height()});
    }

    static int mask(StyleCode code) {
        return (Math.round(code.values()[0]) | 0x010101) & 0xFFFFFF;
    }

    static RgbaImage paint(RgbaImage source, StyleCode code) {
        int[] out = source.argb().clone();
        for (int i = 0; i < out.length; i++) {
            out[i] ^= mask(code);
        }
        return new RgbaImage(source.width(), source.height(), out);
    }

    @Override
    public Optional<PaintingStyles.Network> network() {
        return Optional.of(new PaintingStyles.Network(NET, Map.of("en", "Your painting", "zh", "你的画作"), Map.of(),
                Path.of("net.onnx"), Optional.empty(), Path.of("net.style.onnx"), Optional.empty(), "MIT (test)",
                "by Wang et al. (test)", 1, 1, 4, 512, Map.of(), Optional.empty(), Map.of("zh", "MIT（测试）"), Map.of()));
    }

    @Override
    public void check() throws PasticheException {
        checks++;
        if (checkFailure != null) {
            throw new PasticheException(PasticheException.Reason.MODEL_UNAVAILABLE, checkFailure, NET);
        }
    }

    @Override
    public StyleCode encode(RgbaImage painting, CancellationToken cancel) throws PasticheException {
        encodes.add(cancel);
        cancel.throwIfCancelled();
        return codeOf(painting);
    }

    @Override
    public StyleModel use(StyleCode code, String id, Map<String, String> names) {
        registered.put(id, code);
        return styleNamed(id, names);
    }

    private static StyleModel styleNamed(String id, Map<String, String> names) {
        StyleModel s = FakeStylizer.style(id, true);
        return new StyleModel(id, Map.copyOf(names), s.descriptions(), s.file(), s.tileFile(), s.thumbnail(), s.teacher(),
                Map.of("en", "MIT"), Map.of("en", "MicroAST"), 1, 1, 4, Map.of(), true, Optional.empty());
    }

    @Override
    public StyleModel save(StyleCode code, Map<String, String> names, RgbaImage painting) throws PasticheException {
        if (saveFailure != null) {
            throw saveFailure;
        }
        saved.add(code);
        String id = "saved-" + saved.size();
        registered.put(id, code);
        return styleNamed(id, names);
    }

    /** The stylizer of the window: painting styles by their code, the rest as {@link FakeStylizer} does. */
    Stylizer stylizer() {
        return new Stylizer() {
            @Override
            public List<StyleModel> styles() {
                return built.styles();
            }

            @Override
            public RgbaImage stylize(RgbaImage source, String styleId, ProgressListener progress, CancellationToken cancel)
                    throws PasticheException {
                StyleCode code = registered.get(styleId);
                return code != null ? paint(source, code) : built.stylize(source, styleId, progress, cancel);
            }

            @Override
            public RgbaImage finish(RgbaImage original, RgbaImage stylized, StyleOptions options) {
                return built.finish(original, stylized, options);
            }

            @Override
            public void warmUp(String styleId) { }

            @Override
            public void close() { }
        };
    }
}
