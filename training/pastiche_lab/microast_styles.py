"""More, and more varied, style images for the MicroAST student, and a validation set that
predicts the held-out test better (issue 12).

The student generalises to new paintings only as far as its training styles reach: on the
training paintings (candy, starry-night) its validation style ratio went to 0.23, on the test's
unseen paintings it stayed at 0.33-0.34. `../shared/data/styles` has only six training paintings
(three more are the test's), so this module adds:

* a *style bank*: pictures painted by the lab's other teachers (single-style nets of other
  painters: matta, mathura for training; matilde-perez only for validation) on photos, saved as
  PNGs under `runs/microast-styles/{train,val}/` (never committed: they are conversions of
  `../shared/data`);
* `style_augment`: random colour changes of a style image (hue rotation, desaturation down to
  ink-like monochrome, tinting, gamma), so that the style codes the student sees cover more of
  the space than six palettes;
* `val_sets`: the wider validation, photos/val (first `n_photos`) x two training paintings, one
  training painting recoloured (a fixed `style_augment`) and the bank's validation pictures
  (painters the lab never trains on), none of them a test photo or painting.

    python3 -m pastiche_lab.microast_styles          # writes runs/microast-styles/ (about a minute)
"""
from __future__ import annotations

import argparse
import math
import random
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from .data import LAB, STYLES, data_root, list_photos, load_rgb, resize_long, save_rgb

BANK = LAB / "runs" / "microast-styles"
BANK_TEACHERS = {"train": ["matta", "mathura"], "val": ["matilde-perez"]}
# photos painted by the bank's teachers: training photos for training, val photos beyond the
# validation's content photos for validation (never Kodak, never a test painting)
BANK_PHOTOS = {"train": ("train", list(range(0, 200, 25))), "val": ("val", [60, 70])}
VAL_PAINTINGS = ["candy.jpg", "starry-night.jpg"]
VAL_RECOLOURED = ("la_muse.jpg", 7)   # a training painting, recoloured by style_augment(seed 7)


def _rotate_hue(x, angle):
    """x HxWx3 0..1: rotation of the chroma plane of YIQ by `angle` radians (luminance kept)."""
    yiq = np.array([[0.299, 0.587, 0.114], [0.596, -0.274, -0.322], [0.211, -0.523, 0.312]], np.float32)
    c, s = math.cos(angle), math.sin(angle)
    rot = np.array([[1, 0, 0], [0, c, -s], [0, s, c]], np.float32)
    m = np.linalg.inv(yiq) @ rot @ yiq
    return x @ m.T.astype(np.float32)


def style_augment(a: np.ndarray, rng: random.Random) -> np.ndarray:
    """A recoloured style image (HxWx3 0..255 -> same shape, 0..255): one of a hue rotation, a
    desaturation (down to monochrome, sometimes tinted, like an ink painting), or both, then a
    random gamma. Deterministic for a given rng state."""
    x = np.asarray(a, np.float32) / 255.0
    kind = rng.random()
    if kind < 0.5:
        x = _rotate_hue(x, rng.uniform(0.5, 2 * math.pi - 0.5))
    if kind >= 0.35:
        lum = x @ np.array([0.299, 0.587, 0.114], np.float32)
        keep = rng.uniform(0.0, 0.6)
        x = lum[..., None] + keep * (x - lum[..., None])
        if rng.random() < 0.5:          # a paper/ink tint
            tint = np.array([rng.uniform(0.85, 1.1) for _ in range(3)], np.float32)
            x = x * tint
    x = np.clip(x, 0.0, 1.0) ** math.exp(rng.uniform(-0.35, 0.35))
    return (np.clip(x, 0.0, 1.0) * 255.0).astype(np.float32)


def paint(teacher, img: np.ndarray, context: int) -> np.ndarray:
    """A single-style teacher's picture of img (HxWx3 0..255), with a reflection context."""
    x = torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))[None]
    if context:
        x = F.pad(x, (context,) * 4, mode="reflect")
    with torch.no_grad():
        y = teacher(x)
    if context:
        y = y[:, :, context:-context, context:-context]
    return y[0].clamp(0, 255).permute(1, 2, 0).numpy()


def build_bank(droot, out: Path = BANK, size=448, log=print):
    """Writes out/{train,val}/<teacher>-<photo>.png; returns {split: [paths]}."""
    from .teachers import load_teacher, reference_context
    done = {}
    for split, names in BANK_TEACHERS.items():
        folder, picks = BANK_PHOTOS[split]
        photos = list_photos(Path(droot) / "photos" / folder)
        d = Path(out) / split
        d.mkdir(parents=True, exist_ok=True)
        done[split] = []
        for name in names:
            rel, kind = STYLES[name]
            net = load_teacher(droot, rel).eval()
            for i in picks:
                p = d / f"{name}-{photos[i].stem}.png"
                if not p.exists():
                    img = resize_long(load_rgb(photos[i]), size)
                    tmp = p.with_name(p.stem + ".part.png")
                    save_rgb(paint(net, img, reference_context(kind)), tmp)
                    tmp.replace(p)
                    log(f"wrote {p}")
                done[split].append(p)
    return done


def bank_images(split, out: Path = BANK):
    d = Path(out) / split
    return sorted(d.glob("*.png")) if d.is_dir() else []


def val_sets(droot, n_photos=6, bank: Path = BANK):
    """(photos, style images) of the wider validation: photos/val[:n_photos] x (VAL_PAINTINGS,
    VAL_RECOLOURED, the bank's validation pictures). Style images are arrays or paths."""
    droot = Path(droot)
    photos = list_photos(droot / "photos" / "val")[:n_photos]
    styles = [droot / "styles" / s for s in VAL_PAINTINGS]
    name, seed = VAL_RECOLOURED
    styles.append(style_augment(load_rgb(droot / "styles" / name), random.Random(seed)))
    vb = bank_images("val", bank)
    if not vb:
        raise SystemExit(f"no validation pictures in {Path(bank) / 'val'}: run python3 -m pastiche_lab.microast_styles")
    return photos, styles + vb


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data")
    ap.add_argument("--out", default=str(BANK))
    ap.add_argument("--size", type=int, default=448)
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    res = build_bank(data_root(a.data), Path(a.out), a.size)
    print({k: len(v) for k, v in res.items()})


if __name__ == "__main__":
    sys.exit(main())
