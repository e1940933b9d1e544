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


def model_spec(spec):
    """A --models entry: 'shipped', a .pt or .onnx path, optionally '@C' or '@C<sides>' (the model fed on a C-px
    reflection context on all sides, or on the given ones of 'trbl', e.g. '@8rb': evaluate.fed_on_context).
    Returns (model or None for the shipped one, C, sides)."""
    m, _, c = str(spec).rpartition("@") if "@" in str(spec) else (str(spec), "", "0")
    digits = c.rstrip("trbl")
    return (None if m == "shipped" else m), int(digits), c[len(digits):] or "trbl"


def compare_sheet(style, models, photos, size=768, device="cpu", threads=1, feed=None):
    """feed: per model, the reflection context it is fed on (default none). Rows: one per photo; columns: photo | teacher (teachers.CONTEXT_A px of reflection context for
    format A, as the evaluation) | each model (None = the shipped one), all at long side `size`. Returns an HxWx3 array."""
    import torch.nn.functional as F

    from .data import STYLES, data_root, load_rgb, resize_long
    from .evaluate import fed_on_context, model_fn, pad_run
    from .teachers import load_teacher, reference_context
    teacher = load_teacher(data_root(), STYLES[style][0]).to(device).eval()
    c = reference_context(STYLES[style][1])

    def tfn(x):
        x = x.to(device)
        return (teacher(F.pad(x, (c,) * 4, mode="reflect"))[:, :, c:-c, c:-c] if c else teacher(x)).cpu()
    # feed: per model, C or (C, sides) of its mirrored margin (evaluate.fed_on_context)
    feeds = [f if isinstance(f, tuple) else (f,) for f in (feed or [0] * len(models))]
    fns = [fed_on_context(model_fn(m, style, device, threads)[0], *fc) for m, fc in zip(models, feeds)]
    rows = []
    with torch.no_grad():
        for p in photos:
            img = resize_long(load_rgb(p), size)
            rows.append(np.concatenate([img, pad_run(tfn, img)] + [pad_run(f, img) for f in fns], 1))
    w = min(r.shape[1] for r in rows)
    return np.concatenate([r[:, :w] for r in rows], 0)


def main(argv=None):
    import argparse

    from .data import STYLES, save_rgb
    ap = argparse.ArgumentParser(description="Side-by-side sheet: photo | teacher | model(s), at one size.")
    ap.add_argument("--style", required=True, choices=sorted(STYLES))
    ap.add_argument("--models", nargs="+", default=["shipped"], help="'shipped', student .pt files or .onnx files; "
                    "'@C' or '@C<sides>' after one: fed on a C-px reflection context on all sides or the given ones "
                    "(e.g. shipped@8, shipped@8rb)")
    ap.add_argument("--photos", nargs="+", default=[str(REPO / "assets" / "samples" / n) for n in ("astronaut.jpg", "coffee.jpg")])
    ap.add_argument("--size", type=int, default=768)
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    specs = [model_spec(m) for m in a.models]
    sheet = compare_sheet(a.style, [m for m, _, _ in specs], a.photos, a.size, feed=[(c, sd) for _, c, sd in specs])
    save_rgb(sheet, a.out)
    print("wrote", a.out, "columns: photo | teacher |", " | ".join(a.models))


if __name__ == "__main__":
    main()
