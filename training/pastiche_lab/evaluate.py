"""The shipping bar, measured.

    python -m pastiche_lab.evaluate --style candy --model models/candy.onnx   (or a run's student.pt)

On validation photos scaled to 384 px (long side): style distance of the student's output to the
teacher's, relative to that of the unstylized photo (mean over VGG-19 relu1_1, relu2_1, relu3_1 of
||G(a)-G(t)||_F/||G(t)||_F, G = Gram/(C*H*W)); SSIM of the 4x-downscaled luminance; full-size SSIM
and PSNR; MACs per megapixel relative to the unpruned net.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from skimage.metrics import structural_similarity

from .data import STYLES, data_root, list_photos, load_rgb, resize_long, to_tensor, to_image, LAB
from .losses import style_distance
from .lossnets import load_vgg, gram
from .model import TransformerNet, FULL, macs_per_pixel, count_params
from .teachers import load_teacher

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
    back (default 16 px), i.e. without their zero-padding border artifacts; context=0 gives the raw
    teacher output."""

    def __init__(self, style, droot, size=384, n=None, device="cpu", context=None):
        self.droot = Path(droot)
        kind = STYLES[style][1]
        self.context = (16 if kind == "A" else 0) if context is None else context
        self.photos = list_photos(self.droot / "photos" / "val")[: n or None]
        self.imgs = [resize_long(load_rgb(p), size) for p in self.photos]
        tag = f"val_{style}_{size}" + (f"_ctx{self.context}" if self.context else "")
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
        self._dirty = False

    def save(self):
        if self._dirty:
            torch.save(self.vgg_cache, self.gram_path)
            self._dirty = False


def _style_distance_grams(fs, grams_t):
    ds = []
    for f, gt in zip(fs, grams_t):
        g = gram(f)
        ds.append(torch.linalg.norm((g - gt).flatten(1), dim=1) / torch.linalg.norm(gt.flatten(1), dim=1))
    return float(torch.stack(ds).mean())


@torch.no_grad()
def evaluate_fn(fn, tc: TeacherCache, vgg, device="cpu", keep_outputs=False):
    rows = []
    outs = []
    for i, (img, tgt) in enumerate(zip(tc.imgs, tc.targets)):
        out = pad_run(fn, img)
        if i not in tc.vgg_cache:     # teacher-side Grams and the photo's distance, computed once
            ft = vgg(to_tensor(tgt, device))
            tc.vgg_cache[i] = ([gram(f).cpu() for f in ft], float(style_distance(vgg(to_tensor(img, device)), ft)))
            tc._dirty = True
        gt, sd0 = tc.vgg_cache[i]
        sd = _style_distance_grams(vgg(to_tensor(out, device)), [g.to(device) for g in gt])
        s4, s, p = image_metrics(out, tgt)
        rows.append((sd, sd0, s4, s, p))
        if keep_outputs:
            outs.append(out)
    tc.save()
    a = np.array(rows)
    res = {"teacher_reference": tc.tag, "photos": len(rows), "style_distance": float(a[:, 0].mean()),
           "style_distance_photo": float(a[:, 1].mean()),
           "style_distance_ratio": float(a[:, 0].mean() / a[:, 1].mean()),
           "style_distance_ratio_per_photo_mean": float((a[:, 0] / a[:, 1]).mean()),
           "ssim_lum_4x": float(a[:, 2].mean()), "ssim": float(a[:, 3].mean()),
           "psnr_db": float(a[:, 4].mean())}
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


def load_student(path, device="cpu") -> TransformerNet:
    ck = torch.load(path, map_location=device, weights_only=False)
    net = TransformerNet.from_config(ck["config"])
    net.load_state_dict(ck["state_dict"])
    return net.to(device).eval()


def full_report(style, fn, net_cfg, droot, device="cpu", n=None, size=384, raw_too=True):
    from .model import Widths
    vgg = load_vgg(droot).to(device)
    tc = TeacherCache(style, droot, size, n, device)
    res = evaluate_fn(fn, tc, vgg, device)
    if raw_too and tc.context:   # format A: also against the raw (border-artifact) teacher output
        raw = evaluate_fn(fn, TeacherCache(style, droot, size, n, device, context=0), vgg, device)
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


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--style", required=True, choices=sorted(STYLES))
    ap.add_argument("--model", required=True, help="student .pt checkpoint or .onnx file")
    ap.add_argument("--data")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--photos", type=int, default=25, help="number of val photos (first N, sorted; 0 = all 100)")
    ap.add_argument("--size", type=int, default=384)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", help="write the figures here")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    droot = data_root(a.data)
    if a.model.endswith(".onnx"):
        cat = json.loads((Path(a.model).parent / "catalog.json").read_text()) if (Path(a.model).parent / "catalog.json").exists() else None
        ent = next((m for m in (cat or {}).get("models", []) if m["file"] == Path(a.model).name), None)
        cfg = ent["lab"]["config"] if ent else None
        fn = onnx_fn(a.model, a.threads)
        if cfg is None:
            raise SystemExit("need the catalog entry next to the .onnx for the widths")
    else:
        net = load_student(a.model, a.device)
        cfg = net.config()
        fn = net_fn(net, a.device)
    res = full_report(a.style, fn, cfg, droot, a.device, a.photos or None, a.size)
    for k, v in res.items():
        print(f"{k:38s} {v}")
    print("BAR", "MET" if res["meets_bar"] else "NOT MET",
          f"(mac_ratio <= {BAR['mac_ratio']}, style_distance_ratio <= {BAR['style_distance_ratio']}, ssim_lum_4x >= {BAR['ssim_lum_4x']})")
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=1))
    return res


if __name__ == "__main__":
    main()
