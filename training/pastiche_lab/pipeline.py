"""One resumable pipeline per style: search -> slim -> fine-tune -> evaluate -> export.

    python -m pastiche_lab.pipeline --style candy --minutes 40 [--threads 2] [--device cpu]

State lives in training/runs/<style>/ (search.json, ft_state.pt, student.pt, ft_log.jsonl,
eval.json, export/). Rerunning resumes; a larger --minutes continues the fine-tuning.
"""
from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np
import torch

from . import checkpoints
from .data import LAB, STYLES, data_root, list_photos, load_rgb, resize_long, to_tensor, train_photos
from .evaluate import TeacherCache, evaluate_fn, full_report, net_fn, load_student
from .finetune import GOAL_SCORE, train
from .lossnets import load_vgg, load_darknet
from .model import FULL, kept_indices, macs_per_pixel, masks_from_code, parse_widths, slim, widen, with_padding
from .prune import search
from .teachers import load_teacher


def log_to(path):
    f = open(path, "a", buffering=1)

    def log(*a):
        s = time.strftime("%H:%M:%S ") + " ".join(str(x) for x in a)
        print(s, flush=True)
        f.write(s + "\n")
    return log


def search_photos(droot, n, size, seed):
    ps = list_photos(Path(droot) / "photos" / "train")
    rng = random.Random(seed)
    ps = rng.sample(ps, n)
    imgs = [resize_long(load_rgb(p), size) for p in ps]
    imgs = [i.transpose(1, 0, 2) if i.shape[0] > i.shape[1] else i for i in imgs]   # landscape
    h = min(i.shape[0] for i in imgs); w = min(i.shape[1] for i in imgs)
    return torch.cat([to_tensor(np.ascontiguousarray(i[:h, :w])) for i in imgs])


def multi_size_validator(tcs, sizes, vgg, dev):
    """validator(net) -> figures of the first TeacherCache; with several (sizes), the worst
    style_distance_ratio and ssim_lum_4x over them, and each size's pair under `<size>px`."""
    def validator(net):
        rs = [evaluate_fn(net_fn(net, dev), tc, vgg, dev) for tc in tcs]
        if len(rs) == 1:
            return rs[0]
        v = dict(rs[0])
        v["style_distance_ratio"] = max(r["style_distance_ratio"] for r in rs)
        v["ssim_lum_4x"] = min(r["ssim_lum_4x"] for r in rs)
        for z, r in zip(sizes, rs):
            v[f"{z}px"] = (round(r["style_distance_ratio"], 4), round(r["ssim_lum_4x"], 4))
        return v
    return validator


def prune_student(student, teacher, vgg, sp, a, droot, dev, log):
    """The student pruned further: the evolutionary search over its channels (once; search.json,
    reread on resume) to a.prune_mac of the unpruned net of its geometry, fitness against the
    teacher's outputs; returns the slimmed student (same function as the student masked)."""
    kind = student.geo.kind
    if not sp.exists():
        photos = search_photos(droot, a.search_photos, a.search_size, a.seed).to(dev)
        log("search over the student's channels on", tuple(photos.shape), "budget", a.prune_mac, "of the unpruned net")
        res = search(student, photos, vgg, s1=a.s1, s2=a.s2, gamma=a.gamma, population=a.population,
                     generations=a.generations, max_mac=a.prune_mac, mut_rate=a.mut_rate, seed=a.seed,
                     disc_weight=a.disc_weight, log=log, time_budget_s=a.search_minutes * 60,
                     reference=teacher, mac_base=macs_per_pixel(FULL, kind), fractions=tuple(a.prune_fractions))
        sp.write_text(json.dumps(res))
    res = json.loads(sp.read_text())
    if res["args"].get("searched_widths") != student.widths.as_list():
        raise SystemExit(f"{sp} was searched over {res['args'].get('searched_widths')}, not this student's "
                         f"{student.widths.as_list()}: use a fresh --run-dir")
    out = slim(student, masks_from_code(res["code"], student.widths, dev))
    log("pruned to", out.widths, f"MACs {macs_per_pixel(out.widths, kind) / macs_per_pixel(FULL, kind):.3f} of the unpruned net")
    return out


def adv_args(a):
    """AdversarialTerm's arguments from the --adv-* options."""
    return dict(patch=a.adv_patch, n=a.adv_n, ring_share=a.adv_ring_share, fake_mine=a.adv_fake_mine, lr=a.adv_lr,
                widths=tuple(a.adv_widths), mode=a.adv_mode, loss=a.adv_loss, bank=a.adv_bank,
                threshold=a.adv_threshold, g_on=a.adv_g_on, warmup=a.adv_warmup,
                pool=a.adv_pool, d_steps=a.adv_d_steps)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--style", required=True, choices=sorted(STYLES))
    ap.add_argument("--data")
    ap.add_argument("--run-dir", help="default training/runs/<style>")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    # search
    ap.add_argument("--s1", type=float, default=0.2, help="probability of keeping a selected individual")
    ap.add_argument("--s2", type=float, default=0.5, help="probability of crossover (mutation: 1-S1-S2)")
    ap.add_argument("--gamma", type=float, default=0.3, help="fitness weight per million parameters")
    ap.add_argument("--population", type=int, default=16)
    ap.add_argument("--generations", type=int, default=12)
    ap.add_argument("--max-mac", type=float, default=0.22, help="MAC budget relative to the unpruned net")
    ap.add_argument("--mut-rate", type=float, default=0.02)
    ap.add_argument("--disc-weight", type=float, default=0.0, help="discriminator term in the fitness (0 = off)")
    ap.add_argument("--search-photos", type=int, default=4)
    ap.add_argument("--search-size", type=int, default=128)
    ap.add_argument("--search-minutes", type=float, default=5.0, help="search time budget (0 = none: exactly --generations)")
    # fine-tuning
    ap.add_argument("--minutes", type=float, default=30.0, help="total fine-tuning minutes (cumulative over resumes)")
    ap.add_argument("--iters", type=int, default=None,
                    help="fine-tune exactly this many iterations, cosine decay over iterations (replaces --minutes), "
                         "and evaluate the student at the last iteration: for comparisons at equal iterations")
    ap.add_argument("--crop", type=int, default=96)
    ap.add_argument("--scales", type=float, nargs=2, default=[0.6, 1.0], metavar=("LO", "HI"),
                    help="zoom range of the random-resized crops (log-uniform; 0 = the whole short side)")
    ap.add_argument("--photometric", type=float, default=0.0, help="photometric augmentation strength (0 = off)")
    ap.add_argument("--pool", action="store_true",
                    help="train on BSDS train + the extra photo pool (python -m pastiche_lab.photos prepare)")
    ap.add_argument("--max-side", type=int, default=None, help="scale training photos to this long side when loading")
    ap.add_argument("--context", type=int, default=None,
                    help="reflection context (px) around a format-A teacher's input for its targets and the "
                         "validation reference (default teachers.CONTEXT_A; 0 for format B)")
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--w-pix", type=float, default=1.0)
    ap.add_argument("--w-low", type=float, default=2.0, help="L1 on 4x average-pooled output")
    ap.add_argument("--w-feat", type=float, default=1.0)
    ap.add_argument("--w-content", type=float, default=1.0)
    ap.add_argument("--w-phase", type=float, default=0.0,
                    help="L1 of the output's 2x2-periodic components to the teacher's (pixel checkerboards; 0 = off)")
    ap.add_argument("--w-ssim", type=float, default=0.0,
                    help="1 - SSIM of the output's 4x average-pooled luminance to the teacher's (the SSIM lum 4x "
                         "measure, differentiable; 0 = off)")
    ap.add_argument("--w-chroma", type=float, default=0.0,
                    help="colour-histogram distance of the output to the teacher's in the chroma plane (sliced "
                         "Wasserstein, location- and luminance-blind: a hue wash the teacher does not paint; 0 = off)")
    ap.add_argument("--w-hard", type=float, default=0.0,
                    help="hard-example pixel L1: the top --hard-q fraction of the (2x pooled) positions where the "
                         "student differs most from the teacher (rare motifs, e.g. candy's rings; 0 = off)")
    ap.add_argument("--w-hard-feat", type=float, default=0.0,
                    help="the same on VGG relu3_1 features, on the VGG iterations (0 = off)")
    ap.add_argument("--hard-q", type=float, default=0.02, help="fraction of positions the hard-example terms take")
    ap.add_argument("--hard-pool", type=int, default=2, help="average pooling before the hard pixel selection")
    ap.add_argument("--w-ring", type=float, default=0.0,
                    help="position-free ring loss (motifs.ring_tail): the upper tail of the output's ring scores "
                         "to the teacher's, wherever they lie (candy's rings; 0 = off)")
    ap.add_argument("--ring-q", type=float, default=0.002, help="the tail fraction of --w-ring")
    ap.add_argument("--w-border", type=float, default=0.0,
                    help="L1 to the teacher's output on the outer --border-width px of each crop (edge lines; 0 = off)")
    ap.add_argument("--border-width", type=int, default=8)
    ap.add_argument("--w-lowchroma", type=float, default=0.0,
                    help="L1 of the opponent chroma channels of the --lowchroma-pool x average-pooled output to the "
                         "teacher's (finetune.low_chroma: local colour, luminance-blind, tied to position; 0 = off)")
    ap.add_argument("--lowchroma-pool", type=int, default=8, help="average pooling of --w-lowchroma")
    ap.add_argument("--w-adv", type=float, default=0.0,
                    help="adversarial patch term (adversarial.AdversarialTerm): a small discriminator trained online "
                         "on teacher vs student output patches, part of the teacher's mined at its rings; the "
                         "student gets the generator loss at this weight (0 = off)")
    ap.add_argument("--adv-patch", type=int, default=48, help="discriminator patch size, px (a multiple of 8)")
    ap.add_argument("--adv-n", type=int, default=16, help="patches per side per iteration")
    ap.add_argument("--adv-ring-share", type=float, default=0.5, help="share of the real patches from the ring bank")
    ap.add_argument("--adv-fake-mine", type=float, default=0.25,
                    help="share of the fake patches at the student's own most ring-like places")
    ap.add_argument("--adv-lr", type=float, default=2e-4)
    ap.add_argument("--adv-widths", type=int, nargs=3, default=[8, 16, 24])
    ap.add_argument("--adv-mode", choices=["lum", "rgb"], default="lum")
    ap.add_argument("--adv-loss", choices=["hinge", "ns"], default="hinge")
    ap.add_argument("--adv-bank", type=int, default=256, help="ring patches kept in the bank")
    ap.add_argument("--adv-threshold", type=float, default=40.0, help="ring score (2x-pooled) of a bank ring")
    ap.add_argument("--adv-prefill", type=int, default=0, help="crops mined for the ring bank before training")
    ap.add_argument("--adv-g-on", choices=["all", "mined"], default="all",
                    help="generator loss on all fake patches or only on those at the student's most ring-like places")
    ap.add_argument("--adv-warmup", type=int, default=0, help="first iterations in which only the discriminator learns")
    ap.add_argument("--w-stamp", type=float, default=0.0,
                    help="ring-stamp L1 (adversarial.stamp_l1): at the student's own most ring-like place(s) per crop, "
                         "L1 to the closest teacher ring of the --adv-* ring bank (0 = off)")
    ap.add_argument("--stamp-k", type=int, default=1, help="places per crop of --w-stamp")
    ap.add_argument("--anchor-stamp", help="a canonical teacher ring (anchors build): stamped into the teacher's target at "
                                           "the photo's anchors (pastiche_lab.anchors), so every loss asks for a ring there")
    ap.add_argument("--w-anchor", type=float, default=0.0, help="extra L1 weight on the stamped rings (anchors.anchor_l1)")
    ap.add_argument("--anchor-threshold", type=float, default=None, help="anchor score of a place (default anchors.THRESHOLD)")
    ap.add_argument("--anchor-shift", type=int, default=0,
                    help="--w-anchor as the shift-tolerant stamp L1: the ring within this many px of the place")
    ap.add_argument("--adv-bank-init", help="a ring bank file (scripts/ring_probe.py --bank-cache) to start the bank from")
    ap.add_argument("--adv-pool", type=int, default=1, help="average pooling of the patches before the discriminator")
    ap.add_argument("--adv-d-steps", type=int, default=1, help="discriminator updates per iteration")
    ap.add_argument("--init", help="start from this student (a checkpoint, e.g. onnx_import of a shipped model) "
                                   "instead of searching; no feature matching (its kept channels are unknown)")
    ap.add_argument("--widen", help="with --init: widen the student to these widths first, e.g. "
                                    "16/32/64/res[48,48,64,48,48]/32/16 (model.widen: same output at the start; "
                                    "a width below the student's keeps the student's)")
    ap.add_argument("--prune-mac", type=float, default=None,
                    help="with --init: prune the student further first, by the evolutionary search over its own "
                         "channels (fitness against the teacher's outputs, the search arguments above) to this MAC "
                         "budget relative to the unpruned net of its geometry (e.g. 0.125); search.json in the run")
    ap.add_argument("--prune-fractions", type=float, nargs="+", default=[0.8, 0.75, 0.7, 0.65, 0.6],
                    help="with --prune-mac: keep fractions of the |gamma|-ranked initial codes")
    ap.add_argument("--w-style", type=float, default=3.0)
    ap.add_argument("--vgg-every", type=int, default=4, help="VGG losses every k-th iteration")
    ap.add_argument("--w-darknet", type=float, default=2.0, help="Tiny Darknet Gram loss weight (every iteration; 0 = off)")
    ap.add_argument("--val-photos", type=int, default=5)
    ap.add_argument("--val-every", type=int, default=100)
    ap.add_argument("--val-size", type=int, nargs="+", default=[384],
                    help="validate at these long sides (px); with several, the worst size's figures count")
    ap.add_argument("--score", choices=["bar", "goal"], default="bar",
                    help="best-student score: distance to the lab's bar (0.30 / 0.80) or to issue 11's goal "
                         "(style distance 0.20 / SSIM lum 4x 0.82), the worse of the two criteria")
    ap.add_argument("--final-photos", type=int, default=25, help="val photos for the final evaluation (first N; 0 = all 100)")
    ap.add_argument("--stop-after", choices=["search", "finetune", "evaluate"], default=None)
    a = ap.parse_args(argv)

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    droot = data_root(a.data)
    run = Path(a.run_dir) if a.run_dir else LAB / "runs" / a.style
    run.mkdir(parents=True, exist_ok=True)
    log = log_to(run / "pipeline.log")
    log("args", vars(a))
    dev = a.device
    teacher = load_teacher(droot, STYLES[a.style][0]).to(dev).eval()
    vgg = load_vgg(droot).to(dev)

    # 1. search
    sp = run / "search.json"
    if a.init:
        if a.w_feat:
            log("--init: feature matching off (--w-feat 0)")
            a.w_feat = 0.0
    elif not sp.exists():
        photos = search_photos(droot, a.search_photos, a.search_size, a.seed).to(dev)
        log("search on", tuple(photos.shape))
        res = search(teacher, photos, vgg, s1=a.s1, s2=a.s2, gamma=a.gamma, population=a.population,
                     generations=a.generations, max_mac=a.max_mac, mut_rate=a.mut_rate, seed=a.seed,
                     disc_weight=a.disc_weight, log=log, time_budget_s=a.search_minutes * 60)
        sp.write_text(json.dumps(res))
    if a.init:
        student = load_student(a.init, dev)
        kept = None
        log("initial student", a.init, student.widths)
        init_widths = student.widths.to_dict()
        if a.widen:
            student = widen(student, parse_widths(a.widen), seed=a.seed)
            log("widened to", student.widths, f"MACs {macs_per_pixel(student.widths, student.geo.kind) / macs_per_pixel(FULL, 'B'):.3f} of 154 G")
        if a.prune_mac:
            student = prune_student(student, teacher, vgg, sp, a, droot, dev, log)
        if not (run / "init.json").exists():   # ship.py records it in the catalog entry
            (run / "init.json").write_text(json.dumps({"init": str(a.init), "widths": init_widths,
                                                          **({"widened_to": student.widths.to_dict()} if a.widen else {}),
                                                          **({"pruned_to": student.widths.to_dict()} if a.prune_mac else {})}))
    else:
        res = json.loads(sp.read_text())
        log("searched widths", res["widths"])
    if a.stop_after == "search":
        return

    # 2. slim (reflection padding for every student) and fine-tune
    if not a.init:
        base = with_padding(teacher, "reflect") if teacher.geo.pad != "reflect" else teacher
        masks = masks_from_code(res["code"], teacher.widths, dev)
        student = slim(base, masks)
        kept = {g: v.to(dev) for g, v in kept_indices(masks).items()}
    tcs = [TeacherCache(a.style, droot, z, a.val_photos, dev, context=a.context) for z in a.val_size]
    validator = multi_size_validator(tcs, a.val_size, vgg, dev)
    val_tag = "+".join(tc.tag for tc in tcs) + ("" if a.score == "bar" else "_goal")

    photos = train_photos(droot, pool=a.pool)
    log(f"training photos: {len(photos)}" + (" (BSDS train + the extra pool)" if a.pool else " (BSDS train)"))
    best = train(student, teacher, kept, vgg, run, photos_dir=photos, crop=a.crop, scales=tuple(a.scales),
                 photometric=a.photometric, max_side=a.max_side,
                 batch=a.batch, context=a.context, minutes=1e9 if a.iters else a.minutes, lr=a.lr, w_pix=a.w_pix, w_feat=a.w_feat,
                 w_content=a.w_content, w_style=a.w_style, val_every=a.val_every, validator=validator,
                 device=dev, seed=a.seed, log=log, vgg_every=a.vgg_every,
                 darknet=load_darknet(droot).to(dev) if a.w_darknet > 0 else None, w_dk=a.w_darknet,
                 val_def=val_tag, score=GOAL_SCORE if a.score == "goal" else None, w_low=a.w_low, w_phase=a.w_phase, w_ssim=a.w_ssim, w_chroma=a.w_chroma,
                 w_hard=a.w_hard, w_hard_feat=a.w_hard_feat, hard_q=a.hard_q, hard_pool=a.hard_pool,
                 w_ring=a.w_ring, ring_q=a.ring_q, w_border=a.w_border, border_width=a.border_width,
                 w_lowchroma=a.w_lowchroma, lowchroma_pool=a.lowchroma_pool, max_iters=a.iters, iter_schedule=bool(a.iters),
                 w_adv=a.w_adv, adv_prefill=a.adv_prefill, adv_args=adv_args(a), w_stamp=a.w_stamp, stamp_k=a.stamp_k,
                 adv_bank_init=a.adv_bank_init, anchor_stamp=a.anchor_stamp, w_anchor=a.w_anchor,
                 anchor_threshold=a.anchor_threshold, anchor_shift=a.anchor_shift)
    log("fine-tune done, best", best)
    final = run / "student.pt"
    if a.iters:   # compare at equal iterations: the student of the last iteration, not the best validated
        final = run / "student_last.pt"
        checkpoints.save(final, student)
    if a.stop_after == "finetune":
        return

    # 3. final evaluation of the best student
    net = load_student(final, dev)
    rep = full_report(a.style, net_fn(net, dev), net.config(), droot, dev, a.final_photos or None)
    st = checkpoints.load(run / "ft_state.pt")
    rep["minutes_trained"] = st["elapsed"] / 60
    rep["iterations"] = st["step"]
    rep["best_iteration"] = best.get("it")
    if a.iters:
        rep["model"] = final.name
    (run / "eval.json").write_text(json.dumps(rep, indent=1))
    log("EVAL", json.dumps(rep))


if __name__ == "__main__":
    main()
