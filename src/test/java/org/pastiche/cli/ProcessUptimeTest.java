package org.pastiche.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProcessUptimeTest {
    /** A real line of /proc/self/stat (of `cat`), field 22 = 55337 ticks. */
    private static final String STAT = "9410 (cat) R 9366 9366 5234 0 -1 4194304 99 0 0 0 0 0 0 0 20 0 1 0 55337 "
            + "3133440 382 18446744073709551615 94316306694144 94316306714025 140733443733360 0 0 0 0 0 0 0 0 0 17 0";

    @Test
    void ageIsUptimeLessTheStartTicks() {
        assertEquals(OptionalLong.of(10_000_000L), ProcessUptime.fromProc(STAT, "553.38 450.56\n"));
        assertEquals(OptionalLong.of(1_230_000_000L), ProcessUptime.fromProc(STAT, "554.60 1.00"));
        assertEquals(OptionalLong.of(0L), ProcessUptime.fromProc(STAT, "553.37 1.00"));
    }

    @Test
    void fieldsAreCountedAfterTheLastParenthesis() {
        // a command name with spaces and parentheses shifts a naive split by several fields
        String odd = STAT.replace("(cat)", "(a) b (c) d)");
        assertEquals(OptionalLong.of(10_000_000L), ProcessUptime.fromProc(odd, "553.38 450.56"));
    }

    @Test
    void textNotAsTheKernelWritesItGivesNothing() {
        assertTrue(ProcessUptime.fromProc("no parenthesis 1 2 3", "553.47 1").isEmpty());
        assertTrue(ProcessUptime.fromProc("1 (x) R 1 2 3", "553.47 1").isEmpty());
        assertTrue(ProcessUptime.fromProc(STAT, "soon 1").isEmpty());
        assertTrue(ProcessUptime.fromProc(STAT, "").isEmpty());
        // a start after "now" is not an age
        assertTrue(ProcessUptime.fromProc(STAT, "553.36 1").isEmpty());
    }

    @Test
    void onLinuxTheAgeIsThatOfThisJvmToTheTick() {
        if (!Files.isReadable(Path.of("/proc/self/stat"))) {
            return; // nothing to compare with elsewhere: the fall-back is the JDK's own
        }
        long jvm = ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
        long process = ProcessUptime.nanos();
        // the process began before the JVM's clock started, by no more than the launcher's own start;
        // ProcessHandle's boot time in whole seconds put it up to a second earlier
        assertTrue(process >= jvm - 20_000_000L, process + " ns against the JVM's " + jvm);
        assertTrue(process <= jvm + 300_000_000L, process + " ns against the JVM's " + jvm);
    }
}
