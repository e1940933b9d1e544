"""Candy's signature motif made measurable: the teacher's concentric rings (bullseyes of ~30-40 px at
768 px: a dark centre dot, a bright annulus, a dark outer ring, on a lighter surround).

`ring_map` scores each disk of the luminance by how much darker its dark band is than both its inner
annulus and its surround, in (nearly) every angular sector, at a few radii: a ring is dark all round,
an edge, a stripe, a plain dark or bright blob is not. `ring_peaks` are its local maxima above a
threshold. Figures (`ring_figures`): rings in the teacher's and the model's output, hits (teacher rings
with a model ring at their place) and the strength (the model's score at the teacher's rings over the
teacher's: 1 for the teacher, 0 for nothing ring-like there).

    python3 -m pastiche_lab.motifs --style candy --models shipped runs/x/student.pt --photos test:6 --size 768
"""
from __future__ import annotations

import numpy as np
from scipy.ndimage import maximum_filter
from scipy.signal import fftconvolve

RADII = (14, 17, 20, 23)          # outer radius of the dark ring, px (the 768-px scale)
SECTORS = 8
THRESHOLD = 55.0                  # ring score (grey levels) of a ring
TOL = 4                           # px: a model's ring "at the place" of the teacher's


def luminance(img):
    img = np.asarray(img, dtype=np.float64)
    return img @ np.array([0.299, 0.587, 0.114]) if img.ndim == 3 else img


def sector_kernels(R, n=SECTORS):
    """n angular sectors x 3 bands (inner bright annulus 0.2R-0.5R, dark ring 0.55R-0.95R, surround
    1.05R-1.4R; measured on the teacher's rings at 768 px), each a mean kernel."""
    s = int(np.ceil(1.4 * R))
    yy, xx = np.mgrid[-s:s + 1, -s:s + 1]
    r, th = np.hypot(yy, xx), np.arctan2(yy, xx)
    sec = np.floor((th + np.pi) / (2 * np.pi) * n).astype(int) % n
    out = []
    for k in range(n):
        row = []
        for lo, hi in ((0.2 * R, 0.5 * R), (0.55 * R, 0.95 * R), (1.05 * R, 1.4 * R)):
            m = ((r >= lo) & (r < hi) & (sec == k)).astype(np.float64)
            row.append(m / m.sum())
        out.append(row)
    return out


def ring_map(lum, radii=RADII, n=SECTORS, drop=2):
    """[H, W] ring score of the disk centred at each pixel (grey levels; -255 = no ring): in each of n
    angular sectors, how much darker the dark band is than both the inner annulus and the surround; the
    (drop+1)-th smallest over the sectors (a ring is dark all round, an edge, a stripe or a blob is not),
    where over the whole disk the dark band is dark (mean < 100), the inner annulus 50 and the surround 30
    grey levels brighter; the best over radii. Disks leaving the picture score -255."""
    lum = np.asarray(lum, dtype=np.float64)
    best = np.full(lum.shape, -255.0)
    for R in radii:
        worst, tot = [], np.zeros((3,) + lum.shape)
        for row in sector_kernels(R, n):
            mi, md, mo = (fftconvolve(lum, k[::-1, ::-1], mode="same") for k in row)
            tot += np.stack([mi, md, mo]) / n
            worst.append(np.minimum(mi - md, mo - md))
        c = np.sort(np.stack(worst), 0)[drop]
        mi, md, mo = tot
        c = np.where((md < 100) & (mi - md > 50) & (mo - md > 30), c, -255.0)
        m = int(np.ceil(1.4 * R))
        c[:m], c[-m:], c[:, :m], c[:, -m:] = -255.0, -255.0, -255.0, -255.0
        best = np.maximum(best, c)
    return best


def ring_peaks(score, threshold=THRESHOLD, spacing=None):
    """[(y, x, score)] of the local maxima (spacing-px window, default 2 x the smallest radius) above threshold."""
    spacing = spacing or 2 * min(RADII)
    peak = (score == maximum_filter(score, size=spacing)) & (score > threshold)
    ys, xs = np.nonzero(peak)
    return [(int(y), int(x), float(score[y, x])) for y, x in zip(ys, xs)]


def ring_figures(teacher_img, model_img, threshold=THRESHOLD, tol=TOL):
    """Rings of the teacher's and the model's outputs (H x W x 3, 0..255, same size): counts; recall (the
    share of the teacher's rings with a model ring within tol px); strength (the model's best score
    within tol px of each teacher ring, clamped at 0, over the teacher's score there, averaged: 1 for
    the teacher itself, 0 where the model paints nothing ring-like)."""
    st, sm = ring_map(luminance(teacher_img)), ring_map(luminance(model_img))
    pt, pm = ring_peaks(st, threshold), ring_peaks(sm, threshold)
    near = maximum_filter(sm, size=2 * tol + 1)
    return {"teacher_rings": len(pt), "model_rings": len(pm),
            "hits": int(sum(near[y, x] > threshold for y, x, _ in pt)),
            "strength": float(np.mean([max(near[y, x], 0.0) / v for y, x, v in pt])) if pt else None,
            "teacher_at": [(y, x) for y, x, _ in pt], "model_at": [(y, x) for y, x, _ in pm]}


def main(argv=None):
    import argparse
    import json
    from pathlib import Path

    import torch
    import torch.nn.functional as F

    from .data import STYLES, data_root, load_rgb, photo_set, resize_long
    from .evaluate import model_fn, pad_run
    from .teachers import load_teacher, reference_context
    ap = argparse.ArgumentParser(description="The candy rings: counts in the teacher's and models' outputs, recall.")
    ap.add_argument("--style", default="candy", choices=sorted(STYLES))
    ap.add_argument("--models", nargs="+", default=["shipped"], help="'shipped', student .pt files or .onnx files")
    ap.add_argument("--photos", nargs="+", default=["test:6"], help="photo sets as evaluate's --photos, or files")
    ap.add_argument("--size", type=int, default=768)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    droot = data_root()
    teacher = load_teacher(droot, STYLES[a.style][0]).eval()
    c = reference_context(STYLES[a.style][1])
    tfn = lambda x: teacher(F.pad(x, (c,) * 4, mode="reflect"))[:, :, c:-c, c:-c] if c else teacher(x)
    fns = [model_fn(None if m == "shipped" else m, a.style, "cpu", a.threads)[0] for m in a.models]
    res = {m: [] for m in a.models}
    with torch.no_grad():
        files = [Path(x) for x in a.photos if Path(x).is_file()]
        rest = [x for x in a.photos if not Path(x).is_file()]
        for p in (photo_set(rest, droot)[0] if rest else []) + files:
            img = resize_long(load_rgb(p), a.size)
            t = pad_run(tfn, img)
            for m, f in zip(a.models, fns):
                r = ring_figures(t, pad_run(f, img))
                res[m].append({"photo": Path(p).name, **r})
                print(m, Path(p).name, {k: v for k, v in r.items() if not k.endswith("_at")}, flush=True)
    print(f"\n{a.size} px, {len(res[a.models[0]])} photos\n| model | teacher rings | model rings | hits (recall) | strength |\n|---|---|---|---|---|")
    for m, rows in res.items():
        nt, nm, hits = (sum(r[k] for r in rows) for k in ("teacher_rings", "model_rings", "hits"))
        st = [r["strength"] * r["teacher_rings"] for r in rows if r["strength"] is not None]
        print(f"| {m} | {nt} | {nm} | {hits} ({hits / nt if nt else float('nan'):.2f}) | {sum(st) / nt if nt else float('nan'):.3f} |")
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
