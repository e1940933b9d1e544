"""A shipped student back into PyTorch: its `<id>.onnx` (whole-image model, plain or rewritten by
`fastgraph`, any combination of its rewrites) read into a `TransformerNet` of the catalog entry's widths
and geometry, checked against ONNX Runtime. Each weight-moving rewrite is inverted: the SpaceToDepth
output conv, the nearest-upsampling phases, the ConvTranspose phases (format A) and `norm_affine`'s
BatchNormalization (gamma and beta are still initialisers there: the numerator of its scale and the
minuend of its shift), the 2 x 2 upsampling phases and the ConvTranspose that stands for DepthToSpace (its
conv's outputs back in DCR order), `norm_affine_relu`'s depthwise conv (its weights and bias are
norm_affine's scale and shift); `norm_one_pass_variance` moves no weights; an int8 graph's (quantize.py)
weights are read dequantized. For shipped styles whose run folder (checkpoint) is gone: fine-tune them further,
compare their PyTorch and ONNX outputs.

    python3 -m pastiche_lab.onnx_import ../models/picasso.onnx --out runs/picasso-edge/init.pt
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from . import checkpoints
from .fastgraph import AFFINE_RELU, PHASE_VIEW, dcr_to_crd, depth_to_space_weights, phase_pad_perm
from .model import TransformerNet
from .teachers import _convs_in_order


def _inverse_space_to_depth(w2: np.ndarray, b2: np.ndarray, k: int):
    """fastgraph.space_to_depth_weights, inverted: [4 O, 4 C, m, m] -> [O, C, k, k] (phase (0, 0))."""
    o, c = w2.shape[0] // 4, w2.shape[1] // 4
    w = np.zeros((o, c, k, k), dtype=w2.dtype)
    for i in range(k):
        for j in range(k):
            p, q = i % 2, j % 2
            w[:, :, i, j] = w2[:o, (p * 2 + q) * c:(p * 2 + q + 1) * c, i // 2, j // 2]
    return w, b2[:o]


def _inverse_upsample_phases(w2: np.ndarray, b2: np.ndarray):
    """fastgraph.upsample_phase_weights, inverted: [4 O, C, 3, 3] -> [O, C, 3, 3] (the map is linear and
    injective: solved by least squares on its matrix)."""
    from .fastgraph import upsample_phase_weights
    o, c = w2.shape[0] // 4, w2.shape[1]
    basis = np.eye(9, dtype=np.float64).reshape(9, 1, 1, 3, 3)
    A = np.stack([upsample_phase_weights(e, np.zeros(1))[0].reshape(-1) for e in basis], 1)   # [36, 9]
    y = w2.astype(np.float64).reshape(4, o, c, 9).transpose(0, 3, 1, 2).reshape(36, o * c)
    w = np.linalg.lstsq(A, y, rcond=None)[0].reshape(3, 3, o, c).transpose(2, 3, 0, 1)
    return w.astype(w2.dtype), b2[:o]


def _inverse_phases_2x2(w2: np.ndarray, b2: np.ndarray):
    """fastgraph.upsample_phase_2x2_weights, inverted: [4 O, C, 2, 2] -> the [4 O, C, 3, 3] phase weights."""
    o = w2.shape[0] // 4
    w3 = np.zeros((4 * o, w2.shape[1], 3, 3), dtype=w2.dtype)
    b3 = np.zeros(4 * o, dtype=b2.dtype)
    for a in range(2):
        for bb in range(2):
            dst, src = slice((a * 2 + bb) * o, (a * 2 + bb + 1) * o), slice(((1 - a) * 2 + 1 - bb) * o, ((1 - a) * 2 + 2 - bb) * o)
            w3[dst, :, a:a + 2, bb:bb + 2] = w2[src]
            b3[dst] = b2[src]
    return w3, b3


def _inverse_conv_transpose_phases(w2: np.ndarray, b2: np.ndarray):
    """fastgraph.conv_transpose_phase_weights, inverted: Conv [4 O, C, 2, 2] -> ConvTranspose [C, O, 3, 3]
    (every ConvTranspose tap sits at exactly one (phase, kernel position))."""
    from .fastgraph import conv_transpose_phase_taps
    o, c = w2.shape[0] // 4, w2.shape[1]
    w = np.zeros((c, o, 3, 3), dtype=w2.dtype)
    for a in range(2):
        for bb in range(2):
            blk = w2[(a * 2 + bb) * o:(a * 2 + bb + 1) * o]
            for r, ki in conv_transpose_phase_taps[a].items():
                for s_, kj in conv_transpose_phase_taps[bb].items():
                    w[:, :, ki, kj] = blk[:, :, r, s_].T
    return w, b2[:o]


def _scale_shift(scale, shift, by_output, inits):
    """(gamma, beta) from fastgraph.norm_affine's run-time scale and shift: scale = Reshape(Div(gamma, std)),
    shift = Reshape(Sub(beta, Mul(mean, scale4))); None if they are not laid out so."""
    def operand(name, op):
        r = by_output.get(name)
        if r is None or r.op_type != "Reshape":
            return None
        d = by_output.get(r.input[0])
        if d is None or d.op_type != op or d.input[0] not in inits:
            return None
        return inits[d.input[0]].reshape(-1)
    g, b = operand(scale, "Div"), operand(shift, "Sub")
    return None if g is None or b is None or g.shape != b.shape else (g, b)


def _affine_of_batchnorm(n, by_output, inits):
    """(gamma, beta) of a fastgraph.norm_affine BatchNormalization (mean 0, variance 1, epsilon 0; its scale
    and shift as `_scale_shift` reads them); None if the node is not laid out so."""
    if len(n.input) != 5 or not all(i in inits for i in n.input[3:5]):
        return None
    eps = next((onnx.helper.get_attribute_value(a) for a in n.attribute if a.name == "epsilon"), 1e-5)
    if eps != 0.0 or np.any(inits[n.input[3]] != 0) or np.any(inits[n.input[4]] != 1):
        return None
    return _scale_shift(n.input[1], n.input[2], by_output, inits)


def _affine_of_depthwise(n, by_output, inits):
    """(gamma, beta) of a fastgraph.norm_affine_relu conv: its weights are the replaced BatchNormalization's
    scale (read as [C, 1, 1, 1]), its bias the shift."""
    w = by_output.get(n.input[1])
    if w is None or w.op_type != "Reshape" or len(n.input) < 3:
        return None
    return _scale_shift(w.input[0], n.input[2], by_output, inits)


def initialisers(g):
    """name -> array of a graph's initialisers, of its Constant nodes' tensors and of the DequantizeLinear
    nodes of constants (an int8 network's weights and biases, `quantize.py`: (q - zero point) * scale)."""
    inits = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    for n in g.node:   # constants folded into nodes (small norm weights may end up there)
        if n.op_type == "Constant" and n.attribute and n.attribute[0].type == onnx.AttributeProto.TENSOR:
            inits.setdefault(n.output[0], numpy_helper.to_array(n.attribute[0].t))
    for n in g.node:
        if n.op_type == "DequantizeLinear" and all(i in inits for i in n.input if i):
            q, scale = inits[n.input[0]].astype(np.float64), inits[n.input[1]].astype(np.float64)
            zero = inits[n.input[2]].astype(np.float64) if len(n.input) > 2 and n.input[2] else np.zeros_like(scale)
            if scale.ndim == 1 and q.ndim > 1:   # per channel, along `axis` (default 1)
                axis = next((a.i for a in n.attribute if a.name == "axis"), 1) % q.ndim
                shape = [1] * q.ndim
                shape[axis] = -1
                scale, zero = scale.reshape(shape), zero.reshape(shape)
            inits[n.output[0]] = ((q - zero) * scale).astype(np.float32)
    return inits


def _through_qdq_up(node, by_output):
    """The producer of a tensor, looking through an activation's QuantizeLinear -> DequantizeLinear pair."""
    if node is not None and node.op_type == "DequantizeLinear":
        q = by_output.get(node.input[0])
        if q is not None and q.op_type == "QuantizeLinear":
            return by_output.get(q.input[0])
    return node


def _through_qdq_down(after, users):
    """The users of a tensor, looking through its QuantizeLinear -> DequantizeLinear pair."""
    if len(after) == 1 and after[0].op_type == "QuantizeLinear":
        dq = users.get(after[0].output[0], [])
        if len(dq) == 1 and dq[0].op_type == "DequantizeLinear":
            return users.get(dq[0].output[0], [])
    return after


def graph_weights(path, out_k=9):
    """The convs' (weight, bias) and the instance norms' (weight, bias) of an exported model at `path`,
    each in graph (= network) order, with every fastgraph rewrite inverted (`out_k`: the kernel of the
    output conv that SpaceToDepth stands for)."""
    m = onnx.load(str(path))
    g = m.graph
    inits = initialisers(g)
    convs = []      # (weight, bias) in network order
    # (weight, bias) in network order: a Mul by [1, C, 1, 1] then an Add of [1, C, 1, 1], or norm_affine's
    # BatchNormalization
    norms = []
    by_output = {o: n for n in g.node for o in n.output}
    users = {}
    for n in g.node:
        for i in n.input:
            users.setdefault(i, []).append(n)
    def is_d2s(node):   # fastgraph.depth_to_space_conv_transpose's DepthToSpace
        if node.op_type != "ConvTranspose" or node.input[1] not in inits:
            return False
        w = inits[node.input[1]]
        group = next((a.i for a in node.attribute if a.name == "group"), 1)
        return w.shape == (4 * group, 1, 2, 2) and np.array_equal(w, depth_to_space_weights(group))

    for n in g.node:
        if n.op_type in ("Conv", "ConvTranspose") and n.input[1] in inits and not is_d2s(n):
            w, b = inits[n.input[1]], inits[n.input[2]]
            src = _through_qdq_up(by_output.get(n.input[0]), by_output)
            after = _through_qdq_down(users.get(n.output[0], []), users)
            phase_views = [u for u in after if u.op_type == "Reshape" and u.name.endswith(PHASE_VIEW)]
            if (len(after) == 1 and is_d2s(after[0])) or (phase_views and all(
                    is_d2s(u) or u.op_type in ("Reshape", "Shape") for u in after)):
                # outputs in CRD order (fastgraph.phase_tensor_pad reads them as a view): back to DepthToSpace's DCR
                back = np.argsort(dcr_to_crd(w.shape[0] // 4))
                w, b = w[back], b[back]
                after = [onnx.helper.make_node("DepthToSpace", list(after[0].input), list(after[0].output), blocksize=2)]
            if (n.op_type == "Conv" and src is not None and src.op_type == "Reshape"
                    and (by_output.get(src.input[0]) is not None and by_output[src.input[0]].op_type == "Concat")
                    and src.name.endswith("/phase_pad/z")):   # fastgraph.phase_tensor_pad: SpaceToDepth's order
                w = w[:, np.argsort(phase_pad_perm(w.shape[1] // 4))]
                w, b = _inverse_space_to_depth(w, b, out_k)
            elif n.op_type == "Conv" and src is not None and src.op_type == "SpaceToDepth":
                w, b = _inverse_space_to_depth(w, b, out_k)
            elif (n.op_type == "Conv" and src is not None and src.op_type == "Pad"
                  and any(a.name == "mode" and a.s == b"edge" for a in src.attribute)):
                if w.shape[2:] == (2, 2):   # fastgraph.upsample_phases_2x2
                    w, b = _inverse_phases_2x2(w, b)
                w, b = _inverse_upsample_phases(w, b)
            elif (n.op_type == "Conv" and w.shape[2:] == (2, 2) and len(after) == 1
                  and after[0].op_type == "DepthToSpace"
                  and any(a.name == "pads" and list(a.ints) == [1, 1, 0, 0] for a in n.attribute)):
                w, b = _inverse_conv_transpose_phases(w, b)
            convs.append((w, b))
        elif n.op_type == "BatchNormalization":
            gb = _affine_of_batchnorm(n, by_output, inits)
            if gb is not None:
                norms.append(gb)
        elif n.op_type == "Conv" and n.name.endswith(AFFINE_RELU):   # fastgraph.norm_affine_relu
            gb = _affine_of_depthwise(n, by_output, inits)
            if gb is not None:
                norms.append(gb)
        elif n.op_type == "Mul":
            ws = [inits[i] for i in n.input if i in inits and inits[i].ndim == 4 and inits[i].shape[0] == 1
                  and inits[i].shape[2:] == (1, 1)]
            if not ws:
                continue
            add = next((u for u in g.node if u.op_type == "Add" and n.output[0] in u.input), None)
            bs = [inits[i] for i in (add.input if add is not None else []) if i in inits]
            if len(ws) == 1 and len(bs) == 1:
                norms.append((ws[0].reshape(-1), bs[0].reshape(-1)))
    return convs, norms


def load_pairs(path, pairs, convs, norms):
    """Copies `convs`/`norms` (graph_weights) into `pairs` ((conv module, norm module or None) in network
    order); a count or shape that does not fit raises ValueError."""
    n_norms = sum(1 for _, nm in pairs if nm is not None)
    if len(convs) != len(pairs) or len(norms) != n_norms:
        raise ValueError(f"{path}: found {len(convs)} convs and {len(norms)} norms, expected {len(pairs)} and {n_norms}")
    with torch.no_grad():
        it = iter(norms)
        for (conv, nm), (w, b) in zip(pairs, convs):
            if tuple(conv.weight.shape) != w.shape:
                raise ValueError(f"{path}: conv weight {w.shape}, the config says {tuple(conv.weight.shape)}")
            conv.weight.copy_(torch.from_numpy(np.array(w)))
            conv.bias.copy_(torch.from_numpy(np.array(b)))
            if nm is not None:
                nw, nb = next(it)
                if tuple(nm.weight.shape) != nw.shape:
                    raise ValueError(f"{path}: norm weight {nw.shape}, the config says {tuple(nm.weight.shape)}")
                nm.weight.copy_(torch.from_numpy(nw.copy())); nm.bias.copy_(torch.from_numpy(nb.copy()))


def net_from_onnx(path, config) -> TransformerNet:
    """The TransformerNet (catalog `lab.config`) whose export is the model at `path`."""
    net = TransformerNet.from_config(config).eval()
    convs, norms = graph_weights(path, net.conv_out.conv.weight.shape[2])
    load_pairs(path, _convs_in_order(net), convs, norms)
    return net


def check(net, path, hw=(68, 92), seed=0) -> float:
    """Largest |PyTorch - ONNX Runtime| output difference (0..255) on a random image."""
    from .export import ort_session
    rng = np.random.default_rng(seed)
    x = (rng.random((1, 3, *hw)) * 255).astype(np.float32)
    with torch.no_grad():
        y = net(torch.from_numpy(x)).numpy()
    yo = ort_session(path).run(["output"], {"input": x})[0]
    return float(np.abs(y - yo).max())


def config_of(path):
    p = Path(path)
    cat = json.loads((p.parent / "catalog.json").read_text())
    ent = next((e for e in cat["models"] if e["file"] == p.name), None)
    if ent is None or "lab" not in ent:
        raise SystemExit(f"{p}: no catalog entry with the lab's config next to it")
    return ent["lab"]["config"]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", help="a shipped whole-image <id>.onnx (its catalog.json next to it)")
    ap.add_argument("--out", required=True, help="checkpoint to write (the checkpoints format)")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    net = net_from_onnx(a.model, config_of(a.model))
    d = check(net, a.model)
    print(f"{a.model}: PyTorch vs ONNX Runtime max |diff| {d:.4f} (0..255)")
    if d > 0.05:
        raise SystemExit("the imported network does not reproduce the ONNX model")
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    checkpoints.save(Path(a.out), net, meta={"imported_from": str(a.model)})
    print("wrote", a.out)


if __name__ == "__main__":
    main()
