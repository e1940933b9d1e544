package org.pastiche.ui.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pastiche.core.CancellationToken;
import org.pastiche.ui.QueuedTaskRunner;
import org.pastiche.ui.TaskRunner.Lane;

class LatestTaskTest {
    private final QueuedTaskRunner runner = QueuedTaskRunner.queued();
    private final LatestTask task = new LatestTask(runner, Lane.IO);
    private final List<String> seen = new ArrayList<>();
    private final List<CancellationToken> tokens = new ArrayList<>();

    private LatestTask.Request<String> request(String name) {
        return task.<String>run((progress, cancel) -> {
            tokens.add(cancel);
            progress.progress(1, 2);
            return name;
        }).onSuccess(v -> seen.add("ok " + v))
                .onFailure(e -> seen.add("failed " + name))
                .onCancelled(() -> seen.add("cancelled " + name))
                .onProgress((done, total) -> seen.add("progress " + name));
    }

    @Test
    void aNewerStartSupersedesTheOlderWhoseCallbacksNeverArrive() {
        request("old").start();
        request("new").start();
        runner.runAll();
        assertEquals(List.of("progress new", "ok new"), seen);
    }

    @Test
    void theSupersededWorkIsToldToStop() {
        QueuedTaskRunner direct = QueuedTaskRunner.direct();
        LatestTask latest = new LatestTask(direct, Lane.IO);
        CancellationToken[] older = new CancellationToken[1];
        latest.run((progress, cancel) -> {
            older[0] = cancel;
            latest.run((p, c) -> "newer").start(); // a newer request while the older runs
            return "older";
        }).onSuccess(seen::add).start();
        assertTrue(older[0].isCancelled(), "the token reaches the work (and the engine)");
        assertEquals(List.of(), seen, "the superseded result is dropped");
    }

    @Test
    void cancelDeliversOnlyOnCancelled() {
        request("a").start();
        task.cancel();
        runner.runAll();
        assertEquals(List.of("cancelled a"), seen);
        assertFalse(task.isRunning());
    }

    @Test
    void aFailureArrivesWhenCurrent() {
        task.run((progress, cancel) -> {
            throw new IllegalStateException("boom");
        }).onFailure(e -> seen.add(e.getMessage())).start();
        runner.runAll();
        assertEquals(List.of("boom"), seen);
    }

    @Test
    void workJoinedToARunSharesItsFate() {
        LatestTask.Run run = request("quick").start();
        assertTrue(request("sharp").join(run));
        assertTrue(task.isRunning());
        runner.runAll();
        assertEquals(List.of("progress quick", "ok quick", "progress sharp", "ok sharp"), seen);
        assertEquals(2, tokens.size());
        assertTrue(tokens.get(0) == tokens.get(1), "one token for the run");
        assertFalse(task.isRunning(), "every piece ended");
    }

    @Test
    void aSupersededRunTakesNoMoreWork() {
        LatestTask.Run old = request("quick").start();
        request("other").start();
        assertFalse(request("sharp").join(old));
        assertEquals(2, runner.pending());
        runner.runAll();
        assertEquals(List.of("progress other", "ok other"), seen);
    }

    @Test
    void aCancelledRunTakesNoMoreWork() {
        request("a").start();
        task.cancel();
        assertFalse(request("b").join());
        assertEquals(1, runner.pending());
    }
}
