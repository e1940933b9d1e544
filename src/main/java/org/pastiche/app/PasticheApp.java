package org.pastiche.app;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.pastiche.core.CancellationToken;
import org.pastiche.ui.AppSettings;
import org.pastiche.ui.FxTaskRunner;
import org.pastiche.ui.I18n;
import org.pastiche.ui.MainView;
import org.pastiche.ui.MainViewModel;
import org.pastiche.ui.TaskRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desktop application and its composition root: every service is built and wired here by hand.
 * {@link #init()} builds the engine off the FX thread; {@link #start} builds the window and opens
 * the photo from the command line, or the shipped sample.
 */
public class PasticheApp extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(PasticheApp.class);
    private static final String STYLESHEET = "/org/pastiche/ui/pastiche.css";

    private final Supplier<AppContext> contextFactory;
    private AppContext context;
    private AppSettings settings;
    private FxTaskRunner runner;
    private MainViewModel viewModel;
    private MainView view;
    private Stage stage;
    private Optional<Path> commandLinePhoto = Optional.empty();

    public PasticheApp() {
        this(AppContext::fromSystem);
    }

    public PasticheApp(Supplier<AppContext> contextFactory) {
        this.contextFactory = contextFactory;
    }

    @Override
    public void init() {
        context = contextFactory.get();
        settings = new AppSettings(context.preferences());
        runner = new FxTaskRunner();
        // Create the first style's session while the toolkit builds the window (the slowest step
        // before the first preview is ONNX Runtime's start and the session).
        Optional<String> first = settings.lastStyle()
                .filter(id -> context.stylizer().styles().stream().anyMatch(s -> s.id().equals(id) && s.available()))
                .or(() -> context.stylizer().styles().stream().filter(s -> s.available()).map(s -> s.id()).findFirst());
        first.ifPresent(id -> runner.submit(TaskRunner.Lane.INFERENCE, new CancellationToken(), (progress, cancel) -> {
            context.stylizer().warmUp(id);
            return id;
        }, new TaskRunner.Outcome<String>() {
            @Override
            public void succeeded(String id) {
                LOG.debug("style {} warmed up", id);
            }

            @Override
            public void failed(Throwable error) {
                LOG.warn("could not prepare style {}: {}", id, error.getMessage());
            }
        }));
        if (getParameters() != null) {
            commandLinePhoto = getParameters().getUnnamed().stream().filter(a -> !a.startsWith("-"))
                    .map(Path::of).findFirst();
        }
    }

    @Override
    public void start(Stage primaryStage) {
        stage = primaryStage;
        I18n i18n = new I18n(settings.language().orElse(java.util.Locale.getDefault()));
        viewModel = new MainViewModel(context.stylizer(), context.imaging(), runner, settings, i18n, context.timings());
        view = new MainView(viewModel);

        applyTheme(viewModel.darkThemeProperty().get());
        viewModel.darkThemeProperty().addListener((obs, old, dark) -> applyTheme(dark));

        double[] size = settings.windowSize();
        Scene scene = new Scene(view.root(), size[0], size[1]);
        scene.getStylesheets().add(PasticheApp.class.getResource(STYLESHEET).toExternalForm());
        view.install(scene);
        stage.setScene(scene);
        stage.titleProperty().bind(i18n.text("app.title"));
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        stage.show();
        if (Boolean.getBoolean("pastiche.timing")) {
            LOG.info("timing: window shown {} ms after launch", System.currentTimeMillis()
                    - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
        }

        Optional<Path> photo = commandLinePhoto.filter(Files::isRegularFile).or(context::sample);
        if (commandLinePhoto.isPresent() && !Files.isRegularFile(commandLinePhoto.get())) {
            LOG.warn("not a file: {}", commandLinePhoto.get());
        }
        viewModel.start(photo);
        if (Boolean.getBoolean("pastiche.benchmark")) {
            new TimingBenchmark(viewModel, runner).start();
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
        if (runner != null) {
            runner.close();
        }
        if (settings != null) {
            if (stage != null && stage.getWidth() > 0 && !stage.isMaximized()) {
                settings.setWindowSize(stage.getWidth(), stage.getHeight());
            }
            settings.flush();
        }
        if (context != null) {
            context.stylizer().close();
        }
    }

    /** The window's view model (for the UI tests and the timing benchmark). */
    public MainViewModel viewModel() {
        return viewModel;
    }

    public MainView view() {
        return view;
    }

    public FxTaskRunner runner() {
        return runner;
    }
}
