"""Candy's rings at places the photo fixes: an anchored ring stamp in the teacher's target.

Why (README, "Eighth" and "Ninth pass"): the teacher paints its concentric rings at places that move
with a 4-px shift or noise of 2 grey levels, so every loss at the teacher's places is least when the
student paints no ring, and the position-free terms (ring_tail, a patch discriminator, a stamp at the
student's own best place) gave stripes, hatching or blur, since nothing told the student a stable
place. Here the place comes from the photo: `anchor_score` is a smooth function of the input (the
magnitude of a difference of Gaussians of the luminance, a soft blob at the scale of a ring, gated
to the smooth mid-tone regions where the teacher's rings lie; measured on 30 training photos: median
local sd 14 against 19 overall, mean luminance 117 against 105), and `anchor_places` its local maxima
over a threshold, spacing px apart. At each place the teacher's target gets one canonical teacher ring
(`RingStamp`: the medoid of the rings the teacher paints on whole training photos at 768 px), blended
by a soft disk whose opacity ramps up with the anchor's score (so the target changes continuously with
the photo). Every loss of the fine-tune then agrees on where the rings go, and the student learns a
rule it can compute: its receptive field (~100 px) covers the score's support.

    python3 -m pastiche_lab.anchors build --out runs/anchor/stamp.pt       # the stamp from the teacher
    python3 -m pastiche_lab.anchors count --stamp runs/anchor/stamp.pt --photos test   # anchors per photo
"""
from __future__ import annotations

import argparse
import json

import numpy as np
import torch
import torch.nn.functional as F

from .adversarial import LUM, _nms_peaks, disk_mask

SIGMA = 6.0          # px: DoG of sigma and 2 x sigma (a blob of ~2.5 sigma radius: a ring's size at 768 px)
GATE_SD = 22.0       # local sd (sigma 10) above which the region counts as textured (gate -> 0 at 1.5x)
GATE_LUM = (55.0, 215.0)   # mean luminance (sigma 10) range of the gate, ramps of 20 grey levels
THRESHOLD = 15.0     # anchor score of a place (grey levels)
RAMP_WIDTH = 2.0     # grey levels of score over the threshold at which the stamp is opaque (the scores of the
                     # anchors on training crops lie at 15-17: a ramp of 0.6 x THRESHOLD left them at 0-20 %)
SPACING = 96
PATCH = 48
RADIUS = 20


def _gauss(x, sigma):
    """Separable Gaussian blur of [N, 1, H, W] (reflect padding; the kernel cut to the picture's size)."""
    r = min(int(3 * sigma + 0.5), x.shape[-1] - 1, x.shape[-2] - 1)
    t = torch.arange(-r, r + 1, dtype=x.dtype, device=x.device)
    k = torch.exp(-t * t / (2 * sigma * sigma))
    k = k / k.sum()
    x = F.conv2d(F.pad(x, (r, r, 0, 0), mode="reflect"), k.view(1, 1, 1, -1))
    return F.conv2d(F.pad(x, (0, 0, r, r), mode="reflect"), k.view(1, 1, -1, 1))


def _ramp(v, lo, hi):
    return ((v - lo) / (hi - lo)).clamp(0, 1)


def anchor_score(x, sigma=SIGMA):
    """[N, H, W] anchor score of photos x [N, 3, H, W] (0..255): |DoG(sigma, 2 sigma)| of the luminance,
    times a soft gate to smooth (local sd below GATE_SD) mid-tone (GATE_LUM) regions."""
    w = torch.tensor(LUM, dtype=x.dtype, device=x.device).view(1, 3, 1, 1)
    lum = (x * w).sum(1, keepdim=True)
    dog = (_gauss(lum, sigma) - _gauss(lum, 2 * sigma)).abs()
    m = _gauss(lum, 10.0)
    sd = (_gauss(lum * lum, 10.0) - m * m).clamp_min(0).sqrt()
    gate = (1 - _ramp(sd, GATE_SD, 1.5 * GATE_SD)) * _ramp(m, GATE_LUM[0], GATE_LUM[0] + 20) \
        * (1 - _ramp(m, GATE_LUM[1] - 20, GATE_LUM[1]))
    return (dog * gate)[:, 0]


def anchor_places(x, threshold=THRESHOLD, spacing=SPACING, border=PATCH // 2, k=16):
    """Per photo of x [N, 3, H, W], [(y, x, score)] of the anchor score's local maxima over threshold,
    spacing px apart, border px inside the picture."""
    with torch.no_grad():
        sc = anchor_score(x.float())
    out = []
    for s in sc:
        out.append([(py, px, float(s[py, px])) for py, px in _nms_peaks(s, threshold, spacing, border, k)])
    return out


class RingStamp:
    """One canonical teacher ring: rgb [3, P, P] (0..255) and a soft disk alpha [P, P]."""

    def __init__(self, rgb, radius=RADIUS):
        self.rgb, self.radius = rgb.float(), radius
        self.patch = rgb.shape[-1]
        self.alpha = disk_mask(self.patch, radius, soft=4.0)

    @staticmethod
    def medoid(patches, radius=RADIUS):
        """The patch of [M, 3, P, P] with the least mean disk-masked L1 to all the others."""
        p = patches.float()
        m = disk_mask(p.shape[-1], radius)
        d = ((p[:, None] - p[None]).abs().mean(2) * m).flatten(2).mean(2)   # [M, M]
        return RingStamp(p[int(d.mean(1).argmin())], radius)

    def state_dict(self):
        return {"rgb": self.rgb.round().clamp(0, 255).to(torch.uint8), "radius": self.radius}

    @staticmethod
    def load(path):
        s = torch.load(path, weights_only=False)
        return RingStamp(s["rgb"], s.get("radius", RADIUS))


def opacity(score, threshold=THRESHOLD, width=RAMP_WIDTH):
    """The stamp's opacity at an anchor of this score: 0 at the threshold, 1 from width grey levels over it."""
    return min(1.0, max(0.0, (score - threshold) / width))


def stamp_target(tout, places, stamp, threshold=THRESHOLD, width=RAMP_WIDTH):
    """tout [N, 3, H, W] with stamp's ring blended in at each place (opacity: the disk alpha times
    (score - threshold) / width, clamped to 0..1); returns (target, weight map [N, 1, H, W]:
    the opacity actually used, 0 outside the disks)."""
    tgt = tout.clone()
    wmap = torch.zeros_like(tout[:, :1])
    h, P = stamp.patch // 2, stamp.patch
    rgb, alpha = stamp.rgb.to(tout), stamp.alpha.to(tout)
    for i, ps in enumerate(places):
        for y, x, s in ps:
            a = alpha * opacity(s, threshold, width)
            y0, x0 = y - h, x - h
            if y0 < 0 or x0 < 0 or y0 + P > tout.shape[2] or x0 + P > tout.shape[3]:
                continue
            reg = tgt[i, :, y0:y0 + P, x0:x0 + P]
            tgt[i, :, y0:y0 + P, x0:x0 + P] = reg * (1 - a) + rgb * a
            wmap[i, 0, y0:y0 + P, x0:x0 + P] = torch.maximum(wmap[i, 0, y0:y0 + P, x0:x0 + P], a)
    return tgt, wmap


def anchor_l1(out, target, wmap):
    """Mean L1 / 255 of out to target weighted by wmap (the stamps' opacity), over the weight: the rings
    alone, whatever their share of the crop (0, with a gradient, where there is none)."""
    tot = wmap.sum()
    if float(tot) <= 0:
        return out.sum() * 0.0
    return ((out - target).abs().mean(1, keepdim=True) * wmap).sum() / tot / 255.0


def anchor_shift_l1(out, places, stamp, threshold=THRESHOLD, width=RAMP_WIDTH, shift=4):
    """Shift-tolerant stamp L1 / 255: per anchor, the least disk-weighted L1 of the stamp to the output
    patch centred within `shift` px of the place (the gradient goes to that best-aligned patch), weighted
    by the anchor's opacity and averaged. The anchor (a maximum of a smooth score in a smooth region) fixes
    the place to a few px; the ring's bands are ~4 px wide, so an exact-place L1 is least for a student
    unsure by a few px when it paints no ring; this one is least when it paints the ring anywhere near.
    0, with a gradient, where no anchor is in reach."""
    h, P, R = stamp.patch // 2, stamp.patch, shift
    rgb, alpha = stamp.rgb.to(out), stamp.alpha.to(out)
    tot, wsum = out.sum() * 0.0, 0.0
    for i, ps in enumerate(places):
        for y, x, s in ps:
            a = opacity(s, threshold, width)
            y0, x0 = y - h - R, x - h - R
            if a <= 0 or y0 < 0 or x0 < 0 or y0 + P + 2 * R > out.shape[2] or x0 + P + 2 * R > out.shape[3]:
                continue
            reg = out[i, :, y0:y0 + P + 2 * R, x0:x0 + P + 2 * R]
            win = reg.unfold(1, P, 1).unfold(2, P, 1)                        # [3, 2R+1, 2R+1, P, P]
            d = ((win - rgb[:, None, None]).abs().mean(0) * alpha).sum((-1, -2)) / alpha.sum()
            tot = tot + a * d.min()
            wsum += a
    return tot / wsum / 255.0 if wsum > 0 else tot


def build(teacher, photos, size=768, patch=PATCH, log=print):
    """The teacher's rings (motifs' measure, threshold 55) on whole photos at `size`: ring-centred patches
    [M, 3, P, P] and their medoid stamp."""
    from .data import load_rgb, resize_long, to_image, to_tensor
    from .motifs import luminance, ring_map, ring_peaks
    got = []
    h = patch // 2
    for p in photos:
        img = resize_long(load_rgb(p), size)
        with torch.no_grad():
            out = teacher(to_tensor(img))
        pk = ring_peaks(ring_map(luminance(to_image(out))))
        for y, x, _ in pk:
            if h <= y <= out.shape[2] - h and h <= x <= out.shape[3] - h:
                got.append(out[0, :, y - h:y + h, x - h:x + h])
        log(f"{getattr(p, 'name', p)}: {len(pk)} teacher rings")
    pts = torch.stack(got)
    return pts, RingStamp.medoid(pts)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="the canonical ring from the candy teacher on whole training photos")
    b.add_argument("--photos", type=int, default=30, help="1-in-k spread training photos (BSDS train + pool)")
    b.add_argument("--size", type=int, default=768)
    b.add_argument("--out", required=True)
    c = sub.add_parser("count", help="anchors per photo at a size")
    c.add_argument("--photos", nargs="+", default=["test"])
    c.add_argument("--size", type=int, default=768)
    c.add_argument("--threshold", type=float, default=THRESHOLD)
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    from .data import STYLES, data_root, load_rgb, photo_set, resize_long, to_tensor, train_photos
    if a.cmd == "build":
        from .teachers import load_teacher
        teacher = load_teacher(data_root(), STYLES["candy"][0]).eval()
        tp = train_photos(data_root(), pool=True)
        pts, st = build(teacher, tp[::max(1, len(tp) // a.photos)][:a.photos], a.size)
        torch.save({**st.state_dict(), "bank": pts.round().clamp(0, 255).to(torch.uint8)}, a.out)
        print(json.dumps({"rings": len(pts), "out": a.out}))
        return
    counts = {}
    for p in photo_set(a.photos, data_root())[0]:
        x = to_tensor(resize_long(load_rgb(p), a.size))
        counts[p.name] = len(anchor_places(x, a.threshold)[0])
    v = np.array(list(counts.values()))
    print(json.dumps({"photos": len(v), "mean": float(v.mean()), "zero": int((v == 0).sum()), "max": int(v.max()),
                      "per_photo": counts}))


if __name__ == "__main__":
    main()
