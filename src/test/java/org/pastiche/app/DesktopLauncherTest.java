package org.pastiche.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DesktopLauncherTest {
    @Test
    void withoutADisplayOneSentencePointsToTheCommandLine() {
        String why = DesktopLauncher.noDisplayReason(null, null, "Linux", null).orElseThrow();
        assertEquals(1, why.split("\n").length);
        assertTrue(why.startsWith("pastiche: "), why);
        assertTrue(why.contains("DISPLAY") && why.contains("pastiche --help"), why);
        assertTrue(DesktopLauncher.noDisplayReason("  ", "", "Linux", null).isPresent());
    }

    @Test
    void aDisplayOrAnotherPlatformNeedsNoSentence() {
        assertEquals(Optional.empty(), DesktopLauncher.noDisplayReason(":0", null, "Linux", null));
        assertEquals(Optional.empty(), DesktopLauncher.noDisplayReason(null, "wayland-0", "Linux", null));
        assertEquals(Optional.empty(), DesktopLauncher.noDisplayReason(null, null, "Windows 11", null));
        assertEquals(Optional.empty(), DesktopLauncher.noDisplayReason(null, null, "Mac OS X", null));
        assertEquals(Optional.empty(), DesktopLauncher.noDisplayReason(null, null, "Linux", "Monocle"));
    }
}
