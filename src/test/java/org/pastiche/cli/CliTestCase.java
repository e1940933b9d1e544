package org.pastiche.cli;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.pastiche.imaging.ImageExporter;
import org.pastiche.imaging.SyntheticImage;

/** What every in-process cli test shares: a folder, the last run's output, no progress bar. */
abstract class CliTestCase {
    @TempDir
    Path dir;

    String out;
    String err;

    @BeforeAll
    static void noProgressBar() {
        StylizeCommand.forceProgressBar = false;
    }

    @AfterAll
    static void reset() {
        StylizeCommand.forceProgressBar = null;
    }

    /** Runs the command line in-process; keeps what it printed in {@link #out} and {@link #err}. */
    int run(String... args) {
        CliRun.Result r = CliRun.run(args);
        out = r.out();
        err = r.err();
        return r.code();
    }

    /** A small photo-like PNG or JPEG in {@link #dir}. */
    Path photo(String name) throws Exception {
        Path p = dir.resolve(name);
        ImageExporter.write(SyntheticImage.photoLike(60, 40, 1), p);
        return p;
    }

    /** Every file in {@link #dir}, relative and sorted. */
    List<String> files() throws Exception {
        return CliRun.files(dir);
    }
}
