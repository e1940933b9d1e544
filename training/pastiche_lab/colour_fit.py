"""A student's local colour fitted to its teacher's in closed form, folded into the output convolution
(issue 11: the mosaic student paints 15 % less chroma than its teacher: `saturation` below).

A format-B student ends in a linear 9x9 convolution (then the clamp to 0..255), so an affine colour map
y -> M y + c (M 3x3, c 3) applied to its output is exactly a new output convolution:
W' = M W (over the output channels), b' = M b + c. The map is fitted on `pool` x `pool` block means (default 8:
the strokes averaged away, the local colour kept) of the student's unclamped and the teacher's output on
training photos (never the test set), leaving out blocks where the teacher is at the clamp. `--method`:
`chroma` (default) carries the mean and covariance of the student's two opponent-chroma axes onto the
teacher's, the luma untouched; `moments` the same on all three channels; `lstsq` least squares (which
shrinks toward the mean the colours it cannot place: paler still). `--ridge` pulls the map toward "no
change" (for the moment fits a blend: 0.5 = half way).

    python3 -m pastiche_lab.colour_fit --style mosaic --model runs/mosaic-colour/init.pt --size 768 \
        --ridge 0.5 --eval 25 --out runs/mosaic-c50/student.pt     # the photo pool; eval.json for ship
    python3 -m pastiche_lab.colour_fit --saturation --style mosaic --photos test --size 384 768   # figures only

`saturation` (also a command, `--saturation`): mean chroma C*ab of 8 x 8 block means, student over
teacher (1 = as colourful as the teacher; under 1 paler), and the mean L*, a*, b* offsets.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch
from skimage.color import rgb2lab

from . import checkpoints
from .chroma_fidelity import pool_image
from .data import LAB, STYLES, data_root, photo_set, test_photos, to_tensor


def fit_affine(s, t, ridge=0.0):
    """Least squares t ~ s @ M.T + c over rows (s, t: [N, 3]); ridge (per row, relative to N) pulls M
    toward the identity and c toward 0. Returns (M [3, 3], c [3])."""
    s = np.asarray(s, np.float64); t = np.asarray(t, np.float64)
    n = len(s)
    x = np.concatenate([s, np.ones((n, 1))], 1)                      # [N, 4]
    reg = np.diag([ridge * n] * 3 + [0.0])
    prior = np.concatenate([np.eye(3), np.zeros((1, 3))], 0)          # [4, 3]: M = I, c = 0
    sol = np.linalg.solve(x.T @ x + reg, x.T @ t + reg @ prior)       # [4, 3]
    return sol[:3].T.copy(), sol[3].copy()


def _sqrtm(a):
    w, v = np.linalg.eigh((a + a.T) / 2)
    return (v * np.sqrt(np.clip(w, 0, None))) @ v.T


def fit_moments(s, t, ridge=0.0):
    """The affine map that carries the mean and covariance of s onto those of t (rows [N, 3]) with the
    least displacement (the Monge-Kantorovich linear map: M = S^-1/2 (S^1/2 T S^1/2)^1/2 S^-1/2):
    a student as colourful as its teacher, where least squares would shrink toward the mean what it cannot
    place. ridge blends M toward the identity. Returns (M, c)."""
    s = np.asarray(s, np.float64); t = np.asarray(t, np.float64)
    ms, mt = s.mean(0), t.mean(0)
    cs, ct = np.atleast_2d(np.cov(s.T)), np.atleast_2d(np.cov(t.T))
    r = _sqrtm(cs)
    ri = np.linalg.inv(r)
    m = ri @ _sqrtm(r @ ct @ r) @ ri
    m = (1 - ridge) * m + ridge * np.eye(len(m))
    return m, mt - m @ ms


LUMA = np.array([0.299, 0.587, 0.114])                                # what the goal's SSIM lum 4x reads
OPP_BASIS = np.stack([LUMA, [1.0, -1.0, 0.0], [0.5, 0.5, -1.0]])      # luma and two opponent chroma axes


def fit_chroma_moments(s, t, ridge=0.0):
    """fit_moments on the two opponent chroma axes only, the luma (Rec. 601, as the goal's SSIM reads it)
    left exactly as the student paints it: the teacher's colourfulness without touching the tone and its
    contrast. Returns (M, c) in RGB."""
    p = OPP_BASIS
    qs, qt = np.asarray(s, np.float64) @ p.T, np.asarray(t, np.float64) @ p.T
    a, d = fit_moments(qs[:, 1:], qt[:, 1:], ridge)
    blk = np.eye(3); blk[1:, 1:] = a
    off = np.zeros(3); off[1:] = d
    pi = np.linalg.inv(p)
    return pi @ blk @ p, pi @ off


def fold_affine(net, m, c):
    """net with y -> M y + c folded into its output convolution (in place; format B only: a format-A
    student's output passes an instance norm and tanh after it). Returns net."""
    from .model import TransformerNet
    if net.in_out is not None:
        raise ValueError("a format-A student (instance norm and tanh after the output conv) cannot fold a colour map")
    if type(net).output_head is not TransformerNet.output_head:
        raise ValueError("the output head is not the plain output convolution: nothing to fold into")
    conv = net.conv_out.conv
    mt = torch.as_tensor(m, dtype=conv.weight.dtype)
    ct = torch.as_tensor(c, dtype=conv.weight.dtype)
    with torch.no_grad():
        w = torch.einsum("ij,jckl->ickl", mt, conv.weight)
        b = mt @ conv.bias + ct
        conv.weight.copy_(w); conv.bias.copy_(b)
    return net


def _blocks(arr, pool):
    return pool_image(arr, pool).reshape(-1, 3)


@torch.no_grad()
def collect(net, tc, pool=8, margin=3.0):
    """(student unclamped, teacher) block means [N, 3] on the TeacherCache's photos, without blocks where
    the teacher is within `margin` of 0 or 255 in any channel."""
    clamp = net.clamp_output
    net.clamp_output = False
    try:
        ss, ts = [], []
        for img, tgt in zip(tc.imgs, tc.targets):
            h, w = img.shape[:2]
            hh, ww = h // 4 * 4, w // 4 * 4
            y = net(to_tensor(img[:hh, :ww]))[0].permute(1, 2, 0).numpy()
            s, t = _blocks(y, pool), _blocks(tgt[:hh, :ww], pool)
            ok = ((t > margin) & (t < 255 - margin)).all(1)
            ss.append(s[ok]); ts.append(t[ok])
    finally:
        net.clamp_output = clamp
    return np.concatenate(ss), np.concatenate(ts)


def lab_stats(arr, pool=8):
    lab = rgb2lab(np.clip(pool_image(arr, pool) / 255.0, 0, 1)).reshape(-1, 3)
    return np.array([lab[:, 0].mean(), lab[:, 1].mean(), lab[:, 2].mean(), np.hypot(lab[:, 1], lab[:, 2]).mean()])


def saturation(fn, tc, pool=8):
    """{"chroma_ratio": mean C*ab student / teacher, "dL", "da", "db": mean offsets student - teacher}, means
    over the photos of the TeacherCache (fn as evaluate_fn takes it)."""
    from .evaluate import pad_run
    s, t = [], []
    for img, tgt in zip(tc.imgs, tc.targets):
        s.append(lab_stats(pad_run(fn, img), pool)); t.append(lab_stats(tgt, pool))
    s, t = np.mean(s, 0), np.mean(t, 0)
    return {"chroma_ratio": float(s[3] / t[3]), "dL": float(s[0] - t[0]), "da": float(s[1] - t[1]),
            "db": float(s[2] - t[2]), "teacher_chroma": float(t[3]), "student_chroma": float(s[3])}


def main(argv=None):
    from .evaluate import TeacherCache, fed_on_context, model_fn, shipped_border_context
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--style", required=True, nargs="+", choices=sorted(STYLES))
    ap.add_argument("--model", help="student .pt (the fit) or .pt/.onnx (--saturation); default the shipped model")
    ap.add_argument("--data")
    ap.add_argument("--photos", nargs="+", default=None,
                    help="fit: training photos (default the lab's photo pool, cache/photos/pool); --saturation: "
                         "default the test set")
    ap.add_argument("--size", type=int, nargs="+", default=[768], help="px (the fit: the first)")
    ap.add_argument("--pool", type=int, default=8)
    ap.add_argument("--method", choices=["chroma", "moments", "lstsq"], default="chroma",
                    help="chroma: match the teacher's chroma mean and covariance, luma untouched (default); "
                         "moments: the same on all three channels; lstsq: least squares")
    ap.add_argument("--ridge", type=float, default=0.0,
                    help="toward the identity: chroma/moments blend M with I (0..1); lstsq a penalty per block")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", help="fit: the student checkpoint with the map folded in")
    ap.add_argument("--eval", type=int, default=0, metavar="N",
                    help="fit: also write eval.json (the lab's bar on the first N val photos at 384 px, as ship reads "
                         "it) and init.json next to --out, the training minutes and lineage taken from the shipped "
                         "style's catalog entry (for a --model read back from the shipped ONNX)")
    ap.add_argument("--saturation", action="store_true", help="print the chroma ratio and offsets only")
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    droot = data_root(a.data)
    if a.saturation:
        photos = photo_set(a.photos or ["test"], droot)
        res = {}
        for style in a.style:
            fn, _ = model_fn(a.model, style, "cpu", a.threads)
            fn = fed_on_context(fn, 0 if a.model else shipped_border_context(style))
            for size in a.size:
                r = saturation(fn, TeacherCache(style, droot, size, photos=photos), a.pool)
                res.setdefault(style, {})[size] = {**r, "photos": photos[1], "model": a.model or "shipped"}
                print(f"{style} {size}px: chroma ratio {r['chroma_ratio']:.3f} (teacher C* {r['teacher_chroma']:.1f}) "
                      f"dL {r['dL']:+.2f} da {r['da']:+.2f} db {r['db']:+.2f}", flush=True)
        if a.json:
            Path(a.json).write_text(json.dumps(res, indent=1))
        return res
    if len(a.style) != 1 or not a.model or not a.out:
        raise SystemExit("the fit needs one --style, --model (a student .pt) and --out")
    style = a.style[0]
    photos = photo_set(a.photos or [str(LAB / "cache" / "photos" / "pool")], droot)
    held_out = {p.resolve() for p in test_photos(droot)} & {Path(p).resolve() for p in photos[0]}
    if held_out:
        raise SystemExit(f"the colour map is fitted on training photos, never the test set ({len(held_out)} of them given)")
    ck = checkpoints.load(a.model)
    net = checkpoints.load_net(a.model)
    tc = TeacherCache(style, droot, a.size[0], photos=photos)
    s, t = collect(net, tc, a.pool)
    m, c = {"chroma": fit_chroma_moments, "moments": fit_moments, "lstsq": fit_affine}[a.method](s, t, a.ridge)
    before = float(np.abs(s - t).mean()); after = float(np.abs(s @ m.T + c - t).mean())
    print(f"{len(s)} blocks of {len(tc.imgs)} photos: M =\n{np.array2string(m, precision=4)}\nc = "
          f"{np.array2string(c, precision=2)}; block-mean L1 {before:.2f} -> {after:.2f}", flush=True)
    fold_affine(net, m, c)
    meta = dict(ck.get("meta") or {})
    meta["colour_fit"] = {"M": m.tolist(), "c": c.tolist(), "photos": photos[1], "n_photos": len(tc.imgs),
                          "size": a.size[0], "pool": a.pool, "method": a.method, "ridge": a.ridge, "blocks": int(len(s)),
                          "block_l1_before": before, "block_l1_after": after, "from": str(a.model)}
    checkpoints.save(a.out, net, step=ck.get("step") or 0, elapsed=ck.get("elapsed") or 0.0, best=ck.get("best"),
                     history=ck.get("history"), meta=meta)
    print(f"wrote {a.out}")
    if a.eval:
        write_ship_files(style, net, Path(a.out).parent, droot, a.eval, meta["colour_fit"])
    return meta["colour_fit"]


def write_ship_files(style, net, run: Path, droot, n, fit):
    """eval.json and init.json in run, for `ship --run-dir run`: the bar's figures of the folded student, the
    shipped entry's minutes and iterations, and its lineage with the colour map appended."""
    from .data import REPO
    from .evaluate import full_report, net_fn
    ent = next(m for m in json.loads((REPO / "models" / "catalog.json").read_text())["models"] if m["id"] == style)
    lab = ent.get("lab", {})
    rep = full_report(style, net_fn(net, "cpu"), net.config(), droot, "cpu", n)
    rep.update(minutes_trained=lab.get("minutes_trained", 0), iterations=lab.get("iterations"), colour_fit=fit)
    (run / "eval.json").write_text(json.dumps(rep, indent=1))
    before = lab.get("fine_tuned_from", f"models/{style}.onnx")
    init = (f"{before}; then its output colour map fitted to the teacher (colour_fit --method {fit['method']} "
            f"--ridge {fit['ridge']}, {fit['n_photos']} training photos at {fit['size']} px) and folded into the "
            "output convolution")
    (run / "init.json").write_text(json.dumps({"init": init}))
    print(f"{style}: eval.json (bar on {n} val photos: style {rep['style_distance_ratio']:.4f}, SSIM lum 4x "
          f"{rep['ssim_lum_4x']:.4f}, meets {rep['meets_bar']}) and init.json in {run}")


if __name__ == "__main__":
    main()
