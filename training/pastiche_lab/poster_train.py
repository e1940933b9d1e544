"""The 工农兵 poster path (issue 10): train the `gongnongbing` network to reproduce the procedural
poster renderer (`poster_render.render`) on photos, measure it (`poster_metrics`), ship it.

From training/ (CPU, 1 thread; `--device cuda` on a GPU):
    python -m pastiche_lab.poster_train cache --n 100          # renderer targets of photos/train at 768 px
    python -m pastiche_lab.poster_train train --minutes 62     # the lab's Trainer; resumes from runs/gongnongbing/state.pt
    python -m pastiche_lab.poster_train evaluate --size 768 --snap   # measures -> reports/gongnongbing/poster_eval.json
    python -m pastiche_lab.poster_train sheet --snap           # contact sheet (publishable photos)
    python -m pastiche_lab.poster_train export --snap-blur 5 --out-dir ../models   # ONNX + tile model + catalog + thumbnail
                                                                    # (5x5 mean + palette snap in the graph, as shipped)

The network is `poster_net.PosterNet`: the seed's transformer plus a pointwise colour head after
its last instance norm (the plain transformer is exactly blind to absolute colour, see
`poster_net`), optionally ending in the palette snap.
Loss: L1 between the network's output and renderer(photo) (both 0..1) plus `--grad-weight` times
the L1 between their horizontal and vertical differences (keeps the outlines crisp). The target is
a deterministic function of the photo, so the network learns flat fields of the palette and the
outlines that follow the photo's contours, not the texture of a reference image. Training runs on
the lab's one `trainer.Trainer` (checkpoints in the `checkpoints` format: `state.pt` resumes
exactly, `best.pt` is the network with the lowest validation L1 to the renderer).
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

from . import poster_metrics as PM
from . import poster_net as PN
from . import poster_render as PR
from .poster_objective import (PairSampler, colour_weights, palette_ce, palette_index, poster_loss,  # noqa: F401
                               pre_palette_loss, target_edges)
from .model import Geometry, Widths
from .trainer import Schedule, Trainer

HERE = os.path.dirname(os.path.abspath(__file__))
TRAINING = os.path.dirname(HERE)
REPO = os.path.dirname(TRAINING)
DATA = os.environ.get("PASTICHE_DATA") or os.path.join(os.path.dirname(REPO), "shared", "data")
STYLE_ID = "gongnongbing"
DEFAULT_WIDTHS = "16,32,64,48,48,48,48,48,32,16"     # 0.238 of the classic net's MACs


def list_photos(folder):
    return sorted(os.path.join(folder, f) for f in os.listdir(folder)
                  if f.lower().endswith((".png", ".jpg", ".jpeg")))


def load_side(path, side=None, multiple=1):
    im = Image.open(path).convert("RGB")
    if side:
        s = side / max(im.size)
        im = im.resize((max(1, round(im.size[0] * s)), max(1, round(im.size[1] * s))), Image.LANCZOS)
    a = np.asarray(im)
    if multiple > 1:
        a = a[:a.shape[0] - a.shape[0] % multiple, :a.shape[1] - a.shape[1] % multiple]
    return np.ascontiguousarray(a)


# ----------------------------------------------------------------- targets
def cmd_cache(a):
    src = a.photos or os.path.join(DATA, "photos", "train")
    out = a.cache_dir or os.path.join(TRAINING, "cache", "poster", str(a.side))
    os.makedirs(out, exist_ok=True)
    paths = list_photos(src)[:a.n] if a.n else list_photos(src)
    t0 = time.time()
    for i, p in enumerate(paths):
        name = os.path.splitext(os.path.basename(p))[0]
        dst = os.path.join(out, name + ".npz")
        if os.path.exists(dst) and not (a.parts and "smooth" not in np.load(dst).files):
            continue
        x = load_side(p, a.side)
        r = PR.render_parts(x)
        tmp = dst + ".tmp.npz"
        # also the renderer's pre-palette image (its L0-smoothed photo, 16 bits a channel) and its
        # outline mask: the targets of `train --target smooth` (poster_objective.pre_palette_target)
        np.savez_compressed(tmp, photo=x, target=r["poster"],
                            smooth=np.rint(r["smooth"] * 65535).astype(np.uint16), line=r["line"])
        os.replace(tmp, dst)
        print(f"{i + 1}/{len(paths)} {name} {time.time() - t0:.0f}s", flush=True)
    print("cached", len(paths), "in", out)


# ----------------------------------------------------------------- train
def init_net(widths, seed=0, head=None, smooth=()):
    torch.manual_seed(seed)
    return PN.PosterNet(widths, Geometry("B", "reflect"), head=head, palette=PR.COLOURS, smooth=smooth)


def default_checkpoint(style_id):
    """The run's best validated network (best.pt), else its training state."""
    run = os.path.join(TRAINING, "runs", style_id)
    best = os.path.join(run, "best.pt")
    return best if os.path.exists(best) else os.path.join(run, "state.pt")


def load_net(path, device="cpu"):
    """(net, normalised checkpoint) of any poster checkpoint (also the first, plain students)."""
    return PN.load(path, device)


@torch.no_grad()
def run_net(net, x_uint8, device="cpu"):
    """HxWx3 uint8 (sides multiples of 4) -> HxWx3 uint8 as the engine rounds."""
    x = torch.from_numpy(np.ascontiguousarray(x_uint8)).permute(2, 0, 1)[None].float().to(device)
    y = net.eval()(x)[0].permute(1, 2, 0).cpu().numpy()
    return np.clip(np.rint(y), 0, 255).astype(np.uint8)


def snapped(net, blur=5, lut=None, mode=None):
    """The network as shipped: a net that draws the pre-palette image (`target_kind` "smooth") through
    the renderer's colour rule as a lookup table (lut levels, default LUT_LEVELS), after a blur x blur
    box mean; any other net as it is (its palette snap is the caller's choice)."""
    if getattr(net, "target_kind", "poster") != "smooth":
        return net
    return PN.with_snap(net, PR.COLOURS, blur, lut or LUT_LEVELS, LUT_MODE if mode is None else mode)


LUT_LEVELS = 128    # 0.97 of smoothed pixels get palette_labels' own label (64: 0.94); flatter at 768 px
LUT_MODE = 5        # the renderer's 5x5 mode filter (2 passes) after the table: specks 0.022 -> 0.005


def lut_system(name, blur, levels, step, mode=0):
    return f"{name} + {blur}x{blur} mean + lookup table {levels}" + (f" + {mode}x{mode} mode" if mode else "") \
        + f" (step {step})"


def validator(photos, targets, device, score="l1", view=None):
    """validator(net, step): the poster measures on the validation photos, the L1 (0..1) to the
    renderer's output and the hue/outline measures (`pooled_scores`: the network's output as the
    snap sees it). score (lower is better, the best is kept): 'l1' = that L1; 'colour' = 1 - the
    mean of the mean colour recall, the key colour recall and the ink recall; 'colour-line' = 1 -
    the mean of those three and the line cover (`pooled_scores`)."""
    def fn(net, step):
        rows, l1 = [], []
        conf = np.zeros((len(PR.COLOURS), len(PR.COLOURS)), np.int64)
        ink = np.zeros(4, np.int64)
        line = np.zeros(4, np.int64)
        shown = view(net) if view else net
        for x, t in zip(photos, targets):
            y = run_net(shown, x, device)
            rows.append(PM.measures(y, x))
            l1.append(float(np.abs(y.astype(np.float32) - t).mean() / 255.0))
            conf += PM.palette_confusion(y, t, PR.COLOURS)
            ink_t = (t == PR.COLOURS[PR.INK]).all(-1)
            ink += PM.outline_counts(y, ink_t)
            line += PM.outline_counts(y, PM.line_mask(ink_t), radius=0)
        p = pooled_scores(conf, ink, line)
        v = {**PM.mean_measures(rows), "l1_renderer": float(np.mean(l1)),
             "same_colour": float(np.trace(conf) / conf.sum()),
             **{k: p[k] for k in ("mean_colour_recall", "key_colour_recall", "ink_recall", "line_cover")}}
        if score == "l1":
            v["score"] = v["l1_renderer"]
        elif score == "colour":
            v["score"] = 1 - (v["mean_colour_recall"] + v["key_colour_recall"] + v["ink_recall"]) / 3
        else:       # colour-line: also the line cover (the bold outlines drawn)
            v["score"] = 1 - (v["mean_colour_recall"] + v["key_colour_recall"] + v["ink_recall"]
                              + v["line_cover"]) / 4
        return v
    return fn


def build_trainer(a, log=print):
    """The lab's Trainer for a `train` command line: resumes from <run-dir>/state.pt."""
    run = a.run_dir or os.path.join(TRAINING, "runs", a.id)
    cache = a.cache_dir or os.path.join(TRAINING, "cache", "poster", "768")
    files = sorted(os.path.join(cache, f) for f in os.listdir(cache) if f.endswith(".npz") and ".tmp" not in f) \
        if os.path.isdir(cache) else []
    if not files:
        raise SystemExit(f"no cached targets in {cache}: run `poster_train cache` first")
    rich_cols = PR.COLOURS[[PR.IDX[n] for n in a.rich_colours.split(",")]] if a.rich else None
    sampler = PairSampler(files, a.crop, seed=a.seed, rich=a.rich, rich_colours=rich_cols, target=a.target)
    head = tuple(int(h) for h in a.head.split(",")) if a.head else None
    smooth = tuple(int(k) for k in a.smooth.split(",")) if a.smooth else ()
    net = init_net(Widths.from_list(a.widths.split(",")), a.seed, head, smooth)
    # The output conv maps to 0..255 with no activation: from the default init its outputs sit near 0
    # and Adam moves the bias ~lr a step. Start at the targets' mean colour, with a usable gain
    # (overwritten by a resumed state).
    mean = torch.stack([t[:3].float().mean(dim=(1, 2)) for _, t in sampler.pairs]).mean(0)
    with torch.no_grad():
        net.conv_out.conv.bias.copy_(mean)
        net.conv_out.conv.weight.mul_(a.out_gain)
    if a.init:      # start from another run's network (a resumed state.pt still wins)
        src, _ = load_net(a.init)
        grown = src.smooth != smooth
        if grown:    # the new smoothed-colour inputs start with zero weights: the same network
            src = PN.with_smooth(src, smooth)
        net.load_state_dict(src.state_dict())
        if a.target == "smooth" and getattr(src, "target_kind", "poster") != "smooth":
            log("the head is retargeted: it drew palette colours, it is trained to draw the pre-palette image")
        log(f"initialised from {a.init}" + (f" (smoothed input colour {list(smooth)} added, zero weights)"
                                            if grown else ""))
    val_paths = list_photos(os.path.join(DATA, "photos", "val"))[:a.val_photos]
    vals = [load_side(p, a.val_size, 4) for p in val_paths]
    targets = [PR.render(x) for x in vals]

    pal = torch.as_tensor(PR.COLOURS, dtype=torch.float32)
    cw = None
    if a.balance:
        cw, share = colour_weights(files, PR.COLOURS, a.balance)
        log("target colour shares " + " ".join(f"{n} {float(s):.3f}" for n, s in zip(PR.NAMES, share)))
        log("colour weights " + " ".join(f"{n} {float(w):.2f}" for n, w in zip(PR.NAMES, cw)))

    ce_w = None
    if a.ce_weight and a.ce_balance:
        ce_w, _ = colour_weights(files, PR.COLOURS, a.ce_balance, lo=0.1, hi=a.ce_balance_max)
        for spec in filter(None, (a.ce_class_scale or "").split(",")):      # e.g. skin_shadow=0.5,skin=2
            name, f = spec.split("=")
            ce_w[PR.IDX[name]] *= float(f)
        log("CE colour weights " + " ".join(f"{n} {float(w):.2f}" for n, w in zip(PR.NAMES, ce_w)))

    net.target_kind = a.target

    def objective(net, batch, step):
        x, t = batch
        y = net(x)
        if a.target == "smooth":     # the pre-palette image; the lookup table of the export does the palette
            return pre_palette_loss(y, t, a.grad_weight, a.edge_weight, cw, pal, a.line_weight)
        loss, parts = poster_loss(y, t, a.grad_weight, a.edge_weight, cw, pal, ink_weight=a.ink_weight,
                                  ink_index=PR.INK, line_weight=a.line_weight)
        if a.ce_weight:
            ce = palette_ce(y, t, pal, a.ce_temp, ce_w, a.ink_weight, PR.INK, a.line_weight)
            loss = loss + a.ce_weight * ce
            parts["ce"] = float(ce.detach())
        return loss, parts
    args = {k: v for k, v in vars(a).items() if k not in ("func", "argv")}
    val_def = f"poster val: first {len(vals)} of photos/val at {a.val_size} px, " + (
        "L1 to renderer" if a.val_score == "l1" else "score " + a.val_score)
    tr = Trainer(net, objective, sampler, run, batch=a.batch, schedule=Schedule(a.schedule, a.lr, a.lr_floor),
                 minutes=a.minutes, max_iters=a.iters, validator=validator(
                     vals, targets, a.device, a.val_score, view=lambda n: snapped(n, a.val_snap_blur, a.lut)),
                 val_every=a.val_every, ckpt_every=a.ckpt_every, ckpt_seconds=a.ckpt_seconds,
                 train_clamp=a.train_clamp, state_name="state.pt", best_name="best.pt", log_name="log.jsonl",
                 log_every=a.log_every, print_every=a.log_every, device=a.device, log=log, val_def=val_def,
                 seed=a.seed, meta={"args": args, "method": "poster renderer", "cached_targets": len(files)},
                 best_keys=("palette90", "flat_gain", "edge_recall", "l1_renderer", "same_colour",
                            "key_colour_recall", "ink_recall", "line_cover"))
    log(f"{len(files)} pairs, widths {net.widths}, head {head}, mac ratio "
        f"{PN.poster_mac_ratio(net.widths, head, smooth):.4f}" + (f", smoothed input colour {list(smooth)}" if smooth else ""))
    return tr


def cmd_train(a):
    torch.set_num_threads(a.threads)
    tr = build_trainer(a, log=lambda m: print(m, flush=True))
    best = tr.fit()
    print("done", tr.step, "best", json.dumps(best), flush=True)
    return tr


# ----------------------------------------------------------------- evaluate
def onnx_fn(path, threads=1):
    import onnxruntime as ort
    so = ort.SessionOptions(); so.intra_op_num_threads = threads
    sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])

    def fn(x):
        y = sess.run(["output"], {"input": x.transpose(2, 0, 1)[None].astype(np.float32)})[0][0]
        return np.clip(np.rint(y.transpose(1, 2, 0)), 0, 255).astype(np.uint8)
    return fn


def renderer_agreement(y, t):
    """How close an output is to the renderer's on the same photo, colour included (the three poster
    measures cannot see hue): the mean L1 (0..1) and the share of pixels whose nearest palette
    colour is the renderer's."""
    pal = PR.COLOURS.astype(np.float32)

    def lab(a):
        a = a.reshape(-1, 3).astype(np.float32)
        return ((a[:, None] - pal[None]) ** 2).sum(-1).argmin(1)
    return {"l1_renderer": float(np.abs(y.astype(np.float32) - t).mean() / 255.0),
            "same_colour_as_renderer": float((lab(y) == lab(t)).mean())}


KEY_COLOURS = ("vermilion", "golden", "cream", "deep_blue", "pale_blue")   # the poster's signature colours


def pooled_scores(conf, ink, line=None):
    """conf: KxK palette confusion summed over photos; ink: the summed `PM.outline_counts`. -> the hue
    and outline measures: per-colour recall/precision, their means (all colours present; the
    KEY_COLOURS), ink recall/precision; with line (the summed `PM.outline_counts(out,
    PM.line_mask(ink), radius=0)`) the *line cover*: the share of the renderer's outline pixels the
    output itself paints dark (how much of the bold line is drawn, not just touched)."""
    rec, prec = PM.colour_scores(conf)
    key = [PR.IDX[n] for n in KEY_COLOURS]
    present = ~np.isnan(rec)
    return {"colour_recall": {n: (None if np.isnan(r) else round(float(r), 4)) for n, r in zip(PR.NAMES, rec)},
            "colour_precision": {n: (None if np.isnan(q) else round(float(q), 4)) for n, q in zip(PR.NAMES, prec)},
            "mean_colour_recall": round(float(np.nanmean(rec[present])), 4) if present.any() else None,
            "key_colour_recall": round(float(np.nanmean(rec[key])), 4) if present[key].any() else None,
            "ink_recall": round(PM.ratio(ink[0], ink[1]), 4), "ink_precision": round(PM.ratio(ink[2], ink[3]), 4),
            **({"line_cover": round(PM.ratio(line[0], line[1]), 4)} if line is not None else {})}


def evaluate(systems, photos_dir, n, size, references=None):
    """systems: name -> fn(HxWx3 uint8) -> HxWx3 uint8. Returns per-system means, pooled hue/outline
    scores against the renderer (`pooled_scores`) and per-photo rows."""
    paths = list_photos(photos_dir)[:n] if n else list_photos(photos_dir)
    photos = [(os.path.basename(p), load_side(p, size, 4)) for p in paths]
    res = {"photos_dir": os.path.relpath(os.path.realpath(photos_dir), os.path.realpath(REPO)),
           "n": len(photos), "size": size, "systems": {}}
    targets = {pn: PR.render(x) for pn, x in photos}
    for name, fn in systems.items():
        rows = []
        conf = np.zeros((len(PR.COLOURS), len(PR.COLOURS)), np.int64)
        ink = np.zeros(4, np.int64)
        line = np.zeros(4, np.int64)
        for pn, x in photos:
            t = targets[pn]
            y = t if fn is PR.render else fn(x)
            m = {**PM.measures(y, x), **renderer_agreement(y, t)}
            conf += PM.palette_confusion(y, t, PR.COLOURS)
            ink_t = (t == PR.COLOURS[PR.INK]).all(-1)
            c = PM.outline_counts(y, ink_t)
            ink += c
            line += PM.outline_counts(y, PM.line_mask(ink_t), radius=0)
            m["ink_recall"] = PM.ratio(c[0], c[1]) if c[1] else 1.0
            rows.append({"photo": pn, **{k: round(v, 4) for k, v in m.items()}})
        mean = PM.mean_measures([{k: v for k, v in r.items() if k != "photo"} for r in rows])
        res["systems"][name] = {"mean": {k: round(v, 4) for k, v in mean.items()},
                                "pooled": pooled_scores(conf, ink, line),
                                "meets_goals": PM.meets_goals(mean), "rows": rows}
        pooled = res["systems"][name]["pooled"]
        print(name, json.dumps(res["systems"][name]["mean"]), "meets" if PM.meets_goals(mean) else "",
              json.dumps({k: v for k, v in pooled.items() if not isinstance(v, dict)}), flush=True)
    if references:
        rows = []
        for p in references:
            y = load_side(p, size)
            rows.append({"image": os.path.basename(p), "palette90": PM.palette90(y),
                         "flat_fraction": round(PM.flat_fraction(y), 4)})
        res["reference_posters"] = {"rows": rows, "mean": PM.mean_measures(
            [{k: v for k, v in r.items() if k != "image"} for r in rows])}
        print("reference posters", json.dumps(res["reference_posters"]["mean"]), flush=True)
    return res


def cmd_evaluate(a):
    torch.set_num_threads(a.threads)
    systems = {"photo (unstylized)": lambda x: x, "renderer (teacher)": PR.render}
    for spec in a.onnx or []:
        name, path = spec.split("=", 1) if "=" in spec else (os.path.basename(spec), spec)
        systems[name] = onnx_fn(path, a.threads)
    ck = a.checkpoint or default_checkpoint(a.id)
    nets = [("network", ck)] if os.path.exists(ck) and not a.no_checkpoint else []
    nets += [tuple(spec.split("=", 1)) for spec in a.also or []]
    for name, path in nets:
        net, c = load_net(path)
        systems[f"{name} (step {c['step']})"] = lambda x, net=net: run_net(net, x)
        if getattr(net, "target_kind", "poster") == "smooth":    # the pre-palette image: the renderer's rule snaps it
            for k in a.snap_blur or [5]:
                for lv in a.lut or [LUT_LEVELS]:
                    for md in a.lut_mode or [LUT_MODE]:
                        snap = PN.with_snap(net, PR.COLOURS, k, lv, md)
                        systems[lut_system(name, k, lv, c["step"], md)] = lambda x, snap=snap: run_net(snap, x)
            continue
        if a.snap:
            snap = PN.with_snap(net, PR.COLOURS)
            systems[f"{name} + palette snap (step {c['step']})"] = lambda x, snap=snap: run_net(snap, x)
        for k in a.snap_blur or []:
            snap = PN.with_snap(net, PR.COLOURS, k)
            systems[f"{name} + {k}x{k} mean + palette snap (step {c['step']})"] = lambda x, snap=snap: run_net(snap, x)
    refs = sorted(os.path.join(TRAINING, "poster", f) for f in os.listdir(os.path.join(TRAINING, "poster"))
                  if f.startswith("poster_") and f.endswith(".png"))
    photos_dir = a.photos or os.path.join(DATA, "photos", "val")
    res = evaluate(systems, photos_dir, a.photos_n, a.size, refs)
    res["goals"] = PM.GOALS
    import shlex
    res["command"] = "cd training && python3 -m pastiche_lab.poster_train evaluate " + shlex.join(
        sys.argv[2:] if a.argv is None else a.argv)
    out = a.out or os.path.join(TRAINING, "reports", a.id, "poster_eval.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out + ".tmp", "w") as f:
        json.dump(res, f, indent=1, ensure_ascii=False)
    os.replace(out + ".tmp", out)
    print("wrote", out)
    return res


# ----------------------------------------------------------------- contact sheet
def cmd_sheet(a):
    """Rows: one photo each. Columns: the photo (only for the project's own shippable samples in
    assets/samples: ../shared/data's rule forbids committing its photos in any form, so a Kodak
    row leaves that cell grey), the old model (--old-onnx), the --also checkpoints, the renderer,
    the network."""
    net, ck = load_net(a.checkpoint or default_checkpoint(a.id))
    also = [load_net(path)[0] for path in a.also or []]
    if net.target_kind == "smooth":      # draws the pre-palette image: the renderer's rule as a table snaps it
        net = snapped(net, a.snap_blur or 5, a.lut, a.lut_mode)
    elif a.snap or a.snap_blur:
        net = PN.with_snap(net, PR.COLOURS, a.snap_blur)
    also = [snapped(n, a.also_snap_blur or 5, a.lut, a.lut_mode) if n.target_kind == "smooth" else
            PN.with_snap(n, PR.COLOURS, a.also_snap_blur) if a.snap or a.snap_blur else n for n in also]
    old = onnx_fn(a.old_onnx) if a.old_onnx and os.path.exists(a.old_onnx) else None
    kodak = os.path.join(DATA, "photos", "kodak")
    cells = []
    for f in a.photos.split(","):
        p = f if os.path.isabs(f) or os.path.exists(f) else os.path.join(kodak, f)
        x = load_side(p, a.side, 4)
        own = os.path.realpath(p).startswith(os.path.realpath(os.path.join(REPO, "assets", "samples")))
        row = [x if own else np.full_like(x, 200)] + ([old(x)] if old else []) + [run_net(n, x) for n in also] \
            + [PR.render(x), run_net(net, x)]
        cells.append(row)
        print(os.path.basename(p), flush=True)
    pad = 6
    cw = max(c.shape[1] for r in cells for c in r)
    ch = max(c.shape[0] for r in cells for c in r)
    ncol = len(cells[0])
    sheet = np.full((len(cells) * (ch + pad) + pad, ncol * (cw + pad) + pad, 3), 255, np.uint8)
    for i, r in enumerate(cells):
        for j, c in enumerate(r):
            y0, x0 = pad + i * (ch + pad), pad + j * (cw + pad)
            sheet[y0:y0 + c.shape[0], x0:x0 + c.shape[1]] = c
    out = a.out or os.path.join(TRAINING, "reports", a.id, "poster_contact.jpg")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    Image.fromarray(sheet).save(out, quality=88)
    print("wrote", out, "columns: photo (own samples only)" + (", old model" if old else "") +
          "".join(f", {p}" for p in a.also or []) + ", renderer, network at step", ck["step"])


# ----------------------------------------------------------------- export
def cmd_export(a):
    from . import catalog, ship
    from .export import export_pair
    ckp = a.checkpoint or default_checkpoint(a.id)
    net, ck = load_net(ckp)
    lut = (a.lut or LUT_LEVELS) if net.target_kind == "smooth" else 0
    mode = (LUT_MODE if a.lut_mode is None else a.lut_mode) if lut else 0
    if lut and a.snap_blur < 2:
        a.snap_blur = 5
    snap = a.snap or a.snap_blur > 1 or bool(lut)
    if snap:
        net = PN.with_snap(net, PR.COLOURS, a.snap_blur, lut, mode)
    out = os.path.abspath(a.out_dir)
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, f"{a.id}.onnx")
    tmp_dir = os.path.join(out, f".{a.id}.export")
    os.makedirs(tmp_dir, exist_ok=True)
    export_pair(net, os.path.join(tmp_dir, f"{a.id}.onnx"), os.path.join(tmp_dir, f"{a.id}.tile.onnx"))
    files = {"file": f"{a.id}.onnx", "tile_file": f"{a.id}.tile.onnx"}
    whole, tile = os.path.join(tmp_dir, files["file"]), os.path.join(tmp_dir, files["tile_file"])
    if hasattr(ship, "parity"):
        print("parity", ship.parity(net, whole, tile), flush=True)
    os.replace(whole, path)
    os.replace(tile, os.path.join(out, files["tile_file"]))
    os.rmdir(tmp_dir)
    repo_models = os.path.realpath(out) == os.path.realpath(os.path.join(REPO, "models"))
    thumb_dir = os.path.join(REPO, "assets", "thumbnails") if repo_models else os.path.join(out, "thumbnails")
    thumb_rel = f"../assets/thumbnails/{a.id}.png" if repo_models else f"thumbnails/{a.id}.png"
    os.makedirs(thumb_dir, exist_ok=True)
    th = load_side(os.path.join(REPO, "assets", "samples", "chelsea.jpg"), 256, 4)
    Image.fromarray(onnx_fn(path)(th)).save(os.path.join(thumb_dir, f"{a.id}.png"))
    ev_path = a.eval_json or os.path.join(TRAINING, "reports", a.id, "poster_eval.json")
    fid = {"psnr_db": None, "ssim": None}
    if os.path.exists(ev_path):
        ev = json.load(open(ev_path))
        want = a.eval_system or (lut_system("network", a.snap_blur, lut, ck["step"], mode) if lut else None) or (
            ("network + %dx%d mean + palette snap (step %d)" % (a.snap_blur, a.snap_blur, ck["step"])
                                  if a.snap_blur > 1 else "network + palette snap (step %d)" % ck["step"])
                                 if snap else "network (step %d)" % ck["step"])
        mine = [v for k, v in ev["systems"].items() if k == want]
        if a.eval_system and not mine:
            raise SystemExit(f"{ev_path}: no system {want!r} (has {sorted(ev['systems'])})")
        if mine:
            fid.update({"eval_set": f"{ev['photos_dir']}, first {ev['n']} photos, long side {ev['size']} px; "
                                    "poster measures of issue 10 (training/pastiche_lab/poster_metrics.py)",
                        "photos": ev["n"], "eval_size": ev["size"], "system": want, **mine[-1]["mean"],
                        **{k: mine[-1]["pooled"][k] for k in ("mean_colour_recall", "key_colour_recall", "ink_recall",
                                                              "line_cover") if k in mine[-1].get("pooled", {})},
                        **{"unstylized_photo_" + k: v for k, v in ev["systems"]["photo (unstylized)"]["mean"].items()}})
    w = net.widths
    state = os.path.join(os.path.dirname(os.path.abspath(ckp)), "state.pt")    # best.pt records no arguments
    train_args = ck["meta"].get("args") or (PN.checkpoints.load(state)["meta"].get("args") if os.path.exists(state)
                                            else None) or {}
    entry = {
        "id": a.id,
        "names": {"en": "Workers-Peasants-Soldiers Poster", "zh": "工农兵海报"},
        "descriptions": {
            "en": "A 1960s-70s Chinese propaganda poster: large flat fields of vermilion, golden yellow and "
                  "cream with the blues, greens and browns of clothing, and bold dark outlines that follow the photo.",
            "zh": "二十世纪六七十年代中国宣传画：朱红、金黄、米色与衣着的蓝、绿、棕色大块平涂，粗重的深色轮廓随照片的形体而走。"},
        "file": os.path.basename(path),
        "tile_file": files["tile_file"],
        "thumbnail": thumb_rel,
        "teacher": None,
        "license": "The project's own licence, like the project's other original work: trained from scratch "
                   "(no teacher network, no third-party image) to reproduce the project's own procedural poster "
                   "renderer (training/pastiche_lab/poster_render.py) on photos.",
        "attribution": "Trained from scratch by the Pastiche model lab to imitate its procedural poster renderer "
                       "(L0 smoothing after Xu et al. 2011, a hand-made palette of the 1960s-70s Chinese propaganda "
                       "poster, difference-of-Gaussians outlines). Training photos: BSDS500 (research use, not shipped).",
        "params": PN.poster_params(net),
        "macs_per_megapixel": int(round(PN.poster_macs_per_pixel(w, net.head, net.smooth) * 1e6)),
        "size_multiple": 4,
        "fidelity": fid,
        "stats_length": net.stats_len(),
        "lab": {"config": net.config(), "method": "poster renderer imitation (L1 + gradient L1"
                + (", colour-balanced" if train_args.get("balance") else "") + ")"
                + ("; colour head %s after the last instance norm (pastiche_lab/poster_net.py)" % list(net.head)
                   if net.head else "")
                + ("; the head also reads the input's %s box means (its smoothed colour: reflection Pad + separable "
                   "AveragePools in the graph)" % " and ".join("%dx%d" % (k, k) for k in net.smooth) if net.smooth else "")
                + ("; trained to draw the renderer's pre-palette image (its L0-smoothed photo, outlines ink: "
                   "train --target smooth)" if lut else "")
                + ", pastiche_lab/poster_train.py"
                + (("; output layer: a %dx%d box mean of the network's output (reflection Pad + AveragePool), then the "
                    "renderer's own colour rule (poster_render.palette_labels) as a lookup table of %d^3 cells (each "
                    "channel quantised to %d levels: Mul by a power of two, Floor, Clip, Cast; Gather of the cell's "
                    "label, computed at the cell centres, then Gather of its palette colour); a pixel whose own "
                    "(unblurred) label is ink stays ink (Where), so the outlines survive the mean"
                    % (a.snap_blur, a.snap_blur, lut, lut)
                    + ("; then the renderer's %dx%d mode filter, 2 passes, on the labels of the fields (one-hot "
                       "planes, AveragePool, ArgMax; the ink left out of the votes and kept)" % (mode, mode) if mode else ""))
                   if lut else
                   ("; output layer snaps each pixel to the nearest of the renderer's %d palette colours (ArgMin + Gather in "
                    "the ONNX graph)" % len(PR.COLOURS)
                    + (", after a %dx%d box mean of the network's output (reflection Pad + AveragePool in the graph: a "
                       "pixel near a colour border takes the colour its neighbourhood is nearest to)"
                       % (a.snap_blur, a.snap_blur) if a.snap_blur > 1 else ""))
                   if snap else ""),
                **({"output_palette": PR.COLOURS.tolist()} if snap else {}),
                **({"output_snap_blur": a.snap_blur} if snap and a.snap_blur > 1 else {}),
                **({"output_lut_levels": lut} if lut else {}),
                **({"output_mode_filter": mode} if mode else {}),
                "output_reach_px": PN.output_reach(net) + (2 * (mode // 2) if mode else 0),
                "minutes_trained": round(ck["elapsed"] / 60, 1), "iterations": ck["step"],
                "train_args": {k: train_args[k] for k in ("crop", "batch", "lr", "schedule", "minutes", "grad_weight",
                                                           "edge_weight", "balance", "head", "seed", "ink_weight", "line_weight",
                                                           "ce_weight", "ce_temp", "ce_balance", "ce_balance_max",
                                                           "ce_class_scale", "rich", "rich_colours", "init", "smooth",
                                                           "target")
                               if k in train_args},
                "mac_ratio": round(PN.poster_mac_ratio(w, net.head, net.smooth), 4)},
    }
    if repo_models and hasattr(ship, "update_catalog"):
        ship.update_catalog(entry)
    else:
        catalog.update(os.path.join(out, "catalog.json"), entry)
    print(json.dumps(entry, ensure_ascii=False, indent=1))
    return entry


def parser():
    ap = argparse.ArgumentParser(description="The gongnongbing poster path (issue 10).")
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("cache", help="render targets of training photos")
    c.add_argument("--photos", default=None, help="default ../shared/data/photos/train")
    c.add_argument("--side", type=int, default=768)
    c.add_argument("--n", type=int, default=0)
    c.add_argument("--cache-dir", default=None)
    c.add_argument("--parts", action="store_true", help="re-render cached files that lack the pre-palette "
                   "image (smooth, line; files of earlier caches)")
    c.set_defaults(func=cmd_cache)
    t = sub.add_parser("train", help="train (the lab's Trainer; resumes from <run-dir>/state.pt)")
    t.add_argument("--id", default=STYLE_ID)
    t.add_argument("--run-dir", default=None); t.add_argument("--cache-dir", default=None)
    t.add_argument("--restart", action="store_true")
    t.add_argument("--widths", default=DEFAULT_WIDTHS)
    t.add_argument("--crop", type=int, default=144); t.add_argument("--batch", type=int, default=4)
    t.add_argument("--iters", type=int, default=4000); t.add_argument("--lr", type=float, default=2e-3)
    t.add_argument("--minutes", type=float, default=None, help="also stop after this much training time")
    t.add_argument("--schedule", default="cosine-iters", choices=Schedule.KINDS)
    t.add_argument("--lr-floor", type=float, default=0.05, help="the cosine's end, x lr")
    t.add_argument("--head", default="24,16", help="colour head widths h1,h2 ('' = the plain output conv: colour-blind)")
    t.add_argument("--smooth", default="", help="box sizes k,...: the colour head also reads the input's k x k box "
                   "means (poster_net; with --init from a net without them: their weights start at 0)")
    t.add_argument("--train-clamp", action="store_true", help="clamp the output to 0..255 while training "
                   "(no gradient beyond it); validation always clamps")
    t.add_argument("--grad-weight", type=float, default=0.5)
    t.add_argument("--edge-weight", type=float, default=4.0, help="extra L1 weight of the target's border pixels")
    t.add_argument("--balance", type=float, default=0.5, help="weigh each target colour by its pixel share ** "
                   "-BALANCE (0: unweighted)")
    t.add_argument("--ink-weight", type=float, default=0.0, help="extra weight (L1 and CE) of the target's ink "
                   "(outline) pixels")
    t.add_argument("--line-weight", type=float, default=0.0, help="extra weight (L1 and CE) of the target's "
                   "outline pixels (poster_objective.line_mask: thin ink, not the dark areas), on top of --ink-weight")
    t.add_argument("--ce-weight", type=float, default=0.0, help="weight of the palette cross-entropy "
                   "(poster_objective.palette_ce; 0: off)")
    t.add_argument("--ce-temp", type=float, default=0.02, help="its temperature (squared 0..1 RGB distance)")
    t.add_argument("--ce-balance", type=float, default=1.0, help="its class weights: pixel share ** -CE_BALANCE")
    t.add_argument("--ce-balance-max", type=float, default=8.0, help="cap of those class weights")
    t.add_argument("--ce-class-scale", default="", help="NAME=F,...: those CE class weights times F (after the cap; "
                   "e.g. skin_shadow=0.5 against a colour the snap over-predicts)")
    t.add_argument("--rich", type=float, default=0.0, help="share of crops drawn rich in --rich-colours "
                   "(PairSampler)")
    t.add_argument("--rich-colours", default="vermilion,deep_red,golden,cream,deep_blue,pale_blue")
    t.add_argument("--init", default=None, help="start from this checkpoint's network (fresh optimiser)")
    t.add_argument("--target", default="poster", choices=("poster", "smooth"), help="what the network learns to "
                   "draw: the renderer's poster, or its pre-palette image (smoothed photo, outlines ink) that the "
                   "export turns into the poster by the renderer's own colour rule (a lookup table, --lut)")
    t.add_argument("--lut", type=int, default=LUT_LEVELS, help="--target smooth: levels a channel of the lookup "
                   "table the validation snaps with")
    t.add_argument("--val-snap-blur", type=int, default=5, help="--target smooth: the box mean before the table")
    t.add_argument("--out-gain", type=float, default=50.0, help="initial scale of the output conv's weights")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--val-photos", type=int, default=3); t.add_argument("--val-size", type=int, default=384)
    t.add_argument("--val-score", default="l1", choices=("l1", "colour", "colour-line"), help="which validated network "
                   "best.pt keeps (see `validator`)")
    t.add_argument("--val-every", type=int, default=250); t.add_argument("--log-every", type=int, default=10)
    t.add_argument("--ckpt-seconds", type=float, default=120); t.add_argument("--ckpt-every", type=int, default=50)
    t.add_argument("--threads", type=int, default=1); t.add_argument("--device", default="cpu")
    t.set_defaults(func=cmd_train)
    e = sub.add_parser("evaluate", help="poster measures: photo, renderer, --onnx models, the run's checkpoint")
    e.add_argument("--id", default=STYLE_ID)
    e.add_argument("--photos", default=None, help="photo folder (default ../shared/data/photos/val)")
    e.add_argument("--photos-n", type=int, default=20); e.add_argument("--size", type=int, default=768)
    e.add_argument("--onnx", action="append", help="NAME=path.onnx, repeatable")
    e.add_argument("--checkpoint", default=None); e.add_argument("--no-checkpoint", action="store_true")
    e.add_argument("--also", action="append", help="NAME=checkpoint: more networks to measure, repeatable")
    e.add_argument("--out", default=None); e.add_argument("--threads", type=int, default=1)
    e.add_argument("--snap", action="store_true", help="also the network with the palette-snap output layer")
    e.add_argument("--snap-blur", type=int, action="append", help="also the network with a KxK box mean "
                   "before the snap (repeatable; a --target smooth net: before its lookup table, default 5)")
    e.add_argument("--lut", type=int, action="append", help="a --target smooth net: the levels a channel of its "
                   f"lookup table (repeatable, default {LUT_LEVELS})")
    e.add_argument("--lut-mode", type=int, action="append", help="a --target smooth net: its mode filter after the "
                   f"table (repeatable; 0: none; default {LUT_MODE})")
    e.set_defaults(func=cmd_evaluate, argv=None)
    s = sub.add_parser("sheet", help="contact sheet on Kodak photos (publishable)")
    s.add_argument("--id", default=STYLE_ID); s.add_argument("--checkpoint", default=None)
    s.add_argument("--photos", default="kodim04.png,kodim14.png,kodim08.png,kodim13.png,kodim03.png,"
                   "../assets/samples/astronaut.jpg,../assets/samples/coffee.jpg",
                   help="comma list: Kodak file names or paths")
    s.add_argument("--side", type=int, default=384); s.add_argument("--old-onnx", default=None)
    s.add_argument("--out", default=None); s.add_argument("--snap", action="store_true")
    s.add_argument("--also", action="append", help="checkpoint: another network's column, repeatable")
    s.add_argument("--snap-blur", type=int, default=0, help="the network's column: a KxK box mean before "
                   "the snap (the --also columns: see --also-snap-blur)")
    s.add_argument("--lut", type=int, default=None, help="a --target smooth net: levels of its lookup table "
                   f"(default {LUT_LEVELS})")
    s.add_argument("--lut-mode", type=int, default=None, help=f"its mode filter (default {LUT_MODE}; 0: none)")
    s.add_argument("--also-snap-blur", type=int, default=0, help="the --also columns' box mean before the snap "
                   "(default 0: the plain snap)")
    s.set_defaults(func=cmd_sheet)
    x = sub.add_parser("export", help="ONNX + tile model + catalog entry + thumbnail")
    x.add_argument("--id", default=STYLE_ID); x.add_argument("--checkpoint", default=None)
    x.add_argument("--out-dir", default=os.path.join(REPO, "models"))
    x.add_argument("--snap", action="store_true", help="ship with the palette-snap output layer")
    x.add_argument("--snap-blur", type=int, default=0, help="a KxK box mean of the output before the snap, in the "
                   "graph (implies --snap)")
    x.add_argument("--lut-mode", type=int, default=None, help=f"a --target smooth net: its mode filter (default "
                   f"{LUT_MODE}, 2 passes; 0: none)")
    x.add_argument("--lut", type=int, default=None, help="a --target smooth net: levels of its lookup table "
                   f"(default {LUT_LEVELS}; its box mean: --snap-blur, default 5)")
    x.add_argument("--eval-json", default=None, help="the figures for the catalog's fidelity (default "
                   "reports/<id>/poster_eval.json)")
    x.add_argument("--eval-system", default=None, help="the system of --eval-json whose figures are the shipped "
                   "model's (default: the network with this export's snap at the checkpoint's step)")
    x.set_defaults(func=cmd_export)
    return ap


def main(argv=None):
    a = parser().parse_args(argv)
    if a.cmd == "evaluate":
        a.argv = argv
    return a.func(a)


if __name__ == "__main__":
    main()
