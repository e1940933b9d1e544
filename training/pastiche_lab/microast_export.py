"""ONNX export of a MicroAST student (opset 17, IR 8), the "arbitrary" kind of the model contract:

  `<id>.style.onnx`   input [1,3,H,W] RGB 0..255 (the painting)  -> style [8T] (the style code)
  `<id>.onnx`         input [1,3,H,W] 0..255, style [8T]          -> output [1,3,H,W] 0..255, stats [4T]
  `<id>.tile.onnx`    input, style, stats [4T (+4 box, +1 mode)]  -> output, moments [4T]

The content network's two AdaIN normalisations are global like instance norm; `stats`, `moments`
and the metadata `pastiche.norm_channels` / `pastiche.norm_eps` follow the instance-norm tile
protocol of `export.py` (README "Model contract"), so the engine tiles it with the same machinery.
The style code's layout is in the metadata `pastiche.style_code` (names of its 8 parts of T values).

    cd training && python3 -m pastiche_lab.microast_export --checkpoint runs/microast/student.pt --out ../models
"""
from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

from . import microast as M
from .export import TAIL_DEFAULT, META_CHANNELS, META_EPS, _export, ort_session

META_CODE = "pastiche.style_code"


class _Style(nn.Module):
    def __init__(self, net: M.StyleNet):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net(x / 255.0)


class _Whole(nn.Module):
    def __init__(self, net: M.ContentNet):
        super().__init__()
        self.net = net

    def forward(self, x, style):
        y, stats = self.net(x / 255.0, style, return_stats=True)
        return y * 255.0, stats


class _Tile(nn.Module):
    def __init__(self, net: M.ContentNet):
        super().__init__()
        self.net = net
        self.n = net.stats_len()

    def forward(self, x, style, stats):
        ext = torch.cat([stats[self.n:], torch.tensor(TAIL_DEFAULT, dtype=stats.dtype)])
        box = ext[0:4].to(torch.int64)
        mode = ext[4:5]
        y, mom = self.net(x / 255.0, style, stats=stats, moments_box=box, mode=mode)
        return y * 255.0, mom


def _meta(pairs):
    def edit(m):
        for k, v in pairs:
            p = m.metadata_props.add()
            p.key, p.value = k, v
    return edit


def export_all(student: M.MicroAST, path_content, path_tile, path_style, sample_hw=(64, 72)):
    content = copy.deepcopy(student.content).cpu().eval()
    style = copy.deepcopy(student.style).cpu().eval()
    content.clamp_output = True
    t = content.w.trunk
    layout = ",".join(M.code_layout(t).keys())
    x = torch.rand(1, 3, *sample_hw) * 255
    with torch.no_grad():
        code = style(x / 255.0)
        _, stats = content(x / 255.0, code, return_stats=True)
    dyn = {2: "H", 3: "W"}
    _export(_Style(style), (x,), path_style, ["input"], ["style"], {"input": dyn},
            edit=_meta([(META_CODE, layout)]))
    _export(_Whole(content), (x, code), path_content, ["input", "style"], ["output", "stats"],
            {"input": dyn, "output": dyn}, edit=_meta([(META_CODE, layout)]))
    with_box = torch.cat([stats, torch.tensor([4.0, 8.0, 48.0, 60.0, 0.0])])
    ch = ",".join(str(c) for c in content.norm_channels())
    eps = ",".join(repr(M.EPS) for _ in content.norm_channels())
    _export(_Tile(content), (x, code, with_box), path_tile, ["input", "style", "stats"], ["output", "moments"],
            {"input": dyn, "output": dyn, "stats": {0: "S"}},
            edit=_meta([(META_CHANNELS, ch), (META_EPS, eps), (META_CODE, layout)]))


def parity(student: M.MicroAST, path_content, path_tile, path_style, seed=0):
    """Largest differences ONNX vs PyTorch (0..255 outputs) on a random photo and painting, with
    sizes that are not the export's."""
    rng = np.random.default_rng(seed)
    photo = (rng.random((1, 3, 52, 76)) * 255).astype(np.float32)
    paint = (rng.random((1, 3, 61, 47)) * 255).astype(np.float32)
    with torch.no_grad():
        code = student.style(torch.from_numpy(paint) / 255.0)
        y, stats = student.content(torch.from_numpy(photo) / 255.0, code, return_stats=True)
        y = y * 255.0
    s_style, s_whole, s_tile = ort_session(path_style), ort_session(path_content), ort_session(path_tile)
    o_code = s_style.run(["style"], {"input": paint})[0]
    o_y, o_stats = s_whole.run(["output", "stats"], {"input": photo, "style": o_code})
    t_y, mom = s_tile.run(["output", "moments"], {"input": photo, "style": o_code, "stats": o_stats})
    m = mom.astype(np.float64).copy()
    T = student.content.w.trunk
    for o in (0, 2 * T):
        m[o + T:o + 2 * T] = np.sqrt(m[o + T:o + 2 * T] + M.EPS)
    return {"style_code_abs": float(np.abs(o_code - code.numpy()).max()),
            "output_abs": float(np.abs(o_y - y.numpy()).max()),
            "stats_rel": float(np.abs(o_stats - stats.numpy()).max() / np.abs(stats.numpy()).max()),
            "tile_vs_whole_abs": float(np.abs(t_y - o_y).max()),
            "moments_vs_stats_rel": float(np.abs(m - o_stats).max() / np.abs(o_stats).max())}


def main(argv=None):
    from .microast_lab import load_student
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--id", default="any-painting")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    st = load_student(a.checkpoint)
    out = Path(a.out)
    paths = out / f"{a.id}.onnx", out / f"{a.id}.tile.onnx", out / f"{a.id}.style.onnx"
    export_all(st, *paths)
    print(parity(st, *paths))


if __name__ == "__main__":
    sys.exit(main())
