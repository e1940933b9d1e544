package org.pastiche.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.pastiche.ui.MainViewModel;
import org.pastiche.ui.preview.PreviewQuality;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The TestFX setup of the window tests ({@link PasticheAppFxTest}, {@link MainWindowFxTest},
 * {@link PaintingTileFxTest}): three
 * tiny styles from the model lab's network and a 320 x 240 sample photo per test class; per test
 * fresh preferences (English), the real {@link PasticheApp} on the primary stage, opened until the
 * sample shows its sharp preview; then closed and its preferences removed.
 */
abstract class FxAppSetup {
    static final long TIMEOUT_S = 120;

    @TempDir
    static Path models;
    @TempDir
    static Path photos;
    static List<String> styleIds;
    static Path sample;

    final FxRobot robot = new FxRobot();
    Preferences prefs;
    PasticheApp app;
    MainViewModel vm;
    Stage stage;

    @BeforeAll
    static void writeModelsAndSample() throws Exception {
        styleIds = TestModels.write(models, 3);
        sample = TestModels.photo(photos.resolve("sample.png"), 320, 240);
    }

    /** The model folders the app reads: the three tiny styles by default. */
    List<Path> modelFolders() {
        return List.of(models);
    }

    /** Preferences a test class starts with, besides the English language (none by default). */
    void preferences(Preferences p) {
    }

    @BeforeEach
    void open() throws Exception {
        prefs = Preferences.userRoot().node("pastiche-fxtest-" + UUID.randomUUID());
        prefs.put("language", "en");
        preferences(prefs);
        stage = FxToolkit.registerPrimaryStage();
        app = (PasticheApp) FxToolkit.setupApplication(
                () -> new PasticheApp(() -> AppContext.of(modelFolders(), prefs, Optional.of(sample))));
        vm = app.viewModel();
        waitUntil(() -> vm.shownProperty().get() != null && vm.shownProperty().get().quality() == PreviewQuality.SHARP);
    }

    @AfterEach
    void close() throws Exception {
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        prefs.removeNode();
    }

    static <T> T fx(Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    static void waitUntil(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(TIMEOUT_S, TimeUnit.SECONDS, () -> fx(condition));
    }
}
