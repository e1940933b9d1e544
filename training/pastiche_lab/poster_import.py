"""The shipped 工农兵 poster model back into PyTorch: `models/gongnongbing.onnx` (a `PosterNet` exported
by `poster_train export`, its colour head, 5x5 box mean and palette snap inside the graph, rewritten by
`fastgraph`) read into a `PosterNet` checkpoint that `poster_train train --init` (and `evaluate --also`,
`sheet`, `export`) accept. For when the run folder is gone: the weights come from the graph through
`onnx_import.graph_weights` (every fastgraph rewrite inverted), the palette from the snap's Gather, the
box mean from its AveragePool; the network is checked against ONNX Runtime before it is written.

    python3 -m pastiche_lab.poster_import ../models/gongnongbing.onnx --out runs/gongnongbing-import/init.pt

The checkpoint holds the network without the snap (as training keeps it); `meta.snap_blur` records the
shipped mean, so `export --snap-blur <it>` ships it the same way. A model whose snap is the renderer's
colour rule as a lookup table (session 10: config `poster_lut`, `poster_target` "smooth") imports as a
network that draws the pre-palette image (`target_kind` "smooth", `meta.lut` the table's levels), checked
through the same table.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import onnx
import torch

from . import checkpoints
from . import poster_net as PN
from .onnx_import import graph_weights, initialisers, load_pairs
from .teachers import _convs_in_order


def poster_pairs(net):
    """(conv, norm or None) of a PosterNet in graph order: the transformer's, then the colour head's two
    1x1 convs before the output conv."""
    pairs = _convs_in_order(net)
    if not net.head:
        return pairs
    return pairs[:-1] + [(net.head_a, None), (net.head_b, None)] + pairs[-1:]


def snap_of_graph(path):
    """(palette [K,3] float32 or None, box mean k (0: none)) of an exported poster graph: the palette
    is the initialiser the snap's Gather reads, k the AveragePool's kernel before its ArgMin."""
    g = onnx.load(str(path)).graph
    inits = initialisers(g)
    palette, k = None, 0
    for n in g.node:
        if n.op_type == "Gather" and n.input[0] in inits and inits[n.input[0]].ndim == 2 \
                and inits[n.input[0]].shape[1] == 3:
            palette = inits[n.input[0]].astype(np.float32)
        elif n.op_type == "AveragePool":
            ks = next(list(a.ints) for a in n.attribute if a.name == "kernel_shape")
            if ks[0] == ks[1]:      # the snap's mean (the smoothed input colour's are (1, k) and (k, 1))
                k = int(ks[0])
    if k and palette is None:
        raise ValueError(f"{path}: an AveragePool but no palette snap")
    return palette, k


def smooth_of_graph(path):
    """The box sizes k of the smoothed input colour in an exported poster graph (its (1, k) AveragePools)."""
    g = onnx.load(str(path)).graph
    out = []
    for n in g.node:
        if n.op_type == "AveragePool":
            ks = next(list(a.ints) for a in n.attribute if a.name == "kernel_shape")
            if ks[0] == 1 and ks[1] > 1:
                out.append(int(ks[1]))
    return tuple(out)


def net_from_onnx(path, config):
    """(PosterNet without the snap, palette or None, box mean k) whose export is the model at `path`."""
    net = PN.PosterNet.from_config(config).eval()
    convs, norms = graph_weights(path, net.conv_out.conv.weight.shape[2])
    load_pairs(path, poster_pairs(net), convs, norms)
    if smooth_of_graph(path) != net.smooth:
        raise ValueError(f"{path}: smoothed input colour {smooth_of_graph(path)} in the graph, "
                         f"the config says {net.smooth}")
    palette, k = snap_of_graph(path)
    if palette is not None:
        if len(net.palette) and (palette.shape != tuple(net.palette.shape)
                                 or np.abs(palette - net.palette.numpy()).max() > 0.5):
            raise ValueError(f"{path}: the snap's palette is not the config's")
        net.palette = torch.from_numpy(palette.copy())
    return net, palette, k


def check(net, palette, k, path, hw=(96, 128), seed=0, lut=0, mode=0):
    """Against ONNX Runtime on a smooth random image (hw, multiples of 4): the share of output pixels
    identical (the palette colour, with the snap), the largest |diff| of the outputs (0..255) and the
    largest relative |diff| of the `stats` output (every instance norm's statistics)."""
    from .export import ort_session
    rng = np.random.default_rng(seed)
    lo = rng.random((1, 3, hw[0] // 8, hw[1] // 8)).astype(np.float32)
    x = torch.nn.functional.interpolate(torch.from_numpy(lo), size=hw, mode="bilinear", align_corners=False)
    x = (x * 235 + 10 + torch.from_numpy(rng.normal(0, 4, (1, 3, *hw)).astype(np.float32))).clamp(0, 255)
    x = x.numpy().astype(np.float32)
    n = PN.with_snap(net, palette, k, lut, mode) if palette is not None else net
    with torch.no_grad():
        y, s = n(torch.from_numpy(x), return_stats=True)
    yo, so = ort_session(path).run(["output", "stats"], {"input": x})
    same = float((np.abs(y.numpy() - yo).max(1) < 0.5).mean())
    return {"same_pixels": same, "max_abs": float(np.abs(y.numpy() - yo).max()),
            "stats_rel": float(np.abs(s.numpy() - so).max() / (np.abs(so).max() + 1e-9))}


def config_of(path):
    p = Path(path)
    cat = json.loads((p.parent / "catalog.json").read_text())
    ent = next((e for e in cat["models"] if e["file"] == p.name), None)
    if ent is None or "lab" not in ent or "poster_head" not in ent["lab"]["config"]:
        raise SystemExit(f"{p}: no catalog entry with a poster network's config next to it")
    return ent


def import_model(path, out, min_same=0.999, max_stats_rel=1e-4):
    ent = config_of(path)
    net, palette, k = net_from_onnx(path, ent["lab"]["config"])
    lut = int(ent["lab"]["config"].get("poster_lut") or 0)
    mode = int(ent["lab"]["config"].get("poster_lut_mode") or 0)
    c = check(net, palette, k, path, lut=lut, mode=mode)
    print(f"{path}: PyTorch vs ONNX Runtime: {c['same_pixels']:.5f} of the pixels the same, "
          f"stats rel |diff| {c['stats_rel']:.2e}; palette {None if palette is None else len(palette)} colours, "
          f"box mean {k}" + (f", lookup table {lut}^3" if lut else "") + (f", {mode}x{mode} mode filter" if mode else ""),
          flush=True)
    if c["same_pixels"] < min_same or c["stats_rel"] > max_stats_rel:
        raise SystemExit("the imported network does not reproduce the ONNX model")
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    lab = ent["lab"]
    checkpoints.save(Path(out), net, step=int(lab.get("iterations") or 0),
                     elapsed=60.0 * float(lab.get("minutes_trained") or 0.0),
                     meta={"imported_from": str(path), "snap_blur": k, "lut": lut, "lut_mode": mode, "check": c,
                           "args": dict(lab.get("train_args") or {})})
    print("wrote", out)
    return net, c


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", help="a shipped poster <id>.onnx (its catalog.json next to it)")
    ap.add_argument("--out", required=True, help="checkpoint to write (the checkpoints format)")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    import_model(a.model, a.out)


if __name__ == "__main__":
    main()
