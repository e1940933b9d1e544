"""Paths and image helpers."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import torch
from PIL import Image

LAB = Path(__file__).resolve().parent.parent          # training/
REPO = LAB.parent


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
    return sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in (".png", ".jpg", ".jpeg"))


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
