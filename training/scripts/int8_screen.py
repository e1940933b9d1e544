#!/usr/bin/env python3
"""int8 subsets of one style network, screened side by side: which convs, quantised, make ONNX Runtime faster.

    python3 training/scripts/int8_screen.py [--style candy] [--subset NAME=PAT[,PAT] ...] [--runs 5]
        [--size 1632x1224] [--out /tmp/int8-screen] [--calibration 16] [--photos 6]

Each subset is quantised with `pastiche_lab.quantize.quantize` (static QDQ, per-channel int8 weights, uint8
activations, Percentile calibration on `--calibration` training photos at 512 x 384) with only the convs whose
names hold one of its patterns int8 (`ALL` = every conv); then every variant and the fp32 network run
alternately on kodim23 at `--size` (the engine's session settings: 2 intra-op threads, 1 inter-op, spinning
off), one warm-up each, and the medians of `--runs` rounds of wall and CPU (process time) are printed with
their ratio to fp32, and SSIM lum 4x of each variant against fp32 on the first `--photos` validation photos at
384 px (the quick look; the shipping fidelity is `pastiche_lab.evaluate` against the teacher). The load
average is printed at the start and the end. docs/engine.md ("Seventh round") quotes it.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pastiche_lab import quantize as q  # noqa: E402
from pastiche_lab.data import data_root, list_photos, load_rgb, resize_long  # noqa: E402

from graph_compare import photo  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SUBSETS = ["res=/res_", "fullres=conv1/,up2/,conv_out/", "conv_out=conv_out/", "up2=up2/",
                   "conv1=conv1/", "inner=conv2/,conv3/,/res_,up1/,up2/", "all=ALL"]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--style", default="candy")
    ap.add_argument("--models", type=Path, default=REPO / "models")
    ap.add_argument("--subset", nargs="+", default=DEFAULT_SUBSETS, help="NAME=PATTERN[,PATTERN...] (ALL: every conv)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--size", default="1632x1224")
    ap.add_argument("--out", type=Path, default=Path("/tmp/int8-screen"))
    ap.add_argument("--calibration", type=int, default=16)
    ap.add_argument("--photos", type=int, default=6)
    ap.add_argument("--data", type=Path)
    a = ap.parse_args(argv)
    droot = data_root(a.data)
    a.out.mkdir(parents=True, exist_ok=True)
    src = a.models / f"{a.style}.onnx"
    cal = list_photos(droot / "photos" / "train")[: a.calibration]
    variants = {"fp32": src}
    for spec in a.subset:
        name, pats = spec.split("=", 1)
        dst = a.out / f"{a.style}.{name}.onnx"
        pats = pats.split(",")
        q.quantize(src, dst, cal, keep_fp32=(), only=None if pats == ["ALL"] else pats)
        variants[name] = dst
    sessions = {k: q.session(p) for k, p in variants.items()}
    imgs = [resize_long(load_rgb(p), 384) for p in list_photos(droot / "photos" / "val")[: a.photos]]
    refs = [q.run(sessions["fp32"], im) for im in imgs]
    ssim = {k: min(q.ssim_lum4(q.run(s, im), r) for im, r in zip(imgs, refs)) for k, s in sessions.items()}
    w, h = (int(v) for v in a.size.lower().split("x"))
    x = photo(w, h, droot)
    for s in sessions.values():
        s.run(["output"], {"input": x})
    print(f"load average {os.getloadavg()[0]:.1f}; {a.style} at {w}x{h}, {a.runs} alternating rounds", flush=True)
    wall = {k: [] for k in sessions}
    cpu = {k: [] for k in sessions}
    for _ in range(a.runs):
        for k, s in sessions.items():
            t0, c0 = time.perf_counter(), time.process_time()
            s.run(["output"], {"input": x})
            wall[k].append(time.perf_counter() - t0)
            cpu[k].append(time.process_time() - c0)
    fw, fc = float(np.median(wall["fp32"])), float(np.median(cpu["fp32"]))
    print("| variant | wall ms | CPU ms | wall / fp32 | CPU / fp32 | SSIM lum 4x vs fp32, min |")
    print("|---|---|---|---|---|---|")
    for k in sessions:
        mw, mc = float(np.median(wall[k])), float(np.median(cpu[k]))
        print(f"| {k} | {1e3 * mw:.0f} | {1e3 * mc:.0f} | {mw / fw:.3f} | {mc / fc:.3f} | {ssim[k]:.4f} |")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
