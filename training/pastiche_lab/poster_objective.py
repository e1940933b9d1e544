"""The poster student's data and loss (issue 10): random crops of (photo, renderer target) pairs
from the cache, and the L1 + gradient loss with the target's borders and rare colours weighed up."""
from __future__ import annotations

import random

import numpy as np
import torch
import torch.nn.functional as F


class PairSampler:
    """Random crops of (photo, target) pairs: random scale (both resized alike; the target by
    nearest neighbour so it keeps the palette), flips."""

    def __init__(self, files, crop, scale=(0.6, 1.0), seed=0, rich=0.0, rich_colours=None, tries=4,
                 target="poster", ink_colour=None):
        """rich: the share of crops drawn to be rich in `rich_colours` ([M,3] RGB of the target): the
        photo by its share of those pixels, then the best of `tries` crop positions (most such pixels).
        target "smooth": the target has 7 channels, the renderer's pre-palette image (`pre_palette_target`:
        its smoothed photo, outlines painted `ink_colour`), its poster and its outline mask (0/255);
        the cache must hold them (`poster_train cache`)."""
        self.pairs = []
        self.target = target
        for f in files:
            d = np.load(f)
            t = d["target"]
            if target == "smooth":
                if "smooth" not in d.files:
                    raise ValueError(f"{f}: no pre-palette image (re-render it: poster_train cache --parts)")
                t = np.concatenate([pre_palette_target(d["smooth"], d["line"], ink_colour), t.astype(np.float32),
                                    d["line"][..., None].astype(np.float32) * 255], 2).astype(np.float32)
            self.pairs.append((torch.from_numpy(d["photo"]).permute(2, 0, 1).contiguous(),
                               torch.from_numpy(np.ascontiguousarray(t)).permute(2, 0, 1).contiguous()))
        self.crop, self.scale = crop, scale
        self.rng = random.Random(seed)
        self.rich, self.tries = float(rich), int(tries)
        self.rich_colours = None if rich_colours is None else torch.as_tensor(np.asarray(rich_colours)).float()
        self.rich_weights = None
        if self.rich > 0 and self.rich_colours is not None:
            self.rich_weights = [float(rich_mask(self._poster(t)[:, ::4, ::4].float(), self.rich_colours).float().mean())
                                 + 1e-3 for _, t in self.pairs]

    def _poster(self, t):
        return t[3:6] if self.target == "smooth" else t

    def state(self):
        return self.rng.getstate()

    def set_state(self, s):
        self.rng.setstate(s)

    def batch(self, n):
        return self.sample(n)

    def sample(self, n):
        xs, ys = [], []
        for _ in range(n):
            rich = self.rich_weights is not None and self.rng.random() < self.rich
            i = self.rng.choices(range(len(self.pairs)), weights=self.rich_weights)[0] if rich \
                else self.rng.randrange(len(self.pairs))
            x, y = self.pairs[i]
            h, w = x.shape[1:]
            s = max(self.rng.uniform(*self.scale), (self.crop + 1) / min(h, w))
            if abs(s - 1) > 1e-3:
                size = (max(self.crop, round(h * s)), max(self.crop, round(w * s)))
                x = F.interpolate(x[None].float(), size=size, mode="bilinear", antialias=True, align_corners=False)[0]
                y = F.interpolate(y[None].float(), size=size, mode="nearest")[0]
            h, w = x.shape[1:]
            y0, x0 = self.rng.randrange(h - self.crop + 1), self.rng.randrange(w - self.crop + 1)
            if rich:
                best = -1
                for _ in range(self.tries):
                    yy, xx = self.rng.randrange(h - self.crop + 1), self.rng.randrange(w - self.crop + 1)
                    c = int(rich_mask(self._poster(y)[:, yy:yy + self.crop:2, xx:xx + self.crop:2].float(),
                                      self.rich_colours).sum())
                    if c > best:
                        best, y0, x0 = c, yy, xx
            cx, cy = x[:, y0:y0 + self.crop, x0:x0 + self.crop].float(), y[:, y0:y0 + self.crop, x0:x0 + self.crop].float()
            if self.rng.random() < 0.5:
                cx, cy = cx.flip(2), cy.flip(2)
            xs.append(cx); ys.append(cy)
        return torch.stack(xs).clamp(0, 255), torch.stack(ys)


def rich_mask(t, colours):
    """[3,H,W] target -> [H,W] bool: pixels that are exactly one of colours [M,3]."""
    return (t[None] == colours[:, :, None, None]).all(1).any(0)


def target_edges(t):
    """[N,1,H,W] 1 where the target's colour changes within the 3x3 neighbourhood (its outlines and
    field borders), else 0."""
    rng = F.max_pool2d(t, 3, 1, 1) + F.max_pool2d(-t, 3, 1, 1)
    return (rng.amax(1, keepdim=True) > 0).float()


def line_mask(t, palette, ink_index, size=7):
    """[N,3,H,W] target -> [N,1,H,W] bool: its *outline* pixels, the ink pixels that a size x size
    opening removes (thin ink: the DoG contour lines, about 3 px wide at 768 px), not the large dark
    areas the renderer also paints ink (`poster_metrics.line_mask` on numpy; tested equal)."""
    ink = (t == palette.to(t.device, t.dtype)[ink_index].view(1, 3, 1, 1)).all(1, keepdim=True).to(t.dtype)
    pad = size // 2
    eroded = -F.max_pool2d(F.pad(-ink, (pad,) * 4, value=-1.0), size, 1)
    opened = F.max_pool2d(F.pad(eroded, (pad,) * 4, value=0.0), size, 1)
    return (ink > 0) & (opened == 0)


def palette_index(t, palette):
    """[N,3,H,W] 0..255 -> [N,H,W] index of the nearest palette colour ([K,3])."""
    return ((t[:, None] - palette[None, :, :, None, None]) ** 2).sum(2).argmin(1)


def colour_weights(files, palette, power=0.5, lo=0.25, hi=4.0):
    """Per palette colour: (its share of the cached targets' pixels / the mean share) ** -power,
    clipped to [lo, hi]. The BSDS targets are 22 % brown and 2 % vermilion: unweighted, the rare
    saturated colours hardly move an L1 loss."""
    pal = torch.as_tensor(np.asarray(palette), dtype=torch.float32)
    counts = torch.zeros(len(pal))
    for f in files:
        t = torch.from_numpy(np.load(f)["target"][::4, ::4].copy()).permute(2, 0, 1)[None].float()
        counts += torch.bincount(palette_index(t, pal).reshape(-1), minlength=len(pal)).float()
    share = counts / counts.sum()
    w = (share.clamp_min(1e-6) / share[share > 0].mean()) ** -power
    return w.clamp(lo, hi), share


def poster_loss(y, t, grad_weight=1.0, edge_weight=0.0, colour_w=None, palette=None, ink_weight=0.0,
                ink_index=None, line_weight=0.0):
    """y, t: [N,3,H,W] 0..255. L1 on 0..1 (pixels at the target's borders weigh 1 + edge_weight;
    with colour_w [K], each pixel also weighs colour_w[its target's palette colour]; the target's
    ink pixels (palette[ink_index], the outlines and darkest areas) 1 + ink_weight, its outline
    pixels (`line_mask`) a further 1 + line_weight) plus grad_weight * L1 of the finite differences."""
    w = None
    if colour_w is not None:
        w = colour_w.to(t.device)[palette_index(t, palette.to(t.device))][:, None]
    if ink_weight and ink_index is not None:
        ink = (t == palette.to(t.device)[ink_index].view(1, 3, 1, 1)).all(1, keepdim=True)
        e = 1 + ink_weight * ink.to(t.dtype)
        w = e if w is None else w * e
    if line_weight and ink_index is not None:
        e = 1 + line_weight * line_mask(t, palette, ink_index).to(t.dtype)
        w = e if w is None else w * e
    y, t = y / 255.0, t / 255.0
    if edge_weight:
        e = 1 + edge_weight * target_edges(t)
        w = e if w is None else w * e
    if w is not None:
        l1 = ((y - t).abs() * w).mean() / w.mean()
    else:
        l1 = (y - t).abs().mean()
    gx = ((y[..., :, 1:] - y[..., :, :-1]) - (t[..., :, 1:] - t[..., :, :-1])).abs().mean()
    gy = ((y[..., 1:, :] - y[..., :-1, :]) - (t[..., 1:, :] - t[..., :-1, :])).abs().mean()
    g = gx + gy
    return l1 + grad_weight * g, {"l1": float(l1.detach()), "grad": float(g.detach())}


def palette_logits(y, palette, temperature):
    """y [N,3,H,W] 0..255 -> [N,K,H,W] logits of the palette snap: -|y - p_k|^2 / temperature, colours
    on 0..1 (the snap picks the argmax, so a softmax over them is a differentiable snap)."""
    pal = palette.to(y.device, y.dtype) / 255.0
    d = ((y[:, None] / 255.0 - pal[None, :, :, None, None]) ** 2).sum(2)
    return -d / temperature


def palette_ce(y, t, palette, temperature=0.02, class_w=None, ink_weight=0.0, ink_index=None, line_weight=0.0):
    """Cross-entropy of the softmax over `palette_logits` against the target's palette index: what the
    snap does, optimised directly (L1 to the target lets a pixel sit between red and skin, which snaps
    to whichever is nearer; this pushes it to the right side). Each pixel weighs class_w[its target
    colour] (rare colours up), times 1 + ink_weight on the target's `ink_index` pixels (the outlines).
    The target's outline pixels (`line_mask`) weigh a further 1 + line_weight. Returns the weighted mean."""
    idx = palette_index(t, palette.to(t.device))
    ce = F.cross_entropy(palette_logits(y, palette, temperature), idx, reduction="none")
    w = torch.ones_like(ce) if class_w is None else class_w.to(ce.device, ce.dtype)[idx]
    if ink_weight and ink_index is not None:
        w = w * (1 + ink_weight * (idx == ink_index).to(ce.dtype))
    if line_weight and ink_index is not None:
        w = w * (1 + line_weight * line_mask(t, palette, ink_index)[:, 0].to(ce.dtype))
    return (ce * w).sum() / w.sum()


INK_TARGET = (12.0, 8.0, 8.0)   # the outlines in the pre-palette target: value 0.047, far inside palette_labels' ink (v < 0.16)


def pre_palette_target(smooth, line, ink_colour=None):
    """The renderer's pre-palette image as a training target (HxWx3 float32 0..255): its L0-smoothed
    photo (`smooth`: 0..1 float, or uint16 of 0..65535 as cached) with the outline pixels (`line`)
    painted a clearly-ink dark colour. The renderer's colour rule (`poster_render.palette_labels`,
    the exported lookup table) turns it into the poster."""
    sm = np.asarray(smooth)
    sm = sm.astype(np.float32) * (255.0 / 65535.0) if sm.dtype == np.uint16 else sm.astype(np.float32) * 255.0
    sm = sm.copy()
    sm[np.asarray(line, bool)] = np.asarray(INK_TARGET if ink_colour is None else ink_colour, np.float32)
    return sm


def pre_palette_loss(y, t, grad_weight=0.5, edge_weight=4.0, colour_w=None, palette=None, line_weight=0.0):
    """y [N,3,H,W] 0..255 (the network), t [N,7,H,W] (`PairSampler(target="smooth")`: pre-palette image,
    poster, outline mask). L1 to the pre-palette image on 0..1, each pixel weighing 1 + edge_weight at the
    poster's borders (`target_edges`), colour_w[its poster colour] (rare colours up) and 1 + line_weight
    on the outlines; plus grad_weight * L1 of the finite differences (crisp borders and lines)."""
    pre, poster, line = t[:, :3], t[:, 3:6], t[:, 6:7] > 127
    w = 1 + edge_weight * target_edges(poster / 255.0)
    if colour_w is not None:
        w = w * colour_w.to(t.device)[palette_index(poster, palette.to(t.device))][:, None]
    if line_weight:
        w = w * (1 + line_weight * line.to(t.dtype))
    y, pre = y / 255.0, pre / 255.0
    l1 = ((y - pre).abs() * w).mean() / w.mean()
    gx = ((y[..., :, 1:] - y[..., :, :-1]) - (pre[..., :, 1:] - pre[..., :, :-1])).abs().mean()
    gy = ((y[..., 1:, :] - y[..., :-1, :]) - (pre[..., 1:, :] - pre[..., :-1, :])).abs().mean()
    g = gx + gy
    return l1 + grad_weight * g, {"l1": float(l1.detach()), "grad": float(g.detach())}
