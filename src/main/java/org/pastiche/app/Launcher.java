package org.pastiche.app;

import java.util.OptionalInt;
import org.pastiche.cli.PasticheCli;
import org.pastiche.cli.WarmUp;

/**
 * Plain entry point so that the shaded jar starts without the JavaFX module path. A subcommand
 * ({@code styles}, {@code stylize}, {@code bench}, {@code --help}, {@code --version}) runs the
 * command line, and so does an option or a bare word that is no file (a mistyped command is a usage
 * error, not a window); anything else (no arguments, or files to open) starts the desktop app.
 * Either runs with ONNX Runtime's telemetry off ({@link TelemetryFreeLaunch}).
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        OptionalInt relaunched = TelemetryFreeLaunch.relaunchIfNeeded();
        if (relaunched.isPresent()) {
            System.exit(relaunched.getAsInt());
        }
        if (PasticheCli.wantsCommandLine(args)) {
            // A command line shows its own results: only warnings from the libraries, unless asked.
            boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "warn");
            if (args[0].equals("stylize")) {
                WarmUp.start(); // on the other core while picocli parses the command line
            }
            int code = PasticheCli.run(args);
            WarmUp.awaitRuntime();
            System.exit(code);
        }
        DesktopLauncher.launch(args);
    }
}
