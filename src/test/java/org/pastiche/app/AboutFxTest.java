package org.pastiche.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** The About dialog opens from the toolbar and credits every style of the catalog (F1 lists the shortcuts). */
class AboutFxTest {
    private static final long TIMEOUT_S = 120;

    @TempDir
    static Path models;
    @TempDir
    static Path photos;
    private static List<String> styleIds;

    private final FxRobot robot = new FxRobot();
    private Preferences prefs;
    private PasticheApp app;

    @BeforeAll
    static void models() throws Exception {
        styleIds = TestModels.write(models, 3);
    }

    @BeforeEach
    void open() throws Exception {
        prefs = Preferences.userRoot().node("pastiche-fxtest-" + UUID.randomUUID());
        prefs.put("language", "en");
        FxToolkit.registerPrimaryStage();
        app = (PasticheApp) FxToolkit.setupApplication(
                () -> new PasticheApp(() -> AppContext.of(List.of(models), prefs, Optional.empty())));
    }

    @AfterEach
    void close() throws Exception {
        FxToolkit.cleanupApplication(app);
        FxToolkit.cleanupStages();
        prefs.removeNode();
    }

    private static <T> T fx(Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    private void waitForDialog() throws Exception {
        WaitForAsyncUtils.waitFor(TIMEOUT_S, TimeUnit.SECONDS,
                () -> fx(() -> robot.lookup("#about-dialog").tryQuery().isPresent()));
    }

    @Test
    void theToolbarButtonOpensTheDialogWithTheVersionAndEveryStylesCredits() throws Exception {
        robot.clickOn("#about-button");
        waitForDialog();
        String version = fx(() -> robot.lookup("#about-version").queryAs(Label.class).getText());
        assertTrue(version.startsWith("Pastiche "), version);
        VBox styles = robot.lookup("#about-styles").queryAs(VBox.class);
        List<String> ids = fx(() -> styles.getChildren().stream().map(Node::getId).toList());
        List<String> catalog = fx(() -> app.viewModel().styles().stream().map(s -> "about-style-" + s.id()).toList());
        assertTrue(catalog.containsAll(styleIds.stream().map(id -> "about-style-" + id).toList()), catalog.toString());
        assertEquals(catalog, ids);
        String privacy = fx(() -> robot.lookup("#about-privacy").queryAs(Label.class).getText());
        assertTrue(privacy.contains("telemetry"), privacy);
        robot.clickOn("#about-close");
        WaitForAsyncUtils.waitFor(TIMEOUT_S, TimeUnit.SECONDS,
                () -> fx(() -> robot.lookup("#about-dialog").tryQuery().isEmpty()));
    }
}
