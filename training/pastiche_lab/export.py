"""ONNX export (opset 17, IR 8): `<id>.onnx` (input -> output, stats) and `<id>.tile.onnx`
(input, stats [, box] -> output, moments).

The tile variant normalises with the given `stats` and also returns, for a box of the tile (the
optional 4 last values of `stats`, [S + 4]: x0, y0, x1, y1 in the tile's input pixels, multiples of 4;
default: the whole tile), the `moments` of every instance norm's input over that box: per norm, C means then C population
variances, like `stats`. Its metadata (`pastiche.norm_channels`, `pastiche.norm_eps`) gives the
layout, so the engine can combine the tiles' moments into whole-image statistics.

Re-export the tile variant of a shipped style from its checkpoint (the whole-image model is
checked against the shipped one and left as it is):

    python3 -m pastiche_lab.export --retile candy [--runs ../training/runs] [--models models]
"""
from __future__ import annotations

import argparse
import copy
import os
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import onnx
import torch
import torch.nn as nn

from . import checkpoints
from .model import TransformerNet

OPSET = 17
IR_VERSION = 8


class _Whole(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net(x, return_stats=True)


class _Tile(nn.Module):
    """`stats` is [S]; or [S + 4], its last 4 values the box (x0, y0, x1, y1) as floats (without them,
    the whole tile); or [S + 5], the last one the mode (0: normalise with the S values; 1: with the
    box's own statistics corrected by them, mean + a, std * b). ONNX Runtime's Java API cannot feed
    optional inputs (initializers that are also inputs), so box and mode ride on `stats`."""
    def __init__(self, net):
        super().__init__()
        self.net = net
        self.n = net.stats_len()

    def forward(self, x, stats):
        # stats[S:] is empty, the box, or the box and the mode: the defaults fill what is missing
        ext = torch.cat([stats[self.n:], torch.tensor(TAIL_DEFAULT, dtype=stats.dtype)])
        box = ext[0:4].to(torch.int64)
        mode = ext[4:5]
        return self.net(x, stats=stats, moments_box=box, mode=mode)


class _TileV1(nn.Module):
    """The first tile variant (input, stats -> output), kept for tests of old models."""
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x, stats):
        return self.net(x, stats=stats)


# The stats tail protocol; mirrored (with its documentation) in src/main/java/org/pastiche/inference/StatsTail.java
# and checked by StatsTailTest: change both together.
TAIL_DEFAULT = [0.0, 0.0, float(1 << 24), float(1 << 24), 0.0]   # box (the whole tile), mode 0
META_CHANNELS = "pastiche.norm_channels"
META_EPS = "pastiche.norm_eps"


def _export(module, args, path, input_names, output_names, dynamic_axes, edit=None, rewrite=True):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, args, str(path), input_names=input_names, output_names=output_names,
                          dynamic_axes=dynamic_axes, opset_version=OPSET, dynamo=False,
                          do_constant_folding=True)
    m = onnx.load(str(path))
    m.ir_version = IR_VERSION
    if edit is not None:
        edit(m)
    if rewrite:  # the same function, faster on ONNX Runtime's CPU kernels (fastgraph.py)
        from . import fastgraph
        fastgraph.rewrite(m)
    onnx.checker.check_model(m)
    onnx.save(m, str(path))


def _tile_edit(net):
    """Records the moments layout in the metadata."""
    def edit(m):
        for k, v in ((META_CHANNELS, ",".join(str(n.c) for n in net.norms())),
                     (META_EPS, ",".join(repr(float(n.eps)) for n in net.norms()))):
            p = m.metadata_props.add()
            p.key, p.value = k, v
    return edit


def export_tile(net: TransformerNet, path_tile, sample_hw=(64, 64), moments=True, rewrite=True):
    """The tile variant alone: input, stats [, box] -> output, moments (moments=False: the first
    variant, input, stats -> output)."""
    net = copy.deepcopy(net).cpu().eval()
    net.masks = None
    net.clamp_output = True
    x = torch.rand(1, 3, *sample_hw) * 255
    with torch.no_grad():
        _, stats = net(x, return_stats=True)
    if not moments:
        _export(_TileV1(net), (x, stats), path_tile, ["input", "stats"], ["output"],
                {"input": {2: "H", 3: "W"}, "output": {2: "H", 3: "W"}}, rewrite=rewrite)
        return
    with_box = torch.cat([stats, torch.tensor([4.0, 8.0, 48.0, 60.0, 0.0])])
    _export(_Tile(net), (x, with_box), path_tile, ["input", "stats"], ["output", "moments"],
            {"input": {2: "H", 3: "W"}, "output": {2: "H", 3: "W"}, "stats": {0: "S"}}, edit=_tile_edit(net),
            rewrite=rewrite)


def export_pair(net: TransformerNet, path_whole, path_tile, sample_hw=(64, 64), rewrite=True):
    net = copy.deepcopy(net).cpu().eval()
    net.masks = None
    net.clamp_output = True
    x = torch.rand(1, 3, *sample_hw) * 255
    dyn = {2: "H", 3: "W"}
    with torch.no_grad():
        _, stats = net(x, return_stats=True)
    _export(_Whole(net), (x,), path_whole, ["input"], ["output", "stats"],
            {"input": dyn, "output": dyn}, rewrite=rewrite)
    export_tile(net, path_tile, sample_hw, rewrite=rewrite)


def ort_session(path, threads=1, spinning=True):
    """A CPU session; spinning=False as the engine runs it (intra-op threads sleep between ops)."""
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    if not spinning:
        so.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])


def pad_to_multiple(img: np.ndarray, m=4):
    """img HxWx3 float -> reflection-padded (bottom/right) to multiples of m."""
    h, w = img.shape[:2]
    ph, pw = (-h) % m, (-w) % m
    if ph or pw:
        img = np.pad(img, ((0, ph), (0, pw), (0, 0)), mode="reflect")
    return img


def run_onnx_image(sess, img: np.ndarray, m=4):
    """Engine-equivalent single pass: reflection-pad bottom/right to a multiple of m, run, crop."""
    h, w = img.shape[:2]
    x = pad_to_multiple(img.astype(np.float32), m)
    x = np.ascontiguousarray(x.transpose(2, 0, 1)[None])
    out = sess.run(["output"], {"input": x})[0][0].transpose(1, 2, 0)
    return out[:h, :w]


# ----- re-exporting the tile variant of a shipped style -----
def _load_net(path):
    return checkpoints.load_net(path)


def _same_outputs(path_a, path_b, hw=(68, 92), tol=1e-4):
    """Both whole-image models give the same `output` and `stats` on random images."""
    a, b = ort_session(path_a), ort_session(path_b)
    rng = np.random.default_rng(0)
    worst = 0.0
    for h, w in (hw, (32, 48)):
        x = (rng.random((1, 3, h, w)) * 255).astype(np.float32)
        for ya, yb in zip(a.run(["output", "stats"], {"input": x}), b.run(["output", "stats"], {"input": x})):
            worst = max(worst, float(np.abs(ya - yb).max() / (np.abs(ya).max() + 1e-9)))
    return worst <= tol, worst


def check_tile_pair(path_whole, path_tile, hw=(60, 84)):
    """The tile model with the whole model's stats reproduces the whole output, and its moments over
    the whole tile reproduce the stats. Returns the largest differences."""
    a, b = ort_session(path_whole), ort_session(path_tile)
    rng = np.random.default_rng(1)
    x = (rng.random((1, 3, *hw)) * 255).astype(np.float32)
    y, s = a.run(["output", "stats"], {"input": x})
    yt, mom = b.run(["output", "moments"], {"input": x, "stats": s})
    ch, eps = tile_layout(path_tile)
    stats_from_moments = moments_to_stats(mom.astype(np.float64), ch, eps)
    return {"tile_vs_whole_abs": float(np.abs(yt - y).max()),
            "moments_vs_stats_rel": float(np.abs(stats_from_moments - s).max() / (np.abs(s).max() + 1e-9))}


def tile_layout(path_tile):
    meta = {p.key: p.value for p in onnx.load(str(path_tile), load_external_data=False).metadata_props}
    ch = [int(v) for v in meta[META_CHANNELS].split(",")]
    eps = [float(v) for v in meta[META_EPS].split(",")]
    return ch, eps


def moments_to_stats(moments, channels, eps):
    """Means and variances (the moments layout) -> means and sqrt(var + eps) (the stats layout)."""
    out = np.array(moments, dtype=np.float64, copy=True)
    o = 0
    for c, e in zip(channels, eps):
        out[o + c:o + 2 * c] = np.sqrt(out[o + c:o + 2 * c] + e)
        o += 2 * c
    return out


CHECKPOINTS = ("student.pt", "ckpt_shipped.pt", "ckpt.pt")


def retile(style_id, runs_dir, models_dir, checkpoint=None):
    """Re-exports models/<id>.tile.onnx from the style's checkpoint: the first of `CHECKPOINTS` in
    runs/<id>/, then its other *.pt files newest first (or `checkpoint`), whose whole-image export
    equals the shipped <id>.onnx (byte for byte or in its outputs). The shipped whole-image model is
    never rewritten; the run folder is only read."""
    models_dir, run = Path(models_dir), Path(runs_dir) / style_id
    shipped = models_dir / f"{style_id}.onnx"
    if not shipped.is_file():
        raise SystemExit(f"{shipped}: no shipped model")
    candidates = [Path(checkpoint)] if checkpoint else [run / c for c in CHECKPOINTS if (run / c).is_file()]
    if not checkpoint:   # then any other checkpoint of the run, newest first (e.g. ckpt_step1600.pt)
        others = [p for p in run.glob("*.pt") if p not in candidates and p.name != "ft_state.pt"]
        candidates += sorted(others, key=lambda p: p.stat().st_mtime, reverse=True)
    if not candidates:
        raise SystemExit(f"{run}: none of {CHECKPOINTS}")
    with tempfile.TemporaryDirectory() as tmp:
        for ck in candidates:
            net = _load_net(ck)
            whole = Path(tmp) / "whole.onnx"
            export_pair(net, whole, Path(tmp) / "tile.onnx")
            identical = whole.read_bytes() == shipped.read_bytes()
            same, worst = (True, 0.0) if identical else _same_outputs(whole, shipped)
            print(f"{style_id}: {ck}: whole model {'byte-identical' if identical else 'max rel diff %.1e' % worst}"
                  " to the shipped one", flush=True)
            if same:
                target = models_dir / f"{style_id}.tile.onnx"
                tmp_tile = Path(tmp) / "tile.onnx"
                check = check_tile_pair(shipped, tmp_tile)
                print(f"{style_id}: tile check {check}", flush=True)
                assert check["tile_vs_whole_abs"] < 1e-2 and check["moments_vs_stats_rel"] < 1e-4, check
                part = target.with_name(target.name + ".part")
                part.write_bytes(tmp_tile.read_bytes())
                os.replace(part, target)
                print(f"{style_id}: wrote {target}", flush=True)
                return {"checkpoint": str(ck), "byte_identical": identical, "worst": worst, **check}
    raise SystemExit(f"{style_id}: no checkpoint in {run} reproduces {shipped}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--retile", nargs="+", metavar="ID", required=True,
                    help="style id(s) whose tile variant to re-export from the checkpoint")
    ap.add_argument("--runs", default=str(Path(__file__).resolve().parents[1] / "runs"),
                    help="folder of the lab's runs (default: training/runs)")
    ap.add_argument("--models", default=str(Path(__file__).resolve().parents[2] / "models"),
                    help="folder of the shipped models (default: models)")
    ap.add_argument("--checkpoint", help="use this checkpoint instead of searching runs/<id>/")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    for sid in a.retile:
        retile(sid, a.runs, a.models, a.checkpoint)


if __name__ == "__main__":
    sys.exit(main())
