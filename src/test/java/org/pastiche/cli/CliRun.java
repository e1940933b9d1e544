package org.pastiche.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/** The command line run in-process, as the cli tests run it: its exit code and what it printed. */
final class CliRun {
    record Result(int code, String out, String err) { }

    private CliRun() { }

    static Result run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cl = PasticheCli.commandLine();
        cl.setOut(new PrintWriter(o, true));
        cl.setErr(new PrintWriter(e, true));
        int code = cl.execute(args);
        return new Result(code, o.toString(), e.toString());
    }

    /** The folder of a test model catalog, {@code src/test/resources/models/NAME}. */
    static String models(String name) {
        try {
            return Path.of(CliRun.class.getResource("/models/" + name + "/catalog.json").toURI()).getParent().toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every file under {@code dir}, relative and sorted. */
    static List<String> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}
