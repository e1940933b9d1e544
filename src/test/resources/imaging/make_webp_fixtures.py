"""Writes the lossy WebP fixtures of LossyWebpTest and their libwebp reference decodes (issue 14).

    python3 src/test/resources/imaging/make_webp_fixtures.py            # the committed fixtures
    python3 src/test/resources/imaging/make_webp_fixtures.py KODAK OUT  # Kodak at q 50/75/90 (not committed)

Every picture is synthetic (nothing from ../shared/data): saturated colour edges, gradients, a
red/green checkerboard, noise, odd sizes (so the last chroma column and row are half-used), an
alpha plane and an EXIF orientation. Pillow encodes and decodes with libwebp; its decode (fancy
upsampling, libwebp's BT.601 fixed-point conversion) is written next to each file as NAME.ref.png.
`cwebp` (Debian package webp), when present, adds a file with the simple loop filter, sharpness
and one segment, which Pillow cannot ask for. The report of old vs new decoding on these or on
Kodak is printed by org.pastiche.imaging.WebpDiffReport (see docs/engine.md, "Lossy WebP").
"""
import os
import shutil
import subprocess
import sys

import numpy as np
from PIL import Image

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "webp")


def edges(w=67, h=45):
    """Blocks of saturated colours with hard edges, thin lines and single pixels."""
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0), (255, 0, 255), (0, 255, 255),
               (255, 255, 255), (0, 0, 0), (200, 30, 30), (30, 200, 30)]
    a = np.zeros((h, w, 3), np.uint8)
    for y in range(h):
        for x in range(w):
            a[y, x] = colours[(x // 9 + 3 * (y // 7)) % len(colours)]
    a[::5, :, :] = (0, 255, 0)
    a[:, 3::11, :] = (255, 0, 0)
    a[20:23, 10:50] = (0, 0, 255)
    return Image.fromarray(a, "RGB")


def gradient(w=64, h=64):
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 255 * x / (w - 1)
    g = 255 * y / (h - 1)
    b = 255 * (1 - (x + y) / (w + h - 2))
    a = np.stack([r, g, b], -1)
    a[np.abs(x - y) < 2] = (255, 40, 40)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")


def red_green(w=48, h=40):
    y, x = np.mgrid[0:h, 0:w]
    check = ((x // 3 + y // 3) % 2).astype(bool)
    a = np.zeros((h, w, 3), np.uint8)
    a[check] = (230, 10, 10)
    a[~check] = (10, 200, 10)
    a[10:30, 20:22] = (255, 255, 255)
    return Image.fromarray(a, "RGB")


def noise(w=53, h=37, seed=14):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    a[5:30, 5:25] = (250, 250, 0)
    return Image.fromarray(a, "RGB")


def with_alpha(w=40, h=33):
    im = gradient(w, h).convert("RGBA")
    y, x = np.mgrid[0:h, 0:w]
    alpha = np.clip(255 * x / (w - 1) + 40 * (y % 2), 0, 255).astype(np.uint8)
    im.putalpha(Image.fromarray(alpha, "L"))
    return im


def save(im, name, out, **kw):
    path = os.path.join(out, name + ".webp")
    im.save(path, "WEBP", **kw)
    write_reference(path)


def write_reference(path):
    with Image.open(path) as dec:
        mode = "RGBA" if dec.mode == "RGBA" else "RGB"
        dec.convert(mode).save(path[:-5] + ".ref.png")


def fixtures(out):
    os.makedirs(out, exist_ok=True)
    save(edges(), "edges-q75", out, quality=75)
    save(edges(), "edges-q20", out, quality=20)
    save(gradient(), "gradient-q50", out, quality=50)
    save(red_green(), "redgreen-q90", out, quality=90)
    save(noise(), "noise-q30", out, quality=30, method=6)
    save(with_alpha(), "alpha-q80", out, quality=80)
    exif = Image.Exif()
    exif[0x0112] = 6  # shown rotated 90 degrees clockwise
    save(red_green(), "exif6-q75", out, quality=75, exif=exif.tobytes())
    if shutil.which("cwebp"):
        src = os.path.join(out, "_edges.png")
        edges().save(src)
        dst = os.path.join(out, "simple-filter.webp")
        subprocess.run(["cwebp", "-quiet", "-q", "60", "-nostrong", "-sharpness", "5", "-segments", "1",
                        "-f", "40", src, "-o", dst], check=True)
        os.remove(src)
        write_reference(dst)
    else:
        print("cwebp not found: simple-filter.webp not written (apt-get install webp)")


def kodak(src, out):
    os.makedirs(out, exist_ok=True)
    for name in sorted(os.listdir(src)):
        if not name.endswith(".png"):
            continue
        im = Image.open(os.path.join(src, name)).convert("RGB")
        for q in (50, 75, 90):
            save(im, "%s-q%d" % (name[:-4], q), out, quality=q)


if __name__ == "__main__":
    if len(sys.argv) == 3:
        kodak(sys.argv[1], sys.argv[2])
    else:
        fixtures(HERE)
