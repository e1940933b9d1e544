package org.pastiche.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.Set;
import org.pastiche.core.CancelledException;
import org.pastiche.core.PasticheException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The batch command line: {@code styles}, {@code stylize}, {@code bench}. Exit codes: 0 success,
 * 1 a file, style or model failed (one line on stderr each), 2 bad usage, 130 interrupted.
 */
@Command(name = "pastiche", mixinStandardHelpOptions = true, versionProvider = PasticheCli.Version.class,
        description = {"Turns photos into paintings with fast neural style transfer.",
                "pastiche [FILE...] without a command opens the window (with those photos)."},
        subcommands = {StylesCommand.class, StylizeCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class PasticheCli implements Runnable {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int INTERRUPTED = 130;

    /** First arguments that mean "run the command line" rather than "open the desktop app". */
    public static final Set<String> COMMANDS = Set.of("styles", "stylize", "bench", "help", "--help", "-h",
            "--version", "-V");

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    public static boolean isCommand(String firstArg) {
        return COMMANDS.contains(firstArg);
    }

    /** The configured command line; tests set their own out and err writers on it. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new PasticheCli());
        cl.setExecutionExceptionHandler(PasticheCli::handle);
        return cl;
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** Failures nobody planned for: one line, the stack trace only with --verbose. */
    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof CancelledException) {
            err.println("pastiche: interrupted");
            return INTERRUPTED;
        }
        String message = e instanceof PasticheException ? e.getMessage()
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        err.println("pastiche: " + message);
        if (parsed.hasMatchedOption("--verbose") || parsed.subcommands().stream()
                .anyMatch(p -> p.hasMatchedOption("--verbose"))) {
            e.printStackTrace(err);
        }
        err.flush();
        return FAILED;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = "dev";
            try (InputStream in = PasticheCli.class.getResourceAsStream(
                    "/META-INF/maven/org.pastiche/pastiche/pom.properties")) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    v = p.getProperty("version", v);
                }
            } catch (java.io.IOException e) {
                // keep "dev"
            }
            return new String[] {"Pastiche " + v};
        }
    }
}
