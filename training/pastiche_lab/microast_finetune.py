"""Fine-tuning a pruned MicroAST student against the live teacher, run by the lab's one `Trainer`:
the (photo crop, style image) pair sampler, the distillation objective and `train()`.

The student's content network is trained whole; of its style encoder only the second residual block
and the modulator are (at `style_lr_scale` x the learning rate): its head up to f1 stays the
teacher's, so f1 is computed once per pair with the teacher's head.

Loss per pair (mean over the batch): L1 pixels + L1 of the 4x average-pooled image + matching of the
kept channels' features (both modulated decoder blocks, both upsampling stages) + VGG-19 Gram
distance (relu1_1, relu2_1, relu3_1: the style distance of the evaluation) + VGG relu2_1 content
distance, all against the teacher's output on the same pair, and optionally (`w_ratio`) the
evaluation's own measure on the crop: the style distance to the teacher's output relative to the
photo's (`style_ratio`; its denominator floored at `ratio_floor`, so flat crops where photo and
teacher agree do not dominate). The VGG terms run every `vgg_every` iterations.

Why the ratio term (scripts/microast_gap.py): the first student's style distance ratio on held-out
pairs is 0.30 / 0.31 / 0.72 per VGG layer (relu1_1 / relu2_1 / relu3_1): its gap is in relu3_1, whose
photo-to-teacher distance is small, so the plain relative Gram distance under-weights it.
"""
from __future__ import annotations

import random

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from . import microast as M
from .data import LAB, list_photos, load_rgb, resize_long
from .perceptual import content_distance, style_distance
from .trainer import Schedule, Trainer

TRAIN_STYLES = ["candy.jpg", "mosaic.jpg", "la_muse.jpg", "rain-princess.jpg", "starry-night.jpg", "sunflowers.jpg"]


def t01(img):
    """HxWx3 0..255 -> [1,3,H,W] 0..1."""
    return torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))[None] / 255.0


class PairSampler:
    """(photo crop, style image) pairs: paintings (60 %), posters (15 %) and training photos as
    styles (25 %), flipped, sometimes cropped, at 384-512 px (`style_sizes`); with `bank_p`, that
    share of the style images comes from `bank` (the other painters' pictures of
    `microast_styles`), and with `aug_p` that share is recoloured (`style_augment`). Deterministic from
    `seed`; `state()`/`set_state()` let a resumed run continue the stream (the Trainer's protocol).

    batch(n) -> (photos [n,3,crop,crop] 0..1, [n style images [1,3,h,w] 0..1] of varying sizes)."""

    def __init__(self, photos, paintings, posters, crop=160, seed=0, style_sizes=(384, 448, 512), bank=(),
                 bank_p=0.0, aug_p=0.0):
        load = lambda ps: [a if isinstance(a, np.ndarray) else load_rgb(a) for a in ps]
        self.photos, self.paintings, self.posters = load(photos), load(paintings), load(posters)
        self.bank = load(bank)
        if not self.photos or not self.paintings:
            raise SystemExit("no training photos or paintings")
        if bank_p and not self.bank:
            raise SystemExit("bank_p > 0 but the style bank is empty (python3 -m pastiche_lab.microast_styles)")
        self.crop, self.style_sizes = crop, tuple(style_sizes)
        self.bank_p, self.aug_p = float(bank_p), float(aug_p)
        self.rng = random.Random(seed)

    @classmethod
    def from_data(cls, droot, crop=160, seed=0, bank=(), bank_p=0.0, aug_p=0.0):
        return cls(list_photos(droot / "photos" / "train"), [droot / "styles" / s for s in TRAIN_STYLES],
                   sorted((LAB / "poster").glob("*.png")), crop, seed, bank=bank, bank_p=bank_p, aug_p=aug_p)

    def state(self):
        return self.rng.getstate()

    def set_state(self, s):
        self.rng.setstate(s)

    @staticmethod
    def _resize(a, s):
        h, w = a.shape[:2]
        return np.asarray(Image.fromarray(a.astype(np.uint8)).resize((max(8, round(w * s)), max(8, round(h * s))),
                                                                     Image.BICUBIC), dtype=np.float32)

    def photo(self):
        img = self.photos[self.rng.randrange(len(self.photos))]
        h, w = img.shape[:2]
        s = max(self.rng.uniform(0.6, 1.0), (self.crop + 1) / min(h, w))
        a = self._resize(img, s)
        y, x = self.rng.randrange(a.shape[0] - self.crop + 1), self.rng.randrange(a.shape[1] - self.crop + 1)
        a = a[y:y + self.crop, x:x + self.crop]
        if self.rng.random() < 0.5:
            a = a[:, ::-1]
        return t01(a)

    def style(self):
        if self.bank_p and self.rng.random() < self.bank_p:      # the style bank (other painters' pictures)
            pool = self.bank
        else:
            r = self.rng.random()
            pool = self.paintings if r < 0.6 or not self.posters and r < 0.75 else self.posters if r < 0.75 else self.photos
        img = pool[self.rng.randrange(len(pool))]
        h, w = img.shape[:2]
        if self.rng.random() < 0.3:      # a crop of the style image (60-100 % of each side)
            f = self.rng.uniform(0.6, 1.0)
            ch, cw = int(h * f), int(w * f)
            y, x = self.rng.randrange(h - ch + 1), self.rng.randrange(w - cw + 1)
            img = img[y:y + ch, x:x + cw]
        if self.rng.random() < 0.5:
            img = img[:, ::-1]
        size = self.rng.choice(self.style_sizes)
        img = resize_long(np.ascontiguousarray(img), size, multiple=1)
        if self.aug_p and self.rng.random() < self.aug_p:        # recoloured (microast_styles.style_augment)
            from .microast_styles import style_augment
            img = style_augment(img, self.rng)
        return t01(img)

    def batch(self, n):
        pairs = [(self.photo(), self.style()) for _ in range(n)]
        return torch.cat([p for p, _ in pairs]), [s for _, s in pairs]


def teacher_targets(content: M.ContentNet, x, code, idx):
    """The teacher's output and its kept channels' features (the student's feature taps)."""
    feats = []
    with torch.no_grad():
        out = content(x, code, features=feats)
    T, u1, u2 = idx["trunk"], idx["u1"], idx["u2"]
    return out, [feats[0][:, T], feats[1][:, T], feats[2][:, u1], feats[3][:, u2]]


def style_ratio(fs, ft, fp, floor=0.1):
    """Per image: mean over layers of ||G(s)-G(t)||/||G(t)||, divided by the same of the photo p
    (floored): the evaluation's style distance ratio, differentiable in s."""
    do = style_distance(fs, ft, reduce=False)
    with torch.no_grad():
        dp = style_distance(fp, ft, reduce=False).clamp_min(floor)
    return do / dp


class MicroASTDistill:
    """objective(student, (photos, styles), step) -> (loss, parts) for the Trainer."""

    TERMS = ("pix", "low", "feat", "style", "content", "ratio")

    def __init__(self, teacher: M.MicroAST, idx, vgg, *, w_pix=1.0, w_low=2.0, w_feat=1.0, w_style=3.0,
                 w_content=1.0, w_ratio=0.0, ratio_floor=0.1, vgg_every=2):
        self.teacher, self.idx, self.vgg, self.vgg_every = teacher.eval(), idx, vgg, vgg_every
        self.w = dict(pix=w_pix, low=w_low, feat=w_feat, style=w_style, content=w_content, ratio=w_ratio)
        self.ratio_floor = ratio_floor

    def pair(self, student: M.MicroAST, x, s, step):
        t = self.teacher
        with torch.no_grad():
            f1 = t.style.enc.head(s)
            tcode = t.style.code_from_f1(f1)
        tout, tf = teacher_targets(t.content, x, tcode, self.idx)
        sf = []
        out = student.content(x, student.style.code_from_f1(f1), features=sf)
        p = {"pix": (out - tout).abs().mean(),
             "low": (F.avg_pool2d(out, 4) - F.avg_pool2d(tout, 4)).abs().mean(),
             "feat": sum(((a - b) ** 2).mean() / (b ** 2).mean().clamp_min(1e-6) for a, b in zip(sf, tf)) / len(sf),
             "style": None, "content": None, "ratio": None}
        if step % self.vgg_every == 0:
            fs = self.vgg(out * 255)
            with torch.no_grad():
                ft = self.vgg(tout * 255)
                fp = self.vgg(x * 255) if self.w["ratio"] else None
            p["style"], p["content"] = style_distance(fs, ft), content_distance(fs[1], ft[1])
            if fp is not None:
                p["ratio"] = style_ratio(fs, ft, fp, self.ratio_floor).mean()
        return p

    def __call__(self, student, batch, step):
        photos, styles = batch
        n = len(styles)
        parts = [self.pair(student, photos[i:i + 1], styles[i], step) for i in range(n)]
        p = {k: None if parts[0][k] is None else sum(q[k] for q in parts) / n for k in self.TERMS}
        loss = sum(self.w[k] * v for k, v in p.items() if v is not None)
        return loss, p


def trainable_groups(student: M.MicroAST, style_lr_scale=0.3):
    """The optimiser's parameter groups: the content network at the learning rate, the style
    encoder's R2 block and modulator at style_lr_scale x; the style encoder's head frozen."""
    for p in student.parameters():
        p.requires_grad_(True)
    for p in student.style.enc.parameters():
        p.requires_grad_(False)
    style_params = list(student.style.enc.r2.parameters()) + list(student.style.mod.parameters())
    for p in style_params:
        p.requires_grad_(True)
    return [{"params": list(student.content.parameters()), "lr_scale": 1.0},
            {"params": style_params, "lr_scale": style_lr_scale}]


def make_trainer(teacher, student, idx, vgg, run_dir, sampler, *, minutes=None, max_iters=None, lr=2e-4,
                 style_lr_scale=0.3, batch=2, validator=None, val_every=100, log=print, seed=0,
                 iter_schedule=False, ckpt_every=25, log_every=10, print_every=10, val_def="", meta=None, **weights):
    """The Trainer of a fine-tuning run (resumable from run_dir/ft_state.pt, of this or the
    earlier loop's layout; the best validated student in run_dir/student.pt)."""
    objective = MicroASTDistill(teacher, idx, vgg, **weights)
    return Trainer(student, objective, sampler, run_dir, batch=batch,
                   schedule=Schedule("cosine-iters" if iter_schedule else "cosine-time", lr),
                   minutes=minutes, max_iters=max_iters, validator=validator, val_every=val_every,
                   ckpt_every=ckpt_every, clip=10.0, train_clamp=False, best_name="student.pt", log=log,
                   log_every=log_every, print_every=print_every, seed=seed, val_def=val_def, meta=meta,
                   param_groups=trainable_groups(student, style_lr_scale))
