"""Does the export look like the preview?  Figures for the stroke scale (issue 16), from the CLI's outputs.

    # a test photo (not committed: made from ../shared/data photos or the CC0 samples in assets/)
    python3 training/scripts/stroke_eval.py photo --source kodak --megapixels 12 --out /tmp/k12.png
    # the CLI's preview (1024 px) and export (full size) of it
    java -jar target/pastiche.jar stylize -s candy --max-size 1024 -o /tmp/prev.png /tmp/k12.png
    java -jar target/pastiche.jar stylize -s candy -o /tmp/exp.png /tmp/k12.png        [--stroke-scale native]
    # export vs preview
    python3 training/scripts/stroke_eval.py compare --preview /tmp/prev.png --export /tmp/exp.png --photo /tmp/k12.png
    # two stroke scales of one photo (e.g. S = 1 and S = 2 at 2 MP)
    python3 training/scripts/stroke_eval.py scales --a s1.png --b s2.png --photo p2.png --scale 8

Measures, as the model lab defines them (pastiche_lab.evaluate):
- style distance: mean over VGG-19 relu1_1, relu2_1, relu3_1 of ||G(x)-G(ref)||_F/||G(ref)||_F, relative
  to that of the unstylized photo at the same size (photo = 1);
- SSIM lum 4x: SSIM of the 4x-downscaled luminance;
- fine detail: variance of the 3x3 Laplacian of the luminance (0..255).
`compare` scales the export down to the preview's size (area filter, as the engine's Resize) and
compares it with the preview; its fine detail is that of the export against the preview blown up
to the export's size (bilinear). `scales` gives b's fine detail over a's at full size, and the two
compared at 1/N size.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image

LAB = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(LAB))


def load(path):
    return np.asarray(Image.open(path).convert("RGB"), dtype=np.float32)


def resize(img, w, h, method):
    im = Image.fromarray(np.clip(np.rint(img), 0, 255).astype(np.uint8))
    return np.asarray(im.resize((w, h), method), dtype=np.float32)


def area(img, w, h):
    return resize(img, w, h, Image.BOX)


def luminance(img):
    return 0.299 * img[..., 0] + 0.587 * img[..., 1] + 0.114 * img[..., 2]


def fine_detail(img):
    """Variance of the 3x3 Laplacian (4-neighbour) of the luminance, over the interior."""
    y = luminance(img).astype(np.float64)
    lap = 4 * y[1:-1, 1:-1] - y[:-2, 1:-1] - y[2:, 1:-1] - y[1:-1, :-2] - y[1:-1, 2:]
    return float(lap.var())


class Vgg:
    def __init__(self, data=None):
        import torch
        from pastiche_lab.data import data_root
        from pastiche_lab.lossnets import load_vgg
        torch.set_num_threads(1)
        self.torch = torch
        self.vgg = load_vgg(data_root(data))

    def distance(self, img, ref):
        from pastiche_lab.data import to_tensor
        from pastiche_lab.losses import style_distance
        with self.torch.no_grad():
            return float(style_distance(self.vgg(to_tensor(img)), self.vgg(to_tensor(ref))))


def ssim_lum_4x(a, b):
    from pastiche_lab.evaluate import down4
    from skimage.metrics import structural_similarity
    return float(structural_similarity(down4(luminance(a)), down4(luminance(b)), data_range=255.0))


def compare(a):
    prev, exp, photo = load(a.preview), load(a.export), load(a.photo)
    h, w = prev.shape[:2]
    down = area(exp, w, h)
    photo_down = area(photo, w, h)
    vgg = Vgg(a.data)
    sd, sd0 = vgg.distance(down, prev), vgg.distance(photo_down, prev)
    blown = resize(prev, exp.shape[1], exp.shape[0], Image.BILINEAR)
    res = {"preview": f"{w}x{h}", "export": f"{exp.shape[1]}x{exp.shape[0]}",
           "style_distance": sd / sd0, "style_distance_raw": sd, "style_distance_photo": sd0,
           "ssim_lum_4x": ssim_lum_4x(down, prev),
           "fine_detail_export": fine_detail(exp), "fine_detail_preview_blown_up": fine_detail(blown),
           "fine_detail_photo": fine_detail(photo)}
    res["fine_detail_ratio"] = res["fine_detail_export"] / res["fine_detail_preview_blown_up"]
    res["goal_met"] = bool(res["style_distance"] <= 0.20 and res["ssim_lum_4x"] >= 0.85
                           and res["fine_detail_ratio"] >= 1.5)
    return res


def scales(a):
    ia, ib, photo = load(a.a), load(a.b), load(a.photo)
    h, w = ia.shape[:2]
    sw, sh = max(8, round(w / a.scale)), max(8, round(h / a.scale))
    da, db, dp = area(ia, sw, sh), area(ib, sw, sh), area(photo, sw, sh)
    vgg = Vgg(a.data)
    from skimage.metrics import structural_similarity
    res = {"size": f"{w}x{h}", "small": f"{sw}x{sh}",
           "fine_detail_a": fine_detail(ia), "fine_detail_b": fine_detail(ib),
           f"ssim_lum_1/{a.scale:g}": float(structural_similarity(luminance(db), luminance(da), data_range=255.0)),
           f"style_distance_1/{a.scale:g}": vgg.distance(db, da) / vgg.distance(dp, da),
           # for scale: how far the photo itself is from a, at that size
           f"ssim_lum_1/{a.scale:g}_photo_vs_a": float(structural_similarity(luminance(dp), luminance(da),
                                                                          data_range=255.0))}
    res["fine_detail_ratio_b_over_a"] = res["fine_detail_b"] / res["fine_detail_a"]
    return res


def roundtrip(a):
    """What plain upsampling filters do to a painting: the preview blown up to WxH and scaled back down
    (area filter), against the preview (the consistent upsampling of the engine is `compare`)."""
    prev, photo = load(a.preview), load(a.photo)
    h, w = prev.shape[:2]
    vgg = Vgg(a.data)
    sd0 = vgg.distance(area(photo, w, h), prev)
    res = {}
    for name, m in (("bilinear", Image.BILINEAR), ("bicubic", Image.BICUBIC), ("lanczos", Image.LANCZOS)):
        back = area(resize(prev, a.width, a.height, m), w, h)
        res[f"style_distance_{name}"] = vgg.distance(back, prev) / sd0
        res[f"ssim_lum_4x_{name}"] = ssim_lum_4x(back, prev)
    return res


def make_photo(a):
    """A test photo of about N megapixels: a grid of photos, each scaled up (Lanczos) to fill it."""
    if a.source == "kodak":
        from pastiche_lab.data import data_root
        files = sorted((data_root(a.data) / "photos" / "kodak").glob("kodim*.png"))
        files = [f for f in files if Image.open(f).width > Image.open(f).height]  # landscape ones
    else:
        files = sorted((LAB.parent / "assets" / "samples").glob("*.jpg"))
    files = files[a.first:]
    n = a.grid
    cells = [Image.open(f).convert("RGB") for f in files[: n * n]]
    if len(cells) < n * n:
        raise SystemExit(f"need {n * n} photos, found {len(cells)}")
    target = a.megapixels * 1e6
    cw = int(round((target * a.aspect) ** 0.5 / n))
    ch = int(round(cw / a.aspect))
    out = Image.new("RGB", (cw * n, ch * n))
    for i, im in enumerate(cells):
        s = max(cw / im.width, ch / im.height)  # cover the cell, centre crop
        im = im.resize((max(cw, round(im.width * s)), max(ch, round(im.height * s))), Image.LANCZOS)
        x0, y0 = (im.width - cw) // 2, (im.height - ch) // 2
        out.paste(im.crop((x0, y0, x0 + cw, y0 + ch)), ((i % n) * cw, (i // n) * ch))
    out.save(a.out)
    print(f"{a.out}: {out.width}x{out.height} ({out.width * out.height / 1e6:.1f} MP) from "
          + ", ".join(f.name for f in files[: n * n]))


def crops(a):
    """Side-by-side crops: the same region of each image, at the first image's scale (smaller ones are
    blown up, bilinear), left to right in the order given."""
    imgs = [Image.open(p).convert("RGB") for p in a.images]
    W, H = imgs[0].size
    x0, y0 = int(a.x * W), int(a.y * H)
    tiles = []
    for im in imgs:
        if a.whole:  # the whole picture, a.whole px wide (area filter)
            tiles.append(im.resize((a.whole, round(a.whole * H / W)), Image.BOX))
            continue
        if im.size != (W, H):
            im = im.resize((W, H), Image.BILINEAR)
        tiles.append(im.crop((x0, y0, x0 + a.size, y0 + a.size)))
    tw, th = tiles[0].size
    sheet = Image.new("RGB", (tw * len(tiles) + 8 * (len(tiles) - 1), th), "white")
    for i, t in enumerate(tiles):
        sheet.paste(t, (i * (tw + 8), 0))
    sheet.save(a.out, quality=90) if a.out.endswith(".jpg") else sheet.save(a.out)
    print(a.out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", help="shared data folder (default ../shared/data or $PASTICHE_DATA)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("compare", help="export vs preview")
    c.add_argument("--preview", required=True)
    c.add_argument("--export", required=True)
    c.add_argument("--photo", required=True, help="the input photo (the style distance's 1)")
    s = sub.add_parser("scales", help="two stroke scales of one photo")
    s.add_argument("--a", required=True)
    s.add_argument("--b", required=True)
    s.add_argument("--photo", required=True)
    s.add_argument("--scale", type=float, default=8)
    r = sub.add_parser("roundtrip", help="the preview blown up by plain filters and scaled back down")
    r.add_argument("--preview", required=True)
    r.add_argument("--photo", required=True)
    r.add_argument("--width", type=int, required=True)
    r.add_argument("--height", type=int, required=True)
    p = sub.add_parser("photo", help="make a test photo")
    p.add_argument("--source", choices=["kodak", "samples"], default="kodak")
    p.add_argument("--megapixels", type=float, default=12)
    p.add_argument("--grid", type=int, default=3)
    p.add_argument("--first", type=int, default=0, help="skip this many photos of the source")
    p.add_argument("--aspect", type=float, default=4 / 3)
    p.add_argument("--out", required=True)
    k = sub.add_parser("crops", help="side-by-side crops")
    k.add_argument("images", nargs="+")
    k.add_argument("--x", type=float, default=0.4)
    k.add_argument("--y", type=float, default=0.4)
    k.add_argument("--size", type=int, default=384)
    k.add_argument("--whole", type=int, help="instead of crops: each whole picture scaled to this width")
    k.add_argument("--out", required=True)
    for q in (c, s, r):
        q.add_argument("--json")
    a = ap.parse_args(argv)
    if a.cmd == "photo":
        return make_photo(a)
    if a.cmd == "crops":
        return crops(a)
    res = {"compare": compare, "scales": scales, "roundtrip": roundtrip}[a.cmd](a)
    for key, v in res.items():
        print(f"{key:32s} {v:.4f}" if isinstance(v, float) else f"{key:32s} {v}")
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=1))
    return res


if __name__ == "__main__":
    main()
