package org.pastiche.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.prefs.Preferences;
import org.pastiche.inference.ModelRegistry;
import org.pastiche.inference.OnnxStylizer;
import org.pastiche.inference.SessionSettings;
import org.pastiche.inference.StrokeScale;
import org.pastiche.inference.StrokeStylizer;
import org.pastiche.inference.Stylizer;
import org.pastiche.ui.ImagingService;
import org.pastiche.ui.PreviewTimings;

/**
 * The services the window runs on, built before the window opens (off the FX thread).
 *
 * @param sample the shipped sample photo shown when no photo was given
 */
public record AppContext(Stylizer stylizer, ImagingService imaging, Preferences preferences,
                         Optional<Path> sample, PreviewTimings timings) {

    /** The installed app: bundled and user models, assets next to the app, the user's preferences. */
    public static AppContext fromSystem() {
        PreviewTimings timings = PreviewTimings.fromSystem();
        Stylizer stylizer = new StrokeStylizer(new OnnxStylizer(ModelRegistry.openDefault(SessionSettings.defaults())),
                StrokeScale.DEFAULT);
        return new AppContext(stylizer, new EngineImaging(), Preferences.userNodeForPackage(PasticheApp.class),
                AssetLocator.assetsDir().flatMap(AssetLocator::samplePhoto), timings);
    }

    /** Models from the given folders; for tests and measurements. */
    public static AppContext of(List<Path> modelDirs, Preferences preferences, Optional<Path> sample) {
        Stylizer stylizer = new StrokeStylizer(new OnnxStylizer(new ModelRegistry(modelDirs, SessionSettings.defaults())),
                StrokeScale.DEFAULT);
        return new AppContext(stylizer, new EngineImaging(), preferences, sample, PreviewTimings.fromSystem());
    }
}
