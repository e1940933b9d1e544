package org.pastiche.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pastiche.inference.ModelLocations;
import org.pastiche.inference.ModelRegistry;
import org.pastiche.inference.SessionSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options shared by the commands that load models. */
final class EngineOptions {
    @Option(names = "--models", paramLabel = "DIR",
            description = "Folder with catalog.json and the models (default: the bundled models). "
                    + "The user's folder (~/.pastiche/models) is read as well.")
    Path models;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the network (default: all cores).")
    int threads;

    @Option(names = "--verbose", description = "Stack traces and details on failures.")
    boolean verbose;

    /** The command this mixin belongs to, for usage errors. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** Usage errors (exit 2) for these options; every command calls it before any work. */
    void check() {
        if (mixee != null) {
            new OptionChecks(mixee.commandLine()).threads(threads);
        }
    }

    ModelRegistry openRegistry() {
        return openRegistry(SessionSettings.defaults());
    }

    ModelRegistry openRegistry(SessionSettings base) {
        check();
        List<Path> dirs = new ArrayList<>();
        dirs.add(models != null ? models : ModelLocations.bundled());
        dirs.add(ModelLocations.user());
        return new ModelRegistry(dirs, base.withThreads(threads));
    }
}
