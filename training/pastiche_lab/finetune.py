"""Fine-tuning of a slimmed student against its teacher, run live on fresh random crops.

Losses: pixel L1, matching of the kept channels' intermediate features to the teacher's,
VGG-19 content (relu2_1) and Gram (relu1_1, relu2_1, relu3_1) distances. Format-A teachers are
run on a reflection-padded context around the crop and cropped back, so the target has no
zero-padding border artifacts; the student itself uses reflection padding.
"""
from __future__ import annotations

import json
import math
import random
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from .data import list_photos, load_rgb
from .losses import style_distance, content_distance
from .model import FEATURE_GROUPS, TransformerNet

FEATURE_SCALE = [1, 2, 4] + [4] * 5 + [2, 1]   # downsampling of each feature map


class CropSampler:
    def __init__(self, folder, crop, scale=(0.6, 1.0), seed=0):
        self.imgs = [load_rgb(p) for p in list_photos(folder)]
        self.crop = crop
        self.scale = scale
        self.rng = random.Random(seed)

    def batch(self, n):
        out = []
        for _ in range(n):
            img = self.imgs[self.rng.randrange(len(self.imgs))]
            h, w = img.shape[:2]
            s = self.rng.uniform(*self.scale)
            s = max(s, (self.crop + 1) / min(h, w))
            nh, nw = int(round(h * s)), int(round(w * s))
            im = Image.fromarray(img.astype(np.uint8)).resize((nw, nh), Image.BICUBIC)
            a = np.asarray(im, dtype=np.float32)
            y, x = self.rng.randrange(nh - self.crop + 1), self.rng.randrange(nw - self.crop + 1)
            a = a[y:y + self.crop, x:x + self.crop]
            if self.rng.random() < 0.5:
                a = a[:, ::-1]
            out.append(a.transpose(2, 0, 1))
        return torch.from_numpy(np.ascontiguousarray(np.stack(out)))


def teacher_targets(teacher: TransformerNet, x, kept, context):
    """Teacher output and kept-channel features for crop x (with reflect context for format A)."""
    feats = []
    with torch.no_grad():
        if context:
            xp = F.pad(x, (context,) * 4, mode="reflect")
            out = teacher(xp, features=feats)
            out = out[:, :, context:-context, context:-context]
            feats = [f[:, :, context // s:-(context // s), context // s:-(context // s)]
                     for f, s in zip(feats, FEATURE_SCALE)]
        else:
            out = teacher(x, features=feats)
        feats = [f[:, kept[g]] for f, g in zip(feats, FEATURE_GROUPS)]
    return out, feats


def train(student: TransformerNet, teacher: TransformerNet, kept, vgg, run_dir: Path, *, photos_dir,
          crop=128, batch=4, minutes=30.0, lr=3e-4, w_pix=1.0, w_feat=1.0, w_content=1.0, w_style=3.0,
          context=None, val_every=100, validator=None, device="cpu", seed=0, log=print, max_iters=None, vgg_every=1, darknet=None, w_dk=1.0,
          dk_taps=(1, 2, 4, 6), val_def="", w_low=0.0, iter_schedule=False):
    """Resumable: state in run_dir/ft_state.pt; best student in run_dir/student.pt; log in ft_log.jsonl.

    iter_schedule (needs max_iters): the cosine decay runs over max_iters iterations instead of the
    time budget, and the last iteration is validated, so that runs compare at equal iterations
    whatever the machine's load."""
    if iter_schedule and not max_iters:
        raise ValueError("iter_schedule needs max_iters")
    run_dir = Path(run_dir)
    state_p, best_p, log_p = run_dir / "ft_state.pt", run_dir / "student.pt", run_dir / "ft_log.jsonl"
    if context is None:
        context = 16 if teacher.geo.kind == "A" else 0
    student.to(device).train(); teacher.to(device).eval(); vgg.to(device)
    student.clamp_output = False
    opt = torch.optim.Adam(student.parameters(), lr)
    it, elapsed, best = 0, 0.0, {"score": math.inf}
    if state_p.exists():
        st = torch.load(state_p, map_location=device, weights_only=False)
        student.load_state_dict(st["student"]); opt.load_state_dict(st["opt"])
        it, elapsed, best = st["it"], st["elapsed"], st["best"]
        if st.get("val_def", "") != val_def:   # validation targets changed: old scores not comparable
            best = {"score": math.inf}
        log(f"resumed at iter {it}, {elapsed / 60:.1f} min trained, best {best}")
    sampler = CropSampler(photos_dir, crop, seed=seed + it)
    total_s = minutes * 60
    t_last = time.time()

    def save_state():
        torch.save({"student": student.state_dict(), "opt": opt.state_dict(), "it": it,
                    "elapsed": elapsed, "best": best, "val_def": val_def}, state_p)

    run = {}
    while elapsed < total_s and (max_iters is None or it < max_iters):
        # cosine decay on the training-time budget
        frac = min(1.0, it / max_iters) if iter_schedule else min(1.0, elapsed / total_s)
        for g in opt.param_groups:
            g["lr"] = lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac)))
        x = sampler.batch(batch).to(device)
        tout, tfeats = teacher_targets(teacher, x, kept, context)
        sfeats = []
        out = student(x, features=sfeats)
        l_pix = (out - tout).abs().mean() / 255.0
        # low-pass pixel term: layout and colour at 1/4 resolution (what SSIM-lum-4x looks at)
        l_low = (F.avg_pool2d(out, 4) - F.avg_pool2d(tout, 4)).abs().mean() / 255.0
        l_feat = sum(((a - b) ** 2).mean() / (b ** 2).mean().clamp_min(1e-6) for a, b in zip(sfeats, tfeats)) / len(sfeats)
        if it % vgg_every == 0:
            fs, ft = vgg(out), vgg(tout)
            l_style = style_distance(fs, ft)
            l_content = content_distance(fs[1], ft[1])
        else:
            l_style = l_content = torch.zeros((), device=out.device)
        if darknet is not None:   # cheap Gram loss on Tiny Darknet features, every iteration
            with torch.no_grad():
                dt = darknet(tout, taps=dk_taps)
            l_dk = style_distance(darknet(out, taps=dk_taps), dt)
        else:
            l_dk = torch.zeros((), device=out.device)
        loss = w_pix * l_pix + w_low * l_low + w_feat * l_feat + w_content * l_content + w_style * l_style + w_dk * l_dk
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(student.parameters(), 10.0)
        opt.step()
        it += 1
        now = time.time(); elapsed += now - t_last; t_last = now
        for k, v in (("loss", loss), ("pix", l_pix), ("low", l_low), ("feat", l_feat), ("style", l_style), ("content", l_content), ("dk", l_dk)):
            run[k] = run.get(k, 0.0) + float(v.detach())
        run["n_vgg"] = run.get("n_vgg", 0.0) + (1.0 if float(l_style.detach()) > 0 else 0.0)
        if it % 10 == 0:
            nv = max(run.pop("n_vgg"), 1.0)
            rec = {"it": it, "min": elapsed / 60, "lr": opt.param_groups[0]["lr"],
                   **{k: v / (nv if k in ("style", "content") else 10) for k, v in run.items()}}
            run = {}
            with open(log_p, "a") as f:
                f.write(json.dumps(rec) + "\n")
            if it % 50 == 0:
                log(" ".join(f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}" for k, v in rec.items())
                    + f" s/it {elapsed / max(it, 1):.2f}")
        if validator is not None and (it % val_every == 0 or elapsed >= total_s or (iter_schedule and it >= max_iters)):
            student.eval(); student.clamp_output = True
            v = validator(student)
            student.train(); student.clamp_output = False
            # score: distance to the bar, both criteria
            score = max(v["style_distance_ratio"] / 0.30, 0.80 / max(v["ssim_lum_4x"], 1e-3))
            v.update({"it": it, "min": elapsed / 60, "score": score, "val": True})
            with open(log_p, "a") as f:
                f.write(json.dumps(v) + "\n")
            log(f"VAL it {it} style_ratio {v['style_distance_ratio']:.3f} ssim4 {v['ssim_lum_4x']:.3f} "
                f"ssim {v['ssim']:.3f} psnr {v['psnr_db']:.2f} score {score:.3f}")
            if score < best["score"]:
                best = {"score": score, "it": it, **{k: v[k] for k in ("style_distance_ratio", "ssim_lum_4x")}}
                torch.save({"config": student.config(), "state_dict": student.state_dict(), "val": v}, best_p)
            t_last = time.time()   # validation time is not training time
            ov = run_dir / "minutes.override"     # lets a running job's budget be changed
            if ov.exists():
                try:
                    total_s = float(ov.read_text().strip()) * 60
                except ValueError:
                    pass
            save_state()
        elif it % 50 == 0:
            save_state()
    save_state()
    student.clamp_output = True
    return best
