package org.pastiche.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.pastiche.core.PasticheException;
import org.pastiche.inference.ModelRegistry;
import org.pastiche.inference.PaintingStyles;
import org.pastiche.inference.StyleModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "styles", mixinStandardHelpOptions = true, description = "Lists the styles: id, names, availability.")
final class StylesCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;

    @Option(names = "--check", description = "Load every model to find broken ones (slower).")
    boolean check;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ModelRegistry registry = engine.openRegistry()) {
            registry.problems().forEach(p -> err.println("pastiche: " + p));
            if (check) {
                for (StyleModel s : registry.styles()) {
                    try {
                        registry.load(s.id());
                    } catch (PasticheException e) {
                        // the registry marks the style unavailable with the reason
                    }
                }
            }
            if (registry.styles().isEmpty() && registry.paintings().networks().isEmpty()) {
                err.println("pastiche: no styles found (use --models DIR)");
                return PasticheCli.FAILED;
            }
            for (StyleModel s : registry.styles()) {
                String zh = s.names().get("zh");
                String names = s.name(Locale.ENGLISH) + (zh == null ? "" : " / " + zh);
                out.printf("%-16s %-36s %s%n", s.id(), names,
                        s.available() ? "" : "(unavailable: " + s.unavailableReason().orElse("?") + ")");
            }
            for (PaintingStyles.Network n : registry.paintings().networks()) {
                String zh = n.names().get("zh");
                out.printf("%-16s %-36s %s%n", n.id(), n.name(Locale.ENGLISH) + (zh == null ? "" : " / " + zh),
                        n.available() ? "(any painting: stylize --style-image PAINTING)"
                                : "(unavailable: " + n.unavailableReason().orElse("?") + ")");
            }
            out.flush();
            return PasticheCli.OK;
        }
    }
}
