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

`upsample_conv_phases`, `conv_transpose_phases` (the format A networks' stride-2 ConvTranspose, about
16 % of picasso's preview): see their docstrings. `upsample_phases_2x2` drops the zero taps of the
nearest-upsampling phases (each phase uses a 2 x 2 window of the 3 x 3), and
`depth_to_space_conv_transpose` turns the DepthToSpace after every phase conv into a one-hot grouped
ConvTranspose (ONNX Runtime's DepthToSpace moves one float at a time), with the upsamplings' crop as its
pads (docs/engine.md, "Third round").
`phase_tensor_pad` (format A) runs the last norm, Relu and the output conv's reflection pad on up2's phase
tensor instead of its DepthToSpace'd copy (docs/engine.md, "Fourth round" (e)). `norm_affine_relu` turns each
norm's BatchNormalization that feeds a Relu into a depthwise 1 x 1 conv (its weights and bias computed at run
time), which ONNX Runtime fuses with the Relu: one pass instead of two, exact (docs/engine.md, "Seventh round").

The instance norms, exported as seven elementwise passes over the full tensor each (ReduceMean, Sub,
Pow, ReduceMean, Div, Mul, Add), were about 28 % of a run after the conv rewrites. `norm_one_pass_variance`
computes the variance from ReduceSumSquare(x) / N - mean^2 (no Sub and Pow tensors) and `norm_affine`
folds (x - mean) / std * gamma + beta into one BatchNormalization with per-channel scale and shift
computed on the [C] vectors (one pass instead of Sub, Div, Mul, Add). The one-pass variance is not
bit-identical (float summation, cancellation): the rewritten shipped networks stay above 60 dB PSNR
against the old graph on a real photo (checked by `main`, figures in docs/engine.md).

    cd training && python3 -m pastiche_lab.fastgraph ../models/*.onnx     # older exports, in place, each checked

Repeatable: a graph that already has some rewrites gets only the missing ones (the metadata
`pastiche.fastgraph` lists what was applied); a graph with nothing left to rewrite is left as it is.
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


def upsample_phase_2x2_weights(w3: np.ndarray, b3: np.ndarray):
    """upsample_phase_weights' [4 O, C, 3, 3] (phase (a, b) nonzero only in rows a, a + 1 and columns b,
    b + 1) -> [4 O, C, 2, 2] with phase (a, b) at channel ((1 - a) * 2 + (1 - b)) * O + o (see
    upsample_phases_2x2); None when a phase has a tap outside its 2 x 2 window."""
    o = w3.shape[0] // 4
    w2 = np.zeros((4 * o, w3.shape[1], 2, 2), dtype=w3.dtype)
    b2 = np.zeros(4 * o, dtype=b3.dtype)
    for a in range(2):
        for bb in range(2):
            src = slice((a * 2 + bb) * o, (a * 2 + bb + 1) * o)
            dst = slice(((1 - a) * 2 + 1 - bb) * o, ((1 - a) * 2 + 2 - bb) * o)
            outside = np.ones((3, 3), bool)
            outside[a:a + 2, bb:bb + 2] = False
            if np.any(w3[src][:, :, outside] != 0):
                return None
            w2[dst] = w3[src][:, :, a:a + 2, bb:bb + 2]
            b2[dst] = b3[src]
    return w2, b2


def upsample_phases_2x2(model: onnx.ModelProto) -> int:
    """upsample_conv_phases' Pad (edge 1) -> Conv 3 x 3 [4 O] -> DepthToSpace(2): each output phase uses
    only a 2 x 2 window of the 3 x 3 (phase a takes rows a and a + 1), so 5/9 of that conv's multiplies are
    by zero. It becomes Pad (edge 1) -> Conv 2 x 2 [4 O] over (h + 1) x (w + 1) windows -> DepthToSpace(2)
    -> Slice dropping the first and last row and column. Window Z (rows Z, Z + 1 of the padded image)
    is phase 0 of low-resolution row Z and phase 1 of row Z - 1, i.e. full-resolution rows 2 Z and 2 Z - 1;
    putting phase a at DepthToSpace's sub-row 1 - a lays them out as rows -1 .. 2 h of the full-resolution
    image, and the Slice keeps 0 .. 2 h - 1 (columns alike). The same sums in the same order: exact.
    Returns how many."""
    g = model.graph
    prod, users = _producers(g), _consumers(g)
    done = 0
    for conv in [n for n in g.node if n.op_type == "Conv"]:
        pad = prod.get(conv.input[0])
        after = users.get(conv.output[0], [])
        if (pad is None or pad.op_type != "Pad" or _attr(pad, "mode", b"") != b"edge" or len(after) != 1
                or after[0].op_type != "DepthToSpace" or _attr(after[0], "blocksize") != 2
                or _attr(after[0], "mode", b"DCR") not in (b"DCR", "DCR")):
            continue
        pads = _constant(g, prod, pad.input[1]) if len(pad.input) > 1 else None
        if pads is None or pads.reshape(-1).tolist() != [0, 0, 1, 1, 0, 0, 1, 1]:
            continue
        w_init = _initializer(g, conv.input[1])
        if w_init is None or len(conv.input) < 3 or _initializer(g, conv.input[2]) is None:
            continue
        w = numpy_helper.to_array(w_init)
        if (w.ndim != 4 or w.shape[2:] != (3, 3) or w.shape[0] % 4 or _attr(conv, "group", 1) != 1
                or any(v != 1 for v in _attr(conv, "strides", [1, 1])) or any(v != 0 for v in _attr(conv, "pads", [0, 0, 0, 0]))
                or any(v != 1 for v in _attr(conv, "dilations", [1, 1]))):
            continue
        wb = upsample_phase_2x2_weights(w, numpy_helper.to_array(_initializer(g, conv.input[2])))
        if wb is None:
            continue
        d2s = after[0]
        base = conv.name or conv.output[0]
        names = [base + sfx for sfx in ("/w_2x2", "/b_2x2", "/2x2", "/wide", "/crop_starts", "/crop_ends", "/crop_axes")]
        g.initializer.extend([numpy_helper.from_array(wb[0], names[0]), numpy_helper.from_array(wb[1], names[1]),
                              numpy_helper.from_array(np.array([1, 1], np.int64), names[4]),
                              numpy_helper.from_array(np.array([-1, -1], np.int64), names[5]),
                              numpy_helper.from_array(np.array([2, 3], np.int64), names[6])])
        new = [helper.make_node("Conv", [conv.input[0], names[0], names[1]], [names[2]], name=names[2],
                                kernel_shape=[2, 2], strides=[1, 1], pads=[0, 0, 0, 0]),
               helper.make_node("DepthToSpace", [names[2]], [names[3]], name=names[3], blocksize=2, mode="DCR"),
               helper.make_node("Slice", [names[3], names[4], names[5], names[6]], [d2s.output[0]], name=base + "/crop")]
        for n in (d2s, conv):
            g.node.remove(n)
        _insert_before_first_user(g, new, d2s.output[0])
        done += 1
    if done:
        _prune(g)
    return done


def depth_to_space_weights(o: int) -> np.ndarray:
    """The one-hot ConvTranspose weights [4 O, 1, 2, 2] (group O) that are DepthToSpace(2) of a tensor whose
    channel o * 4 + a * 2 + b holds output channel o at sub-pixel (a, b) (CRD order)."""
    w = np.zeros((4 * o, 1, 2, 2), np.float32)
    for c in range(o):
        for a in range(2):
            for bb in range(2):
                w[c * 4 + a * 2 + bb, 0, a, bb] = 1
    return w


def dcr_to_crd(o: int) -> np.ndarray:
    """new channel c * 4 + p (CRD) <- old channel p * O + c (DCR): the permutation of a conv's outputs."""
    return np.array([p * o + c for c in range(o) for p in range(4)])


def depth_to_space_conv_transpose(model: onnx.ModelProto) -> int:
    """DepthToSpace(2) of a conv's output (the phase rewrites' last step) becomes a ConvTranspose (kernel 2,
    stride 2, group O, one-hot weights) with the conv's output channels put in CRD order: the same copy
    (x * 1 + 0, exact), but ONNX Runtime's DepthToSpace is a 6-D transpose that moves one float at a time
    (16.5 ms of CPU for 80 x 193 x 257 floats, a plain copy of them 2-3 ms) while the grouped ConvTranspose
    takes 9 ms. Only where the conv (constant weights and bias) feeds nothing else. A Slice after it that drops
    one row and column on each side (upsample_phases_2x2's crop) becomes the ConvTranspose's pads (its output
    is cropped by them, no copy). Returns how many."""
    g = model.graph
    prod, users = _producers(g), _consumers(g)
    done = 0
    for d2s in [n for n in g.node if n.op_type == "DepthToSpace"]:
        conv = prod.get(d2s.input[0])
        if (_attr(d2s, "blocksize") != 2 or _attr(d2s, "mode", b"DCR") not in (b"DCR", "DCR") or conv is None
                or conv.op_type != "Conv" or len(users.get(conv.output[0], [])) != 1 or len(conv.input) < 3
                or conv.output[0] in {o.name for o in g.output}):
            continue
        wi, bi = _initializer(g, conv.input[1]), _initializer(g, conv.input[2])
        if wi is None or bi is None or len(users.get(wi.name, [])) != 1 or len(users.get(bi.name, [])) != 1:
            continue
        w, b = numpy_helper.to_array(wi), numpy_helper.to_array(bi)
        if w.shape[0] % 4:
            continue
        o = w.shape[0] // 4
        perm = dcr_to_crd(o)
        wi.CopyFrom(numpy_helper.from_array(np.ascontiguousarray(w[perm]), wi.name))
        bi.CopyFrom(numpy_helper.from_array(np.ascontiguousarray(b[perm]), bi.name))
        base = d2s.name or d2s.output[0]
        g.initializer.append(numpy_helper.from_array(depth_to_space_weights(o), base + "/ct_w"))
        # upsample_phases_2x2's crop of one row and column on each side: the ConvTranspose's own pads
        after = users.get(d2s.output[0], [])
        crop = len(after) == 1 and _crops_one(g, prod, after[0])
        out = after[0].output[0] if crop else d2s.output[0]
        ct = helper.make_node("ConvTranspose", [d2s.input[0], base + "/ct_w"], [out], name=base + "/ct",
                              kernel_shape=[2, 2], strides=[2, 2], group=o, pads=[1, 1, 1, 1] if crop else [0, 0, 0, 0])
        idx = list(g.node).index(d2s)
        g.node.remove(d2s)
        if crop:
            g.node.remove(after[0])
        g.node.insert(idx, ct)
        done += 1
    if done:
        _prune(g)
    return done


def _crops_one(graph, producers, node) -> bool:
    """A Slice dropping the first and last row and column (axes 2 and 3, step 1)."""
    if node.op_type != "Slice" or len(node.input) < 4:
        return False
    vals = [_constant(graph, producers, i) for i in node.input[1:4]]
    step = _constant(graph, producers, node.input[4]) if len(node.input) > 4 and node.input[4] else np.array([1, 1])
    if any(v is None for v in vals) or step is None:
        return False
    starts, ends, axes = (v.reshape(-1).tolist() for v in vals)
    return sorted(zip(axes, starts, ends)) == [(2, 1, -1), (3, 1, -1)] and step.reshape(-1).tolist() == [1, 1]


# phase -> {kernel row r: ConvTranspose tap} (onnx_import inverts with the same table)
conv_transpose_phase_taps = ({1: 0, 0: 2}, {1: 1})


def conv_transpose_phase_weights(w: np.ndarray, b: np.ndarray):
    """ConvTranspose weights [C, O, 3, 3] (stride 2, no pads) -> Conv weights [4 O, C, 2, 2] on the input
    zero-padded by one row and column at the top and left: output pixel (2Y + a, 2X + b) sums input
    pixels j with 2 j + k = 2 Y + a, so phase 0 takes tap 0 from row Y and tap 2 from row Y - 1, phase
    1 tap 1 from row Y (kernel row 1 is Y, row 0 is Y - 1); channel (a * 2 + b) * O + o as DepthToSpace
    (DCR) wants it."""
    c, o, k, _ = w.shape
    assert k == 3
    taps = conv_transpose_phase_taps
    w2 = np.zeros((4 * o, c, 2, 2), dtype=w.dtype)
    for a in range(2):
        for bb in range(2):
            for r, ki in taps[a].items():
                for s_, kj in taps[bb].items():
                    w2[(a * 2 + bb) * o:(a * 2 + bb + 1) * o, :, r, s_] = w[:, :, ki, kj].T
    return w2, np.tile(b, 4)


def _slice_drops_last(graph, producers, node, axis) -> bool:
    """Slice keeping [0, -1) along axis, step 1."""
    if node.op_type != "Slice" or len(node.input) < 4:
        return False
    vals = [_constant(graph, producers, i) for i in node.input[1:4]]
    step = _constant(graph, producers, node.input[4]) if len(node.input) > 4 and node.input[4] else np.array([1])
    if any(v is None for v in vals) or step is None:
        return False
    starts, ends, axes = (v.reshape(-1).tolist() for v in vals)
    return starts == [0] and ends == [-1] and axes == [axis] and step.reshape(-1).tolist() == [1]


def conv_transpose_phases(model: onnx.ModelProto) -> int:
    """ConvTranspose (3 x 3, stride 2, no pads) followed by Slices dropping the last row and column
    (the format A networks' upsampling) becomes a 2 x 2 Conv with 4x the output channels on the
    low-resolution input (padded by one zero row and column at the top and left) -> DepthToSpace(2):
    the same sums, without ConvTranspose's column buffer and col2im pass and the two copies of the
    Slices. Returns how many."""
    g = model.graph
    prod, users = _producers(g), _consumers(g)
    done = 0
    for ct in [n for n in g.node if n.op_type == "ConvTranspose"]:
        w_init = _initializer(g, ct.input[1])
        if w_init is None:
            continue
        w = numpy_helper.to_array(w_init)
        if (w.ndim != 4 or w.shape[2:] != (3, 3) or _attr(ct, "group", 1) != 1
                or list(_attr(ct, "strides", [1, 1])) != [2, 2] or any(v != 0 for v in _attr(ct, "pads", [0, 0, 0, 0]))
                or any(v != 1 for v in _attr(ct, "dilations", [1, 1]))
                or any(v != 0 for v in _attr(ct, "output_padding", [0, 0])) or _attr(ct, "output_shape") is not None
                or _attr(ct, "auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET")):
            continue
        first = users.get(ct.output[0], [])
        if len(first) != 1:
            continue
        s1 = first[0]
        second = users.get(s1.output[0], [])
        if len(second) != 1:
            continue
        s2 = second[0]
        if not ((_slice_drops_last(g, prod, s1, 2) and _slice_drops_last(g, prod, s2, 3))
                or (_slice_drops_last(g, prod, s1, 3) and _slice_drops_last(g, prod, s2, 2))):
            continue
        b = numpy_helper.to_array(_initializer(g, ct.input[2])) if len(ct.input) > 2 and ct.input[2] \
            else np.zeros(w.shape[1], w.dtype)
        w2, b2 = conv_transpose_phase_weights(w, b)
        base = ct.name or ct.output[0]
        names = [base + sfx for sfx in ("/phases", "/w_phases", "/b_phases")]
        g.initializer.extend([numpy_helper.from_array(w2, names[1]), numpy_helper.from_array(b2, names[2])])
        new = [helper.make_node("Conv", [ct.input[0], names[1], names[2]], [names[0]], name=names[0],
                                kernel_shape=[2, 2], strides=[1, 1], pads=[1, 1, 0, 0]),
               helper.make_node("DepthToSpace", [names[0]], [s2.output[0]], name=base + "/d2s", blocksize=2,
                                mode="DCR")]
        for n in (s2, s1, ct):
            g.node.remove(n)
        _insert_before_first_user(g, new, s2.output[0])
        done += 1
    if done:
        _prune(g)
    return done


PHASE_VIEW = "/phase_view"   # the Reshape that reads a phase tensor as [N, C, 4 h, w] (onnx_import looks for it)


def _folded(graph, name):
    """The value of name where it is computed from constants only (e.g. a Pad's pads built by a chain of
    Constant, ConstantOfShape, Concat, Reshape, Slice, Transpose and Cast nodes), else None."""
    const = _constant(graph, _producers(graph), name)
    if const is not None:
        return const
    prod = _producers(graph)
    inits = {i.name for i in graph.initializer}
    need, order, seen = [name], [], set()
    while need:
        v = need.pop()
        if v in seen or v in inits or v == "":
            continue
        seen.add(v)
        n = prod.get(v)
        if n is None:
            return None   # a graph input
        order.append(n)
        need.extend(n.input)
    nodes = [n for n in graph.node if n in order]
    used = {i for n in nodes for i in n.input}
    sub = helper.make_graph(nodes, "fold", [], [helper.make_tensor_value_info(name, onnx.TensorProto.UNDEFINED, None)],
                            [i for i in graph.initializer if i.name in used])
    from onnx.reference import ReferenceEvaluator
    try:
        return np.asarray(ReferenceEvaluator(helper.make_model(sub, opset_imports=[helper.make_opsetid("", 17)])).run(None, {})[0])
    except Exception:   # noqa: BLE001 - anything it cannot evaluate is not a constant here
        return None


def phase_pad_perm(c: int) -> np.ndarray:
    """new input channel k * 4 + p * 2 + q (the phase tensor's CRD order) <- SpaceToDepth's (p * 2 + q) * C + k."""
    return np.array([(i % 4) * c + i // 4 for i in range(4 * c)])


def phase_tensor_pad(model: onnx.ModelProto) -> int:
    """The format A networks' last upsampling up to the output conv: phases P (a conv's output in CRD order)
    -> DepthToSpace (depth_to_space_conv_transpose's ConvTranspose) -> X -> instance norm (statistics over
    X, norm_affine's BatchNormalization) -> Relu -> reflection Pad 2 k -> SpaceToDepth(2) ->
    output_conv_space_to_depth's conv: three full-resolution copies of a tensor that is already in the
    output conv's phase layout (X's 2 x 2 blocks are P's phases, the pad is even). The norm and Relu now run
    on P read as [N, C, 4 h, w] (a Reshape, no copy; per-channel statistics over the same values, summed in
    another order: float-close), and the pad is done per phase on [N, C, 2, 2, h, w]: along each axis phase
    0 is reflected at the start (rows k .. 1) and mirrored with its edge at the end (h - 1 .. h - k), phase 1
    the other way round (k - 1 .. 0; h - 2 .. h - k - 1), as reflecting the full-resolution rows does; small
    reversed Slices and one Concat per axis. The conv reads the result with its input channels permuted
    (phase_pad_perm). X stays for any other user (the tile graph's moments of a box). Returns how many."""
    g = model.graph
    prod, users = _producers(g), _consumers(g)
    done = 0
    for s2d in [n for n in g.node if n.op_type == "SpaceToDepth"]:
        pad = prod.get(s2d.input[0])
        after = users.get(s2d.output[0], [])
        if (_attr(s2d, "blocksize") != 2 or len(after) != 1 or after[0].op_type != "Conv" or pad is None
                or pad.op_type != "Pad" or _attr(pad, "mode", b"") != b"reflect" or len(users.get(pad.output[0], [])) != 1
                or len(pad.input) < 2 or (len(pad.input) > 2 and pad.input[2])):
            continue
        conv = after[0]
        relu = prod.get(pad.input[0])
        if relu is None or relu.op_type != "Relu" or len(users.get(relu.output[0], [])) != 1:
            continue
        bn = prod.get(relu.input[0])
        if bn is None or bn.op_type != "BatchNormalization" or len(users.get(bn.output[0], [])) != 1:
            continue
        ct = prod.get(bn.input[0])
        if (ct is None or ct.op_type != "ConvTranspose" or _initializer(g, ct.input[1]) is None
                or list(_attr(ct, "pads", [0, 0, 0, 0])) != [0, 0, 0, 0] or list(_attr(ct, "strides", [1, 1])) != [2, 2]):
            continue
        c = _attr(ct, "group", 1)
        if not np.array_equal(numpy_helper.to_array(_initializer(g, ct.input[1])), depth_to_space_weights(c)):
            continue
        pads = _folded(g, pad.input[1])
        if pads is None or pads.size != 8:
            continue
        pads = pads.reshape(-1).tolist()
        k = pads[2] // 2
        if pads[:2] != [0, 0] or pads[4:6] != [0, 0] or k < 1 or pads[2:4] != [2 * k] * 2 or pads[6:] != [2 * k] * 2:
            continue
        w_init = _initializer(g, conv.input[1])
        if w_init is None or numpy_helper.to_array(w_init).shape[1] != 4 * c or len(users.get(w_init.name, [])) != 1:
            continue
        p_name, x_name = ct.input[0], ct.output[0]
        base = (conv.name or conv.output[0]) + "/phase_pad"
        bld = _Builder(g, base)
        view, z = _phase_pad_nodes(bld, p_name, c, k, list(bn.input[1:]), _attr(bn, "epsilon", 1e-5))
        new = bld.nodes
        w = numpy_helper.to_array(w_init)
        w_init.CopyFrom(numpy_helper.from_array(np.ascontiguousarray(w[:, phase_pad_perm(c)]), w_init.name))
        conv.input[0] = z
        # the norm's statistics read the phase view where they only reduce over both spatial axes
        stats_users = [u for u in users.get(x_name, []) if u is not bn]
        if stats_users and _whole_reductions(g, users, stats_users):
            for u in stats_users:
                for i, v in enumerate(u.input):
                    if v == x_name:
                        u.input[i] = view
        for n in (s2d, pad, relu, bn):
            g.node.remove(n)
        idx = list(g.node).index(ct) + 1
        first = min([i for i, n in enumerate(g.node) if view in n.input] + [idx])
        for off, n in enumerate(new[:5]):
            g.node.insert(first + off, n)
        _insert_before_first_user(g, new[5:], z)
        done += 1
    if done:
        _prune(g)
    return done


def _counts_elements(graph, prod, users, node) -> bool:
    """node is Slice(shape, 2, 4) read only by ReduceProd (the spatial element count)."""
    if node.op_type != "Slice" or len(node.input) != 3:
        return False
    start, end = (_constant(graph, prod, v) for v in node.input[1:3])
    return (start is not None and end is not None and start.reshape(-1).tolist() == [2]
            and end.reshape(-1).tolist() == [4] and all(u.op_type == "ReduceProd" for u in users.get(node.output[0], [])))


class _Builder:
    """Nodes and int64 constants named under base."""

    def __init__(self, graph, base):
        self.graph, self.base, self.nodes = graph, base, []

    def const(self, v, nm):
        self.graph.initializer.append(numpy_helper.from_array(np.array(v, np.int64), f"{self.base}/{nm}"))
        return f"{self.base}/{nm}"

    def node(self, op, ins, nm, **kw):
        self.nodes.append(helper.make_node(op, ins, [f"{self.base}/{nm}"], name=f"{self.base}/{nm}", **kw))
        return f"{self.base}/{nm}"


def _reversed_rows(b, x, phase_axis, axis, phase, start, end, nm):
    return b.node("Slice", [x, b.const([phase, start], nm + "_s"), b.const([phase + 1, end], nm + "_e"),
                            b.const([phase_axis, axis], nm + "_a"), b.const([1, -1], nm + "_t")], nm)


def _phase_pad_nodes(b, p_name, c, k, bn_params, epsilon):
    """phase_tensor_pad's nodes (the first five, up to the view, go before the statistics); (view, padded)."""
    shape = b.node("Shape", [p_name], "shape")
    hw = b.node("Slice", [shape, b.const([2], "from_h"), b.const([4], "to_w")], "hw")
    width = b.node("Slice", [shape, b.const([3], "from_w"), b.const([4], "to_w1")], "w")
    view_shape = b.node("Concat", [b.const([0, c, -1], "view_dims"), width], "view_shape", axis=0)
    view = b.node("Reshape", [p_name, view_shape], PHASE_VIEW[1:])
    norm = b.node("BatchNormalization", [view] + bn_params, "norm", epsilon=epsilon)
    r = b.node("Relu", [norm], "relu")
    cur = b.node("Reshape", [r, b.node("Concat", [b.const([0, c, 2, 2], "six_dims"), hw], "six_shape", axis=0)], "six")
    big = -(2 ** 62)
    for phase_axis, axis, tag in ((2, 4, "rows"), (3, 5, "cols")):
        top = b.node("Concat", [_reversed_rows(b, cur, phase_axis, axis, 0, k, 0, tag + "_t0"),
                                _reversed_rows(b, cur, phase_axis, axis, 1, k - 1, big, tag + "_t1")],
                     tag + "_top", axis=phase_axis)
        bottom = b.node("Concat", [_reversed_rows(b, cur, phase_axis, axis, 0, -1, -1 - k, tag + "_b0"),
                                   _reversed_rows(b, cur, phase_axis, axis, 1, -2, -2 - k, tag + "_b1")],
                        tag + "_bottom", axis=phase_axis)
        cur = b.node("Concat", [top, cur, bottom], tag, axis=axis)
    padded_hw = b.node("Slice", [b.node("Shape", [cur], "padded_shape"), b.const([4], "from_ph"), b.const([6], "to_pw")],
                       "padded_hw")
    z = b.node("Reshape", [cur, b.node("Concat", [b.const([0, 4 * c], "z_dims"), padded_hw], "z_shape", axis=0)], "z")
    return view, z


def _whole_reductions(graph, users, nodes) -> bool:
    """Every node is a keepdims reduction over axes [2, 3], or over [3] read only by reductions over [2], or
    a Shape read only by Slice(2, 4) -> ReduceProd (the element count): values that do not change when the
    tensor is read as [N, C, 4 h, w] instead of [N, C, 2 h, 2 w], up to the order of the float sums."""
    prod = _producers(graph)
    for n in nodes:
        if n.op_type in _REDUCTIONS and _attr(n, "keepdims", 1) == 1:
            axes = _reduce_axes(n, graph, prod)
            if axes == [2, 3]:
                continue
            nxt = users.get(n.output[0], [])
            if axes == [3] and nxt and all(u.op_type in _REDUCTIONS and _attr(u, "keepdims", 1) == 1
                                            and _reduce_axes(u, graph, prod) == [2] for u in nxt):
                continue
            return False
        if n.op_type == "Shape":
            nxt = users.get(n.output[0], [])
            if nxt and all(_counts_elements(graph, prod, users, u) for u in nxt):
                continue
        return False
    return True


def _opset(model) -> int:
    return next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 17)


def _producers(graph):
    return {o: n for n in graph.node for o in n.output}


def _consumers(graph):
    users = {}
    for n in graph.node:
        for i in n.input:
            users.setdefault(i, []).append(n)
    return users


def _constant(graph, producers, name):
    """The value of an initializer or Constant node, else None."""
    init = _initializer(graph, name)
    if init is not None:
        return numpy_helper.to_array(init)
    p = producers.get(name)
    if p is not None and p.op_type == "Constant" and p.attribute and p.attribute[0].name == "value":
        return numpy_helper.to_array(p.attribute[0].t)
    return None


def _shapes(model):
    """Inferred shapes by value name (dims: int, or None where symbolic/unknown)."""
    inferred = onnx.shape_inference.infer_shapes(model)
    out = {}
    for vi in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
        t = vi.type.tensor_type
        if t.HasField("shape"):
            out[vi.name] = [d.dim_value if d.HasField("dim_value") else None for d in t.shape.dim]
    return out


def _reduce_axes(node, graph, producers):
    axes = _attr(node, "axes")
    if axes is None and len(node.input) > 1 and node.input[1]:
        a = _constant(graph, producers, node.input[1])
        axes = None if a is None else a.tolist()
    return None if axes is None else [int(v) for v in axes]


def _reduce_node(model, op, inp, out, name, axes, keepdims):
    if _opset(model) >= 18 or (op == "ReduceSum" and _opset(model) >= 13):
        init = numpy_helper.from_array(np.array(axes, np.int64), name + "/axes")
        model.graph.initializer.append(init)
        return helper.make_node(op, [inp, init.name], [out], name=name, keepdims=keepdims)
    return helper.make_node(op, [inp], [out], name=name, keepdims=keepdims, axes=axes)


def _insert_before_first_user(graph, new, value):
    users = [i for i, n in enumerate(graph.node) if value in n.input]
    first = users[0] if users else len(graph.node)
    for off, n in enumerate(new):
        graph.node.insert(first + off, n)


def _batch_of_one(model) -> bool:
    """The image input is [1, 3, H, W] (the per-channel statistics are then those of the one image)."""
    for i in model.graph.input:
        if i.name == "input":
            d = i.type.tensor_type.shape.dim
            return len(d) == 4 and d[0].HasField("dim_value") and d[0].dim_value == 1
    return False


# ops through which a value stays as small as its inputs (no spatial extent of its own)
_SMALL_OPS = {"Add", "Sub", "Mul", "Div", "Sqrt", "Pow", "Reshape", "Unsqueeze", "Squeeze", "Slice", "Gather",
              "Concat", "Where", "Cast", "Neg", "Abs", "Reciprocal", "Max", "Min", "Clip", "Identity", "ReduceProd"}


_REDUCTIONS = ("ReduceMean", "ReduceSum", "ReduceSumSquare")


def _spatial_axes_reduced(node, graph, producers) -> set:
    """The spatial axes (2, 3) that a chain of keepdims reductions ending at node has reduced."""
    axes = set(_reduce_axes(node, graph, producers) or []) & {2, 3}
    src = producers.get(node.input[0])
    if axes != {2, 3} and src is not None and src.op_type in _REDUCTIONS and _attr(src, "keepdims", 1) == 1:
        axes |= _spatial_axes_reduced(src, graph, producers)
    return axes


def _per_channel_values(graph, producers):
    """A predicate: does a value stay free of the image's spatial extent (constants, inputs other than the
    image, Shape, keepdims reductions that together cover axes 2 and 3, and
    elementwise or reshaping ops of such values)? The rewrites that move arithmetic onto per-channel
    vectors use it (and their Reshape to [C] fails loudly, in the check, if it were wrong)."""
    memo = {}
    inputs = {i.name for i in graph.input}
    inits = {i.name for i in graph.initializer}

    def small(v):
        if v in memo:
            return memo[v]
        memo[v] = False  # cycles cannot occur in a valid graph; guards recursion anyway
        if v == "" or v in inits:
            r = True
        elif v in inputs:
            r = v != "input"
        else:
            n = producers.get(v)
            if n is None:
                r = False
            elif n.op_type in ("Constant", "Shape", "ConstantOfShape"):
                r = n.op_type != "ConstantOfShape" or small(n.input[0])
            elif n.op_type in _REDUCTIONS:
                r = _attr(n, "keepdims", 1) == 1 and _spatial_axes_reduced(n, graph, producers) == {2, 3}
            elif n.op_type in _SMALL_OPS:
                r = all(small(i) for i in n.input)
            else:
                r = False
        memo[v] = r
        return r
    return small


def norm_one_pass_variance(model: onnx.ModelProto) -> int:
    """ReduceMean(Pow(x - m, 2), axes [2, 3]) with m = ReduceMean(x, [2, 3]) becomes
    ReduceSumSquare(x) / (H W) - m^2: one read of x instead of a subtraction and a square written
    out in full. Returns how many."""
    g = model.graph
    prod, users = _producers(g), _consumers(g)
    done = 0
    for pw in [n for n in g.node if n.op_type == "Pow"]:
        e = _constant(g, prod, pw.input[1])
        sub = prod.get(pw.input[0])
        after = users.get(pw.output[0], [])
        if e is None or e.size != 1 or float(e.reshape(-1)[0]) != 2.0 or sub is None or sub.op_type != "Sub":
            continue
        if len(after) != 1 or after[0].op_type != "ReduceMean" or _attr(after[0], "keepdims", 1) != 1:
            continue
        var = after[0]
        x, m = sub.input
        mean = prod.get(m)
        if (_reduce_axes(var, g, prod) != [2, 3] or mean is None or mean.op_type != "ReduceMean"
                or mean.input[0] != x or _reduce_axes(mean, g, prod) != [2, 3] or _attr(mean, "keepdims", 1) != 1):
            continue
        base = var.name or var.output[0]
        names = {k: f"{base}/one_pass/{k}" for k in ("rows", "ss", "shape", "hw", "n64", "n", "ex2", "m2", "from", "to")}
        g.initializer.extend([numpy_helper.from_array(np.array([2], np.int64), names["from"]),
                              numpy_helper.from_array(np.array([4], np.int64), names["to"])])
        # rows first, then the row sums: float sums of a few thousand terms each, not of millions
        new = [_reduce_node(model, "ReduceSumSquare", x, names["rows"], names["rows"], [3], 1),
               _reduce_node(model, "ReduceSum", names["rows"], names["ss"], names["ss"], [2], 1),
               helper.make_node("Shape", [x], [names["shape"]], name=names["shape"]),
               helper.make_node("Slice", [names["shape"], names["from"], names["to"]], [names["hw"]], name=names["hw"]),
               _reduce_node(model, "ReduceProd", names["hw"], names["n64"], names["n64"], [0], 0),
               helper.make_node("Cast", [names["n64"]], [names["n"]], name=names["n"], to=onnx.TensorProto.FLOAT),
               helper.make_node("Div", [names["ss"], names["n"]], [names["ex2"]], name=names["ex2"]),
               helper.make_node("Mul", [m, m], [names["m2"]], name=names["m2"]),
               helper.make_node("Sub", [names["ex2"], names["m2"]], [var.output[0]], name=base + "/one_pass")]
        g.node.remove(var)
        g.node.remove(pw)
        _insert_before_first_user(g, new, var.output[0])
        done += 1
    if done:
        _prune(g)
    return done


def norm_affine(model: onnx.ModelProto) -> int:
    """(x - m) / s * gamma + beta, with m and s per-channel [1, C, 1, 1] values and gamma, beta constants,
    becomes BatchNormalization(x, scale = gamma / s, B = beta - m * gamma / s, mean 0, var 1, epsilon 0):
    the arithmetic moves to the [C] vectors and x is read and written once. Returns how many."""
    g = model.graph
    if not _batch_of_one(model):
        return 0
    prod, users = _producers(g), _consumers(g)
    shapes = _shapes(model)
    small = _per_channel_values(g, prod)
    done = 0
    for sub in [n for n in g.node if n.op_type == "Sub"]:
        x, m = sub.input
        divs = [u for u in users.get(sub.output[0], []) if u.op_type == "Div" and u.input[0] == sub.output[0]]
        if len(divs) != 1 or len(users.get(divs[0].output[0], [])) != 1:
            continue
        div = divs[0]
        mul = users[div.output[0]][0]
        if mul.op_type != "Mul" or len(users.get(mul.output[0], [])) != 1:
            continue
        gname = mul.input[1] if mul.input[0] == div.output[0] else mul.input[0]
        add = users[mul.output[0]][0]
        if add.op_type != "Add":
            continue
        bname = add.input[1] if add.input[0] == mul.output[0] else add.input[0]
        gamma, beta = _constant(g, prod, gname), _constant(g, prod, bname)
        if gamma is None or beta is None or gamma.size != beta.size:
            continue
        c = gamma.size
        s = div.input[1]
        xs = shapes.get(x)
        if (xs is None or len(xs) != 4 or xs[1] not in (c, None) or not small(m) or not small(s)
                or any(shapes.get(v) not in (None,) and (len(shapes[v]) != 4 or shapes[v][1] not in (c, None))
                       for v in (m, s))
                or list(gamma.shape) not in ([1, c, 1, 1], [c, 1, 1]) or list(beta.shape) not in ([1, c, 1, 1], [c, 1, 1])):
            continue
        base = (add.name or add.output[0]) + "/affine"
        names = {k: f"{base}/{k}" for k in ("scale4", "ms", "shift4", "scale", "shift", "c", "zeros", "ones")}
        g.initializer.extend([numpy_helper.from_array(np.array([c], np.int64), names["c"]),
                              numpy_helper.from_array(np.zeros(c, np.float32), names["zeros"]),
                              numpy_helper.from_array(np.ones(c, np.float32), names["ones"])])
        new = [helper.make_node("Div", [gname, s], [names["scale4"]], name=names["scale4"]),
               helper.make_node("Mul", [m, names["scale4"]], [names["ms"]], name=names["ms"]),
               helper.make_node("Sub", [bname, names["ms"]], [names["shift4"]], name=names["shift4"]),
               helper.make_node("Reshape", [names["scale4"], names["c"]], [names["scale"]], name=names["scale"]),
               helper.make_node("Reshape", [names["shift4"], names["c"]], [names["shift"]], name=names["shift"]),
               helper.make_node("BatchNormalization", [x, names["scale"], names["shift"], names["zeros"], names["ones"]],
                                [add.output[0]], name=base, epsilon=0.0)]
        for n in (add, mul, div):
            g.node.remove(n)
        _insert_before_first_user(g, new, add.output[0])
        done += 1
    if done:
        _prune(g)
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


AFFINE_RELU = "/affine_relu"   # the depthwise conv of norm_affine_relu (onnx_import looks for it)


def norm_affine_relu(model: onnx.ModelProto) -> int:
    """norm_affine's BatchNormalization (mean 0, variance 1, epsilon 0: x * scale + shift, scale and shift
    computed at run time) followed by a Relu that is its only user becomes a depthwise 1 x 1 Conv (group C,
    weights the scale read as [C, 1, 1, 1], bias the shift) and the Relu, which ONNX Runtime fuses into the
    conv: one pass over the tensor instead of two (the weights are not constant, so the conv stays in NCHW
    and needs no reorder). The same products and sums: exact. Returns how many."""
    g = model.graph
    prod, users = _producers(g), _consumers(g)
    done = 0
    for bn in [n for n in g.node if n.op_type == "BatchNormalization"]:
        after = users.get(bn.output[0], [])
        if len(bn.input) != 5 or len(bn.output) != 1 or len(after) != 1 or after[0].op_type != "Relu":
            continue
        if _attr(bn, "epsilon", 1e-5) != 0.0 or _attr(bn, "training_mode", 0):
            continue
        mean, var = (_constant(g, prod, v) for v in bn.input[3:5])
        if mean is None or var is None or np.any(mean != 0) or np.any(var != 1):
            continue
        c = int(mean.size)
        base = (bn.name or bn.output[0]) + AFFINE_RELU
        b = _Builder(g, base)
        w = b.node("Reshape", [bn.input[1], b.const([c, 1, 1, 1], "w_shape")], "w")
        conv = helper.make_node("Conv", [bn.input[0], w, bn.input[2]], [bn.output[0]], name=base, group=c,
                                kernel_shape=[1, 1], strides=[1, 1], pads=[0, 0, 0, 0])
        idx = list(g.node).index(bn)
        g.node.remove(bn)
        for off, n in enumerate(b.nodes + [conv]):
            g.node.insert(idx + off, n)
        done += 1
    if done:
        _prune(g)
    return done


# the variance first: it needs the norm's Sub, which norm_affine leaves only to its other users;
# norm_affine_relu last: phase_tensor_pad looks for norm_affine's BatchNormalization
REWRITES = (output_conv_space_to_depth, upsample_conv_phases, upsample_phases_2x2, conv_transpose_phases,
            norm_one_pass_variance, norm_affine, depth_to_space_conv_transpose, phase_tensor_pad,
            norm_affine_relu)


def rewrite(model: onnx.ModelProto) -> int:
    """Applies every rewrite that finds something (each only matches graphs it has not rewritten yet);
    adds what it did to the metadata MARK; returns how many places were rewritten."""
    applied = []
    n = 0
    for r in REWRITES:
        k = r(model)
        if k:
            applied.append(f"{r.__name__} x{k}")
            n += k
    _prune(model.graph)
    if n:
        old = next((p for p in model.metadata_props if p.key == MARK), None)
        if old is None:
            old = model.metadata_props.add()
            old.key = MARK
        old.value = ", ".join(([old.value] if old.value else []) + applied)
    return n


def _photo(size) -> np.ndarray:
    """kodim23 at size (h, w) as 1 x 3 x h x w float 0..255 where the shared data is there, else a smooth
    synthetic picture (so that the check also runs without the data)."""
    h, w = size
    try:
        from PIL import Image
        from .data import data_root
        src = data_root() / "photos" / "kodak" / "kodim23.png"
        im = Image.open(src).convert("RGB").resize((w, h), Image.BICUBIC)
        return np.asarray(im, np.float32).transpose(2, 0, 1)[None].copy()
    except (OSError, ImportError):
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        img = np.stack([127 + 100 * np.sin(xx / 17 + c) * np.cos(yy / 23 - c) for c in range(3)])
        return img[None].astype(np.float32)


def compare(original: Path, rewritten: onnx.ModelProto, size=(68, 100), seed=0, photo_size=(384, 512)):
    """(max difference of every output on a random image (the image absolute, others relative to 1 + |value|), lowest PSNR of the clamped `output` on a
    photo (0..255 scale; 300 when equal)); the stats input, if any, comes from the whole network."""
    import onnxruntime as ort
    rng = np.random.default_rng(seed)
    a = ort.InferenceSession(str(original), providers=["CPUExecutionProvider"])
    b = ort.InferenceSession(rewritten.SerializeToString(), providers=["CPUExecutionProvider"])
    whole = original.with_name(original.name.replace(".tile.onnx", ".onnx"))
    names = [i.name for i in a.get_inputs()]

    def feeds(x):
        f = {"input": x}
        if "stats" in names:
            n = a.get_inputs()[names.index("stats")].shape[0]
            st = ort.InferenceSession(str(whole), providers=["CPUExecutionProvider"]).run(["stats"], {"input": x})[0]
            f["stats"] = st if not isinstance(n, int) or n == len(st) else st[:n]
        return {k: v for k, v in f.items() if k in names}

    f = feeds((rng.random((1, 3, *size)) * 255).astype(np.float32))
    worst = 0.0
    for o, oa, ob in zip(a.get_outputs(), a.run(None, f), b.run(None, f)):
        d = np.abs(oa - ob)   # the image: absolute (0..255); statistics and moments: relative to 1 + |value|
        worst = max(worst, float(np.max(d if o.name == "output" else d / (1 + np.abs(oa)))))
    f = feeds(_photo(photo_size))
    ya, yb = (np.clip(s.run(["output"], f)[0], 0, 255) for s in (a, b))
    mse = float(np.mean((ya - yb) ** 2))
    return worst, 300.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Rewrite shipped ONNX networks to run faster (same outputs).")
    ap.add_argument("models", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, help="folder to write to (default: in place)")
    ap.add_argument("--tolerance", type=float, default=0.5, help="max output difference on a random image (0..255)")
    ap.add_argument("--min-psnr", type=float, default=60.0, help="lowest PSNR (dB) against the old graph on a photo")
    a = ap.parse_args(argv)
    for path in a.models:
        m = onnx.load(str(path))
        if not {i.name for i in m.graph.input} <= {"input", "stats"}:
            print(f"{path}: not a style network (inputs {[i.name for i in m.graph.input]}); left as it is")
            continue
        n = rewrite(m)
        if n == 0:
            print(f"{path}: nothing (more) to rewrite")
            continue
        onnx.checker.check_model(m)
        diff, psnr = compare(path, m)
        if diff > a.tolerance or psnr < a.min_psnr:
            sys.exit(f"{path}: rewritten outputs differ by {diff:.3g} (> {a.tolerance}) or {psnr:.1f} dB "
                     f"(< {a.min_psnr}); not written")
        target = (a.out / path.name) if a.out else path
        tmp = target.with_name(target.name + ".tmp")
        onnx.save(m, str(tmp))
        tmp.replace(target)
        mark = next(p.value for p in m.metadata_props if p.key == MARK)
        print(f"{path}: {n} place(s) rewritten ({mark}); random image within {diff:.2g}, photo {psnr:.1f} dB; "
              f"written to {target}")


if __name__ == "__main__":
    main()
