"""The `fuchun` ink-wash path (issue 10, its second part): train the fuchun network to reproduce the
procedural ink-wash renderer (`ink_render.render`) on photos, measure it, ship it.

Why. The shipped fuchun was trained from the painting with the Gram loss alone, which copies the
painting's hemp-fibre brush texture as a texture: on photos it reads as a pencil engraving with
cross-hatching everywhere. The renderer gives what an ink painting does on a photo, as a
deterministic function of it (broad washes, bare paper, strokes along the contours), so the network
learns washes and strokes that follow the content instead of a texture.

From training/ (CPU, 1 thread):
    python -m pastiche_lab.onnx_import ../models/fuchun.onnx --out runs/fuchun-ink/init.pt
    python -m pastiche_lab.ink_train cache --n 120                 # renderer targets of photos/train at 768 px
    python -m pastiche_lab.ink_train train --init runs/fuchun-ink/init.pt --minutes 45
    python -m pastiche_lab.ink_train evaluate --onnx 'shipped=../models/fuchun.onnx' --checkpoint runs/fuchun-ink/state.pt
    python -m pastiche_lab.ink_train sheet --old-onnx ../models/fuchun.onnx --checkpoint runs/fuchun-ink/state.pt --out S.jpg
    python -m pastiche_lab.ink_train export --checkpoint runs/fuchun-ink/state.pt --out-dir ../models

Measures (`ink_measures`, on the validation photos at 768 px): `l1_renderer` (0..1), `paper_share`
(pixels of bare paper: near the paper's tone and flat), `fine_texture` (mean absolute difference
between the luminance and its Gaussian blur at sigma 1.5, away from the photo's edges, relative to
the photo's: hatching everywhere is high, washes are low), and the poster's `edge_recall` (strokes
that follow the photo's contours).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from PIL import Image
from scipy import ndimage

from . import checkpoints
from . import ink_render as IR
from . import poster_metrics as PM
from .model import TransformerNet, count_params, mac_ratio, macs_per_pixel
from .poster_objective import PairSampler, poster_loss
from .poster_train import DATA, REPO, TRAINING, list_photos, load_side, onnx_fn, run_net
from .trainer import Schedule, Trainer

STYLE_ID = "fuchun"
PAPER_TOL = 14.0          # luminance within this of the paper's counts as paper (0..255)
FLAT_STD = 6.0            # ... when its 5x5 neighbourhood is this flat (the poster's flat measure)
FINE_SIGMA = 1.5


# ----------------------------------------------------------------- measures
def paper_share(out, paper=IR.PAPER):
    """Share of pixels of bare paper: luminance within PAPER_TOL of the paper's, in a flat 5x5."""
    lum = PM.luminance(out)
    p = float(0.299 * paper[0] + 0.587 * paper[1] + 0.114 * paper[2])
    k = PM.FLAT_WIN
    near = np.abs(lum - p) <= PAPER_TOL
    near = near[k // 2:near.shape[0] - k // 2, k // 2:near.shape[1] - k // 2]     # the valid windows' centres
    return float((near & (PM.local_std(out, k) < FLAT_STD)).mean())


def fine_texture(img, photo_edges=None):
    """Mean |lum - gauss(lum, 1.5)| over the pixels away from the photo's edges (0..255)."""
    lum = PM.luminance(img)
    d = np.abs(lum - ndimage.gaussian_filter(lum, FINE_SIGMA, mode="reflect"))
    if photo_edges is None:
        return float(d.mean())
    away = ~ndimage.binary_dilation(photo_edges, iterations=3)
    return float(d[away].mean()) if away.any() else float(d.mean())


def photo_reference(photo):
    """What ink_measures needs of the photo alone (its strong edges, its fine texture away from them):
    computed once per photo when several systems are measured on it."""
    edges = PM.photo_edges(photo)
    return edges, fine_texture(photo, edges)


def ink_measures(out, photo, target=None, reference=None):
    edges, photo_texture = reference or photo_reference(photo)
    r = {"paper_share": paper_share(out), "edge_recall": PM.edge_recall(out, photo),
         "fine_texture_ratio": fine_texture(out, edges) / max(photo_texture, 1e-6),
         "flat_gain": PM.flat_gain(out, photo)}
    if target is not None:
        r["l1_renderer"] = float(np.abs(out.astype(np.float32) - target.astype(np.float32)).mean() / 255.0)
    return r


# ----------------------------------------------------------------- targets
def cmd_cache(a):
    src = a.photos or os.path.join(DATA, "photos", "train")
    out = a.cache_dir or os.path.join(TRAINING, "cache", "ink", str(a.side))
    os.makedirs(out, exist_ok=True)
    paths = list_photos(src)[:a.n] if a.n else list_photos(src)
    t0 = time.time()
    for i, p in enumerate(paths):
        name = os.path.splitext(os.path.basename(p))[0]
        dst = os.path.join(out, name + ".npz")
        if os.path.exists(dst):
            continue
        x = load_side(p, a.side)
        tmp = dst + ".tmp.npz"
        np.savez_compressed(tmp, photo=x, target=IR.render(x))
        os.replace(tmp, dst)
        print(f"{i + 1}/{len(paths)} {name} {time.time() - t0:.0f}s", flush=True)
    print("cached", len(paths), "in", out)


# ----------------------------------------------------------------- train
def load_net(path, device="cpu"):
    ck = checkpoints.load(path, device)
    net = TransformerNet.from_config(ck["config"])
    net.load_state_dict(ck["state_dict"])
    return net.to(device).eval(), ck


def validator(photos, targets, device):
    refs = [photo_reference(x) for x in photos]

    def fn(net, step):
        rows = [ink_measures(run_net(net, x, device), x, t, r) for x, t, r in zip(photos, targets, refs)]
        v = PM.mean_measures(rows)
        v["score"] = v["l1_renderer"]
        return v
    return fn


def build_trainer(a, log=print):
    run = a.run_dir or os.path.join(TRAINING, "runs", "fuchun-ink")
    cache = a.cache_dir or os.path.join(TRAINING, "cache", "ink", "768")
    files = sorted(os.path.join(cache, f) for f in os.listdir(cache) if f.endswith(".npz") and ".tmp" not in f) \
        if os.path.isdir(cache) else []
    if not files:
        raise SystemExit(f"no cached targets in {cache}: run `ink_train cache` first")
    sampler = PairSampler(files, a.crop, seed=a.seed)
    if not a.init:
        raise SystemExit("give --init (the shipped fuchun, imported: onnx_import ../models/fuchun.onnx --out ...)")
    net, _ = load_net(a.init)
    val_paths = list_photos(os.path.join(DATA, "photos", "val"))[:a.val_photos]
    vals = [load_side(p, a.val_size, 4) for p in val_paths]
    targets = [IR.render(x) for x in vals]

    def objective(net, batch, step):
        x, t = batch
        return poster_loss(net(x), t, a.grad_weight, a.edge_weight)
    args = {k: v for k, v in vars(a).items() if k not in ("func", "argv")}
    val_def = f"ink val: first {len(vals)} of photos/val at {a.val_size} px, L1 to renderer"
    tr = Trainer(net, objective, sampler, run, batch=a.batch, schedule=Schedule(a.schedule, a.lr, a.lr_floor),
                 minutes=a.minutes, max_iters=a.iters, validator=validator(vals, targets, a.device),
                 val_every=a.val_every, ckpt_seconds=a.ckpt_seconds, state_name="state.pt", best_name="best.pt",
                 log_name="log.jsonl", log_every=a.log_every, print_every=a.log_every, device=a.device, log=log,
                 val_def=val_def, seed=a.seed, meta={"args": args, "method": "ink renderer", "cached_targets": len(files)},
                 best_keys=("l1_renderer", "paper_share", "fine_texture_ratio", "edge_recall"), validate_at_start=True)
    log(f"{len(files)} pairs, widths {net.widths}, mac ratio {mac_ratio(net.widths):.4f}")
    return tr


def cmd_train(a):
    torch.set_num_threads(a.threads)
    tr = build_trainer(a, log=lambda m: print(m, flush=True))
    best = tr.fit()
    print("done", tr.step, "best", json.dumps(best), flush=True)


# ----------------------------------------------------------------- evaluate, sheet
def systems_of(a):
    sy = {"photo (unstylized)": lambda x: x, "renderer (teacher)": IR.render}
    for spec in a.onnx or []:
        name, path = spec.split("=", 1)
        sy[name] = onnx_fn(path)
    for path in a.checkpoint or []:
        net, ck = load_net(path)
        sy[f"{os.path.basename(os.path.dirname(path))}/{os.path.basename(path)} (step {ck['step']})"] = \
            (lambda n: (lambda x: run_net(n, x)))(net)
    return sy


def evaluate(systems, photos, size):
    pics = [load_side(p, size, 4) for p in photos]
    targets = [IR.render(x) for x in pics]
    refs = [photo_reference(x) for x in pics]
    res = {}
    for name, fn in systems.items():
        rows = [ink_measures(t if fn is IR.render else fn(x), x, t, r) for x, t, r in zip(pics, targets, refs)]
        res[name] = PM.mean_measures(rows)
    return res


def cmd_evaluate(a):
    photos = list_photos(a.photos_dir or os.path.join(DATA, "photos", "val"))[:a.photos_n]
    res = evaluate(systems_of(a), photos, a.size)
    keys = ("l1_renderer", "paper_share", "fine_texture_ratio", "edge_recall", "flat_gain")
    print("| system | " + " | ".join(keys) + " |\n|---|" + "---|" * len(keys))
    for name, m in res.items():
        print(f"| {name} | " + " | ".join(f"{m[k]:.3f}" for k in keys) + " |")
    if a.out:
        os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
        with open(a.out, "w") as f:
            json.dump({"photos": [os.path.basename(p) for p in photos], "size": a.size, "systems": res}, f, indent=1)
    return res


SHEET_PHOTOS = ("astronaut.jpg", "coffee.jpg", "chelsea.jpg")


def cmd_sheet(a):
    """Rows: the publishable sample photos; columns: photo | old model | renderer | new network(s)."""
    sy = systems_of(a)
    old = onnx_fn(a.old_onnx) if a.old_onnx else None
    rows = []
    for name in SHEET_PHOTOS:
        x = load_side(os.path.join(REPO, "assets", "samples", name), a.size, 4)
        cells = [x] + ([old(x)] if old else []) + [IR.render(x)] + [fn(x) for k, fn in sy.items()
                                                                   if k not in ("photo (unstylized)", "renderer (teacher)")]
        rows.append(np.concatenate(cells, 1))
    w = max(r.shape[1] for r in rows)
    sheet = np.concatenate([np.pad(r, ((0, 8), (0, w - r.shape[1]), (0, 0)), constant_values=255) for r in rows], 0)
    Image.fromarray(sheet).save(a.out, quality=90)
    print("wrote", a.out)


# ----------------------------------------------------------------- export
def cmd_export(a):
    from . import catalog, ship
    from .export import export_pair
    net, ck = load_net(a.checkpoint)
    out = os.path.abspath(a.out_dir)
    os.makedirs(out, exist_ok=True)
    tmp = os.path.join(out, f".{STYLE_ID}.export")
    os.makedirs(tmp, exist_ok=True)
    whole, tile = os.path.join(tmp, f"{STYLE_ID}.onnx"), os.path.join(tmp, f"{STYLE_ID}.tile.onnx")
    export_pair(net, whole, tile)
    print("parity", ship.parity(net, whole, tile), flush=True)
    os.replace(whole, os.path.join(out, f"{STYLE_ID}.onnx"))
    os.replace(tile, os.path.join(out, f"{STYLE_ID}.tile.onnx"))
    os.rmdir(tmp)
    repo_models = os.path.realpath(out) == os.path.realpath(os.path.join(REPO, "models"))
    thumb_dir = os.path.join(REPO, "assets", "thumbnails") if repo_models else os.path.join(out, "thumbnails")
    os.makedirs(thumb_dir, exist_ok=True)
    th = load_side(os.path.join(REPO, "assets", "samples", "chelsea.jpg"), 256, 4)
    Image.fromarray(onnx_fn(os.path.join(out, f"{STYLE_ID}.onnx"))(th)).save(os.path.join(thumb_dir, f"{STYLE_ID}.png"))
    cat_path = os.path.join(REPO, "models", "catalog.json")
    old = next(m for m in catalog.read(cat_path)["models"] if m["id"] == STYLE_ID)
    fid = dict(old.get("fidelity") or {})
    if a.eval_json and os.path.exists(a.eval_json):
        ev = json.load(open(a.eval_json))
        mine = ev["systems"][a.eval_system]
        fid["ink_wash"] = {"eval_set": f"photos/val, first {len(ev['photos'])}, long side {ev['size']} px "
                                       "(pastiche_lab/ink_train.py measures)", **{k: round(v, 4) for k, v in mine.items()},
                           "unstylized_photo": {k: round(v, 4) for k, v in ev["systems"]["photo (unstylized)"].items()},
                           "renderer": {k: round(v, 4) for k, v in ev["systems"]["renderer (teacher)"].items()}}
    entry = {**old,
             "descriptions": {"en": "Chinese ink-wash landscape: broad washes and brush strokes in ink on pale paper, "
                                    "with empty space, after Huang Gongwang's Dwelling in the Fuchun Mountains (1350).",
                              "zh": "中国水墨山水：淡纸上的大片墨色晕染与笔触，留白，仿黄公望《富春山居图》（1350）。"},
             "license": "The project's own licence, like the project's other original work: trained by the lab (no "
                        "teacher network) from the painting and then to reproduce the project's own procedural "
                        "ink-wash renderer (training/pastiche_lab/ink_render.py); the style image is Huang Gongwang's "
                        "Dwelling in the Fuchun Mountains (1350), a public-domain painting.",
             "attribution": "Trained from scratch by the Pastiche model lab (Johnson et al. perceptual loss; VGG-19 loss "
                            "network by Simonyan and Zisserman, CC BY 4.0), then to imitate its procedural ink-wash "
                            "renderer (L0 smoothing after Xu et al. 2011, tone-graded washes, empty paper, "
                            "difference-of-Gaussians strokes). Painting: Huang Gongwang (黄公望), Dwelling in the Fuchun "
                            "Mountains (富春山居图, 1350), public domain. Training photos: BSDS500 (research use, not shipped).",
             "params": count_params(net.widths),
             "macs_per_megapixel": int(round(macs_per_pixel(net.widths) * 1e6)),
             "fidelity": fid,
             "stats_length": net.stats_len(),
             "lab": {**old.get("lab", {}), "config": net.config(),
                     "method": "scratch (Johnson et al. perceptual loss), then ink-wash renderer imitation (L1 + "
                               "gradient L1 to training/pastiche_lab/ink_render.py's output), pastiche_lab/ink_train.py",
                     "ink_minutes_trained": round(ck["elapsed"] / 60, 1), "ink_iterations": ck["step"],
                     "mac_ratio": round(mac_ratio(net.widths), 4)}}
    if repo_models:
        ship.update_catalog(entry)
    else:
        catalog.update(os.path.join(out, "catalog.json"), entry)
    print(json.dumps(entry, ensure_ascii=False, indent=1))
    return entry


def parser():
    ap = argparse.ArgumentParser(description="The fuchun ink-wash path (issue 10).")
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("cache", help="render targets of training photos")
    c.add_argument("--photos", default=None, help="default ../shared/data/photos/train")
    c.add_argument("--side", type=int, default=768)
    c.add_argument("--n", type=int, default=0)
    c.add_argument("--cache-dir", default=None)
    c.set_defaults(func=cmd_cache)
    t = sub.add_parser("train", help="train (the lab's Trainer; resumes from <run-dir>/state.pt)")
    t.add_argument("--init", default=None, help="the network to start from (checkpoints format)")
    t.add_argument("--run-dir", default=None)
    t.add_argument("--cache-dir", default=None)
    t.add_argument("--minutes", type=float, default=45)
    t.add_argument("--iters", type=int, default=None)
    t.add_argument("--schedule", default="cosine-time", choices=Schedule.KINDS)
    t.add_argument("--lr", type=float, default=5e-4)
    t.add_argument("--lr-floor", type=float, default=0.05)
    t.add_argument("--crop", type=int, default=192)
    t.add_argument("--batch", type=int, default=4)
    t.add_argument("--grad-weight", type=float, default=1.0)
    t.add_argument("--edge-weight", type=float, default=2.0)
    t.add_argument("--val-photos", type=int, default=4)
    t.add_argument("--val-size", type=int, default=768)
    t.add_argument("--val-every", type=int, default=300)
    t.add_argument("--ckpt-seconds", type=float, default=120)
    t.add_argument("--log-every", type=int, default=25)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--threads", type=int, default=1)
    t.add_argument("--device", default="cpu")
    t.set_defaults(func=cmd_train)
    for name, fn, hlp in (("evaluate", cmd_evaluate, "ink measures of photo, renderer and models"),
                          ("sheet", cmd_sheet, "contact sheet on the sample photos")):
        e = sub.add_parser(name, help=hlp)
        e.add_argument("--onnx", action="append", help="NAME=PATH of an ONNX model")
        e.add_argument("--checkpoint", action="append", help="a network checkpoint")
        e.add_argument("--size", type=int, default=768)
        if name == "evaluate":
            e.add_argument("--photos-dir", default=None)
            e.add_argument("--photos-n", type=int, default=12)
            e.add_argument("--out", default=None, help="json file for the figures")
        else:
            e.add_argument("--old-onnx", default=None)
            e.add_argument("--out", required=True)
        e.set_defaults(func=fn)
    x = sub.add_parser("export", help="ONNX + tile model + thumbnail + catalog entry")
    x.add_argument("--checkpoint", required=True)
    x.add_argument("--out-dir", default=os.path.join(REPO, "models"))
    x.add_argument("--eval-json", default=None)
    x.add_argument("--eval-system", default=None)
    x.set_defaults(func=cmd_export)
    return ap


def main(argv=None):
    a = parser().parse_args(argv)
    return a.func(a)


if __name__ == "__main__":
    sys.exit(main())
