#!/usr/bin/env python3
"""Single ONNX Runtime ops against their alternatives, on tensors of candy's shapes at 2 MP: what the seventh
round of docs/engine.md measured before choosing a graph rewrite.

    python3 training/scripts/op_bench.py [--runs 9] [--threads 2]

Pairs (each a one- or two-node graph, the engine's session settings, alternating runs, medians in ms, and
whether the two give the same numbers):
- norm_affine's BatchNormalization + Relu against a depthwise 1 x 1 Conv (weights and bias fed at run time)
  + Relu, which ONNX Runtime fuses (fastgraph.norm_affine_relu);
- the same without the Relu, followed by the residual Add (no fusion);
- the one-pass variance's ReduceSumSquare by rows against Mul(x, x) then ReduceSum by rows;
- SpaceToDepth(2) against a one-hot grouped Conv (kernel 2, stride 2).
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np
from onnx import TensorProto, helper, numpy_helper

SHAPES = {"full": (20, 1224, 1632), "half": (48, 612, 816), "trunk": (49, 306, 408)}


def _model(nodes, inputs, inits):
    g = helper.make_graph(nodes, "g", [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in inputs],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def affine(c, dw, relu, add):
    inits = [numpy_helper.from_array(np.zeros(c, np.float32), "z"), numpy_helper.from_array(np.ones(c, np.float32), "o"),
             numpy_helper.from_array(np.array([c, 1, 1, 1], np.int64), "ws")]
    nodes = ([helper.make_node("Reshape", ["s", "ws"], ["w"]),
              helper.make_node("Conv", ["x", "w", "b"], ["n"], group=c, kernel_shape=[1, 1])] if dw else
             [helper.make_node("BatchNormalization", ["x", "s", "b", "z", "o"], ["n"], epsilon=0.0)])
    if relu:
        nodes.append(helper.make_node("Relu", ["n"], ["y"]))
    elif add:
        nodes.append(helper.make_node("Add", ["k", "n"], ["y"]))
    inputs = [("x", [1, c, "H", "W"]), ("s", [c]), ("b", [c])] + ([("k", [1, c, "H", "W"])] if add else [])
    return _model(nodes, inputs, inits)


def sumsq(mul):
    inits = [numpy_helper.from_array(np.array([3], np.int64), "a3"), numpy_helper.from_array(np.array([2], np.int64), "a2")]
    first = ([helper.make_node("Mul", ["x", "x"], ["x2"]), helper.make_node("ReduceSum", ["x2", "a3"], ["r"], keepdims=1)]
             if mul else [helper.make_node("ReduceSumSquare", ["x"], ["r"], axes=[3], keepdims=1)])
    return _model(first + [helper.make_node("ReduceSum", ["r", "a2"], ["y"], keepdims=1)], [("x", [1, None, "H", "W"])], inits)


def s2d(c, conv):
    w = np.zeros((4 * c, 1, 2, 2), np.float32)
    for k in range(c):
        for p in range(2):
            for q in range(2):
                w[k * 4 + p * 2 + q, 0, p, q] = 1
    node = (helper.make_node("Conv", ["x", "w"], ["y"], group=c, kernel_shape=[2, 2], strides=[2, 2]) if conv
            else helper.make_node("SpaceToDepth", ["x"], ["y"], blocksize=2))
    return _model([node], [("x", [1, c, "H", "W"])], [numpy_helper.from_array(w, "w")])


def main(argv=None):
    import onnxruntime as ort
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args(argv)
    so = ort.SessionOptions()
    so.intra_op_num_threads, so.inter_op_num_threads = a.threads, 1
    so.add_session_config_entry("session.intra_op.allow_spinning", "0")
    so.log_severity_level = 3
    rng = np.random.default_rng(0)
    print(f"load average {os.getloadavg()[0]:.1f}; {a.threads} thread(s), medians of {a.runs} alternating runs (ms)")
    cases = []
    for tag, (c, h, w) in SHAPES.items():
        x = rng.standard_normal((1, c, h, w)).astype(np.float32)
        feed = {"x": x, "s": (rng.random(c) + 0.5).astype(np.float32), "b": rng.standard_normal(c).astype(np.float32),
                "k": rng.standard_normal((1, c, h, w)).astype(np.float32)}
        cases += [(f"{tag} {c}x{h}x{w}: BN + Relu | depthwise conv + Relu", affine(c, False, True, False),
                   affine(c, True, True, False), feed),
                  (f"{tag} {c}x{h}x{w}: BN + Add | depthwise conv + Add", affine(c, False, False, True),
                   affine(c, True, False, True), feed),
                  (f"{tag} {c}x{h}x{w}: ReduceSumSquare rows | Mul + ReduceSum rows", sumsq(False), sumsq(True), feed)]
        if tag == "full":
            xp = rng.standard_normal((1, c, h + 8, w + 8)).astype(np.float32)
            cases.append((f"{tag} {c}x{h + 8}x{w + 8}: SpaceToDepth | one-hot grouped conv", s2d(c, False), s2d(c, True),
                          {"x": xp}))
    for name, ma, mb, feed in cases:
        sa, sb = (ort.InferenceSession(m.SerializeToString(), so, providers=["CPUExecutionProvider"]) for m in (ma, mb))
        fa, fb = ({i.name: feed[i.name] for i in s.get_inputs()} for s in (sa, sb))
        ya, yb = sa.run(None, fa)[0], sb.run(None, fb)[0]
        if "SpaceToDepth" in name:
            c = feed["x"].shape[1]
            ya = ya[:, [(i % 4) * c + i // 4 for i in range(4 * c)]]   # DCR -> the conv's CRD order
        ta, tb = [], []
        for _ in range(a.runs):
            for s, f, t in ((sa, fa, ta), (sb, fb, tb)):
                t0 = time.perf_counter()
                s.run(None, f)
                t.append(time.perf_counter() - t0)
        same = "the same numbers" if np.array_equal(ya, yb) else f"max |diff| {float(np.abs(ya - yb).max()):.2e}"
        print(f"  {name}: {1e3 * np.median(ta):.1f} | {1e3 * np.median(tb):.1f} ({same})", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
