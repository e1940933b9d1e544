"""The poster measures of issue 10: how much a stylized image reads as a flat-colour poster.

All three take HxWx3 arrays of 0..255 values (uint8 or float; floats are rounded and clipped as the
engine would before saving). ``photo`` is the input photo, ``out`` the stylized image, same size.

palette90(out)
    RGB quantised to 16 levels a channel (cell = value // 16, 4096 cells); the smallest number of
    cells that together hold at least 90 % of the pixels (most populous first).
flat_fraction(img) / flat_gain(out, photo)
    A pixel is flat when the standard deviations (population) of R, G and B over its 5x5
    neighbourhood, averaged over the three channels, are below 6. Only pixels whose whole 5x5
    window lies inside the image count. flat_gain = flat_fraction(out) - flat_fraction(photo).
edge_recall(out, photo)
    The photo's luminance (0.299 R + 0.587 G + 0.114 B) is blurred with a Gaussian of sigma 2 and
    its gradient magnitude taken (central differences, np.gradient); its strongest 5 % pixels are
    the photo's edges. The output's gradient magnitude is taken the same way on its luminance,
    without blur. Recall = the share of the photo's edge pixels that have an output pixel with
    gradient >= 12 within 2 px (a 5x5 square around it).

Goals (issue 10, mean over the validation photos at 768 px): palette90 <= 48, flat gain >= +0.10,
edge recall >= 0.85.
"""
from __future__ import annotations

import numpy as np
from scipy import ndimage

GOALS = {"palette90": 48, "flat_gain": 0.10, "edge_recall": 0.85}
FLAT_STD = 6.0
FLAT_WIN = 5
EDGE_TOP = 0.05
EDGE_SIGMA = 2.0
EDGE_MIN_GRAD = 12.0
EDGE_RADIUS = 2


def _as_img(a):
    a = np.asarray(a)
    if a.ndim != 3 or a.shape[2] != 3:
        raise ValueError(f"expected an HxWx3 image, got shape {a.shape}")
    if a.dtype != np.uint8:
        a = np.clip(np.rint(a.astype(np.float64)), 0, 255)
    return a.astype(np.float64)


def luminance(img):
    img = _as_img(img)
    return 0.299 * img[..., 0] + 0.587 * img[..., 1] + 0.114 * img[..., 2]


def palette90(out, cover=0.9):
    q = (_as_img(out).astype(np.int64) // 16)
    cells = q[..., 0] * 256 + q[..., 1] * 16 + q[..., 2]
    counts = np.sort(np.bincount(cells.ravel(), minlength=4096))[::-1]
    need = cover * cells.size
    return int(np.searchsorted(np.cumsum(counts), need - 1e-9) + 1)


def _window_sum(a, k):
    """Sum of a over every k x k window lying inside the image: (H-k+1) x (W-k+1)."""
    c = np.cumsum(np.cumsum(np.pad(a, ((1, 0), (1, 0))), axis=0), axis=1)
    return c[k:, k:] - c[:-k, k:] - c[k:, :-k] + c[:-k, :-k]


def local_std(img, k=FLAT_WIN):
    """Mean over channels of the population std over each k x k window (valid windows only)."""
    img = _as_img(img)
    n = k * k
    stds = []
    for ch in range(3):
        a = img[..., ch]
        m = _window_sum(a, k) / n
        v = _window_sum(a * a, k) / n - m * m
        stds.append(np.sqrt(np.maximum(v, 0)))
    return sum(stds) / 3


def flat_fraction(img, thresh=FLAT_STD, k=FLAT_WIN):
    return float((local_std(img, k) < thresh).mean())


def flat_gain(out, photo):
    return flat_fraction(out) - flat_fraction(photo)


def gradient_magnitude(y):
    gy, gx = np.gradient(y)
    return np.hypot(gx, gy)


def photo_edges(photo, top=EDGE_TOP, sigma=EDGE_SIGMA):
    g = gradient_magnitude(ndimage.gaussian_filter(luminance(photo), sigma, mode="reflect"))
    thr = np.quantile(g, 1 - top)
    return g >= thr if thr > 0 else g > 0


def edge_recall(out, photo, min_grad=EDGE_MIN_GRAD, radius=EDGE_RADIUS):
    out, photo = _as_img(out), _as_img(photo)
    if out.shape != photo.shape:
        raise ValueError(f"output {out.shape} and photo {photo.shape} differ in size")
    edges = photo_edges(photo)
    if not edges.any():
        return 1.0
    strong = gradient_magnitude(luminance(out)) >= min_grad
    near = ndimage.maximum_filter(strong.astype(np.uint8), size=2 * radius + 1, mode="constant") > 0
    return float(near[edges].mean())


def measures(out, photo):
    """All three for one image pair (photo None: palette90 and the flat fraction only)."""
    r = {"palette90": palette90(out), "flat_fraction": flat_fraction(out)}
    if photo is not None:
        r["flat_gain"] = r["flat_fraction"] - flat_fraction(photo)
        r["edge_recall"] = edge_recall(out, photo)
    return r


def mean_measures(rows):
    keys = sorted({k for r in rows for k in r})
    return {k: float(np.mean([r[k] for r in rows if k in r])) for k in keys}


def meets_goals(m):
    return (m.get("palette90", 1e9) <= GOALS["palette90"] and m.get("flat_gain", -1) >= GOALS["flat_gain"]
            and m.get("edge_recall", -1) >= GOALS["edge_recall"])


# ----------------------------------------------------------------- against the renderer (hue and outlines)
# The three measures above cannot see hue or tell a dark outline from any other step. These compare an
# output with the renderer's poster of the same photo (`poster_train.evaluate` pools them over photos).
DARK_LUM = 50.0          # "painted dark": luminance below this (the renderer's ink is 28.8, deep red 62.3)
OUTLINE_RADIUS = 1       # an outline counts as matched by a dark output pixel within 1 px (3x3)


def nearest_index(img, palette):
    """HxWx3 -> HxW index of the nearest (RGB distance) palette colour; palette [K,3]."""
    a = _as_img(img).reshape(-1, 3)
    pal = np.asarray(palette, dtype=np.float64)
    d = ((a[:, None, :] - pal[None]) ** 2).sum(-1)
    return d.argmin(1).reshape(np.asarray(img).shape[:2])


def palette_confusion(out, target, palette):
    """KxK pixel counts: row = the target's nearest palette colour, column = the output's."""
    k = len(palette)
    ti, oi = nearest_index(target, palette).ravel(), nearest_index(out, palette).ravel()
    return np.bincount(ti * k + oi, minlength=k * k).reshape(k, k)


def colour_scores(conf):
    """From a confusion matrix: per colour recall (of the target's pixels of colour k, the share the
    output paints k) and precision (of the output's pixels of colour k, the share the target has k);
    NaN where the colour is absent."""
    conf = np.asarray(conf, dtype=np.float64)
    tp = np.diag(conf)
    with np.errstate(invalid="ignore", divide="ignore"):
        recall = np.where(conf.sum(1) > 0, tp / conf.sum(1), np.nan)
        precision = np.where(conf.sum(0) > 0, tp / conf.sum(0), np.nan)
    return recall, precision


def dark_mask(img, dark=DARK_LUM):
    return luminance(img) < dark


def outline_counts(out, ink, dark=DARK_LUM, radius=OUTLINE_RADIUS):
    """ink: HxW bool, the renderer's outline pixels. Returns (ink pixels with a dark output pixel
    within `radius`, ink pixels, dark output pixels with an ink pixel within `radius`, dark output
    pixels): recall = a/b (the outlines the output also draws), precision = c/d."""
    ink = np.asarray(ink, bool)
    d = dark_mask(out, dark)
    k = 2 * radius + 1
    near_dark = ndimage.maximum_filter(d.astype(np.uint8), size=k, mode="constant") > 0
    near_ink = ndimage.maximum_filter(ink.astype(np.uint8), size=k, mode="constant") > 0
    return int(near_dark[ink].sum()), int(ink.sum()), int(near_ink[d].sum()), int(d.sum())


def line_mask(ink, size=7):
    """ink: HxW bool, the renderer's ink pixels -> its outline pixels: the ink a size x size opening
    removes (thin lines, not the large dark areas; `poster_objective.line_mask` in torch)."""
    ink = np.asarray(ink, bool)
    st = np.ones((size, size), bool)
    opened = ndimage.binary_dilation(ndimage.binary_erosion(ink, st, border_value=1), st, border_value=0)
    return ink & ~opened


def ratio(a, b):
    return float(a) / float(b) if b else float("nan")
