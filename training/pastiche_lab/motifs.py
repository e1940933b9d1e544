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
    the teacher itself, 0 where the model paints nothing ring-like); top3: the mean of the 3 best ring
    scores anywhere in the picture (0 for missing ones), position-free."""
    st, sm = ring_map(luminance(teacher_img)), ring_map(luminance(model_img))
    pt, pm = ring_peaks(st, threshold), ring_peaks(sm, threshold)
    near = maximum_filter(sm, size=2 * tol + 1)
    top = lambda sc: float(np.mean((sorted((v for _, _, v in ring_peaks(sc, 0.0)), reverse=True) + [0.0] * 3)[:3]))
    return {"teacher_rings": len(pt), "model_rings": len(pm), "teacher_top3": top(st), "model_top3": top(sm),
            "hits": int(sum(near[y, x] > threshold for y, x, _ in pt)),
            "strength": float(np.mean([max(near[y, x], 0.0) / v for y, x, v in pt])) if pt else None,
            "teacher_at": [(y, x) for y, x, _ in pt], "model_at": [(y, x) for y, x, _ in pm]}


def ring_totals(rows):
    """Totals over photos of ring_figures rows: teacher rings, model rings, hits, and the strength
    weighted by the teacher's rings (None without teacher rings)."""
    nt, nm, hits = (sum(r[k] for r in rows) for k in ("teacher_rings", "model_rings", "hits"))
    st = sum(r["strength"] * r["teacher_rings"] for r in rows if r["strength"] is not None)
    return {"teacher_rings": nt, "model_rings": nm, "hits": hits, "strength": st / nt if nt else None}


def _kernel_bank(radii=RADII, n=SECTORS):
    """[len(radii) * n * 3, 1, S, S] float64 tensor of the sector kernels (centred, zero-padded to the largest)."""
    import torch
    ks = [[k for row in sector_kernels(R, n) for k in row] for R in radii]
    S = max(k[0].shape[0] for k in ks)
    bank = np.zeros((sum(len(k) for k in ks), 1, S, S))
    i = 0
    for group in ks:
        for k in group:
            o = (S - k.shape[0]) // 2
            bank[i, 0, o:o + k.shape[0], o:o + k.shape[1]] = k
            i += 1
    return torch.tensor(bank)


_BANKS = {}


def ring_map_torch(lum, radii=RADII, n=SECTORS, drop=2, threshold=THRESHOLD):
    """Differentiable ring score of lum [N, 1, H, W] (0..255), for training: `ring_map`'s sector
    contrast (FFT convolutions with the same kernels), with its hard conditions made soft (the score is
    also capped by how far the disk is from failing each: dark band mean under 100, inner annulus 50 and
    surround 30 grey levels brighter, each margin shifted by the threshold); disks leaving the picture
    -255. Returns [N, H, W]."""
    import torch
    key = (tuple(radii), n, lum.dtype, lum.device)
    if key not in _BANKS:
        _BANKS[key] = _kernel_bank(radii, n).to(lum.dtype).to(lum.device)
    bank = _BANKS[key]
    S = bank.shape[-1]; H, W = lum.shape[-2:]
    fh, fw = H + S - 1, W + S - 1
    F_img = torch.fft.rfft2(lum, s=(fh, fw))                       # [N, 1, fh, fw/2+1]
    F_k = torch.fft.rfft2(bank[:, 0], s=(fh, fw))                   # [K, fh, fw/2+1]
    full = torch.fft.irfft2(F_img * F_k[None], s=(fh, fw))           # [N, K, fh, fw]
    o = S // 2
    m = full[:, :, o:o + H, o:o + W].reshape(lum.shape[0], len(radii), n, 3, H, W)
    mi, md, mo = m[:, :, :, 0], m[:, :, :, 1], m[:, :, :, 2]         # [N, R, n, H, W]
    worst = torch.minimum(mi - md, mo - md).sort(dim=2).values[:, :, drop]
    Mi, Md, Mo = mi.mean(2), md.mean(2), mo.mean(2)
    c = torch.minimum(torch.minimum(worst, Mi - Md - 50 + threshold),
                      torch.minimum(Mo - Md - 30 + threshold, 100 - Md + threshold))
    for j, R in enumerate(radii):
        b = int(np.ceil(1.4 * R))
        edge = torch.ones(H, W, dtype=torch.bool, device=lum.device)
        edge[b:H - b, b:W - b] = False
        c[:, j] = c[:, j].masked_fill(edge, -255.0)
    return c.max(1).values


TRAIN_RADII = (7, 9, 11)          # ring_tail's radii on the 2x-pooled luminance (14-22 px at full size)


def ring_tail(out, ref, q=0.002, pool=2, radii=TRAIN_RADII, n=SECTORS, drop=2):
    """Position-free ring loss for training: the L1 distance (/ 255) of the upper tails (the top q
    fraction, clamped at 0) of the ring scores (`ring_map_torch`) of out and ref [N, 3, H, W], per
    image, averaged: a 1-Wasserstein distance of the tails. The teacher's rings fall where tiny input
    details decide (2 grey levels of noise or a 4-px shift of the photo move or remove them), so a
    loss at the teacher's positions (L1, hard L1) can only teach the student to paint none; this one
    asks for as many and as strong rings, wherever the student paints them. For speed the scores are
    taken on the pool-x average-pooled luminance with radii / pool (`TRAIN_RADII`)."""
    import torch
    import torch.nn.functional as F
    lumw = torch.tensor([0.299, 0.587, 0.114], dtype=out.dtype, device=out.device).view(1, 3, 1, 1)
    lum = lambda y: F.avg_pool2d((y * lumw).sum(1, keepdim=True), pool) if pool > 1 else (y * lumw).sum(1, keepdim=True)
    so = ring_map_torch(lum(out), radii, n, drop).flatten(1)
    with torch.no_grad():
        sr = ring_map_torch(lum(ref), radii, n, drop).flatten(1)
    k = max(1, int(round(q * so.shape[1])))
    return (so.topk(k, dim=1).values.clamp_min(0) - sr.topk(k, dim=1).values.clamp_min(0)).abs().mean() / 255.0


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
    print(f"\n{a.size} px, {len(res[a.models[0]])} photos\n| model | teacher rings | model rings | hits (recall) | strength | top-3 score teacher / model |\n|---|---|---|---|---|---|")
    for m, rows in res.items():
        t = ring_totals(rows)
        nt, hits, st = t["teacher_rings"], t["hits"], t["strength"]
        t3, m3 = (np.mean([r[k] for r in rows]) for k in ("teacher_top3", "model_top3"))
        print(f"| {m} | {nt} | {t['model_rings']} | {hits} ({hits / nt if nt else float('nan'):.2f}) | {st if st is not None else float('nan'):.3f} | {t3:.1f} / {m3:.1f} |")
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
