#!/usr/bin/env python3
"""Where a style network's time goes in ONNX Runtime: its profiler's kernel times summed by op type (and the
slowest nodes), on kodim23 at a given size.

    python3 training/scripts/ort_profile.py models/candy.onnx [--size 512x384] [--threads 2] [--runs 6] [--nodes 20]

One warm-up run, then --runs profiled runs (SessionOptions.enable_profiling; the `Node` events'
`*_kernel_time` durations, per run). Kernel times are wall times of each node: on a loaded machine they
swell with the load, so read the shares, not the milliseconds. docs/engine.md ("Third round") quotes it.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import tempfile
import time
from pathlib import Path

from graph_compare import photo

REPO = Path(__file__).resolve().parents[2]


def main(argv=None):
    import onnxruntime as ort
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model", type=Path)
    ap.add_argument("--size", default="512x384")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=6)
    ap.add_argument("--nodes", type=int, default=20, help="how many of the slowest nodes to list")
    ap.add_argument("--data", type=Path, default=(REPO / ".." / "shared" / "data").resolve())
    a = ap.parse_args(argv)
    w, h = (int(v) for v in a.size.lower().split("x"))
    x = photo(w, h, a.data)
    so = ort.SessionOptions()
    so.intra_op_num_threads = a.threads
    so.inter_op_num_threads = 1
    so.add_session_config_entry("session.intra_op.allow_spinning", "0")
    so.enable_profiling = True
    with tempfile.TemporaryDirectory() as tmp:
        so.profile_file_prefix = str(Path(tmp) / "prof")
        s = ort.InferenceSession(str(a.model), so, providers=["CPUExecutionProvider"])
        s.run(None, {"input": x})
        c = time.process_time()
        for _ in range(a.runs):
            s.run(None, {"input": x})
        cpu = (time.process_time() - c) / a.runs
        events = json.loads(Path(s.end_profiling()).read_text())
    by_op, by_node = collections.Counter(), collections.Counter()
    for e in events:
        if e.get("cat") == "Node" and e["name"].endswith("_kernel_time"):
            by_op[e["args"]["op_name"]] += e["dur"]
            by_node[(e["args"]["op_name"], e["name"][:-len("_kernel_time")])] += e["dur"]
    total = sum(by_op.values())
    runs = a.runs + 1   # the warm-up is profiled too
    print(f"{a.model} at {w}x{h}, {a.threads} thread(s): kernel time {total / runs / 1e3:.1f} ms/run, "
          f"CPU {1e3 * cpu:.1f} ms/run (profiling on), load average {os.getloadavg()[0]:.1f}")
    for op, d in by_op.most_common():
        if d / total >= 0.001:
            print(f"  {op:24s} {100 * d / total:5.1f} %")
    print("slowest nodes:")
    for (op, name), d in by_node.most_common(a.nodes):
        print(f"  {100 * d / total:5.1f} %  {op:20s} {name}")


if __name__ == "__main__":
    main()
