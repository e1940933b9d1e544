package org.pastiche.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * How ONNX Runtime sessions are configured. The defaults were measured with {@code bench}
 * (see docs/engine.md): intra-op threads = cores (the convolutions parallelise well and one
 * inference runs at a time), one inter-op thread (the networks are a chain), every graph
 * optimisation, the memory pattern (tiles repeat one shape), the CPU arena, and no spin-waiting:
 * on a busy 2-core machine idle threads that spin steal the CPU from everything else (12 MP: 31 s
 * without spinning against 50 s with it). The arena: without it every run on a shape the session
 * has not planned yet allocates and frees each large tensor from the system, and the kernel zeroes
 * every page again (a first 2 MP run: 1.2 million page faults, 2.5 s of system time, 1.6x the CPU
 * time of a warm run); with it the first run costs what a warm one does, and 12 MP takes 17 % less
 * CPU time at 0.85 GB peak RSS instead of 0.64 (since the networks' graphs were rewritten; with the
 * graphs as first exported, the arena took 12 MP to 1.6 GB).
 *
 * @param intraOpThreads threads inside one operator; 0 = the number of cores
 * @param spinning       let idle ONNX Runtime threads spin-wait for work during a run (lower latency,
 *                       but they take CPU from other processes; they stop when the run returns)
 */
public record SessionSettings(int intraOpThreads, boolean memoryPattern, boolean cpuArena, boolean spinning) {
    public static SessionSettings defaults() {
        return new SessionSettings(0, true, true, false);
    }

    public SessionSettings withThreads(int threads) {
        return new SessionSettings(threads, memoryPattern, cpuArena, spinning);
    }

    public int effectiveThreads() {
        return intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
    }

    /** New session options; the caller closes them. */
    public OrtSession.SessionOptions toOptions() throws OrtException {
        OrtRun.environment(); // loads ONNX Runtime from the library cache (NativeLibraries)
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        try {
            o.setIntraOpNumThreads(effectiveThreads());
            o.setInterOpNumThreads(1);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            o.setMemoryPatternOptimization(memoryPattern);
            o.setCPUArenaAllocator(cpuArena);
            o.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
            if (spinning) {
                // spin only while a run is in progress: the threads stop as soon as it returns, so the Java
                // work between runs (tiles, the preview's upsampling) does not compete with them
                o.addConfigEntry("session.force_spinning_stop", "1");
            }
            return o;
        } catch (OrtException | RuntimeException e) {
            o.close();
            throw e;
        }
    }
}
