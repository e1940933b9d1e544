"""Graph rewrites that make a shipped network run faster on ONNX Runtime's CPU kernels, with the
same function (outputs equal up to float rounding; checked on every rewrite).

Measured with ONNX Runtime's profiler (docs/engine.md, "Speed of a real run"): the last conv
(9 x 9, 3 output channels) took about 30 % of a 2 MP run, because the NCHWc kernels compute
output channels in blocks of 8 or 16, and the im2col path is memory-bound for 3 output rows; the
nearest-upsampling convs another 15 % (full-resolution upsampled and padded copies, and output
channels padded up to the block size). `export.py` applies both rewrites to every export.

`output_conv_space_to_depth`: a k x k conv (stride 1, no padding of its own) with few output
channels becomes SpaceToDepth(2) -> a ceil((k + 1) / 2)-square conv with 4x the input and output
channels on the half-resolution image -> DepthToSpace(2). Output pixel (2Y + a, 2X + b), channel o,
is channel (a * 2 + b) * C_out + o of the half-resolution output; input channel (p * 2 + q) * C_in
+ c holds input pixel (2Y + p, 2X + q). The input's height and width must be even (the networks'
size multiple is 4, and the reflection padding before the conv adds k - 1, even for odd k).

`upsample_conv_phases`: see its docstring.

    cd training && python3 -m pastiche_lab.fastgraph ../models/*.onnx     # older exports, in place, each checked
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import helper, numpy_helper

MAX_OUT_CHANNELS = 4
MARK = "pastiche.fastgraph"


def _initializer(graph, name):
    for i in graph.initializer:
        if i.name == name:
            return i
    return None


def _attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            return helper.get_attribute_value(a)
    return default


def space_to_depth_weights(w: np.ndarray, b: np.ndarray):
    """[O, C, k, k] -> [4 O, 4 C, m, m] with m = (k + 2) // 2; bias [O] -> [4 O] (see the module doc)."""
    o, c, k, k2 = w.shape
    assert k == k2
    m = (k + 2) // 2
    w2 = np.zeros((4 * o, 4 * c, m, m), dtype=w.dtype)
    for a in range(2):
        for bb in range(2):
            for p in range(2):
                for q in range(2):
                    for u in range(m):
                        i = 2 * u + p - a
                        if not 0 <= i < k:
                            continue
                        for v in range(m):
                            j = 2 * v + q - bb
                            if not 0 <= j < k:
                                continue
                            w2[(a * 2 + bb) * o:(a * 2 + bb + 1) * o, (p * 2 + q) * c:(p * 2 + q + 1) * c, u, v] = \
                                w[:, :, i, j]
    return w2, np.tile(b, 4)


def output_conv_space_to_depth(model: onnx.ModelProto) -> int:
    """Rewrites every eligible conv (few output channels, odd k >= 5, stride 1, no own padding, no groups,
    dilation 1); returns how many."""
    g = model.graph
    done = 0
    nodes = list(g.node)
    for n in nodes:
        if n.op_type != "Conv" or len(n.input) < 2:
            continue
        w_init = _initializer(g, n.input[1])
        if w_init is None:
            continue
        w = numpy_helper.to_array(w_init)
        k = w.shape[2]
        if (w.shape[0] > MAX_OUT_CHANNELS or k < 5 or k % 2 == 0 or w.shape[3] != k
                or _attr(n, "group", 1) != 1 or any(s != 1 for s in _attr(n, "strides", [1, 1]))
                or any(p != 0 for p in _attr(n, "pads", [0, 0, 0, 0]))
                or any(d != 1 for d in _attr(n, "dilations", [1, 1]))):
            continue
        b = numpy_helper.to_array(_initializer(g, n.input[2])) if len(n.input) > 2 and n.input[2] \
            else np.zeros(w.shape[0], w.dtype)
        w2, b2 = space_to_depth_weights(w, b)
        base = n.name or n.output[0]
        names = [base + s for s in ("/s2d", "/s2d_conv", "/w_s2d", "/b_s2d")]
        g.initializer.extend([numpy_helper.from_array(w2, names[2]), numpy_helper.from_array(b2, names[3])])
        s2d = helper.make_node("SpaceToDepth", [n.input[0]], [names[0]], name=names[0], blocksize=2)
        conv = helper.make_node("Conv", [names[0], names[2], names[3]], [names[1]], name=names[1],
                                kernel_shape=[w2.shape[2], w2.shape[3]], strides=[1, 1], pads=[0, 0, 0, 0])
        d2s = helper.make_node("DepthToSpace", [names[1]], [n.output[0]], name=base + "/d2s", blocksize=2,
                               mode="DCR")
        idx = list(g.node).index(n)
        g.node.remove(n)
        for off, new in enumerate((s2d, conv, d2s)):
            g.node.insert(idx + off, new)
        done += 1
    return done


def upsample_phase_weights(w: np.ndarray, b: np.ndarray):
    """[O, C, 3, 3] on the nearest-upsampled image -> [4 O, C, 3, 3] on the edge-padded low-resolution
    one: output phase (a, b), channel (a * 2 + b) * O + o, sums the taps that land on the same
    low-resolution pixel (see the module doc)."""
    o, c, k, _ = w.shape
    assert k == 3
    taps = ({0: 0, 1: 1, 2: 1}, {0: 1, 1: 1, 2: 2})  # phase a: full-res tap i -> low-res row r
    w2 = np.zeros((4 * o, c, 3, 3), dtype=w.dtype)
    for a in range(2):
        for bb in range(2):
            for i in range(3):
                for j in range(3):
                    w2[(a * 2 + bb) * o:(a * 2 + bb + 1) * o, :, taps[a][i], taps[bb][j]] += w[:, :, i, j]
    return w2, np.tile(b, 4)


def upsample_conv_phases(model: onnx.ModelProto) -> int:
    """Resize (nearest x2, floor) -> Pad (reflect 1) -> Conv 3 x 3 becomes Pad (edge 1) -> Conv 3 x 3
    with 4x the output channels on the low-resolution image -> DepthToSpace(2): the same function
    (reflecting a nearest-upsampled image by one pixel repeats its edge), without the full-resolution
    upsampled and padded copies, and with output channels that fill the conv kernels' blocks."""
    g = model.graph
    consumers = {}
    for n in g.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    done = 0
    for resize in [n for n in g.node if n.op_type == "Resize"]:
        if (_attr(resize, "mode", b"") != b"nearest" or _attr(resize, "nearest_mode", b"") != b"floor"
                or _attr(resize, "coordinate_transformation_mode", b"") != b"asymmetric"):
            continue
        if not _scales_are(g, resize, [1, 1, 2, 2]):
            continue
        users = consumers.get(resize.output[0], [])
        if len(users) != 1 or users[0].op_type != "Pad" or _attr(users[0], "mode", b"") != b"reflect":
            continue
        pad = users[0]
        users = consumers.get(pad.output[0], [])
        if len(users) != 1 or users[0].op_type != "Conv":
            continue
        conv = users[0]
        w_init = _initializer(g, conv.input[1])
        if w_init is None:
            continue
        w = numpy_helper.to_array(w_init)
        if (w.shape[2:] != (3, 3) or _attr(conv, "group", 1) != 1
                or any(v != 1 for v in _attr(conv, "strides", [1, 1]))
                or any(v != 0 for v in _attr(conv, "pads", [0, 0, 0, 0]))):
            continue
        b = numpy_helper.to_array(_initializer(g, conv.input[2])) if len(conv.input) > 2 and conv.input[2] \
            else np.zeros(w.shape[0], w.dtype)
        w2, b2 = upsample_phase_weights(w, b)
        base = conv.name or conv.output[0]
        names = [base + s for s in ("/edge_pad", "/edge_pads", "/phases", "/w_phases", "/b_phases")]
        g.initializer.extend([numpy_helper.from_array(np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64), names[1]),
                              numpy_helper.from_array(w2, names[3]), numpy_helper.from_array(b2, names[4])])
        new = [helper.make_node("Pad", [resize.input[0], names[1]], [names[0]], name=names[0], mode="edge"),
               helper.make_node("Conv", [names[0], names[3], names[4]], [names[2]], name=names[2],
                                kernel_shape=[3, 3], strides=[1, 1], pads=[0, 0, 0, 0]),
               helper.make_node("DepthToSpace", [names[2]], [conv.output[0]], name=base + "/d2s", blocksize=2,
                                mode="DCR")]
        for n in (conv, pad, resize):
            g.node.remove(n)
        # keep the order topological: the new nodes go just before the first user of the conv's output
        users = [i for i, n in enumerate(g.node) if conv.output[0] in n.input]
        first = users[0] if users else len(g.node)
        for off, n in enumerate(new):
            g.node.insert(first + off, n)
        done += 1
    return done


def _scales_are(graph, resize, expected) -> bool:
    if len(resize.input) < 3 or not resize.input[2]:
        return False
    name = resize.input[2]
    init = _initializer(graph, name)
    if init is not None:
        return list(numpy_helper.to_array(init)) == expected
    for n in graph.node:
        if n.op_type == "Constant" and n.output[0] == name:
            return list(numpy_helper.to_array(n.attribute[0].t)) == expected
    return False


def _prune(graph) -> None:
    """Removes nodes and initializers nothing uses any more."""
    outputs = {o.name for o in graph.output}
    while True:
        used = {i for n in graph.node for i in n.input} | outputs
        dead = [n for n in graph.node if not any(o in used for o in n.output)]
        if not dead:
            break
        for n in dead:
            graph.node.remove(n)
    used = {i for n in graph.node for i in n.input}
    for init in list(graph.initializer):
        if init.name not in used:
            graph.initializer.remove(init)


REWRITES = (output_conv_space_to_depth, upsample_conv_phases)


def rewrite(model: onnx.ModelProto) -> int:
    applied = []
    n = 0
    for r in REWRITES:
        k = r(model)
        if k:
            applied.append(f"{r.__name__} x{k}")
            n += k
    _prune(model.graph)
    if n:
        p = model.metadata_props.add()
        p.key, p.value = MARK, ", ".join(applied)
    return n


def check_same(original: Path, rewritten: onnx.ModelProto, size=(1, 3, 68, 100), seed=0) -> float:
    """Max abs difference of every output (0..255 scale) on a random image (and the stats input, if any)."""
    import onnxruntime as ort
    rng = np.random.default_rng(seed)
    a = ort.InferenceSession(str(original), providers=["CPUExecutionProvider"])
    b = ort.InferenceSession(rewritten.SerializeToString(), providers=["CPUExecutionProvider"])
    feeds = {"input": (rng.random(size) * 255).astype(np.float32)}
    for i in a.get_inputs():
        if i.name == "stats":
            ref = [s for s in a.get_inputs()]
            n = i.shape[0] if isinstance(i.shape[0], int) else None
            whole = original.with_name(original.name.replace(".tile.onnx", ".onnx"))
            st = ort.InferenceSession(str(whole), providers=["CPUExecutionProvider"]).run(["stats"], feeds)[0]
            feeds["stats"] = st if n is None or n == len(st) else st[:n]
    worst = 0.0
    for out_a, out_b in zip(a.run(None, feeds), b.run(None, feeds)):
        worst = max(worst, float(np.max(np.abs(out_a - out_b))))
    return worst


def main(argv=None):
    ap = argparse.ArgumentParser(description="Rewrite shipped ONNX networks to run faster (same outputs).")
    ap.add_argument("models", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, help="folder to write to (default: in place)")
    ap.add_argument("--tolerance", type=float, default=0.05, help="max output difference (0..255 scale)")
    a = ap.parse_args(argv)
    for path in a.models:
        m = onnx.load(str(path))
        if any(p.key == MARK for p in m.metadata_props):
            print(f"{path}: already rewritten")
            continue
        n = rewrite(m)
        if n == 0:
            print(f"{path}: nothing to rewrite")
            continue
        onnx.checker.check_model(m)
        diff = check_same(path, m)
        if diff > a.tolerance:
            sys.exit(f"{path}: rewritten outputs differ by {diff:.3g} (> {a.tolerance}); not written")
        target = (a.out / path.name) if a.out else path
        tmp = target.with_name(target.name + ".tmp")
        onnx.save(m, str(tmp))
        tmp.replace(target)
        print(f"{path}: {n} conv(s) rewritten, outputs within {diff:.2g}; written to {target}")


if __name__ == "__main__":
    main()
