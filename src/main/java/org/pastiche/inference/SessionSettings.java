package org.pastiche.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * How ONNX Runtime sessions are configured. The defaults were measured with {@code bench}
 * (see docs/engine.md): intra-op threads = cores (the convolutions parallelise well and one
 * inference runs at a time), one inter-op thread (the networks are a chain), every graph
 * optimisation, the memory pattern (tiles repeat one shape), no CPU arena (it keeps the peak of
 * every shape it has seen: with the candy model 12 MP took 1.6 GB peak RSS with it, ~0.7 GB
 * without, at about the same speed), and no spin-waiting: on a busy 2-core machine idle threads
 * that spin steal the CPU from everything else (12 MP: 31 s without spinning against 50 s with it).
 *
 * @param intraOpThreads threads inside one operator; 0 = the number of cores
 * @param spinning       let idle ONNX Runtime threads spin-wait for work (lower latency, but they
 *                       take CPU from the Java code between tiles and from other processes)
 */
public record SessionSettings(int intraOpThreads, boolean memoryPattern, boolean cpuArena, boolean spinning) {
    public static SessionSettings defaults() {
        return new SessionSettings(0, true, false, false);
    }

    public SessionSettings withThreads(int threads) {
        return new SessionSettings(threads, memoryPattern, cpuArena, spinning);
    }

    public int effectiveThreads() {
        return intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
    }

    /** New session options; the caller closes them. */
    public OrtSession.SessionOptions toOptions() throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        try {
            o.setIntraOpNumThreads(effectiveThreads());
            o.setInterOpNumThreads(1);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            o.setMemoryPatternOptimization(memoryPattern);
            o.setCPUArenaAllocator(cpuArena);
            o.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
            return o;
        } catch (OrtException | RuntimeException e) {
            o.close();
            throw e;
        }
    }
}
