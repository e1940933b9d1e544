"""The shipping bar, measured.

    python -m pastiche_lab.evaluate --style candy --model models/candy.onnx   (or a run's student.pt)

On validation photos scaled to 384 px (long side): style distance of the student's output to the
teacher's, relative to that of the unstylized photo (mean over VGG-19 relu1_1, relu2_1, relu3_1 of
||G(a)-G(t)||_F/||G(t)||_F, G = Gram/(C*H*W)); SSIM of the 4x-downscaled luminance; full-size SSIM
and PSNR; MACs per megapixel relative to the unpruned net.
"""
from __future__ import annotations

import argparse
import functools
import json
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from skimage.metrics import structural_similarity

from . import checkpoints
from .data import LAB, STYLES, TEST_VAL_FROM, data_root, list_photos, load_rgb, photo_set, resize_long, to_image, to_tensor
from .perceptual import gram
from .lossnets import load_vgg
from .model import TransformerNet, FULL, macs_per_pixel, count_params
from .teachers import load_teacher, reference_context

BAR = {"mac_ratio": 0.25, "style_distance_ratio": 0.30, "ssim_lum_4x": 0.80}


def luminance(img):
    return 0.299 * img[..., 0] + 0.587 * img[..., 1] + 0.114 * img[..., 2]


def down4(y):
    h, w = y.shape
    h4, w4 = h // 4 * 4, w // 4 * 4
    return y[:h4, :w4].reshape(h4 // 4, 4, w4 // 4, 4).mean(axis=(1, 3))


def image_metrics(out, ref):
    """out, ref: HxWx3 float arrays 0..255 (already rounded as the engine would)."""
    ssim4 = structural_similarity(down4(luminance(out)), down4(luminance(ref)), data_range=255.0)
    ssim = structural_similarity(out, ref, data_range=255.0, channel_axis=2)
    mse = float(((out - ref) ** 2).mean())
    psnr = 10 * np.log10(255.0 ** 2 / max(mse, 1e-10))
    return ssim4, ssim, psnr


def side_bands(out, ref, width=8):
    """Mean |out - ref| over the outer `width` px of each side (top, right, bottom, left), relative to that
    over the interior (more than 2 x width px from every side)."""
    d = np.abs(np.asarray(out, np.float64) - np.asarray(ref, np.float64)).mean(axis=2)
    inner = max(float(d[2 * width:-2 * width, 2 * width:-2 * width].mean()), 1e-6)
    return [float(s.mean()) / inner for s in (d[:width], d[:, -width:], d[-width:], d[:, :width])]


def edge_band(out, ref, width=8):
    """Border artifacts: the worst side of side_bands. About 1 when the borders are as close to the
    reference as the rest (La Muse's band: 3 and more against a clean reference)."""
    return max(side_bands(out, ref, width))


def checkerboard(img):
    """Energy of the 2x2-periodic components (finetune.phases) of an HxWx3 image, grey levels: the
    mean |a - b - c + d| / 4 + |a + b - c - d| / 4 + |a - b + c - d| / 4 over the 2x2 blocks (a b / c d)."""
    y = np.asarray(img, np.float64)
    y = y[: y.shape[0] // 2 * 2, : y.shape[1] // 2 * 2]
    a, b, c, d = y[0::2, 0::2], y[0::2, 1::2], y[1::2, 0::2], y[1::2, 1::2]
    return float((np.abs(a - b - c + d) + np.abs(a + b - c - d) + np.abs(a - b + c - d)).mean() / 4)


def pad_run(fn, img, m=4):
    """Engine-style: reflection-pad bottom/right to a multiple of m, run, crop, round."""
    h, w = img.shape[:2]
    x = to_tensor(img)
    ph, pw = (-h) % m, (-w) % m
    if ph or pw:
        x = F.pad(x, (0, pw, 0, ph), mode="reflect")
    y = fn(x)
    return np.clip(np.rint(to_image(y)[:h, :w]), 0, 255)


class TeacherCache:
    """Teacher outputs on the validation photos, and their VGG Gram matrices (cached under
    training/cache/). Format-A teachers are run on a `context`-px reflection-padded copy and cropped
    back (default teachers.CONTEXT_A px), i.e. without their zero-padding border artifacts; context=0
    gives the raw teacher output."""

    def __init__(self, style, droot, size=384, n=None, device="cpu", context=None, photos=None):
        """photos: (paths, set tag) from data.photo_set; default the first n val photos."""
        self.droot = Path(droot)
        kind = STYLES[style][1]
        self.context = reference_context(kind) if context is None else context
        if photos is None:
            self.photos, set_tag = list_photos(self.droot / "photos" / "val")[: n or None], "val"
        else:
            self.photos, set_tag = photos
        self.imgs = [resize_long(load_rgb(p), size) for p in self.photos]
        tag = f"{set_tag}_{style}_{size}" + (f"_ctx{self.context}" if self.context else "")
        self.tag = tag
        cache = LAB / "cache" / f"{tag}.npz"
        self.gram_path = LAB / "cache" / f"{tag}_grams.pt"
        if cache.exists():
            z = np.load(cache)
            outs = [z[f"o{i}"] for i in range(len(z.files))]
        else:
            outs = []
        if len(outs) < len(self.imgs):
            teacher = load_teacher(droot, STYLES[style][0]).to(device)
            c = self.context

            def run(x):
                x = x.to(device)
                if c:
                    return teacher(F.pad(x, (c, c, c, c), mode="reflect"))[:, :, c:-c, c:-c].cpu()
                return teacher(x).cpu()
            with torch.no_grad():
                for img in self.imgs[len(outs):]:
                    outs.append(pad_run(run, img).astype(np.uint8))
            cache.parent.mkdir(parents=True, exist_ok=True)
            np.savez_compressed(cache, **{f"o{i}": o for i, o in enumerate(outs)})
        self.targets = [o.astype(np.float32) for o in outs[: len(self.imgs)]]
        self.vgg_cache = torch.load(self.gram_path, weights_only=False) if self.gram_path.exists() else {}
        # the photos' own Grams, shared by every style at this size
        self.photo_gram_path = LAB / "cache" / f"{set_tag}_{size}_photo_grams.pt"
        self.photo_grams = (torch.load(self.photo_gram_path, weights_only=False)
                            if self.photo_gram_path.exists() else {})
        self._dirty = False

    def save(self):
        if self._dirty:
            torch.save(self.vgg_cache, self.gram_path)
            torch.save(self.photo_grams, self.photo_gram_path)
            self._dirty = False


def _gram_distance(grams_s, grams_t):
    """perceptual.style_distance, from Gram matrices."""
    ds = [torch.linalg.norm((g - gt).flatten(1), dim=1) / torch.linalg.norm(gt.flatten(1), dim=1)
          for g, gt in zip(grams_s, grams_t)]
    return float(torch.stack(ds).mean())


def _style_distance_grams(fs, grams_t):
    return _gram_distance([gram(f) for f in fs], grams_t)


@torch.no_grad()
def evaluate_fn(fn, tc: TeacherCache, vgg, device="cpu", keep_outputs=False):
    rows = []
    outs = []
    for i, (img, tgt) in enumerate(zip(tc.imgs, tc.targets)):
        out = pad_run(fn, img)
        if i not in tc.vgg_cache:     # teacher-side Grams and the photo's distance, computed once
            gt = [gram(f).cpu() for f in vgg(to_tensor(tgt, device))]
            if i not in tc.photo_grams:
                tc.photo_grams[i] = [gram(f).cpu() for f in vgg(to_tensor(img, device))]
            tc.vgg_cache[i] = (gt, _gram_distance(tc.photo_grams[i], gt))
            tc._dirty = True
        gt, sd0 = tc.vgg_cache[i]
        sd = _style_distance_grams(vgg(to_tensor(out, device)), [g.to(device) for g in gt])
        s4, s, p = image_metrics(out, tgt)
        rows.append((sd, sd0, s4, s, p, edge_band(out, tgt), checkerboard(out) / max(checkerboard(tgt), 1e-6)))
        if keep_outputs:
            outs.append(out)
    tc.save()
    a = np.array(rows)
    res = {"teacher_reference": tc.tag, "photos": len(rows), "style_distance": float(a[:, 0].mean()),
           "style_distance_photo": float(a[:, 1].mean()),
           "style_distance_ratio": float(a[:, 0].mean() / a[:, 1].mean()),
           "style_distance_ratio_per_photo_mean": float((a[:, 0] / a[:, 1]).mean()),
           "ssim_lum_4x": float(a[:, 2].mean()), "ssim": float(a[:, 3].mean()),
           "psnr_db": float(a[:, 4].mean()),
           # artifacts the four measures above hardly see (1 = like the teacher; evaluate.edge_band, checkerboard)
           "edge_band": float(a[:, 5].mean()), "checkerboard_ratio": float(a[:, 6].mean()),
           # per photo (evaluate.worst_photos): style distance ratio, SSIM lum 4x, edge band, checkerboard ratio
           "per_photo": [{"photo": Path(p).stem, "style_distance_ratio": float(r[0] / r[1]), "ssim_lum_4x": float(r[2]),
                          "edge_band": float(r[5]), "checkerboard_ratio": float(r[6])}
                         for p, r in zip(tc.photos, rows)]}
    if keep_outputs:
        return res, outs
    return res


def net_fn(net, device):
    net = net.to(device).eval()
    return lambda x: net(x.to(device)).cpu()


def onnx_fn(path, threads=2):
    from .export import ort_session
    sess = ort_session(path, threads)
    return lambda x: torch.from_numpy(sess.run(["output"], {"input": x.numpy().astype(np.float32)})[0])


SIDE_NAMES = ("top", "right", "bottom", "left")   # the sides a mirrored margin may go on (catalog border_sides)
SIDES = "".join(n[0] for n in SIDE_NAMES)           # "trbl", as --feed-sides and fed_on_context spell them


def canonical_sides(sides):
    """A subset of "trbl" in that order, each side once ("" for none)."""
    if set(sides or "") - set(SIDES):
        raise ValueError(f"sides {sides!r}: a subset of {SIDES!r}")
    return "".join(s for s in SIDES if s in (sides or ""))


def fed_on_context(fn, c, sides=SIDES):
    """fn run on a c-px reflection context of its input on the given sides (a subset of "trbl": top, right,
    bottom, left), cropped back (c = 0 or no side: fn itself): how the engine feeds a style with a catalog
    border_context (and border_sides)."""
    sides = canonical_sides(sides) if c else ""
    if not sides:
        return fn
    t, r, b, l = (c if s in sides else 0 for s in SIDES)

    def run(x):
        h, w = x.shape[-2:]
        return fn(F.pad(x, (l, r, t, b), mode="reflect"))[:, :, t:t + h, l:l + w]
    return run


def load_student(path, device="cpu") -> TransformerNet:
    return checkpoints.load_net(path, device)


def full_report(style, fn, net_cfg, droot, device="cpu", n=None, size=384, raw_too=True, photos=None, context=None):
    from .model import Widths
    vgg = load_vgg(droot).to(device)
    tc = TeacherCache(style, droot, size, n, device, photos=photos, context=context)
    res = evaluate_fn(fn, tc, vgg, device)
    if raw_too and tc.context:   # format A: also against the raw (border-artifact) teacher output
        raw = evaluate_fn(fn, TeacherCache(style, droot, size, n, device, context=0, photos=photos), vgg, device)
        res["vs_raw_teacher"] = {k: raw[k] for k in ("style_distance_ratio", "ssim_lum_4x", "ssim", "psnr_db")}
    w = Widths.from_dict(net_cfg["widths"])
    kind = net_cfg["geometry"]["kind"]
    res["macs_per_megapixel"] = macs_per_pixel(w, kind) * 1e6
    res["mac_ratio"] = macs_per_pixel(w, kind) / macs_per_pixel(FULL, kind)
    res["mac_ratio_vs_154G"] = macs_per_pixel(w, kind) / macs_per_pixel(FULL, "B")
    res["params"] = count_params(w, kind)
    res["widths"] = net_cfg["widths"]
    res["size"] = size
    res["meets_bar"] = bool(res["mac_ratio"] <= BAR["mac_ratio"] and
                            res["style_distance_ratio"] <= BAR["style_distance_ratio"] and
                            res["ssim_lum_4x"] >= BAR["ssim_lum_4x"])
    return res


GOAL = {"style_distance_ratio": 0.20, "ssim_lum_4x": 0.82}   # issue 11, on the held-out test set


def shipped_models(models_dir=None):
    """id -> (onnx path, lab config) of the shipped teacher-derived students (models/catalog.json)."""
    models_dir = Path(models_dir or LAB.parent / "models")
    cat = json.loads((models_dir / "catalog.json").read_text())
    return {m["id"]: (models_dir / m["file"], m["lab"]["config"]) for m in cat["models"]
            if m.get("teacher") and m["id"] in STYLES}


def shipped_border_context(style, models_dir=None):
    """px of mirrored margin the engine paints the shipped style on (the catalog's border_context; 0 = none)."""
    return shipped_feed(style, models_dir)[0]


def shipped_feed(style, models_dir=None):
    """(px, sides) of the mirrored margin the engine paints the shipped style on: the catalog's border_context
    and border_sides (a list of "top", "right", "bottom", "left"; all four when absent) as fed_on_context
    takes them."""
    models_dir = Path(models_dir or LAB.parent / "models")
    cat = json.loads((models_dir / "catalog.json").read_text())
    m = next((m for m in cat["models"] if m["id"] == style), {})
    names = m.get("border_sides", SIDE_NAMES)
    return int(m.get("border_context", 0)), "".join(n[0] for n in SIDE_NAMES if n in names)


def model_fn(model, style, device="cpu", threads=1, models_dir=None):
    """(fn, config) for a student checkpoint, an .onnx (with its catalog entry next to it, or else a variant
    of the shipped style, whose widths it takes), or None (the shipped model of the style)."""
    if model is None:
        path, cfg = shipped_models()[style]
        return onnx_fn(str(path), threads), cfg
    if str(model).endswith(".onnx"):
        p = Path(model)
        cat = json.loads((p.parent / "catalog.json").read_text()) if (p.parent / "catalog.json").exists() else {}
        ent = next((m for m in cat.get("models", []) if m["file"] == p.name and "lab" in m), None)
        if ent is not None:
            return onnx_fn(str(p), threads), ent["lab"]["config"]
        # a variant of a shipped network (e.g. quantize.py's int8 file): the widths (for the MAC figures)
        # are the shipped style's; the outputs are the file's own
        shipped = shipped_models(models_dir)
        if style not in shipped:
            raise SystemExit(f"{p}: no catalog entry next to it and no shipped {style} to take the widths from")
        print(f"{p}: no catalog entry next to it; widths of the shipped {style}", flush=True)
        return onnx_fn(str(p), threads), shipped[style][1]
    net = load_student(model, device)
    return net_fn(net, device), net.config()


def table(results, sizes):
    """Markdown table: per style and size, style distance (photo = 1) and SSIM lum 4x; bold where
    short of GOAL; MAC ratio to the 154-GMAC/MP net."""
    head = "| style | MACs / 154 G |" + "".join(f" {s} px: style distance (photo = 1) | {s} px: SSIM lum 4x |" for s in sizes)
    lines = [head, "|---|---|" + "---|---|" * len(sizes)]
    for style, per in results.items():
        row = f"| {style} | {per[sizes[0]]['mac_ratio_vs_154G']:.3f} |"
        for s in sizes:
            r = per[s]
            d, q = r["style_distance_ratio"], r["ssim_lum_4x"]
            row += (f" {'**%.3f**' % d if d > GOAL['style_distance_ratio'] else '%.3f' % d} |"
                    f" {'**%.3f**' % q if q < GOAL['ssim_lum_4x'] else '%.3f' % q} |")
        lines.append(row)
    return "\n".join(lines)


def artifact_table(results, sizes):
    """Markdown table: per style and size, edge band and checkerboard ratio (1 = like the teacher)."""
    head = "| style |" + "".join(f" {s} px: edge band | {s} px: checkerboard ratio |" for s in sizes)
    lines = [head, "|---|" + "---|---|" * len(sizes)]
    for style, per in results.items():
        f = lambda r, k: f"{r[k]:.2f}" if k in r else "-"     # older figures have no artifact measures
        lines.append(f"| {style} |" + "".join(f" {f(per[s], 'edge_band')} | {f(per[s], 'checkerboard_ratio')} |"
                                             for s in sizes))
    return "\n".join(lines)


def worst_photos(res, k=3):
    """The k photos of one size's figures (res["per_photo"]) furthest from the goal on each measure:
    {"style_distance_ratio": [(photo, value), ...] (highest first), "ssim_lum_4x": (lowest first),
    "edge_band": (highest first)}; photos short of the goal on either goal measure in "misses"."""
    pp = res.get("per_photo") or []
    out = {}
    for key, rev in (("style_distance_ratio", True), ("ssim_lum_4x", False), ("edge_band", True)):
        out[key] = [(r["photo"], r[key]) for r in sorted(pp, key=lambda r: r[key], reverse=rev)[:k]]
    out["misses"] = [r["photo"] for r in pp if r["style_distance_ratio"] > GOAL["style_distance_ratio"]
                     or r["ssim_lum_4x"] < GOAL["ssim_lum_4x"]]
    return out


def worst_table(results, sizes, k=3):
    """Markdown table of worst_photos per style and size (styles without per-photo figures left out)."""
    lines = ["| style | size | worst style distance | worst SSIM lum 4x | worst edge band | photos short of the goal |",
             "|---|---|---|---|---|---|"]
    for style, per in results.items():
        for s in sizes:
            if not per[s].get("per_photo"):
                continue
            w = worst_photos(per[s], k)
            cells = [", ".join(f"{n} {v:.3f}" for n, v in w[key]) for key in ("style_distance_ratio", "ssim_lum_4x")]
            cells.append(", ".join(f"{n} {v:.2f}" for n, v in w["edge_band"]))
            cells.append(f"{len(w['misses'])} of {len(per[s]['per_photo'])}")
            lines.append(f"| {style} | {s} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def report_md(results, sizes, k=3):
    """The --table file: the goal table, the artifact table and, where per-photo figures exist, the worst photos."""
    md = table(results, sizes) + "\n\n" + artifact_table(results, sizes) + "\n"
    if any(per[s].get("per_photo") for per in results.values() for s in sizes):
        md += "\n" + worst_table(results, sizes, k) + "\n"
    return md


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--style", nargs="+", choices=sorted(STYLES), help="default: every shipped teacher-derived style")
    ap.add_argument("--model", help="student .pt checkpoint or .onnx file (one --style; an .onnx without a catalog "
                    "entry next to it, e.g. an int8 variant, takes the shipped style's widths); default: the shipped model")
    ap.add_argument("--data")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--photos", nargs="+", default=["25"],
                    help="photos: N (first N val photos, sorted; 0 = all 100), 'test' (held-out test set: Kodak + "
                         f"val photos {TEST_VAL_FROM}-99; 'test:K' every K-th of them), 'val', or folders; several add up")
    ap.add_argument("--size", nargs="+", type=int, default=[384], help="long side(s) in px")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--context", type=int, default=None,
                    help="format A: reflection context (px) of the teacher reference (default teachers.CONTEXT_A)")
    ap.add_argument("--feed-context", type=int, default=None,
                    help="run the student on this many px of reflection context, cropped back (fed_on_context; "
                         "default: as the engine feeds it, the catalog's border_context for a shipped model, else 0)")
    ap.add_argument("--feed-sides", default=None,
                    help="the sides of --feed-context, a subset of 'trbl' (top right bottom left; default: the catalog's "
                         "border_sides for a shipped model, else all four)")
    ap.add_argument("--no-raw", action="store_true", help="format A: skip the comparison with the raw teacher output")
    ap.add_argument("--json", help="write the figures here")
    ap.add_argument("--table", help="write the markdown table here")
    ap.add_argument("--resume", action="store_true", help="keep the figures already in --json (per style and size, same photos and reference)")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    droot = data_root(a.data)
    @functools.cache
    def feed_of(s):
        """(px, sides) the style is fed on: the options, else as the engine feeds the shipped style."""
        c, sides = (0, SIDES) if a.model else shipped_feed(s)
        c = a.feed_context if a.feed_context is not None else c
        sides = a.feed_sides if a.feed_sides is not None else sides
        return c, canonical_sides(sides) if c else SIDES
    feed = lambda s: feed_of(s)[0]
    feed_sides = lambda s: None if feed_of(s)[1] == SIDES else feed_of(s)[1]   # recorded only when not all four
    styles = a.style or list(shipped_models())
    if a.model and len(styles) != 1:
        raise SystemExit("--model needs exactly one --style")
    photos = photo_set(a.photos, droot)
    print(f"{len(photos[0])} photos ({photos[1]}), sizes {a.size}", flush=True)
    results = {}
    if a.resume and a.json and Path(a.json).exists():     # (style, size) figures already taken on this set
        old = json.loads(Path(a.json).read_text())
        want = lambda s: reference_context(STYLES[s][1]) if a.context is None else a.context
        for s, per in old.items():
            kept = {int(k): v for k, v in per.items() if v.get("photo_set") == photos[1]
                    and v.get("feed_context", 0) == feed(s) and v.get("feed_sides") == feed_sides(s) and v.get("context", 16 if STYLES[s][1] == "A" else 0) == want(s)}
            if kept:
                results[s] = kept
    complete = lambda: {s: results[s] for s in styles if s in results and all(z in results[s] for z in a.size)}
    for style in styles:
        todo = [z for z in a.size if z not in results.get(style, {})]
        if not todo:
            print(f"{style}: already in {a.json}", flush=True)
            continue
        fn, cfg = model_fn(a.model, style, a.device, a.threads)
        fn = fed_on_context(fn, *feed_of(style))
        results.setdefault(style, {})
        for size in todo:
            res = full_report(style, fn, cfg, droot, a.device, None, size, raw_too=not a.no_raw, photos=photos,
                              context=a.context)
            res["photo_set"] = photos[1]
            res["context"] = reference_context(STYLES[style][1]) if a.context is None else a.context
            if feed(style):
                res["feed_context"] = feed(style)
                if feed_sides(style):
                    res["feed_sides"] = feed_sides(style)
            results[style][size] = res
            if len(styles) == 1 and len(a.size) == 1:
                for k, v in res.items():
                    if k != "per_photo":
                        print(f"{k:38s} {v}")
                print("BAR", "MET" if res["meets_bar"] else "NOT MET",
                      f"(mac_ratio <= {BAR['mac_ratio']}, style_distance_ratio <= {BAR['style_distance_ratio']}, "
                      f"ssim_lum_4x >= {BAR['ssim_lum_4x']})")
            print(f"{style} {size}px: style distance {res['style_distance_ratio']:.3f} "
                  f"SSIM lum 4x {res['ssim_lum_4x']:.3f} edge band {res['edge_band']:.2f} "
                  f"checkerboard {res['checkerboard_ratio']:.2f}", flush=True)
            if a.json and (len(styles) > 1 or len(a.size) > 1):   # after each size, so a stopped run keeps it
                Path(a.json).write_text(json.dumps(results, indent=1))
        if a.table:     # written after each style, so that a long run leaves its rows
            Path(a.table).write_text(report_md(complete(), a.size))
    md = table(complete(), a.size)
    print(md)
    if a.table:     # also when every figure came from --json
        Path(a.table).write_text(report_md(complete(), a.size))
    if a.json:
        single = results[styles[0]][a.size[0]] if len(styles) == 1 and len(a.size) == 1 else results
        Path(a.json).write_text(json.dumps(single, indent=1))
    return results if len(styles) > 1 or len(a.size) > 1 else results[styles[0]][a.size[0]]


if __name__ == "__main__":
    main()
