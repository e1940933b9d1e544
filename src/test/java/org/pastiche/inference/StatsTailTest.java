package org.pastiche.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class StatsTailTest {
    private static final float[] S = {1, 2, 3};

    @Test
    void boxRidesAfterTheStatistics() {
        assertArrayEquals(new float[] {1, 2, 3, 8, 4, 72, 60}, StatsTail.withBox(S, 8, 4, 72, 60));
        assertArrayEquals(new float[] {1, 2, 3, 0, 0, 4, 4}, StatsTail.forOutputPass(S));
    }

    @Test
    void ownCorrectedIsTheWholeInputInMode1() {
        float edge = 1 << 24;
        assertArrayEquals(new float[] {1, 2, 3, 0, 0, edge, edge, 1}, StatsTail.ownCorrected(S));
    }

    /** The lab writes the same defaults into the tile network (export.py's TAIL_DEFAULT). */
    @Test
    void theLabsExportUsesTheSameTail() throws Exception {
        Path export = Path.of("training/pastiche_lab/export.py");
        Assumptions.assumeTrue(Files.isRegularFile(export), "no lab sources in " + export.toAbsolutePath());
        String src = Files.readString(export);
        String expected = "TAIL_DEFAULT = [0.0, 0.0, float(1 << " + Integer.numberOfTrailingZeros(StatsTail.TO_THE_EDGE)
                + "), float(1 << " + Integer.numberOfTrailingZeros(StatsTail.TO_THE_EDGE) + "), "
                + (float) StatsTail.MODE_GIVEN + "]";
        assertTrue(src.contains(expected), "export.py no longer has " + expected);
    }
}
