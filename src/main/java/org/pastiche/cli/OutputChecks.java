package org.pastiche.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.pastiche.core.PasticheException;
import org.pastiche.imaging.ImageExporter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * What {@code stylize} checks about its outputs before any work (usage errors, exit 2): the
 * folder exists and can be written to, no output is an input (also through a symbolic or hard
 * link), and an existing output is only replaced with {@code --force} (or skipped with
 * {@code --no-clobber}), as {@code cp -n} and {@code mv -f} have it.
 */
final class OutputChecks {
    private OutputChecks() {}

    /** @return the inputs whose output exists and is to be skipped (--no-clobber) */
    static Set<Path> check(CommandLine cl, List<Path> inputs, Function<Path, Path> outputFor, boolean force,
            boolean noClobber) {
        if (force && noClobber) {
            throw new ParameterException(cl, "--force and --no-clobber exclude each other");
        }
        Set<Path> skip = new HashSet<>();
        Set<Path> seen = new HashSet<>();
        for (Path in : inputs) {
            Path out = outputFor.apply(in);
            Path key = out.toAbsolutePath().normalize();
            if (!seen.add(key)) {
                throw new ParameterException(cl, "two inputs would both be written to " + key);
            }
            try {
                ImageExporter.checkTarget(out, inputs);
            } catch (PasticheException e) {
                throw new ParameterException(cl, e.getMessage());
            }
            if (Files.exists(out)) {
                if (noClobber) {
                    skip.add(in);
                } else if (!force) {
                    throw new ParameterException(cl, out + " exists; use --force to replace it, or --no-clobber to skip "
                            + "inputs whose output exists");
                }
            }
        }
        return skip;
    }
}
