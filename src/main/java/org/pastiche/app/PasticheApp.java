package org.pastiche.app;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import javafx.application.Application;
import javafx.beans.binding.Bindings;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.pastiche.core.PasticheException.Reason;
import org.pastiche.ui.AppSettings;
import org.pastiche.ui.ErrorReasons;
import org.pastiche.ui.FxTaskRunner;
import org.pastiche.ui.I18n;
import org.pastiche.ui.MainView;
import org.pastiche.ui.MainViewModel;
import org.pastiche.ui.Notice;
import org.pastiche.ui.gallery.StyleGrid;
import org.pastiche.ui.painting.PaintingStyleViewModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desktop application and its composition root: every service is built and wired here by hand.
 * {@link #init()} builds the engine off the FX thread; {@link #start} builds the view model and the
 * window on the FX thread and opens the photo from the command line, or the shipped sample.
 */
public class PasticheApp extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(PasticheApp.class);
    private static final String STYLESHEET = "/org/pastiche/ui/pastiche.css";

    private final Supplier<AppContext> contextFactory;
    private AppContext context;
    private AppSettings settings;
    private FxTaskRunner runner;
    private I18n i18n;
    private MainViewModel viewModel;
    private PaintingStyleViewModel painting;
    private MainView view;
    private Stage stage;

    public PasticheApp() {
        this(AppContext::fromSystem);
    }

    public PasticheApp(Supplier<AppContext> contextFactory) {
        this.contextFactory = contextFactory;
    }

    /**
     * Runs on the launcher thread while the toolkit is up: builds the services (ONNX Runtime's start
     * and the model catalog), nothing that the FX thread touches.
     */
    @Override
    public void init() {
        context = contextFactory.get();
        settings = new AppSettings(context.preferences());
    }

    /**
     * On the FX thread: builds the view model and starts opening the photo first, so that the session
     * and the decode run in the background while the window is built; then the window.
     */
    @Override
    public void start(Stage primaryStage) {
        stage = primaryStage;
        runner = new FxTaskRunner();
        i18n = new I18n(settings.language().orElse(Locale.getDefault()));
        viewModel = new MainViewModel(context.stylizer(), context.imaging(), runner, settings, i18n);
        context.timings().observe(viewModel.selectedStyleProperty(), viewModel.photoProperty(),
                viewModel.shownProperty(), viewModel.fullResolutionPendingProperty());
        if (Boolean.getBoolean("pastiche.benchmark")) {
            new TimingBenchmark(viewModel, runner, context.timings()).start();
        }
        Optional<Path> commandLinePhoto = getParameters() == null ? Optional.empty()
                : getParameters().getUnnamed().stream().filter(a -> !a.startsWith("-")).map(Path::of).findFirst();
        // A photo from the command line ("Open with") wins; a broken one gets its notification.
        viewModel.start(commandLinePhoto.filter(Files::exists).or(context::sample));
        painting = new PaintingStyleViewModel(context.paintings(), context.imaging(), runner, i18n, viewModel);
        painting.start(); // the network is checked once the first sharp preview is on show
        String missing = i18n.get(ErrorReasons.key(Reason.FILE_NOT_FOUND));
        commandLinePhoto.filter(p -> !Files.exists(p)).ifPresent(p -> viewModel.notify(Notice.error(
                i18n.get("error.open", String.valueOf(p.getFileName()), missing))));

        view = new MainView(viewModel, painting, i18n,
                StyleGrid.of(context.stylizer(), context.imaging(), runner, viewModel));
        applyTheme(viewModel.darkThemeProperty().get());
        viewModel.darkThemeProperty().addListener((obs, old, dark) -> applyTheme(dark));

        double[] size = WindowSize.fit(settings.windowSize(), Screen.getPrimary().getVisualBounds());
        Scene scene = new Scene(view.root(), size[0], size[1]);
        scene.getStylesheets().add(PasticheApp.class.getResource(STYLESHEET).toExternalForm());
        view.install(scene);
        view.setRevealer(this::showInFolder);
        stage.setScene(scene);
        // The photo's name first, as a window list shows it.
        stage.titleProperty().bind(Bindings.createStringBinding(() -> viewModel.photoProperty().get() == null
                ? i18n.get("app.title") : viewModel.photoProperty().get().name() + " — " + i18n.get("app.title"),
                viewModel.photoProperty(), i18n.localeProperty()));
        stage.setMinWidth(WindowSize.MIN_WIDTH);
        stage.setMinHeight(WindowSize.MIN_HEIGHT);
        // Set explicitly too: some window managers ignore the scene's size and start at the minimum.
        stage.setWidth(size[0]);
        stage.setHeight(size[1]);
        stage.setOnCloseRequest(e -> {
            if (view.exportRunning() && !confirmQuitDuringExport()) {
                e.consume(); // keep exporting
            } else {
                view.cancelExport();
            }
        });
        stage.show();
        // SIGTERM skips stop(): the running inference is still stopped before the JVM goes.
        Runtime.getRuntime().addShutdownHook(new Thread(runner::close, "stop-inference"));
        if (Boolean.getBoolean("pastiche.timing")) {
            LOG.info("timing: window shown {} ms after launch", System.currentTimeMillis()
                    - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
        }
    }

    private boolean confirmQuitDuringExport() {
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION);
        alert.initOwner(stage);
        alert.getDialogPane().setId("quit-during-export");
        alert.setTitle(i18n.get("quit.export.title"));
        alert.setHeaderText(i18n.get("quit.export.header"));
        ButtonType quit = new ButtonType(i18n.get("quit.export.confirm"), ButtonBar.ButtonData.OK_DONE);
        ButtonType keep = new ButtonType(i18n.get("quit.export.keep"), ButtonBar.ButtonData.CANCEL_CLOSE);
        alert.getButtonTypes().setAll(quit, keep);
        return alert.showAndWait().filter(b -> b == quit).isPresent();
    }

    private void showInFolder(Path file) {
        Path folder = file.toAbsolutePath().getParent();
        if (folder != null) {
            getHostServices().showDocument(folder.toUri().toString());
        }
    }

    private static void applyTheme(boolean dark) {
        Application.setUserAgentStylesheet(
                dark ? new PrimerDark().getUserAgentStylesheet() : new PrimerLight().getUserAgentStylesheet());
    }

    @Override
    public void stop() {
        if (viewModel != null) {
            viewModel.dispose();
        }
        if (painting != null) {
            painting.dispose();
        }
        if (view != null) {
            view.styleGrid().cancel();
        }
        // Inference stops before the sessions close: closing a session under a running ONNX Runtime
        // call crashes the JVM. If work does not stop in time, the sessions are left to the exit.
        boolean stopped = runner == null || runner.close();
        if (settings != null) {
            if (stage != null && stage.getWidth() > 0 && !stage.isMaximized()) {
                settings.setWindowSize(stage.getWidth(), stage.getHeight());
            }
            settings.flush();
        }
        if (context != null && stopped) {
            context.stylizer().close();
        } else if (context != null) {
            LOG.warn("background work still running at exit; the ONNX sessions are left to the process exit");
        }
    }

    /** The window's view model (for the UI tests and the timing benchmark). */
    public MainViewModel viewModel() {
        return viewModel;
    }

    /** "Your painting" (for the UI tests). */
    public PaintingStyleViewModel painting() {
        return painting;
    }

    /** The window's languages (for the UI tests). */
    public I18n i18n() {
        return i18n;
    }

    public MainView view() {
        return view;
    }

    public FxTaskRunner runner() {
        return runner;
    }
}
