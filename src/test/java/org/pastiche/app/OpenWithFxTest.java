package org.pastiche.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** The installer's "Open with": the app as launched, with a photo on the command line. */
class OpenWithFxTest {
    @TempDir
    Path dir;
    private PasticheApp app;

    @AfterEach
    void close() throws Exception {
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
    }

    @Test
    void aPhotoOnTheCommandLineOpens() throws Exception {
        Path photo = TestModels.photo(dir.resolve("holiday.png"), 160, 120);
        FxToolkit.registerPrimaryStage();
        app = (PasticheApp) FxToolkit.setupApplication(PasticheApp.class, photo.toString());
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                () -> app.viewModel().photoProperty().get() != null
                        && "holiday.png".equals(app.viewModel().photoProperty().get().name())
                        && app.viewModel().beforeImageProperty().get() != null).get());
        assertEquals(160, WaitForAsyncUtils.asyncFx(() -> app.viewModel().beforeImageProperty().get().width()).get());
    }
}
