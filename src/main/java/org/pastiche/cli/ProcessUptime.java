package org.pastiche.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * How long this process has been running, for {@code --verbose}'s first phase. On Linux from the kernel's
 * own clock since boot: {@code /proc/uptime} now against the process's start in {@code /proc/self/stat}
 * (field 22, clock ticks since boot), both to 10 ms. {@code ProcessHandle.Info.startInstant()} is that
 * start added to the boot time of {@code /proc/stat}, which the kernel gives in whole seconds, so its
 * figure was up to a second too long (a 1.76 s run reported a 1.04 s start phase: docs/engine.md, fifth
 * round). Elsewhere (no /proc) the start instant is still what there is. The start is the process's, so
 * under the {@code ./pastiche} launcher ({@code exec java}) it includes the script's few milliseconds.
 */
final class ProcessUptime {
    /** Linux's USER_HZ, the unit of /proc/self/stat's times: 100 on every architecture Java runs on. */
    static final long TICKS_PER_SECOND = 100;

    private ProcessUptime() {}

    /** Nanoseconds since this process started, or -1 where it cannot be told. */
    static long nanos() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
            String uptime = Files.readString(Path.of("/proc/uptime"), StandardCharsets.US_ASCII);
            OptionalLong up = fromProc(stat, uptime);
            if (up.isPresent()) {
                return up.getAsLong();
            }
        } catch (IOException | RuntimeException e) {
            // no /proc (macOS, Windows): below
        }
        return ProcessHandle.current().info().startInstant()
                .map(start -> Duration.between(start, Instant.now()).toNanos()).orElse(-1L);
    }

    /**
     * The process's age from the text of {@code /proc/self/stat} and {@code /proc/uptime}; empty when
     * either is not as the kernel writes it. The command name (field 2, in parentheses) may hold spaces
     * and parentheses itself, so the fields are counted after its last ')'.
     */
    static OptionalLong fromProc(String stat, String uptime) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return OptionalLong.empty();
        }
        String[] fields = stat.substring(close + 1).trim().split("\\s+");
        // fields[0] is field 3 (state), so field 22 (starttime) is fields[19]
        String[] up = uptime.trim().split("\\s+");
        if (fields.length < 20 || up.length < 1) {
            return OptionalLong.empty();
        }
        try {
            long startTicks = Long.parseLong(fields[19]);
            long upNanos = new java.math.BigDecimal(up[0]).movePointRight(9).longValueExact();
            long startNanos = startTicks * (1_000_000_000L / TICKS_PER_SECOND);
            return startTicks < 0 || upNanos < startNanos ? OptionalLong.empty() : OptionalLong.of(upNanos - startNanos);
        } catch (NumberFormatException | ArithmeticException e) {
            return OptionalLong.empty();
        }
    }
}
