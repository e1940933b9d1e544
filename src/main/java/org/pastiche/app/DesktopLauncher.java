package org.pastiche.app;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import javafx.application.Application;

/** Starts the desktop window; a file given on the command line opens as the photo. */
public final class DesktopLauncher {
    /** Exit status when there is no display to open the window on. */
    static final int NO_DISPLAY = 1;

    private DesktopLauncher() { }

    public static void launch(String[] args) {
        Optional<String> noDisplay = noDisplayReason(System.getenv("DISPLAY"), System.getenv("WAYLAND_DISPLAY"),
                System.getProperty("os.name", ""), System.getProperty("glass.platform"));
        if (noDisplay.isPresent()) {
            System.err.println(noDisplay.get());
            System.exit(NO_DISPLAY);
        }
        try {
            Application.launch(PasticheApp.class, args);
        } catch (UnsupportedOperationException e) {
            // GTK could not connect to the display named in DISPLAY (JavaFX: "Unable to open DISPLAY")
            System.err.println(sentence("cannot open the display " + System.getenv("DISPLAY")));
            System.exit(NO_DISPLAY);
        }
    }

    /**
     * Why the window cannot open, as one sentence that points to the command line, or empty when a
     * display may be there. Only Linux and the BSDs need DISPLAY (or WAYLAND_DISPLAY, served by
     * XWayland); a JavaFX platform chosen by property (Monocle, for tests) needs none.
     */
    static Optional<String> noDisplayReason(String display, String waylandDisplay, String osName, String glassPlatform) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows") || os.startsWith("mac") || glassPlatform != null) {
            return Optional.empty();
        }
        if (isBlank(display) && isBlank(waylandDisplay)) {
            return Optional.of(sentence("there is no display to open the window on (DISPLAY is not set)"));
        }
        return Optional.empty();
    }

    private static String sentence(String why) {
        return "pastiche: " + why + "; the command line works without one: see pastiche --help.";
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** {@code java -cp pastiche.jar org.pastiche.app.DesktopLauncher [photo]}: the window without the CLI. */
    public static void main(String[] args) {
        OptionalInt relaunched = TelemetryFreeLaunch.relaunchIfNeeded();
        if (relaunched.isPresent()) {
            System.exit(relaunched.getAsInt());
        }
        launch(args);
    }
}
