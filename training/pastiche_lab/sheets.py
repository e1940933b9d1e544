"""Pictures of a run: image grids, contact sheets on shippable sample photos, training curves."""
from __future__ import annotations

import numpy as np
import torch
from PIL import Image

from .data import REPO, list_photos


def to_pil(t):
    """[3,H,W] 0..255 tensor -> PIL image."""
    return Image.fromarray(t.clamp(0, 255).round().byte().permute(1, 2, 0).numpy())


def grid(rows, pad=4, bg=(255, 255, 255)):
    """rows: list of lists of PIL images -> one PIL image."""
    hs = [max(im.size[1] for im in r) for r in rows]
    ws = [sum(im.size[0] for im in r) + pad * (len(r) - 1) for r in rows]
    g = Image.new("RGB", (max(ws), sum(hs) + pad * (len(rows) - 1)), bg)
    y = 0
    for r, h in zip(rows, hs):
        x = 0
        for im in r:
            g.paste(im, (x, y)); x += im.size[0] + pad
        y += h + pad
    return g


def sample_images(side=384):
    """(name, [3,H,W]) of the shippable sample photos in assets/samples/, else skimage's astronaut
    (NASA, public domain)."""
    from .johnson import load_image
    d = REPO / "assets" / "samples"
    paths = list_photos(d) if d.is_dir() else []
    if paths:
        return [(p.name, load_image(p, side)) for p in paths]
    from skimage import data
    im = Image.fromarray(data.astronaut()).resize((side, side), Image.LANCZOS)
    return [("astronaut (NASA, public domain)", torch.from_numpy(np.asarray(im).copy()).permute(2, 0, 1).float())]


def thumbnail_photo():
    """The lab's thumbnail photo (assets/samples/chelsea.jpg, CC0), else the first sample."""
    from .johnson import load_image
    p = REPO / "assets" / "samples" / "chelsea.jpg"
    return load_image(p, 256) if p.exists() else sample_images(256)[0][1]


@torch.no_grad()
def stylize(net, x, multiple=4):
    h, w = x.shape[1:]
    return net.eval()(x[None, :, :h - h % multiple, :w - w % multiple])[0]


def plot_curves(history, path, title=""):
    """Train (smoothed) and validation style / content / tv losses of a scratch run."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from .johnson import rec_step
    tr, va = history.get("train", []), history.get("val", [])
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
    for ax, key in zip(axes, ["style", "content", "tv"]):
        pts = [(rec_step(h), h[key]) for h in tr if key in h]
        if pts:
            s, v = np.array([p[0] for p in pts]), np.array([p[1] for p in pts])
            k = max(1, len(v) // 50)
            if k > 1:
                v = np.convolve(v, np.ones(k) / k, mode="valid"); s = s[k - 1:]
            ax.plot(s, v, lw=1, label="train (smoothed)")
        if va:
            ax.plot([rec_step(h) for h in va], [h[key] for h in va], "o-", ms=3, label="validation")
        ax.set_title(f"{key} loss"); ax.set_xlabel("iteration"); ax.set_yscale("log"); ax.grid(alpha=.3)
        ax.legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
