package org.pastiche.cli;

import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Range checks for numeric options: each bad value is a usage error (exit 2) with a one-line
 * reason, raised before any work. Bounds are what the engine can do in bounded memory and time,
 * not what a type can hold ({@code --threads 100000} ran away to gigabytes).
 */
final class OptionChecks {
    /** More threads than this only costs memory (each has its own stack and buffers). */
    static final int MAX_THREADS = 256;
    /** The longest side a decoded image may have (JPEG's own limit). */
    static final int MAX_SIDE = 65_535;
    /** 10 GP: far above any photo; the decoder's own limit is the real guard. */
    static final double MAX_MEGAPIXELS = 10_000;
    /** The smallest pixel limit that still admits a thumbnail (100 x 100). */
    static final double MIN_MEGAPIXELS = 0.01;

    private final CommandLine cl;

    OptionChecks(CommandLine cl) {
        this.cl = cl;
    }

    private ParameterException fail(String message) {
        return new ParameterException(cl, message);
    }

    /** An integer option in [min, max]. */
    void range(String option, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            throw fail(String.format(Locale.ROOT, "%s must be between %d and %d, was %d", option, min, max, value));
        }
    }

    /** A decimal option in [min, max]; NaN and infinities are refused too. */
    void range(String option, Double value, double min, double max) {
        if (value != null && !(value >= min && value <= max)) {
            throw fail(String.format(Locale.ROOT, "%s must be between %s and %s, was %s", option, plain(min), plain(max),
                    plain(value)));
        }
    }

    /** {@code --threads}: 0 (the default: all cores) or 1..{@link #MAX_THREADS}. */
    void threads(int threads) {
        if (threads < 0 || threads > MAX_THREADS) {
            throw fail(String.format(Locale.ROOT, "--threads must be between 1 and %d (default: all %d cores), was %d",
                    MAX_THREADS, Runtime.getRuntime().availableProcessors(), threads));
        }
    }

    private static String plain(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
