"""MicroAST in the lab: evolutionary channel pruning of the content path, fine-tuning against the
live teacher on (photo, style image) pairs, and the evaluation at 512 px on photos and paintings the
lab never saw. One resumable command (state in training/runs/microast/):

    cd training && OMP_NUM_THREADS=1 nohup nice -n 15 python3 -m pastiche_lab.microast_lab \
        --minutes 70 > runs/microast.log 2>&1 &
    python3 -m pastiche_lab.microast_lab --eval-only            # the figures of the best student

Data split (all under ../shared/data):
  training photos   photos/train (BSD, 200)
  training styles   styles/ candy, mosaic, la_muse, rain-princess, starry-night, sunflowers; the lab's
                    posters (training/poster/*.png); training photos used as styles (generality)
  validation        4 photos of photos/val x (candy, starry-night) at 384 px (picks the best student)
  test (never seen) photos/kodak (first 8) x styles/ udnie, fuchun, wheatfield_with_crows at 512 px

The search reuses prune.py's operators (tournament selection S1, group-wise crossover S2, bit-flip
mutation, elitism) over MicroAST's binary channel code (microast.GROUPS; the trunk and u1 in pairs
so that the grouped convs keep whole groups); fitness = VGG style + content distance of the pruned
net's output to the teacher's on (photo, painting) pairs + gamma x parameters (millions); codes over
the MAC budget are repaired by dropping channels.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch

from . import checkpoints
from . import microast as M
from .data import LAB, data_root, list_photos, load_rgb, resize_long
from .lossnets import load_vgg
from .microast_finetune import TRAIN_STYLES, PairSampler, make_trainer, t01
from .perceptual import content_distance, style_distance
from .prune import next_generation

__all__ = ["TRAIN_STYLES", "t01", "load_student", "evaluate_pairs", "test_sets", "painting", "GOAL", "TEST_STYLES"]
VAL_STYLES = ["candy.jpg", "starry-night.jpg"]
TEST_STYLES = ["udnie.jpg", "fuchun.jpg", "wheatfield_with_crows.jpg"]
GOAL = {"mac_ratio": 0.6, "style_distance_ratio": 0.25, "ssim_lum_4x": 0.85}


def painting(path, size=512):
    """A style image (a path, or an HxWx3 0..255 array) at `size` px long side, [1,3,h,w] 0..1."""
    img = path if isinstance(path, np.ndarray) else load_rgb(path)
    return t01(resize_long(img, size, multiple=1))


def style_name(s, i=0):
    return f"array-{i}" if isinstance(s, np.ndarray) else Path(s).name


# ---------------- search ----------------
def importance(teacher: M.ContentNet):
    """Per code bit: L1 norm of the filters producing the channel, normalised per group."""
    n = lambda conv: conv.conv.weight.detach().abs().flatten(1).sum(1)
    e = teacher.enc
    trunk = n(e.pw2) + n(e.r1.conv2) + n(e.r2.conv2) + n(teacher.dec1.conv2) + n(teacher.dec2.conv2)
    imp = {"c1": n(e.conv1), "e2": n(e.pw1), "trunk": trunk.view(-1, 2).sum(1), "r1": n(e.r1.conv1),
           "r2": n(e.r2.conv1), "u1": n(teacher.pw3).view(-1, 2).sum(1), "u2": n(teacher.pw4)}
    out = []
    for g in M.GROUPS:
        v = imp[g].numpy()
        out += list(v / v.max())
    return out


def code_widths(code):
    return M.widths_from_indices(M.indices_from_code(code))


def mac_ratio(code):
    return M.content_macs_per_pixel(code_widths(code)) / M.content_macs_per_pixel(M.FULL)


def repair(code, max_mac, rng, imp=None, min_bits=2):
    code = list(code)
    sl = M.group_slices()
    for _g, (s, e) in sl.items():
        on = sum(code[s:e])
        if on < min_bits:
            for i in rng.sample([i for i in range(s, e) if not code[i]], min_bits - on):
                code[i] = 1
    while mac_ratio(code) > max_mac:
        base = M.content_macs_per_pixel(code_widths(code))
        cands = []
        for g, (s, e) in sl.items():
            on = [i for i in range(s, e) if code[i]]
            if len(on) <= min_bits:
                continue
            c2 = list(code); c2[on[0]] = 0
            cands.append((base - M.content_macs_per_pixel(code_widths(c2)), g, on))
        if not cands:
            break
        r, acc = rng.random() * sum(c for c, _, _ in cands), 0.0
        for c, g, on in cands:  # noqa: B007 (g and on are the drawn group, used after the loop)
            acc += c
            if acc >= r:
                break
        i = min(on, key=lambda j: imp[j] + 1e-3 * rng.random()) if imp is not None else rng.choice(on)
        code[i] = 0
    return code


def importance_code(imp, frac):
    code = [0] * len(imp)
    for g, (s, e) in M.group_slices().items():
        f = frac[g] if isinstance(frac, dict) else frac
        k = max(1, int(round(f * (e - s))))
        for j in sorted(range(s, e), key=lambda j: -imp[j])[:k]:
            code[j] = 1
    return code


def search_pairs(droot, n=6, size=192, style_size=256, seed=0):
    rng = random.Random(seed)
    photos = list_photos(droot / "photos" / "train")
    styles = [droot / "styles" / s for s in TRAIN_STYLES]
    out = []
    for i in range(n):
        p = t01(resize_long(load_rgb(rng.choice(photos)), size))
        out.append((p[:, :, :size * 2 // 3 // 4 * 4, :], painting(styles[i % len(styles)], style_size)))
    return out


def search(teacher: M.MicroAST, vgg, pairs, *, max_mac=0.58, gamma=0.3, population=16, generations=12,
           s1=0.2, s2=0.5, mut_rate=0.03, seed=0, log=print, time_budget_s=None):
    rng = random.Random(seed)
    tc = teacher.content
    imp = importance(tc)
    with torch.no_grad():
        codes = [teacher.style(s) for _, s in pairs]
        targets = [tc(p, c) for (p, _), c in zip(pairs, codes)]
        tfeat = [vgg(t * 255) for t in targets]
    cache, points = {}, []

    def perceptual(code):
        key = bytes(code)
        if key in cache:
            return cache[key]
        idx = M.indices_from_code(code)
        net = M.slim(tc, idx).eval()
        net.unbiased = True
        T = torch.tensor(idx["trunk"])
        err = 0.0
        with torch.no_grad():
            for (p, _), c, ft in zip(pairs, codes, tfeat):
                cc = torch.cat([c[v][T] for v in M.code_layout(64).values()])
                fo = vgg(net(p, cc) * 255)
                err += float(style_distance(fo, ft) + content_distance(fo[1], ft[1]))
        err /= len(pairs)
        rec = {"err": err, "params": M.count_params(net), "mac_ratio": mac_ratio(code),
               "widths": code_widths(code).as_list()}
        cache[key] = rec
        points.append(rec)
        return rec

    fitness = lambda c: perceptual(c)["err"] + gamma * perceptual(c)["params"] / 1e6
    pop = [repair(importance_code(imp, f), max_mac, rng, imp) for f in (0.8, 0.75, 0.7, 0.65)]
    while len(pop) < population:
        fr = {g: rng.uniform(0.5, 0.95) for g in M.GROUPS}
        code = importance_code([v + 0.5 * rng.random() for v in imp], fr) if rng.random() < 0.5 else \
            [1 if rng.random() < fr[g] else 0 for g, (s, e) in M.group_slices().items() for _ in range(s, e)]
        pop.append(repair(code, max_mac, rng, imp if rng.random() < 0.5 else None))
    slices = M.group_slices()
    t0, history = time.time(), []
    for gen in range(generations + 1):
        fit = [fitness(c) for c in pop]
        b = min(range(len(pop)), key=lambda i: fit[i])
        rec = perceptual(pop[b])
        history.append({"gen": gen, "best_fitness": fit[b], "best_err": rec["err"], "best_mac_ratio": rec["mac_ratio"],
                        "best_widths": rec["widths"], "mean_fitness": float(np.mean(fit)), "evals": len(cache),
                        "t": time.time() - t0})
        log(f"gen {gen} best {fit[b]:.4f} err {rec['err']:.4f} mac {rec['mac_ratio']:.3f} widths {rec['widths']} "
            f"evals {len(cache)} t {time.time() - t0:.0f}s")
        best = list(pop[b])
        if gen == generations or (time_budget_s and time.time() - t0 > time_budget_s):
            break
        pop, _ = next_generation(pop, fit, s1, s2, rng, slices, mut_rate)
        pop = [repair(c, max_mac, rng) for c in pop]
    return {"code": best, "widths": code_widths(best).as_list(), "mac_ratio": mac_ratio(best), "history": history,
            "points": points, "wall_s": time.time() - t0,
            "args": {"max_mac": max_mac, "gamma": gamma, "population": population, "generations": generations,
                     "s1": s1, "s2": s2, "mut_rate": mut_rate, "seed": seed, "pairs": len(pairs)}}


# ---------------- the student's checkpoints ----------------
def load_student(path) -> M.MicroAST:
    """The student of a checkpoint: the lab's format (config + state_dict of M.MicroAST, written
    by the Trainer) or the earlier loop's layout (widths, idx, content, style)."""
    ck = torch.load(str(path), map_location="cpu", weights_only=False)
    if ck.get("format") == checkpoints.FORMAT or "student" in ck:
        ck = checkpoints.normalise(ck)
        cfg = ck["config"]
        if cfg is None or cfg.get("kind") != "microast":
            raise ValueError(f"{path}: not a MicroAST student checkpoint")
        net = M.MicroAST.from_config(cfg)
        net.load_state_dict(ck["state_dict"])
        return net.eval()
    content = M.ContentNet(M.MWidths(**ck["widths"]))
    content.load_state_dict(ck["content"])
    style = M.StyleNet(ck["idx"]["trunk"])
    style.load_state_dict(ck["style"])
    style.unbiased = False
    return M.MicroAST(content, style).eval()


def student_from_teacher(teacher: M.MicroAST, idx) -> M.MicroAST:
    """The student before fine-tuning: the teacher's kept channels, its whole style encoder."""
    student = M.MicroAST(M.slim(teacher.content, idx), M.StyleNet(idx["trunk"]))
    student.style.load_state_dict({k: v for k, v in teacher.style.state_dict().items() if k != "trunk_idx"},
                                  strict=False)
    student.style.unbiased = False
    student.content.unbiased = False
    return student


def goal_score(v):
    """Distance to the goal on both criteria (< 1 meets it); the validation keeps the lowest."""
    return max(v["style_distance_ratio"] / GOAL["style_distance_ratio"], GOAL["ssim_lum_4x"] / max(v["ssim_lum_4x"], 1e-3))


# ---------------- evaluation ----------------
def _metrics_np(out, ref):
    from .evaluate import image_metrics
    return image_metrics(out, ref)


def evaluate_pairs(student: M.MicroAST, teacher: M.MicroAST, vgg, photos, styles, size, style_size=512):
    """Mean over photos x styles of: style distance ratio (student vs teacher, relative to the
    photo's), SSIM lum 4x, SSIM, PSNR; outputs rounded to 0..255 as the engine does."""
    rows = []
    codes = []
    with torch.no_grad():
        names = [style_name(s, i) for i, s in enumerate(styles)]
        for s in styles:
            sp = painting(s, style_size)
            codes.append((teacher.style(sp), student.style(sp)))
        for p in photos:
            img = resize_long(load_rgb(p), size)
            x = t01(img)
            fp = vgg(x * 255)
            for s, (tc, sc) in zip(names, codes):
                t = torch.round(teacher.content(x, tc) * 255)
                o = torch.round(student.content(x, sc) * 255)
                ft, fo = vgg(t), vgg(o)
                ratio = float(style_distance(fo, ft) / style_distance(fp, ft))
                tn, on = t[0].permute(1, 2, 0).numpy(), o[0].permute(1, 2, 0).numpy()
                s4, ss, ps = _metrics_np(on, tn)
                rows.append({"photo": Path(p).name, "style": s, "style_distance_ratio": ratio,
                             "ssim_lum_4x": float(s4), "ssim": float(ss), "psnr_db": float(ps)})
    mean = {k: float(np.mean([r[k] for r in rows])) for k in ("style_distance_ratio", "ssim_lum_4x", "ssim", "psnr_db")}
    return {**mean, "pairs": len(rows), "rows": rows}


def test_sets(droot, n_photos=8):
    photos = list_photos(droot / "photos" / "kodak")[:n_photos]
    return photos, [droot / "styles" / s for s in TEST_STYLES]


def test_eval(st: M.MicroAST, teacher: M.MicroAST, vgg, droot, checkpoint="", n_photos=8):
    """The goal's figures: the test pairs at 512 px, MACs, widths, parameters and meets_goal."""
    photos, styles = test_sets(droot, n_photos)
    ev = evaluate_pairs(st, teacher, vgg, photos, styles, 512)
    w = st.content.w
    ev.update({"mac_ratio": M.content_macs_per_pixel(w) / M.content_macs_per_pixel(M.FULL),
               "macs_per_megapixel": M.content_macs_per_pixel(w) * 1e6, "widths": w.as_list(),
               "params_content": M.count_params(st.content), "params_style": M.count_params(st.style),
               "goal": GOAL, "size": 512, "checkpoint": str(checkpoint)})
    ev["meets_goal"] = bool(ev["mac_ratio"] <= GOAL["mac_ratio"] and ev["style_distance_ratio"] <= GOAL["style_distance_ratio"]
                            and ev["ssim_lum_4x"] >= GOAL["ssim_lum_4x"])
    return ev


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data")
    ap.add_argument("--run-dir", default=str(LAB / "runs" / "microast"))
    ap.add_argument("--minutes", type=float, default=60.0, help="fine-tuning budget (training time)")
    ap.add_argument("--iters", type=int, help="fine-tune this many iterations (cosine over iterations; "
                                              "runs compare at equal iterations) instead of a time budget")
    ap.add_argument("--search-minutes", type=float, default=8.0)
    ap.add_argument("--max-mac", type=float, default=0.58)
    ap.add_argument("--gamma", type=float, default=0.3)
    ap.add_argument("--population", type=int, default=16)
    ap.add_argument("--generations", type=int, default=12)
    ap.add_argument("--crop", type=int, default=160)
    ap.add_argument("--vgg-every", type=int, default=2)
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--style-lr-scale", type=float, default=0.3)
    for k, d in (("pix", 1.0), ("low", 2.0), ("feat", 1.0), ("style", 3.0), ("content", 1.0), ("ratio", 0.0)):
        ap.add_argument(f"--w-{k}", type=float, default=d, help=f"weight of the {k} term (default {d})")
    ap.add_argument("--val-every", type=int, default=100)
    ap.add_argument("--init", help="a new run (no search.json in --run-dir yet) starts from this student checkpoint "
                                   "(and its folder's search.json) instead of searching")
    ap.add_argument("--widen", help="with --init: groups widened to the teacher's widths, e.g. c1,e2,u1,u2 (the "
                                    "added channels start as the teacher's, with zero outgoing weights)")
    ap.add_argument("--style-bank", action="store_true", help="add the style bank's training pictures "
                    "(microast_styles, runs/microast-styles/train) as style images")
    ap.add_argument("--bank-p", type=float, default=0.25, help="with --style-bank: share of the style images from it")
    ap.add_argument("--aug-p", type=float, default=0.0, help="share of the style images recoloured (style_augment)")
    ap.add_argument("--val", choices=("narrow", "wide"), default="narrow",
                    help="narrow: 4 val photos x candy, starry-night at 384 px (the first runs'); wide: "
                         "microast_styles.val_sets (6 val photos x 2 paintings, a recoloured one and 2 pictures "
                         "of a painter the lab never trains on)")
    ap.add_argument("--val-size", type=int, default=384)
    ap.add_argument("--val-photos", type=int, default=4, help="with --val wide: this many val photos")
    ap.add_argument("--reshape", help="with --init: new widths per group, e.g. c1=8,u2=8,trunk=52 (microast_reshape: "
                                      "dropped channels least important first, added ones from the teacher with zero "
                                      "outgoing weights; after --widen)")
    ap.add_argument("--max-mac-reshape", type=float, default=0.6, help="--reshape refuses widths over this MAC ratio")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--test-photos", type=int, default=8)
    ap.add_argument("--eval-only", action="store_true")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    droot = data_root(a.data)
    run = Path(a.run_dir); run.mkdir(parents=True, exist_ok=True)
    log = lambda m: print(time.strftime("%H:%M:%S"), m, flush=True)
    teacher = M.load_teacher(droot)
    for p in teacher.parameters():
        p.requires_grad_(False)
    vgg = load_vgg(droot)

    sp = run / "search.json"
    init = None
    if a.init and not sp.exists():         # a new run from a student (optionally widened)
        init, sp_init = load_student(a.init), Path(a.init).parent / "search.json"
        res = json.loads(sp_init.read_text())
        idx = M.indices_from_code(res["code"])
        if init.content.w != M.widths_from_indices(idx):
            raise SystemExit(f"{a.init}: its widths are not those of {sp_init}")
        info = {"from": str(a.init), "widen": [], "widths_before": res["widths"], "mac_ratio_before": res["mac_ratio"]}
        if a.widen:
            info["widen"] = a.widen.split(",")
            init.content, idx = M.widen(init.content, teacher.content, idx, info["widen"])
            log(f"widened {info['widen']}")
        if a.reshape:
            from .microast_reshape import parse_targets, plan, reshape_student
            targets = parse_targets(a.reshape)
            new = plan(idx, targets, importance(teacher.content))
            r = mac_ratio(M.code_from_indices(new))
            if r > a.max_mac_reshape:
                raise SystemExit(f"--reshape {a.reshape}: MAC ratio {r:.3f} > {a.max_mac_reshape}")
            init, idx = reshape_student(init, teacher, idx, new)
            info["reshape"] = targets
            log(f"reshaped {targets}")
        code = M.code_from_indices(idx)
        res = {**res, "code": code, "widths": code_widths(code).as_list(), "mac_ratio": mac_ratio(code), "init": info}
        log(f"from {a.init}: widths {res['widths']} mac ratio {res['mac_ratio']:.3f}")
        tmp = sp.with_suffix(".part"); tmp.write_text(json.dumps(res)); tmp.replace(sp)
    if not sp.exists():
        log("search")
        res = search(teacher, vgg, search_pairs(droot), max_mac=a.max_mac, gamma=a.gamma, population=a.population,
                     generations=a.generations, log=log, time_budget_s=a.search_minutes * 60)
        tmp = sp.with_suffix(".part"); tmp.write_text(json.dumps(res)); tmp.replace(sp)
    res = json.loads(sp.read_text())
    idx = M.indices_from_code(res["code"])
    log(f"code widths {res['widths']} mac ratio {res['mac_ratio']:.3f}")
    student = student_from_teacher(teacher, idx)
    if init is not None:
        student.load_state_dict(init.state_dict())

    if a.val == "wide":
        from .microast_styles import val_sets
        val_photos, val_styles = val_sets(droot, a.val_photos)
    else:
        val_photos = list_photos(droot / "photos" / "val")[:4]
        val_styles = [droot / "styles" / s for s in VAL_STYLES]
    val_def = "" if a.val == "narrow" and a.val_size == 384 else f"{a.val}-{a.val_photos}-{a.val_size}"

    def validator(net, step):
        v = evaluate_pairs(net, teacher, vgg, val_photos, val_styles, a.val_size)
        return {**v, "score": goal_score(v)}

    if not a.eval_only:
        weights = {f"w_{k}": getattr(a, f"w_{k}") for k in ("pix", "low", "feat", "style", "content", "ratio")}
        bank = []
        if a.style_bank:
            from .microast_styles import bank_images
            bank = bank_images("train")
            if not bank:
                raise SystemExit("--style-bank: runs/microast-styles/train is empty (python3 -m pastiche_lab.microast_styles)")
        sampler = PairSampler.from_data(droot, a.crop, bank=bank, bank_p=a.bank_p if bank else 0.0, aug_p=a.aug_p)
        trainer = make_trainer(teacher, student, idx, vgg, run, sampler, minutes=None if a.iters else a.minutes,
                               max_iters=a.iters, iter_schedule=bool(a.iters), lr=a.lr, style_lr_scale=a.style_lr_scale,
                               batch=a.batch, validator=validator, val_every=a.val_every, log=log,
                               vgg_every=a.vgg_every, val_def=val_def, meta={"args": vars(a)}, **weights)
        best = trainer.fit()
        log(f"fine-tuning done, best {best}")
    best_p = run / "student.pt"
    st = load_student(best_p) if best_p.exists() else student.eval()
    log("test evaluation (512 px, photos and paintings never seen)")
    ev = test_eval(st, teacher, vgg, droot, best_p, a.test_photos)
    tmp = run / "eval.part"; tmp.write_text(json.dumps(ev, indent=1)); tmp.replace(run / "eval.json")
    log(f"TEST style_ratio {ev['style_distance_ratio']:.3f} ssim4 {ev['ssim_lum_4x']:.3f} ssim {ev['ssim']:.3f} "
        f"psnr {ev['psnr_db']:.2f} mac {ev['mac_ratio']:.3f} meets_goal {ev['meets_goal']}")


if __name__ == "__main__":
    sys.exit(main())
