package org.pastiche.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pastiche.core.CancellationToken;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** The real runner: work is submitted on the FX thread only, and the task count always gets back to 0. */
class FxTaskRunnerTest {
    private final FxTaskRunner runner = new FxTaskRunner();

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void close() {
        runner.close();
    }

    @Test
    void otherThreadsAreRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> runner.submit(
                TaskRunner.Lane.IO, new CancellationToken(), (p, c) -> 1, value -> { }));
        assertTrue(e.getMessage().contains("FX thread"), e.getMessage());
        assertEquals(0, runner.activeTasksProperty().get());
    }

    @Test
    void manyTasksOnBothLanesEndIdleWithEveryCallbackOnTheFxThread() throws Exception {
        int n = 200;
        List<Boolean> onFxThread = new ArrayList<>();
        WaitForAsyncUtils.asyncFx(() -> {
            for (int i = 0; i < n; i++) {
                CancellationToken token = new CancellationToken();
                if (i % 3 == 0) {
                    token.cancel();
                }
                runner.submit(i % 2 == 0 ? TaskRunner.Lane.IO : TaskRunner.Lane.INFERENCE, token, (p, c) -> 1,
                        new TaskRunner.Outcome<Integer>() {
                            @Override
                            public void succeeded(Integer value) {
                                onFxThread.add(javafx.application.Platform.isFxApplicationThread());
                            }

                            @Override
                            public void cancelled() {
                                onFxThread.add(javafx.application.Platform.isFxApplicationThread());
                            }
                        });
            }
        }).get();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                () -> onFxThread.size() == n && runner.activeTasksProperty().get() == 0).get());
        assertTrue(onFxThread.stream().allMatch(b -> b));
    }
}
