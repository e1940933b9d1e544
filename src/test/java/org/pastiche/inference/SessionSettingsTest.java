package org.pastiche.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.onnxruntime.OrtSession;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionSettingsTest {
    @Test
    void threadsSleepByDefault() throws Exception {
        try (OrtSession.SessionOptions o = SessionSettings.defaults().toOptions()) {
            Map<String, String> config = o.getConfigEntries();
            assertEquals("0", config.get("session.intra_op.allow_spinning"));
            assertFalse(config.containsKey("session.force_spinning_stop"), config.toString());
        }
    }

    @Test
    void spinningStopsWhenARunReturns() throws Exception {
        try (OrtSession.SessionOptions o = new SessionSettings(2, true, true, true).toOptions()) {
            Map<String, String> config = o.getConfigEntries();
            assertEquals("1", config.get("session.intra_op.allow_spinning"));
            assertEquals("1", config.get("session.force_spinning_stop"));
        }
    }
}
