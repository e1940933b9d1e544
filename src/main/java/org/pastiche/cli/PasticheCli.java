package org.pastiche.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
                "pastiche [FILE...] without a command opens the window (with those photos)."})
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

    /**
     * Whether the arguments are for the command line rather than photos to open in the app: a
     * command, an option, or a bare word that is no existing file (a mistyped command such as
     * {@code stylise} is a usage error, not a window).
     */
    public static boolean wantsCommandLine(String... args) {
        if (args.length == 0) {
            return false;
        }
        String first = args[0];
        if (first.startsWith("-psn_")) {
            return false; // macOS's process serial number, given to apps started from the Finder
        }
        if (isCommand(first) || first.startsWith("-")) {
            return true;
        }
        boolean bareWord = first.matches("[A-Za-z][A-Za-z0-9_-]*");
        return bareWord && !Files.exists(Path.of(first));
    }

    /** The configured command line, every command; tests set their own out and err writers on it. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new PasticheCli());
        // in the order of the help's command list; added before the handlers, which picocli gives
        // only to the subcommands already there
        cl.addSubcommand(new StylesCommand());
        cl.addSubcommand(new StylizeCommand());
        cl.addSubcommand(new BenchCommand());
        cl.addSubcommand(new CommandLine.HelpCommand());
        return configure(cl);
    }

    /**
     * The command line for these arguments: where the first one is a command other than {@code help}
     * ({@code stylize}, {@code styles}, {@code bench}), only that command is built under the top one,
     * since picocli reads nothing else once the command is matched (the other commands' models,
     * built from their annotations, are about 30-40 ms of a 2 MP {@code stylize}'s start on the main
     * thread; docs/engine.md, fourth round); everything else gets {@link #commandLine()}. Same
     * results, messages and exit codes either way ({@code LazyCommandLineTest}).
     */
    public static CommandLine commandLine(String... args) {
        Object only = args.length == 0 ? null : switch (args[0]) {
            case "stylize" -> new StylizeCommand();
            case "styles" -> new StylesCommand();
            case "bench" -> new BenchCommand();
            default -> null;
        };
        if (only == null) {
            return commandLine();
        }
        CommandLine cl = new CommandLine(new PasticheCli());
        cl.addSubcommand(only);
        return configure(cl);
    }

    private static CommandLine configure(CommandLine cl) {
        cl.setExecutionExceptionHandler(PasticheCli::handle);
        cl.setParameterExceptionHandler(PasticheCli::usageError);
        return cl;
    }

    /**
     * A usage error: one line with the reason (and a suggestion for a mistyped name), one line that
     * says where the help is; never the whole usage text. Exit 2.
     */
    static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        String message = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            boolean top = cl.getCommandSpec().parent() == null;
            List<String> suggestions = u.getSuggestions();
            if (top && !arg.startsWith("-")) {
                message = "unknown command '" + arg + "'";
            } else {
                message = (arg.startsWith("-") ? "unknown option '" : "unexpected argument '") + arg + "'";
            }
            if (!suggestions.isEmpty()) {
                message += "; did you mean '" + suggestions.get(0) + "'?";
            }
        }
        err.println("pastiche: " + lowerFirst(message));
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return USAGE;
    }

    private static String lowerFirst(String s) {
        if (s == null || s.isEmpty()) {
            return "bad usage";
        }
        // picocli's own messages start with a capital ("Missing required option"); ours do not.
        return s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))
                ? Character.toLowerCase(s.charAt(0)) + s.substring(1) : s;
    }

    public static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /** Failures nobody planned for: one line, the stack trace only with --verbose. */
    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof CancelledException) {
            err.println("pastiche: interrupted");
            return INTERRUPTED;
        }
        String message = e instanceof PasticheException ? e.getMessage()
                : "unexpected error (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                        + "); --verbose shows where";
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
