#!/usr/bin/env python3
"""ONNX Runtime session options against the engine's, on one style network, side by side: every variant has
its own session in this process and they run alternately, run after run, on kodim23 at --size.

    python3 training/scripts/ort_options.py [models/candy.onnx] [--size 1632x1224] [--runs 8]

The engine's settings (SessionSettings): 2 intra-op threads, 1 inter-op, sequential, every graph
optimisation, spinning off. Variants: spinning (stopped when a run returns), denormals as zero, ONNX
Runtime's dynamic block base 4 and 8 (parallel loops handed out in shrinking blocks), ORT_ENABLE_EXTENDED
(no NCHWc layout), ORT_PARALLEL with 2 inter-op threads (and 2 or 1 intra-op). Prints the median wall and CPU (process) time per run of each after one warm-up run.
docs/engine.md ("Fifth round") quotes it; the engine's own A/B is the real test (a gain here did not
survive there).
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from graph_compare import photo

REPO = Path(__file__).resolve().parents[2]


def session(model, config=(), level=None, threads=2, inter=1):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = inter
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL if inter == 1 else ort.ExecutionMode.ORT_PARALLEL
    so.graph_optimization_level = level if level is not None else ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    cfg = {"session.intra_op.allow_spinning": "0", **dict(config)}
    for k, v in cfg.items():
        so.add_session_config_entry(k, v)
    return ort.InferenceSession(str(model), so, providers=["CPUExecutionProvider"])


def main(argv=None):
    import onnxruntime as ort
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model", type=Path, nargs="?", default=REPO / "models" / "candy.onnx")
    ap.add_argument("--size", default="1632x1224")
    ap.add_argument("--runs", type=int, default=8)
    ap.add_argument("--data", type=Path, default=(REPO / ".." / "shared" / "data").resolve())
    a = ap.parse_args(argv)
    w, h = (int(v) for v in a.size.lower().split("x"))
    x = photo(w, h, a.data)
    variants = {
        "engine": session(a.model),
        "spinning": session(a.model, {"session.intra_op.allow_spinning": "1", "session.force_spinning_stop": "1"}),
        "denormal0": session(a.model, {"session.set_denormal_as_zero": "1"}),
        "block4": session(a.model, {"session.dynamic_block_base": "4"}),
        "block8": session(a.model, {"session.dynamic_block_base": "8"}),
        "extended": session(a.model, level=ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED),
        # independent nodes (a norm's two statistics, the stats output's) side by side (seventh round)
        "parallel": session(a.model, inter=2),
        "par_intra1": session(a.model, threads=1, inter=2),
    }
    for s in variants.values():
        s.run(["output"], {"input": x})
    times = {k: [] for k in variants}
    for _ in range(a.runs):
        for k, s in variants.items():
            w0, c0 = time.perf_counter(), time.process_time()
            s.run(["output"], {"input": x})
            times[k].append((time.perf_counter() - w0, time.process_time() - c0))
    print(f"{a.model.name} at {w}x{h}, {a.runs} alternating runs, load average {os.getloadavg()[0]:.1f}")
    for k, v in times.items():
        print(f"  {k:10s} wall {statistics.median(p for p, _ in v) * 1000:7.0f} ms   "
              f"CPU {statistics.median(c for _, c in v) * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
