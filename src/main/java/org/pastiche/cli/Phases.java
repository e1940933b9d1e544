package org.pastiche.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the time of one command goes: named phases, each with its wall time and the CPU time the
 * whole process spent meanwhile (on a loaded machine the CPU time is the steadier figure; with
 * ONNX Runtime on n threads it can reach n times the wall time). {@link #off()} records nothing,
 * and costs nothing, for runs without {@code --verbose}.
 */
final class Phases {
    private record Phase(String name, long wallNanos, long cpuNanos, String note) {}

    private final boolean on;
    private final List<Phase> phases = new ArrayList<>();
    private long wall0;
    private long cpu0;

    private Phases(boolean on) {
        this.on = on;
    }

    static Phases off() {
        return new Phases(false);
    }

    /** Starts counting; the first phase is the JVM's start up to now (process start to this call). */
    static Phases sinceProcessStart() {
        Phases p = new Phases(true);
        long cpuNow = cpuNanos();
        long upNanos = ProcessUptime.nanos();
        if (upNanos >= 0) {
            p.phases.add(new Phase("JVM start, command line", upNanos, cpuNow, ""));
        }
        p.wall0 = System.nanoTime();
        p.cpu0 = cpuNow;
        return p;
    }

    /** Ends the current phase as {@code name}; the next one starts now. */
    void end(String name) {
        end(name, "");
    }

    /** Ends the current phase as {@code name}, with a note (what part of it went where). */
    void end(String name, String note) {
        if (!on) {
            return;
        }
        long w = System.nanoTime();
        long c = cpuNanos();
        phases.add(new Phase(name, w - wall0, c - cpu0, note));
        wall0 = w;
        cpu0 = c;
    }

    /** Ends the current phase as {@code name}, noting how much of it was spent inside ONNX Runtime. */
    void endInference(String name, long ortNanos) {
        if (on) {
            long wall = System.nanoTime() - wall0;
            end(name, String.format(Locale.ROOT, "ONNX Runtime %.0f ms, Java %.0f ms", ortNanos / 1e6,
                    (wall - ortNanos) / 1e6));
        }
    }

    /** The wall time of the phases named {@code name}. */
    long wallNanos(String name) {
        return phases.stream().filter(p -> p.name().equals(name)).mapToLong(Phase::wallNanos).sum();
    }

    void print(PrintWriter out, String title) {
        if (!on) {
            return;
        }
        out.printf(Locale.ROOT, "%s%n  %-28s %9s %9s%n", title, "phase", "wall ms", "CPU ms");
        long wall = 0;
        for (Phase p : phases) {
            out.printf(Locale.ROOT, "  %-28s %9.0f %9.0f  %s%n", p.name(), p.wallNanos() / 1e6, p.cpuNanos() / 1e6,
                    p.note());
            wall += p.wallNanos();
        }
        out.printf(Locale.ROOT, "  %-28s %9.0f %9.0f%n", "total", wall / 1e6, cpuNanos() / 1e6);
        out.flush();
    }

    static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
