"""A shipped student back into PyTorch: its `<id>.onnx` (whole-image model, plain or rewritten by
`fastgraph`) read into a `TransformerNet` of the catalog entry's widths and geometry, checked against
ONNX Runtime. For shipped styles whose run folder (checkpoint) is gone: fine-tune them further,
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


def net_from_onnx(path, config) -> TransformerNet:
    """The TransformerNet (catalog `lab.config`) whose export is the model at `path`."""
    m = onnx.load(str(path))
    g = m.graph
    inits = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    for n in g.node:   # constants folded into nodes (small norm weights may end up there)
        if n.op_type == "Constant" and n.attribute and n.attribute[0].type == onnx.AttributeProto.TENSOR:
            inits.setdefault(n.output[0], numpy_helper.to_array(n.attribute[0].t))
    net = TransformerNet.from_config(config).eval()
    convs = []      # (weight, bias) in network order
    norms = []      # (weight, bias) in network order: a Mul by [1, C, 1, 1] then an Add of [1, C, 1, 1]
    by_output = {o: n for n in g.node for o in n.output}
    for n in g.node:
        if n.op_type in ("Conv", "ConvTranspose") and n.input[1] in inits:
            w, b = inits[n.input[1]], inits[n.input[2]]
            src = by_output.get(n.input[0])
            if n.op_type == "Conv" and src is not None and src.op_type == "SpaceToDepth":
                w, b = _inverse_space_to_depth(w, b, net.conv_out.conv.weight.shape[2])
            elif (n.op_type == "Conv" and src is not None and src.op_type == "Pad"
                  and any(a.name == "mode" and a.s == b"edge" for a in src.attribute)):
                w, b = _inverse_upsample_phases(w, b)
            convs.append((w, b))
        elif n.op_type == "Mul":
            ws = [inits[i] for i in n.input if i in inits and inits[i].ndim == 4 and inits[i].shape[0] == 1
                  and inits[i].shape[2:] == (1, 1)]
            if not ws:
                continue
            add = next((u for u in g.node if u.op_type == "Add" and n.output[0] in u.input), None)
            bs = [inits[i] for i in (add.input if add is not None else []) if i in inits]
            if len(ws) == 1 and len(bs) == 1:
                norms.append((ws[0].reshape(-1), bs[0].reshape(-1)))
    pairs = _convs_in_order(net)
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
                nm.weight.copy_(torch.from_numpy(nw.copy())); nm.bias.copy_(torch.from_numpy(nb.copy()))
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
