package org.pastiche.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.prefs.Preferences;
import org.pastiche.inference.ModelLocations;
import org.pastiche.inference.ModelRegistry;
import org.pastiche.inference.OnnxStylizer;
import org.pastiche.inference.SessionSettings;
import org.pastiche.inference.StrokeScale;
import org.pastiche.inference.StrokeStylizer;
import org.pastiche.inference.Stylizer;
import org.pastiche.ui.ImagingService;
import org.pastiche.ui.PreviewTimings;
import org.pastiche.ui.painting.PaintingEngine;

/**
 * The services the window runs on, built before the window opens (off the FX thread).
 *
 * @param sample    the shipped sample photo shown when no photo was given
 * @param paintings any painting as a style ("Your painting"), saved to the user's models folder
 */
public record AppContext(Stylizer stylizer, ImagingService imaging, Preferences preferences,
                         Optional<Path> sample, PreviewTimings timings, PaintingEngine paintings) {

    /** The installed app: bundled and user models, assets next to the app, the user's preferences. */
    public static AppContext fromSystem() {
        PreviewTimings timings = PreviewTimings.fromSystem();
        ModelRegistry registry = ModelRegistry.openDefault(SessionSettings.defaults());
        Stylizer stylizer = new StrokeStylizer(new OnnxStylizer(registry), StrokeScale.DEFAULT);
        return new AppContext(stylizer, new EngineImaging(), Preferences.userNodeForPackage(PasticheApp.class),
                AssetLocator.assetsDir().flatMap(AssetLocator::samplePhoto), timings,
                new EnginePaintings(registry.paintings(), ModelLocations.user()));
    }

    /** Models from the given folders; for tests and measurements. Saved paintings go to the last folder. */
    public static AppContext of(List<Path> modelDirs, Preferences preferences, Optional<Path> sample) {
        ModelRegistry registry = new ModelRegistry(modelDirs, SessionSettings.defaults());
        Stylizer stylizer = new StrokeStylizer(new OnnxStylizer(registry), StrokeScale.DEFAULT);
        Path userDir = modelDirs.isEmpty() ? ModelLocations.user() : modelDirs.get(modelDirs.size() - 1);
        return new AppContext(stylizer, new EngineImaging(), preferences, sample, PreviewTimings.fromSystem(),
                new EnginePaintings(registry.paintings(), userDir));
    }
}
