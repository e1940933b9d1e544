"""The lab's data module: paths, image I/O, the photo sets (training pool, validation, held-out
test set) and the one random-crop sampler every training method uses."""
from __future__ import annotations

import hashlib
import math
import os
import random
from pathlib import Path

import numpy as np
import torch
from PIL import Image

LAB = Path(__file__).resolve().parent.parent          # training/
REPO = LAB.parent
PHOTO_EXT = (".png", ".jpg", ".jpeg")
# The held-out test set: the Kodak suite and the validation photos from this index on (sorted). They
# are never trained on; validation during training uses val photos before it.
TEST_VAL_FROM = 90
POOL = LAB / "cache" / "photos" / "pool"               # extra training photos (pastiche_lab.photos)


def data_root(arg=None) -> Path:
    if arg:
        return Path(arg)
    env = os.environ.get("PASTICHE_DATA")
    if env:
        return Path(env)
    return (REPO / ".." / "shared" / "data").resolve()


def load_rgb(path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.float32)


def save_rgb(arr, path):
    Image.fromarray(np.clip(np.rint(arr), 0, 255).astype(np.uint8)).save(path)


def to_tensor(img: np.ndarray, device="cpu") -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1))).unsqueeze(0).to(device)


def to_image(t: torch.Tensor) -> np.ndarray:
    return t.detach().cpu()[0].permute(1, 2, 0).numpy()


def resize_long(img: np.ndarray, size: int, multiple=4) -> np.ndarray:
    """Scale so the longer side is `size`, then crop to multiples of `multiple`."""
    h, w = img.shape[:2]
    s = size / max(h, w)
    nh, nw = max(multiple, round(h * s)), max(multiple, round(w * s))
    im = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).resize((nw, nh), Image.BICUBIC)
    a = np.asarray(im, dtype=np.float32)
    return a[: nh - nh % multiple, : nw - nw % multiple]


def list_photos(folder) -> list:
    return sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in PHOTO_EXT)


# ----- photo sets -----
def val_photos(droot) -> list:
    """Validation photos used during training: the val photos before the held-out part."""
    return list_photos(Path(droot) / "photos" / "val")[:TEST_VAL_FROM]


def test_photos(droot) -> list:
    """The held-out test set: the Kodak suite + val photos from TEST_VAL_FROM on."""
    d = Path(droot) / "photos"
    return list_photos(d / "kodak") + list_photos(d / "val")[TEST_VAL_FROM:]


def train_photos(droot, pool=True) -> list:
    """BSDS train photos, plus the extra pool (wider sources, see pastiche_lab.photos) when asked and
    prepared. Never any photo of the test set."""
    ps = list_photos(Path(droot) / "photos" / "train")
    if pool and POOL.is_dir():
        ps += list_photos(POOL)
    held = {p.resolve() for p in test_photos(droot)}
    return [p for p in ps if p.resolve() not in held]


def photo_set(specs, droot):
    """Photos named on a command line. Each spec: an integer N (the first N validation photos, sorted;
    0 = all 100, as the evaluation always took), `test` (the held-out test set; `test:K` every K-th
    photo of it), `val`, or a folder.
    Returns (paths, tag); the tag names the set in cache file names."""
    if isinstance(specs, (str, int)):
        specs = [specs]
    paths, names = [], []
    for s in specs:
        s = str(s)
        if s.isdigit():
            n = int(s)
            paths += list_photos(Path(droot) / "photos" / "val")[: n or None]
            names.append(f"val{n}" if n else "val")
        elif s == "test" or s.startswith("test:"):
            k = int(s[5:] or 1)
            paths += test_photos(droot)[::k]; names.append("test" if k == 1 else f"test{k}")
        elif s == "val":
            paths += val_photos(droot); names.append(f"val{TEST_VAL_FROM}")
        else:
            d = Path(s)
            if not d.is_dir():
                raise SystemExit(f"{s}: not a folder of photos, a count, 'test' or 'val'")
            ps = list_photos(d)
            if not ps:
                raise SystemExit(f"{s}: no .png/.jpg photos")
            paths += ps
            names.append(d.name + "-" + hashlib.sha1("\n".join(p.name for p in ps).encode()).hexdigest()[:8])
    return paths, "+".join(names)


# ----- the crop sampler -----
def photometric(a: np.ndarray, rng: random.Random, strength: float) -> np.ndarray:
    """Random exposure (including dark, night-like frames), contrast, saturation and gamma on an
    HxWx3 0..255 array; strength 0 leaves it unchanged."""
    if strength <= 0:
        return a
    s = strength
    x = a / 255.0
    gain = math.exp(rng.uniform(-1.2 * s, 0.35 * s))            # down to ~0.3x: night-like frames
    gamma = math.exp(rng.uniform(-0.3 * s, 0.3 * s))
    x = np.clip(x * gain, 0, 1) ** gamma
    lum = x.mean(axis=2, keepdims=True)
    x = lum + (x - lum) * math.exp(rng.uniform(-0.5 * s, 0.4 * s))      # saturation
    m = x.mean()
    x = m + (x - m) * math.exp(rng.uniform(-0.3 * s, 0.3 * s))          # contrast
    return np.clip(x * 255.0, 0, 255).astype(np.float32)


class CropSampler:
    """Random-resized square crops of a pool of photos held in memory as uint8, with flips and
    optional photometric augmentation. Each crop: the photo is zoomed by a factor drawn log-uniformly
    from `scales` (the lower bound raised so that its short side still holds the crop; 0 = that
    bound: crops of the whole short side down to 1:1 pixels), then a random window of `crop` px is
    cut. Deterministic from `seed`; `state()`/`set_state()` let a resumed run continue the stream."""

    def __init__(self, photos, crop, scales=(0.6, 1.0), seed=0, photometric=0.0, max_side=None):
        if isinstance(photos, (str, Path)):
            photos = list_photos(photos)
        if not photos:
            raise SystemExit("no training photos")
        self.imgs = []
        for p in photos:
            im = Image.open(p).convert("RGB")
            if max_side and max(im.size) > max_side:
                s = max_side / max(im.size)
                im = im.resize((round(im.size[0] * s), round(im.size[1] * s)), Image.LANCZOS)
            self.imgs.append(np.asarray(im))
        self.crop, self.scales, self.strength = crop, tuple(scales), photometric
        self.rng = random.Random(seed)

    def state(self):
        return self.rng.getstate()

    def set_state(self, s):
        self.rng.setstate(s)

    def zoom_range(self, h, w):
        lo, hi = self.scales
        need = (self.crop + 1) / min(h, w)          # the zoomed short side must hold the crop
        return max(lo, need), max(hi, need)

    def one(self):
        img = self.imgs[self.rng.randrange(len(self.imgs))]
        h, w = img.shape[:2]
        lo, hi = self.zoom_range(h, w)
        z = math.exp(self.rng.uniform(math.log(lo), math.log(hi)))
        # cut the source window first (cheap), then resize only it
        side = min(min(h, w), max(1, round(self.crop / z)))
        y, x = self.rng.randrange(h - side + 1), self.rng.randrange(w - side + 1)
        win = Image.fromarray(img[y:y + side, x:x + side])
        if side != self.crop:
            win = win.resize((self.crop, self.crop), Image.BICUBIC if z > 1 else Image.LANCZOS)
        a = np.asarray(win, dtype=np.float32)
        if self.rng.random() < 0.5:
            a = a[:, ::-1]
        a = photometric(a, self.rng, self.strength)
        return np.ascontiguousarray(a.transpose(2, 0, 1))

    def batch(self, n) -> torch.Tensor:
        """[n, 3, crop, crop] float32, 0..255."""
        return torch.from_numpy(np.stack([self.one() for _ in range(n)]))


STYLES = {
    # id: (teacher path under teachers/, format)
    "candy": ("ncnn/candy.bin", "B"),
    "mosaic": ("ncnn/mosaic.bin", "B"),
    "udnie": ("ncnn/udnie.bin", "B"),
    "rain-princess": ("ncnn/rain_princess.bin", "B"),
    "picasso": ("tfjs-vars/la_muse", "A"),
    "starry-night": ("tfjs-vars/starry_night", "A"),
    "sunflowers": ("tfjs-vars/sunflowers", "A"),
    "wheatfield": ("tfjs-vars/wheatfield_with_crows", "A"),
    "matta": ("tfjs-vars/matta", "A"),
    "mathura": ("tfjs-vars/mathura", "A"),
    "matilde-perez": ("tfjs-vars/matilde_perez", "A"),
}
