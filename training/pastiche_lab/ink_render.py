"""A procedural ink-wash (水墨) renderer: the teacher the `fuchun` network learns to reproduce.

    python -m pastiche_lab.ink_render IN.jpg OUT.png [--side 768]

photo -> ink painting on paper, deterministic (numpy/scipy only):
  1. luminance, lightly pre-blurred, then edge-preserving L0 smoothing (`poster_render.smooth`), which
     leaves broad regions of one tone with sharp borders;
  2. washes: the smoothed tone becomes an ink density by the image's own tone percentiles: the lightest
     `empty` share of the picture stays bare paper (the empty space of a landscape), the rest is
     posterised into `levels` soft wash steps, darkest at the darkest percentile; the density is then
     blurred a little (ink bleeds into wet paper);
  3. dry brush: inside the washes, the photo's own fine texture (a band-pass of its luminance)
     breaks the wash up a little, so foliage and rock read as brushwork, not as flat fills;
  4. strokes: the dark side of strong steps of the smoothed tone (difference of Gaussians, small bits
     removed), at a width that scales with the image, in dense ink;
  5. ink (warm black) over warm, pale paper: out = paper * (1 - d) + ink * d.
Sizes scale with the image's long side relative to 768 px, as in `poster_render`.
"""
from __future__ import annotations

import argparse
import sys

import numpy as np
from scipy import ndimage

from . import poster_render as PR

PAPER = np.array((236, 229, 212), dtype=np.float64)
INK = np.array((34, 31, 29), dtype=np.float64)


def luminance(img):
    return 0.299 * img[..., 0] + 0.587 * img[..., 1] + 0.114 * img[..., 2]


def wash_density(tone, empty=0.36, dark=0.03, levels=3, softness=0.35, max_density=0.62, gamma=1.35):
    """tone HxW 0..1 -> wash density 0..max_density: 0 above the image's (1 - empty) tone quantile,
    max at its `dark` quantile, in `levels` soft steps (a smooth staircase; softness 0 = hard)."""
    hi = float(np.quantile(tone, 1.0 - empty))
    lo = float(np.quantile(tone, dark))
    if hi - lo < 1e-3:
        return np.zeros_like(tone)
    u = np.clip((hi - tone) / (hi - lo), 0.0, 1.0)           # 0 = paper, 1 = darkest wash
    s = u * levels
    k = np.floor(s)
    f = s - k
    if softness > 0:      # a smooth step inside each level: flat washes with soft borders
        f = np.clip((f - 0.5) / max(softness, 1e-6) + 0.5, 0.0, 1.0)
        f = f * f * (3 - 2 * f)
    else:
        f = (f >= 0.5).astype(np.float64)
    q = np.clip((k + f) / levels, 0.0, 1.0)
    return max_density * q ** gamma


def strokes(tone, scale, sigma=1.0, k=1.6, thresh=0.010, min_pixels=60):
    """Ink of the strokes, 0..1: the dark side of strong steps of `tone` (difference of Gaussians),
    heavier where the step is stronger (a brush pressed harder), small bits removed, slightly
    widened (a grey dilation at 768 px)."""
    s = max(0.8, sigma * scale)
    dog = ndimage.gaussian_filter(tone, s, mode="reflect") - ndimage.gaussian_filter(tone, k * s, mode="reflect")
    keep = PR.outlines(tone, scale, sigma=sigma, k=k, thresh=thresh, min_pixels=min_pixels, width=0.0)
    ink = np.clip((-dog - 0.5 * thresh) / (2.5 * thresh), 0.0, 1.0) * ndimage.binary_dilation(keep, iterations=1)
    r = max(1, int(round(scale)))
    return ndimage.grey_dilation(ink, size=(r + 1, r + 1)) if scale >= 0.75 else ink


def render(photo, lam=0.02, empty=0.36, levels=3, line_thresh=0.010, dry=0.9, work_side=384):
    """HxWx3 uint8 photo -> HxWx3 uint8 ink painting, deterministic."""
    a = np.asarray(photo)
    if a.ndim != 3 or a.shape[2] != 3:
        raise ValueError(f"expected an HxWx3 RGB image, got shape {a.shape}")
    h, w = a.shape[:2]
    sc = PR._scale(h, w)
    m = max(4, int(round(12 * sc)))       # a mirrored margin: no filter sees the picture's border
    img = np.pad(a.astype(np.float64) / 255.0, ((m, m), (m, m), (0, 0)), mode="symmetric")
    lum = luminance(img)
    pre = ndimage.gaussian_filter(lum, 0.8 * sc, mode="reflect")
    sm = PR.smooth(pre[..., None], lam * sc, work_side)[..., 0]
    d = wash_density(sm, empty=empty, levels=levels)
    d = ndimage.gaussian_filter(d, 2.0 * sc, mode="reflect")              # ink bleeds
    # dry brush: the photo's fine texture (band-pass) where there is wash, darker and lighter
    band = ndimage.gaussian_filter(lum, 0.7 * sc, mode="reflect") - ndimage.gaussian_filter(lum, 3.0 * sc, mode="reflect")
    d = np.clip(d * (1.0 - dry * 4.0 * band), 0.0, 1.0) * (d > 0.02)
    d = np.maximum(d, 0.9 * strokes(sm, sc, thresh=line_thresh))
    out = PAPER * (1.0 - d[..., None]) + INK * d[..., None]
    return np.clip(np.rint(out[m:m + h, m:m + w]), 0, 255).astype(np.uint8)


def main(argv=None):
    from PIL import Image
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--side", type=int, default=768, help="long side to work at (0: as is)")
    a = ap.parse_args(argv)
    im = Image.open(a.src).convert("RGB")
    if a.side:
        f = a.side / max(im.size)
        im = im.resize((max(1, round(im.width * f)), max(1, round(im.height * f))), Image.LANCZOS)
    Image.fromarray(render(np.asarray(im))).save(a.dst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
