package org.pastiche.ui;

import java.util.List;
import org.pastiche.core.CancellationToken;
import org.pastiche.core.PasticheException;
import org.pastiche.core.ProgressListener;
import org.pastiche.imaging.RgbaImage;
import org.pastiche.inference.StyleModel;
import org.pastiche.inference.StyleOptions;
import org.pastiche.inference.Stylizer;

/** Test helper: a stylizer that forwards to another, for tests that override one method. */
class DelegatingStylizer implements Stylizer {
    private final Stylizer inner;

    DelegatingStylizer(Stylizer inner) {
        this.inner = inner;
    }

    @Override
    public List<StyleModel> styles() {
        return inner.styles();
    }

    @Override
    public RgbaImage stylize(RgbaImage source, String styleId, ProgressListener progress, CancellationToken cancel)
            throws PasticheException {
        return inner.stylize(source, styleId, progress, cancel);
    }

    @Override
    public RgbaImage finish(RgbaImage original, RgbaImage stylized, StyleOptions options) {
        return inner.finish(original, stylized, options);
    }

    @Override
    public void warmUp(String styleId) throws PasticheException {
        inner.warmUp(styleId);
    }

    @Override
    public void close() {
        inner.close();
    }
}
