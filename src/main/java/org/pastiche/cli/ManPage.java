package org.pastiche.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.pastiche.core.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes the manual page {@code pastiche(1)} (troff, man macros) from the picocli commands, so it says
 * what {@code --help} says. The installer profile runs it:
 * {@code java -cp target/pastiche.jar org.pastiche.cli.ManPage OUT.1 [VERSION DATE]}.
 */
public final class ManPage {
    private ManPage() { }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ManPage OUT.1 [VERSION [DATE]]");
            System.exit(PasticheCli.USAGE);
        }
        String version = args.length > 1 ? args[1] : new PasticheCli.Version().getVersion()[0].replace("Pastiche ", "");
        String date = args.length > 2 ? args[2] : "";
        Path out = Path.of(args[0]);
        AtomicFiles.write(out, render(PasticheCli.commandLine(), version, date).getBytes(StandardCharsets.UTF_8));
    }

    /** The page for {@code cli} and its subcommands. */
    public static String render(CommandLine cli, String version, String date) {
        StringWriter text = new StringWriter();
        PrintWriter w = new PrintWriter(text);
        CommandSpec top = cli.getCommandSpec();
        w.println(".TH PASTICHE 1 \"" + date + "\" \"Pastiche " + version + "\" \"User Commands\"");
        w.println(".SH NAME");
        String summary = top.usageMessage().description()[0];
        w.println("pastiche \\- " + esc(lowerFirst(summary.replaceAll("\\.$", ""))));
        w.println(".SH SYNOPSIS");
        w.println(".B pastiche");
        w.println(".RI [ FILE ...]");
        w.println(".br");
        w.println(".B pastiche");
        w.println(".I COMMAND");
        w.println(".RI [ OPTIONS ]");
        w.println(".br");
        w.println(".B pastiche");
        w.println(".RB [ \\-\\-help | \\-\\-version ]");
        w.println(".SH DESCRIPTION");
        w.println(esc(summary));
        w.println(".PP");
        w.println("Without a command, or with photos on the command line, Pastiche opens its window"
                + " (the photos given open in it); this needs a graphical display. The commands below need none.");
        w.println(".SH COMMANDS");
        for (CommandLine sub : cli.getSubcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            if (spec.usageMessage().hidden()) {
                continue;
            }
            w.println(".SS \"" + esc(synopsis(sub)) + "\"");
            for (String line : spec.usageMessage().description()) {
                w.println(esc(line));
            }
            for (PositionalParamSpec p : spec.positionalParameters()) {
                if (p.hidden()) {
                    continue;
                }
                w.println(".TP");
                w.println(".I " + esc(p.paramLabel()));
                w.println(esc(description(p.description(), p.defaultValueString())));
            }
            for (OptionSpec o : spec.options()) {
                if (o.hidden()) {
                    continue;
                }
                w.println(".TP");
                String names = String.join(", ", List.of(o.names()));
                w.println(o.arity().max() > 0 ? ".BI \"" + esc(names) + " \" " + esc(o.paramLabel()) : ".B " + esc(names));
                w.println(esc(description(o.description(), o.defaultValueString())));
            }
        }
        w.println(".SH EXIT STATUS");
        w.println(".TP\n.B " + PasticheCli.OK + "\nsuccess");
        w.println(".TP\n.B " + PasticheCli.FAILED + "\na file, style or model failed (one line on standard error each),"
                + " or the window could not open (no display)");
        w.println(".TP\n.B " + PasticheCli.USAGE + "\nbad usage");
        w.println(".TP\n.B " + PasticheCli.INTERRUPTED + "\ninterrupted");
        w.println(".SH FILES");
        w.println(".TP\n.I ~/.pastiche/models/\nthe user's own styles: a catalog.json and its ONNX models, read besides the bundled ones");
        w.println(".TP\n.I /opt/pastiche/lib/app/models/\nthe bundled styles, their licences and attributions (catalog.json)");
        w.println(".SH ENVIRONMENT");
        w.println(".TP\n.B ORT_DISABLE_TELEMETRY\nPastiche sets it for ONNX Runtime, whose telemetry it keeps off;"
                + " where it is not set, the launcher starts itself once more with it.");
        w.println(".TP\n.B DISPLAY\nthe display the window opens on.");
        w.println(".SH PRIVACY");
        w.println("Pastiche works offline. It sends nothing anywhere and writes nothing but what you export,"
                + " its preferences and its caches.");
        w.println(".SH SEE ALSO");
        w.println("The licences of the bundled components and styles:");
        w.println(".IR /usr/share/doc/pastiche/copyright .");
        w.flush();
        return text.toString();
    }

    private static String synopsis(CommandLine sub) {
        String s = sub.getHelp().synopsis(0).trim();
        return s.replaceFirst("^Usage:\\s*", "").replaceAll("\\s+", " ");
    }

    private static String description(String[] lines, String defaultValue) {
        String d = String.join(" ", lines);
        return d.replace("${DEFAULT-VALUE}", defaultValue == null ? "" : defaultValue);
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }

    /** Escapes troff: backslashes, minus signs, and a leading dot or quote. */
    static String esc(String s) {
        String e = s.replace("\\", "\\e").replace("-", "\\-");
        if (e.startsWith(".") || e.startsWith("'")) {
            e = "\\&" + e;
        }
        return e;
    }
}
