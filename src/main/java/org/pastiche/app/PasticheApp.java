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
import org.pastiche.ui.AppSettings;
import org.pastiche.ui.FxTaskRunner;
import org.pastiche.ui.I18n;
import org.pastiche.ui.MainView;
import org.pastiche.ui.MainViewModel;
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
        if (getParameters() != null) {
            commandLinePhoto = getParameters().getUnnamed().stream().filter(a -> !a.startsWith("-"))
                    .map(Path::of).findFirst();
        }
    }

    @Override
    public void start(Stage primaryStage) {
        stage = primaryStage;
        settings = new AppSettings(context.preferences());
        I18n i18n = new I18n(settings.language().orElse(java.util.Locale.getDefault()));
        runner = new FxTaskRunner();
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
