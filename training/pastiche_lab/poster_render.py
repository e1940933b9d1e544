"""A procedural 工农兵 poster renderer: the teacher the `gongnongbing` network learns to reproduce.

    python -m pastiche_lab.poster_render IN.jpg OUT.png [--side 768]

photo -> poster, deterministic (no randomness; numpy/scipy only):
  1. edge-preserving smoothing: L0 gradient minimisation (Xu et al., SIGGRAPH Asia 2011, the FFT
     solver), which leaves piecewise-constant regions with sharp borders; computed at a long side of
     at most 384 px (it is the costly step) and brought back to full size bilinearly, where the
     palette mapping (on full-size pixels) makes the borders crisp again;
  2. palette mapping by hue and tone (HSV of the smoothed image) onto a small poster palette:
     vermilion, deep red, golden yellow, cream, skin, deep blue, pale blue, green, dark green,
     brown, tan, ink; then a majority (mode) filter that removes specks;
  3. bold dark outlines: difference of Gaussians on the smoothed luminance (the dark side of each
     strong step), thickened, small bits removed;
  4. flat cream paper (no texture: the fields stay flat).
Sizes (smoothing strength, line width, filter windows) scale with the image's long side relative
to 768 px, so a photo gives the same poster at any resolution.

Every palette channel value is 8 + 16k (the centre of a 16-level cell), so a network that
reproduces a colour to within +-8 stays inside that colour's cell of the palette90 measure.
"""
from __future__ import annotations

import argparse
import sys

import numpy as np
from scipy import ndimage

# name -> RGB. Channel values are 8 + 16k (cell centres), see the module doc.
PALETTE = {
    "vermilion": (216, 40, 24),
    "deep_red": (152, 24, 24),
    "golden": (248, 184, 24),
    "cream": (248, 232, 200),
    "skin": (232, 168, 120),
    "skin_shadow": (200, 120, 88),
    "deep_blue": (40, 72, 136),
    "pale_blue": (168, 200, 216),
    "green": (56, 136, 72),
    "dark_green": (24, 88, 56),
    "brown": (136, 88, 56),
    "tan": (200, 168, 120),
    "ink": (40, 24, 24),
}
NAMES = list(PALETTE)
COLOURS = np.array([PALETTE[n] for n in NAMES], dtype=np.uint8)
IDX = {n: i for i, n in enumerate(NAMES)}
INK = IDX["ink"]


def _scale(h, w):
    return max(h, w) / 768.0


# ----------------------------------------------------------------- 1. L0 smoothing
def l0_smooth(img, lam=0.02, kappa=2.0, beta_max=1e5, margin=16):
    """L0 gradient minimisation of an HxWxC float image in 0..1 (Xu et al. 2011).

    Periodic FFT solver (real FFTs, float32) on a copy mirror-padded by `margin` px, so the
    wrap-around at the borders stays in the margin."""
    h, w, c = img.shape
    m = int(margin)
    p = np.pad(img.astype(np.float32), ((m, m), (m, m), (0, 0)), mode="reflect")
    H, W = p.shape[:2]
    wy = 2 * np.pi * np.fft.fftfreq(H)[:, None]
    wx = 2 * np.pi * np.fft.rfftfreq(W)[None, :]
    den2 = ((2 - 2 * np.cos(wx)) + (2 - 2 * np.cos(wy))).astype(np.float32)   # |otf dx|^2 + |otf dy|^2
    S = p
    N1 = np.fft.rfft2(S, axes=(0, 1))
    beta = 2 * lam
    while beta < beta_max:
        dx = np.roll(S, -1, axis=1) - S
        dy = np.roll(S, -1, axis=0) - S
        zero = (dx * dx + dy * dy).sum(axis=2) < lam / beta
        dx[zero] = 0
        dy[zero] = 0
        div = (np.roll(dx, 1, axis=1) - dx) + (np.roll(dy, 1, axis=0) - dy)
        S = np.fft.irfft2((N1 + beta * np.fft.rfft2(div, axes=(0, 1))) / (1 + beta * den2)[..., None],
                          s=(H, W), axes=(0, 1)).astype(np.float32)
        beta *= kappa
    return np.clip(S[m:m + h, m:m + w], 0, 1).astype(np.float64)


# ----------------------------------------------------------------- 2. palette by hue and tone
def rgb_to_hsv(img):
    r, g, b = img[..., 0], img[..., 1], img[..., 2]
    mx, mn = img.max(axis=2), img.min(axis=2)
    d = mx - mn
    s = np.where(mx > 0, d / np.maximum(mx, 1e-9), 0)
    dd = np.maximum(d, 1e-9)
    h = np.where(mx == r, ((g - b) / dd) % 6, np.where(mx == g, (b - r) / dd + 2, (r - g) / dd + 4)) * 60
    h = np.where(d > 0, h, 0)
    return h, s, mx


def palette_labels(img):
    """HxWx3 0..1 -> HxW palette indices, by hue and tone."""
    h, s, v = rgb_to_hsv(img)
    lab = np.full(h.shape, IDX["cream"], dtype=np.int64)

    def put(mask, name):
        lab[mask] = IDX[name]

    neutral = (s < 0.22) | (s * v < 0.09)          # hue means little on greys and dark colours
    # neutrals by tone: light walls/sky -> cream, mid -> tan, darker -> brown, dark -> deep blue (cloth)
    put(neutral & (v >= 0.72), "cream")
    put(neutral & (v < 0.72) & (v >= 0.50), "tan")
    put(neutral & (v < 0.50) & (v >= 0.34), "brown")
    dark = neutral & (v < 0.34)
    put(dark, "deep_blue")
    tinted = dark & (s >= 0.12)                     # dark foliage and wood keep their family
    put(tinted & (h >= 60) & (h < 165), "dark_green")
    put(tinted & ((h < 60) | (h >= 330)), "brown")
    sat = ~neutral
    red = sat & ((h >= 340) | (h < 12))
    orange = sat & (h >= 12) & (h < 42)
    yellow = sat & (h >= 42) & (h < 70)
    green = sat & (h >= 70) & (h < 165)
    blue = sat & (h >= 165) & (h < 265)
    purple = sat & (h >= 265) & (h < 340)
    put(red & (v >= 0.45), "vermilion")
    put(red & (v < 0.45), "deep_red")
    put(orange & (v >= 0.62) & (s < 0.65), "skin")
    put(orange & (v >= 0.40) & (v < 0.62) & (s < 0.75), "skin_shadow")
    put(orange & (v >= 0.40) & (s >= 0.65), "vermilion")
    put(orange & (v < 0.40), "brown")
    put(yellow & (v >= 0.55), "golden")
    put(yellow & (v < 0.55), "brown")
    put(green & (v >= 0.40), "green")
    put(green & (v < 0.40), "dark_green")
    put(blue & (v >= 0.62) & (s < 0.55), "pale_blue")
    put(blue & ~((v >= 0.62) & (s < 0.55)), "deep_blue")
    put(purple & (v >= 0.50), "vermilion")
    put(purple & (v < 0.50), "deep_blue")
    put(v < 0.16, "ink")
    return lab


def mode_filter(lab, size, n=len(NAMES), passes=2):  # noqa: B008 (a constant of the module)
    """Majority of the labels over a size x size window (ties: lowest index), `passes` times."""
    for _ in range(passes):
        best = np.zeros(lab.shape, dtype=np.float64) - 1
        out = lab.copy()
        for k in np.unique(lab):
            cnt = ndimage.uniform_filter((lab == k).astype(np.float64), size, mode="reflect")
            better = cnt > best + 1e-9
            out[better] = k
            best = np.maximum(best, cnt)
        lab = out
    return lab


# ----------------------------------------------------------------- 3. outlines
def outlines(lum, scale, sigma=1.2, k=1.6, thresh=0.012, min_pixels=80, width=1.0):
    """Dark side of strong steps: DoG(lum) < -thresh (lum 0..1), small bits removed, thickened
    by `width` px (at 768 px)."""
    s = max(0.8, sigma * scale)          # below ~0.8 px the DoG finds no steps
    dog = ndimage.gaussian_filter(lum, s, mode="reflect") - ndimage.gaussian_filter(lum, k * s, mode="reflect")
    line = dog < -thresh
    lab, n = ndimage.label(line, structure=np.ones((3, 3)))
    if n:
        sizes = ndimage.sum(np.ones_like(lum), lab, index=np.arange(1, n + 1))
        keep = np.zeros(n + 1, bool)
        keep[1:] = sizes >= min_pixels * scale * scale
        line = keep[lab]
    r = width * scale
    if r >= 0.5:
        yy, xx = np.mgrid[-2:3, -2:3]
        line = ndimage.binary_dilation(line, structure=(yy * yy + xx * xx) <= r * r + 0.25)
    return line


# ----------------------------------------------------------------- the renderer
def smooth(img, lam, work_side=384):
    """L0 smoothing at a long side of at most `work_side` px (the costly step; lam is given for the
    full size and scaled with it), bilinearly brought back to full size."""
    h, w = img.shape[:2]
    f = min(1.0, work_side / max(h, w))
    if f >= 0.999:
        return l0_smooth(img, lam=lam)
    small = ndimage.zoom(img, (f, f, 1), order=1, mode="reflect", grid_mode=True)
    sm = l0_smooth(small, lam=lam * f)
    return np.clip(ndimage.zoom(sm, (h / sm.shape[0], w / sm.shape[1], 1), order=1, mode="reflect",
                                grid_mode=True)[:h, :w], 0, 1)


def render(photo, lam=0.015, line_thresh=0.012, work_side=384):
    """HxWx3 uint8 (or 0..255) photo -> HxWx3 uint8 poster, deterministic."""
    return render_parts(photo, lam, line_thresh, work_side)["poster"]


def render_parts(photo, lam=0.015, line_thresh=0.012, work_side=384):
    """`render` with its intermediates: {"smooth": the L0-smoothed photo (HxWx3 float 0..1, what
    `palette_labels` reads), "line": the outline mask (HxW bool), "labels": the final labels
    (after the mode filter and the outlines), "poster": COLOURS[labels] (uint8)}."""
    a = np.asarray(photo)
    if a.ndim != 3 or a.shape[2] != 3:
        raise ValueError(f"expected an HxWx3 RGB image, got shape {a.shape}")
    img = a.astype(np.float64) / 255.0
    h, w = img.shape[:2]
    sc = _scale(h, w)
    # a light pre-blur against sensor noise and JPEG blocks, then L0 smoothing
    pre = ndimage.gaussian_filter(img, (0.8 * sc, 0.8 * sc, 0), mode="reflect")
    sm = smooth(pre, lam * sc, work_side)
    lab = palette_labels(sm)
    lab = mode_filter(lab, max(3, int(round(5 * sc)) | 1))
    lum = 0.299 * sm[..., 0] + 0.587 * sm[..., 1] + 0.114 * sm[..., 2]
    line = outlines(lum, sc, thresh=line_thresh)
    lab[line] = INK
    return {"smooth": sm, "line": line, "labels": lab, "poster": COLOURS[lab]}


def main(argv=None):
    from PIL import Image
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("src"); ap.add_argument("dst")
    ap.add_argument("--side", type=int, default=None, help="resize to this long side first")
    a = ap.parse_args(argv)
    im = Image.open(a.src).convert("RGB")
    if a.side:
        s = a.side / max(im.size)
        im = im.resize((round(im.size[0] * s), round(im.size[1] * s)), Image.LANCZOS)
    Image.fromarray(render(np.asarray(im))).save(a.dst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
