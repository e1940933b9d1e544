package org.pastiche.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.pastiche.inference.QuietOrtEnvironment;

/**
 * Makes sure ONNX Runtime starts with its telemetry off. ONNX Runtime reads
 * {@value QuietOrtEnvironment#DISABLE_VARIABLE} from the process environment when its first environment
 * is created (see {@link QuietOrtEnvironment}), and Java cannot change its own environment. So where the
 * variable is missing, the launcher starts the same command line once more with the variable set,
 * passes the terminal and the exit status through, and forwards its own termination to the child.
 * The installed desktop entry sets the variable itself, so opening the app from the menu starts one JVM.
 *
 * <p>Not done on Windows (ONNX Runtime's switch there is {@code setTelemetry(false)}, which
 * {@link QuietOrtEnvironment} calls) or where the JVM does not know its own command line; then the app
 * runs in this process.
 */
final class TelemetryFreeLaunch {
    /**
     * {@code -Dpastiche.relaunch=false} runs in this process as it is (for measuring the process itself, and
     * for installer/check-telemetry.sh's control run, which shows what the check would catch).
     */
    static final String RELAUNCH_PROPERTY = "pastiche.relaunch";

    private TelemetryFreeLaunch() { }

    /** The child's exit status if this process relaunched itself, else empty: carry on in this process. */
    static OptionalInt relaunchIfNeeded() {
        if (System.getenv(QuietOrtEnvironment.DISABLE_VARIABLE) != null
                || System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")
                || "false".equals(System.getProperty(RELAUNCH_PROPERTY))) {
            return OptionalInt.empty();
        }
        Optional<List<String>> command = ownCommandLine();
        if (command.isEmpty()) {
            return OptionalInt.empty();
        }
        ProcessBuilder pb = new ProcessBuilder(command.get()).inheritIO();
        pb.environment().put(QuietOrtEnvironment.DISABLE_VARIABLE, "1");
        // Set by the jpackage launcher for itself: with it, the child launcher would take the
        // arguments as the JVM's (the main class would be "bench").
        pb.environment().remove("_JPACKAGE_LAUNCHER");
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            return OptionalInt.empty();
        }
        Thread forward = new Thread(() -> {
            if (child.isAlive()) {
                child.destroy(); // SIGTERM: the child shuts down as it would have here
                try {
                    child.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "forward-termination");
        Runtime.getRuntime().addShutdownHook(forward);
        while (true) {
            try {
                return OptionalInt.of(child.waitFor());
            } catch (InterruptedException e) {
                // keep waiting: only the child decides when the app ends
            }
        }
    }

    /** This process's command line (launcher or java, then every argument) as the OS recorded it. */
    static Optional<List<String>> ownCommandLine() {
        Path procCmdline = Path.of("/proc/self/cmdline");
        Path procExe = Path.of("/proc/self/exe");
        if (Files.isReadable(procCmdline)) {
            // Linux; ProcessHandle.Info gives no arguments when the command line is longer than a page
            try {
                String all = new String(Files.readAllBytes(procCmdline), StandardCharsets.UTF_8);
                List<String> cmd = new ArrayList<>(List.of(all.split("\0", -1)));
                if (!cmd.isEmpty() && cmd.get(cmd.size() - 1).isEmpty()) {
                    cmd.remove(cmd.size() - 1); // each argument ends in a NUL
                }
                if (cmd.isEmpty()) {
                    return Optional.empty();
                }
                cmd.set(0, procExe.toRealPath().toString()); // argv[0] may be a bare name found on PATH
                return Optional.of(cmd);
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        ProcessHandle.Info info = ProcessHandle.current().info();
        Optional<String> exe = info.command();
        Optional<String[]> args = info.arguments();
        if (exe.isEmpty() || args.isEmpty()) {
            return Optional.empty();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(exe.get());
        cmd.addAll(List.of(args.get()));
        return Optional.of(cmd);
    }
}
