package org.pastiche.app;

import javafx.application.Application;

/** Starts the desktop window; a file given on the command line opens as the photo. */
public final class DesktopLauncher {
    private DesktopLauncher() { }

    public static void launch(String[] args) {
        Application.launch(PasticheApp.class, args);
    }

    /** {@code java -cp pastiche.jar org.pastiche.app.DesktopLauncher [photo]}: the window without the CLI. */
    public static void main(String[] args) {
        launch(args);
    }
}
