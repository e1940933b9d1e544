"""Reference posters for the `gongnongbing` (工农兵) style, drawn entirely in code.

A poster in the manner of 1960s-70s Chinese propaganda art: saturated reds, yellows and cream,
flat colour fields, bold dark contours, radiating sun rays, a big sun, mountains, factory
chimneys, wheat, and simple heroic silhouettes with raised arms, a rifle and a waving red flag.
No text and no third-party image: every pixel comes from the drawing code below (PIL + numpy),
so the output is the project's own work under the project's licence.

Deterministic: each variant is drawn from a seeded numpy generator, supersampled 2x and
downscaled, and saved without timestamps, so the same command writes the same bytes.

    python training/poster/make_poster.py                 # writes poster_{1,2,3}.png here
    python training/poster/make_poster.py --size 768 --out-dir /tmp/posters
"""
from __future__ import annotations

import argparse
import math
import os

import numpy as np
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))

RED = (206, 28, 30)
RED_LIGHT = (232, 70, 38)
DEEP_RED = (150, 16, 24)
YELLOW = (255, 208, 0)
ORANGE = (248, 146, 16)
CREAM = (252, 238, 200)
INK = (34, 18, 16)
SKIN = (246, 186, 146)
SKIN_SHADE = (222, 140, 104)
BLUE = (36, 78, 150)
GREEN = (62, 104, 56)
KHAKI = (200, 160, 70)
BROWN = (120, 60, 30)

VARIANTS = (1, 2, 3)


class Canvas:
    """Drawing in unit coordinates (0..1 on both axes) on a supersampled square canvas."""

    def __init__(self, size, ss=2, bg=CREAM):
        self.S = size * ss
        self.size = size
        self.img = Image.new("RGB", (self.S, self.S), bg)
        self.d = ImageDraw.Draw(self.img)
        self.ow = max(2, round(self.S * 0.0065))      # contour width (bold)

    def p(self, pts):
        return [(x * self.S, y * self.S) for x, y in pts]

    def poly(self, pts, fill, outline=True, ow=None):
        ow = self.ow if ow is None else ow
        xy = self.p(pts)
        self.d.polygon(xy, fill=fill)
        if outline:
            self.d.line(xy + [xy[0]], fill=INK, width=ow, joint="curve")
            for x, y in xy:   # round the corners of the contour
                r = ow / 2
                self.d.ellipse([x - r, y - r, x + r, y + r], fill=INK)

    def circle(self, cx, cy, r, fill, outline=True, ow=None):
        ow = self.ow if ow is None else ow
        c = self.p([(cx, cy)])[0]
        R = r * self.S
        if outline:
            self.d.ellipse([c[0] - R - ow / 2, c[1] - R - ow / 2, c[0] + R + ow / 2, c[1] + R + ow / 2], fill=INK)
        self.d.ellipse([c[0] - R + ow / 2, c[1] - R + ow / 2, c[0] + R - ow / 2, c[1] + R - ow / 2], fill=fill)

    def ellipse(self, box, fill, outline=True):
        x0, y0, x1, y1 = [v * self.S for v in box]
        ow = self.ow if outline else 0
        if outline:
            self.d.ellipse([x0 - ow / 2, y0 - ow / 2, x1 + ow / 2, y1 + ow / 2], fill=INK)
        self.d.ellipse([x0 + ow / 2, y0 + ow / 2, x1 - ow / 2, y1 - ow / 2], fill=fill)

    def limb(self, pts, width, fill, outline=True):
        """A thick stroke through pts (unit coords), outlined in ink, with round joints and ends."""
        xy = self.p(pts)
        w = width * self.S
        if outline:
            self._stroke(xy, w + 2 * self.ow, INK)
        self._stroke(xy, w, fill)

    def _stroke(self, xy, w, col):
        self.d.line(xy, fill=col, width=int(round(w)), joint="curve")
        for x, y in (xy[0], xy[-1]):
            self.d.ellipse([x - w / 2, y - w / 2, x + w / 2, y + w / 2], fill=col)

    def line(self, pts, width=None, fill=INK):
        w = self.ow if width is None else width * self.S
        self.d.line(self.p(pts), fill=fill, width=int(round(w)), joint="curve")

    def result(self):
        return self.img.resize((self.size, self.size), Image.LANCZOS)


# ---------------------------------------------------------------- scenery
def sun_rays(cv: Canvas, cx, cy, n, rng, c0=RED, c1=RED_LIGHT, phase=None):
    phase = rng.uniform(0, 2 * math.pi / n) if phase is None else phase
    R = 3.0
    for i in range(n):
        a0 = phase + 2 * math.pi * i / n
        a1 = phase + 2 * math.pi * (i + 0.5) / n
        pts = [(cx, cy), (cx + R * math.cos(a0), cy + R * math.sin(a0)),
               (cx + R * math.cos(a1), cy + R * math.sin(a1))]
        cv.poly(pts, c1, outline=False)
    cv.d.rectangle([0, 0, 0, 0], fill=c0)


def sun(cv: Canvas, cx, cy, r):
    cv.circle(cx, cy, r * 1.18, ORANGE)
    cv.circle(cx, cy, r, YELLOW)
    cv.circle(cx, cy, r * 0.72, (255, 236, 120), outline=False)


def mountains(cv: Canvas, base_y, rng, n_peaks, height, fill, x0=-0.05, x1=1.05, snow=None):
    xs = np.linspace(x0, x1, 2 * n_peaks + 1)
    pts = [(x0, 1.2)]
    for i, x in enumerate(xs):
        jitter = rng.uniform(-0.02, 0.02)
        if i % 2 == 1:
            y = base_y - height * rng.uniform(0.6, 1.0)
        else:
            y = base_y - height * rng.uniform(0.0, 0.25)
        pts.append((x + jitter, y))
    pts.append((x1, 1.2))
    cv.poly(pts, fill)
    if snow is not None:     # flat lighter caps on the peaks, outlined
        for i in range(1, len(pts) - 2, 2):
            if i + 1 >= len(pts) - 1:
                break
            (xa, ya), (xp, yp), (xb, yb) = pts[i], pts[i + 1], pts[i + 2]
            t = 0.35
            cap = [(xp, yp), (xp + (xb - xp) * t, yp + (yb - yp) * t),
                   (xp + (xb - xp) * t * 0.5, yp + (yb - yp) * t * 0.8),
                   (xp + (xa - xp) * t * 0.6, yp + (ya - yp) * t * 0.95),
                   (xp + (xa - xp) * t, yp + (ya - yp) * t)]
            cv.poly(cap, snow)


def factory(cv: Canvas, x, base_y, w, h, rng, fill=DEEP_RED, smoke=CREAM):
    # sawtooth roof hall
    n = 3
    pts = [(x, base_y), (x, base_y - h)]
    for i in range(n):
        xa = x + w * i / n
        xb = x + w * (i + 1) / n
        pts += [(xa + (xb - xa) * 0.75, base_y - h - h * 0.35), (xb, base_y - h)]
    pts.append((x + w, base_y))
    cv.poly(pts, fill)
    # windows as flat yellow slots
    for i in range(n):
        xa = x + w * (i + 0.25) / n
        cv.poly([(xa, base_y - h * 0.75), (xa + w * 0.45 / n, base_y - h * 0.75),
                 (xa + w * 0.45 / n, base_y - h * 0.35), (xa, base_y - h * 0.35)], YELLOW)
    # chimneys + smoke
    for k in range(2):
        cx = x + w * (0.2 + 0.45 * k)
        ch = h * rng.uniform(2.2, 3.0)
        cw = w * 0.09
        cv.poly([(cx - cw * 0.6, base_y - h), (cx + cw * 0.6, base_y - h),
                 (cx + cw * 0.45, base_y - h - ch), (cx - cw * 0.45, base_y - h - ch)], fill)
        cv.poly([(cx - cw * 0.5, base_y - h - ch * 0.8), (cx + cw * 0.5, base_y - h - ch * 0.8),
                 (cx + cw * 0.5, base_y - h - ch * 0.72), (cx - cw * 0.5, base_y - h - ch * 0.72)], CREAM)
        sx, sy = cx, base_y - h - ch
        for j in range(4):
            r = w * (0.07 + 0.035 * j)
            sx += r * 1.1
            sy -= r * 0.7
            cv.circle(sx, sy, r, smoke)


def wheat(cv: Canvas, x, base_y, h, lean, rng):
    top = (x + lean, base_y - h)
    cv.limb([(x, base_y), ((x + top[0]) / 2 + lean * 0.2, (base_y + top[1]) / 2), top], 0.008, ORANGE)
    n = 7
    for i in range(n):
        t = i / n
        gx = top[0] - lean * 0.25 * t
        gy = top[1] + h * 0.32 * t
        for side in (-1, 1):
            a = -math.pi / 2 + side * 0.6 + lean * 2
            L, W = 0.028, 0.013
            cxg, cyg = gx + side * 0.012, gy
            pts = []
            for k in range(12):
                th = 2 * math.pi * k / 12
                u, v = L / 2 * math.cos(th), W / 2 * math.sin(th)
                pts.append((cxg + u * math.cos(a) - v * math.sin(a), cyg + u * math.sin(a) + v * math.cos(a)))
            cv.poly(pts, YELLOW)
    cv.ellipse([top[0] - 0.008, top[1] - 0.03, top[0] + 0.008, top[1] + 0.005], YELLOW)


def flag(cv: Canvas, pole_top, length, width, rng, color=RED, wave=0.04, direction=1):
    """A waving flag from pole_top, flying to +x (direction=1) or -x."""
    px, py = pole_top
    n = 16
    top, bot = [], []
    for i in range(n + 1):
        t = i / n
        x = px + direction * length * t
        dy = wave * math.sin(2.2 * math.pi * t + 0.5) * t
        top.append((x, py + dy + 0.02 * t))
        bot.append((x, py + width + dy + 0.035 * t - 0.02 * t * t))
    cv.poly(top + bot[::-1], color)
    # a yellow star in the canton
    sx, sy = px + direction * length * 0.18, py + width * 0.33
    r = width * 0.2
    star = []
    for k in range(10):
        rr = r if k % 2 == 0 else r * 0.42
        a = -math.pi / 2 + k * math.pi / 5
        star.append((sx + rr * math.cos(a), sy + rr * math.sin(a)))
    cv.poly(star, YELLOW, ow=max(2, cv.ow // 2))


# ---------------------------------------------------------------- figures
def figure(cv: Canvas, x, foot_y, s, kind, rng, facing=1, arm_up=True, holds=None):
    """A heroic figure standing on foot_y, height ~ s. kind: worker | peasant | soldier.
    facing: +1 looks right, -1 left. holds: None | 'flag' | 'rifle' | 'sickle' | 'book'."""
    cloth = {"worker": BLUE, "peasant": KHAKI, "soldier": GREEN}[kind]
    trouser = {"worker": BLUE, "peasant": BROWN, "soldier": GREEN}[kind]
    f = facing
    hip = (x, foot_y - 0.47 * s)
    neck = (x + 0.03 * s * f, foot_y - 0.82 * s)
    shoulder_w = 0.12 * s
    # legs in a wide heroic stance
    cv.limb([(hip[0] - 0.04 * s, hip[1]), (x - 0.13 * s, foot_y - 0.22 * s), (x - 0.2 * s, foot_y - 0.02 * s)], 0.075 * s, trouser)
    cv.limb([(hip[0] + 0.04 * s, hip[1]), (x + 0.09 * s, foot_y - 0.24 * s), (x + 0.12 * s, foot_y - 0.02 * s)], 0.075 * s, trouser)
    for fx in (x - 0.22 * s, x + 0.13 * s):   # boots
        cv.poly([(fx - 0.03 * s, foot_y - 0.05 * s), (fx + 0.06 * s, foot_y - 0.05 * s),
                 (fx + 0.08 * s, foot_y), (fx - 0.04 * s, foot_y)], INK, outline=False)
    # back arm
    sb = (neck[0] - shoulder_w * f, neck[1] + 0.04 * s)
    hand_back = (sb[0] - 0.06 * s * f, hip[1] + 0.02 * s)
    cv.limb([sb, (sb[0] - 0.08 * s * f, neck[1] + 0.2 * s), hand_back], 0.06 * s, cloth)
    cv.circle(*hand_back, 0.03 * s, SKIN)
    # torso: broad chest, narrow waist
    torso = [(neck[0] - shoulder_w, neck[1] + 0.02 * s), (neck[0] + shoulder_w, neck[1] + 0.02 * s),
             (hip[0] + 0.08 * s, hip[1] + 0.03 * s), (hip[0] - 0.08 * s, hip[1] + 0.03 * s)]
    cv.poly(torso, cloth)
    # collar / belt details as flat blocks
    cv.poly([(hip[0] - 0.085 * s, hip[1] - 0.02 * s), (hip[0] + 0.085 * s, hip[1] - 0.02 * s),
             (hip[0] + 0.085 * s, hip[1] + 0.02 * s), (hip[0] - 0.085 * s, hip[1] + 0.02 * s)], INK if kind != "peasant" else RED)
    cv.poly([(neck[0] - 0.04 * s, neck[1] + 0.02 * s), (neck[0] + 0.04 * s, neck[1] + 0.02 * s),
             (neck[0], neck[1] + 0.1 * s)], SKIN)
    if kind == "soldier":   # red collar tabs
        for sgn in (-1, 1):
            cv.poly([(neck[0] + sgn * 0.045 * s, neck[1] + 0.02 * s), (neck[0] + sgn * 0.09 * s, neck[1] + 0.025 * s),
                     (neck[0] + sgn * 0.05 * s, neck[1] + 0.07 * s)], RED, ow=max(2, cv.ow // 2))
    # head
    hc = (neck[0] + 0.01 * s * f, neck[1] - 0.075 * s)
    hr = 0.068 * s
    cv.circle(*hc, hr, SKIN)
    # flat shade on the far side of the face
    cv.poly([(hc[0] - hr * 0.9 * f, hc[1] - hr * 0.2), (hc[0] - hr * 0.35 * f, hc[1] + hr * 0.2),
             (hc[0] - hr * 0.5 * f, hc[1] + hr * 0.8)], SKIN_SHADE, outline=False)
    # headwear
    if kind == "worker":
        cv.poly([(hc[0] - hr * 1.05, hc[1] - hr * 0.1), (hc[0] - hr * 0.9, hc[1] - hr * 1.0),
                 (hc[0] + hr * 0.9, hc[1] - hr * 1.0), (hc[0] + hr * 1.05, hc[1] - hr * 0.1),
                 (hc[0] + hr * 1.5 * f, hc[1] - hr * 0.05)], BLUE)
    elif kind == "soldier":
        cv.poly([(hc[0] - hr * 1.1, hc[1] - hr * 0.15), (hc[0] - hr * 0.85, hc[1] - hr * 1.05),
                 (hc[0] + hr * 0.85, hc[1] - hr * 1.05), (hc[0] + hr * 1.1, hc[1] - hr * 0.15)], GREEN)
        sx, sy, r = hc[0], hc[1] - hr * 0.6, hr * 0.28
        cv.poly([(sx + (r if k % 2 == 0 else r * 0.42) * math.cos(-math.pi / 2 + k * math.pi / 5),
                  sy + (r if k % 2 == 0 else r * 0.42) * math.sin(-math.pi / 2 + k * math.pi / 5)) for k in range(10)],
                RED, ow=max(2, cv.ow // 2))
    else:   # peasant: white headscarf knotted at the front
        cv.poly([(hc[0] - hr * 1.08, hc[1] - hr * 0.05), (hc[0] - hr * 0.8, hc[1] - hr * 1.0),
                 (hc[0] + hr * 0.8, hc[1] - hr * 1.0), (hc[0] + hr * 1.08, hc[1] - hr * 0.05)], CREAM)
        cv.circle(hc[0] + hr * 1.05 * f, hc[1] - hr * 0.45, hr * 0.3, CREAM)
    # eye and mouth: two bold strokes
    cv.line([(hc[0] + hr * 0.25 * f, hc[1] - hr * 0.05), (hc[0] + hr * 0.6 * f, hc[1] - hr * 0.12)], width=0.012 * s)
    cv.line([(hc[0] + hr * 0.3 * f, hc[1] + hr * 0.5), (hc[0] + hr * 0.65 * f, hc[1] + hr * 0.42)], width=0.01 * s)
    # front arm: raised fist / holding
    sf = (neck[0] + shoulder_w * f, neck[1] + 0.04 * s)
    if arm_up:
        elbow = (sf[0] + 0.1 * s * f, sf[1] - 0.14 * s)
        hand = (sf[0] + 0.13 * s * f, sf[1] - 0.32 * s)
    else:
        elbow = (sf[0] + 0.12 * s * f, sf[1] + 0.12 * s)
        hand = (sf[0] + 0.22 * s * f, sf[1] + 0.05 * s)
    if holds == "flag":
        pole_top = (hand[0] - 0.02 * s * f, hand[1] - 0.45 * s)
        cv.limb([(hand[0] + 0.03 * s * f, hand[1] + 0.55 * s), pole_top], 0.02 * s, BROWN)
        flag(cv, pole_top, 0.55 * s, 0.3 * s, rng, direction=f)
    if holds == "rifle":
        a = (hand[0] - 0.05 * s * f, hand[1] + 0.5 * s)
        b = (hand[0] + 0.02 * s * f, hand[1] - 0.22 * s)
        cv.limb([a, b], 0.03 * s, BROWN)
        cv.limb([b, (b[0] + 0.01 * s * f, b[1] - 0.12 * s)], 0.01 * s, CREAM)
    cv.limb([sf, elbow, hand], 0.065 * s, cloth)
    cv.circle(*hand, 0.04 * s, SKIN)
    if holds == "sickle":
        cx, cy = hand[0] + 0.02 * s * f, hand[1] - 0.1 * s
        pts = []
        for k in range(14):
            th = math.pi * (0.1 + 1.2 * k / 13)
            pts.append((cx + 0.09 * s * math.cos(th) * f, cy - 0.09 * s * math.sin(th)))
        for k in range(13, -1, -1):
            th = math.pi * (0.1 + 1.2 * k / 13)
            pts.append((cx + 0.065 * s * math.cos(th) * f + 0.012 * s * f, cy - 0.07 * s * math.sin(th) + 0.01 * s))
        cv.poly(pts, CREAM)
    if holds == "book":
        bx, by = hand[0], hand[1] - 0.05 * s
        cv.poly([(bx - 0.05 * s, by - 0.035 * s), (bx + 0.05 * s, by - 0.035 * s),
                 (bx + 0.05 * s, by + 0.035 * s), (bx - 0.05 * s, by + 0.035 * s)], RED)


def ground(cv: Canvas, y, fill, rng, amp=0.02):
    n = 24
    pts = [(-0.05, 1.2)]
    for i in range(n + 1):
        x = -0.05 + 1.1 * i / n
        pts.append((x, y + amp * math.sin(3 * x + rng.uniform(0, 0.3))))
    pts.append((1.05, 1.2))
    cv.poly(pts, fill)


# ---------------------------------------------------------------- variants
def draw_variant(variant: int, size: int = 768, seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(1000 * variant + seed)
    if variant == 1:
        # three heroes under a rising sun, red flag, wheat in the foreground
        cv = Canvas(size, bg=RED)
        sun_rays(cv, 0.5, 0.3, 28, rng)
        sun(cv, 0.5, 0.3, 0.14)
        mountains(cv, 0.66, rng, 5, 0.16, CREAM, snow=None)
        mountains(cv, 0.72, rng, 4, 0.09, ORANGE)
        factory(cv, 0.02, 0.72, 0.22, 0.07, rng)
        ground(cv, 0.8, YELLOW, rng)
        figure(cv, 0.3, 0.97, 0.52, "peasant", rng, facing=1, arm_up=True, holds="sickle")
        figure(cv, 0.72, 0.97, 0.5, "soldier", rng, facing=-1, arm_up=False, holds="rifle")
        figure(cv, 0.52, 0.99, 0.6, "worker", rng, facing=1, arm_up=True, holds="flag")
        for i in range(9):
            wheat(cv, 0.02 + 0.03 * i, 1.02, 0.22 + 0.04 * rng.random(), 0.04 + 0.02 * rng.random(), rng)
            wheat(cv, 0.98 - 0.03 * i, 1.02, 0.2 + 0.04 * rng.random(), -0.04 - 0.02 * rng.random(), rng)
    elif variant == 2:
        # industry: a worker with raised fist before factories, sun behind mountains
        cv = Canvas(size, bg=YELLOW)
        sun_rays(cv, 0.72, 0.42, 22, rng, c1=ORANGE)
        sun(cv, 0.72, 0.42, 0.17)
        mountains(cv, 0.6, rng, 4, 0.2, RED, snow=CREAM)
        factory(cv, 0.45, 0.7, 0.3, 0.09, rng, fill=DEEP_RED)
        factory(cv, 0.72, 0.72, 0.3, 0.08, rng, fill=RED)
        ground(cv, 0.72, DEEP_RED, rng, amp=0.01)
        ground(cv, 0.85, RED, rng, amp=0.015)
        figure(cv, 0.3, 0.98, 0.78, "worker", rng, facing=1, arm_up=True, holds=None)
        flag(cv, (1.0, 0.04), 0.3, 0.13, rng, direction=-1)
    else:
        # a column of marchers with flags under a vast sun
        cv = Canvas(size, bg=CREAM)
        sun_rays(cv, 0.5, 0.62, 32, rng, c0=CREAM, c1=YELLOW)
        sun(cv, 0.5, 0.62, 0.22)
        mountains(cv, 0.75, rng, 6, 0.12, RED)
        ground(cv, 0.78, ORANGE, rng)
        ground(cv, 0.9, RED, rng, amp=0.01)
        figure(cv, 0.18, 0.97, 0.44, "soldier", rng, facing=1, arm_up=True, holds="rifle")
        figure(cv, 0.82, 0.97, 0.44, "peasant", rng, facing=-1, arm_up=True, holds="book")
        figure(cv, 0.5, 0.99, 0.58, "worker", rng, facing=1, arm_up=True, holds="flag")
        flag(cv, (1.0, 0.06), 0.4, 0.2, rng, direction=-1)
        for i in range(6):
            wheat(cv, 0.3 + 0.035 * i, 1.02, 0.16 + 0.03 * rng.random(), 0.03, rng)
    # a bold frame, as printed posters have
    o = cv.ow * 2
    cv.d.rectangle([0, 0, cv.S - 1, cv.S - 1], outline=INK, width=o)
    return cv.result()


def draw_all(size=768, seed=0):
    return {v: draw_variant(v, size, seed) for v in VARIANTS}


def save_png(img: Image.Image, path):
    img.save(path, format="PNG", optimize=False, compress_level=9)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, default=768)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out-dir", default=HERE)
    ap.add_argument("--variants", default=",".join(map(str, VARIANTS)))
    a = ap.parse_args(argv)
    os.makedirs(a.out_dir, exist_ok=True)
    for v in [int(s) for s in a.variants.split(",")]:
        p = os.path.join(a.out_dir, f"poster_{v}.png")
        save_png(draw_variant(v, a.size, a.seed), p)
        print(p)


if __name__ == "__main__":
    main()
