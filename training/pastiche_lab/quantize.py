"""int8 for the shipped style networks, measured: ONNX Runtime's static QDQ quantisation of the convs,
calibrated on training photos, against the fp32 network on the evaluation photos, by fidelity and by speed.

    cd training && python3 -m pastiche_lab.quantize [--style candy ...] [--out /tmp/int8] [--calibration 16]
        [--photos 25] [--sheet-dir /tmp/int8] [--only /res_]

Per style: quantise `models/<id>.onnx` (weights int8 per channel, activations uint8 per tensor,
Percentile calibration on `--calibration` training photos cropped to 512 x 384; the first conv, on
the raw photo, and the output conv stay fp32 by default: quantised, they alone cost more than the
rest gains, see docs/engine.md); run both networks on the first `--photos` validation photos scaled
to 384 px (the lab's evaluation size) and compare SSIM of the 4x-downscaled luminance (int8 against
fp32: the bar is >= 0.99, i.e. within 0.01 of fp32's own); time both (CPU seconds per run, two
threads, median of three) at 512 x 384 (the preview) and 2 MP. A style qualifies only if the fidelity
holds and int8 takes under 0.9 of fp32's CPU time at both sizes; the command writes the int8 candidate
and a side-by-side sheet (fp32 | int8, to look at for banding) per style to `--out`, and never
touches `models/`: the engine ships no int8 networks (no style has qualified; docs/engine.md).
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from .data import LAB, data_root, list_photos, load_rgb, resize_long, save_rgb
from .evaluate import down4, luminance
from .export import ort_session

FIDELITY_BAR = 0.99
SPEED_BAR = 0.9


def calibration_reader(paths, size=(384, 512)):
    from onnxruntime.quantization import CalibrationDataReader
    from PIL import Image
    h, w = size

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.it = iter(paths)

        def get_next(self):
            p = next(self.it, None)
            if p is None:
                return None
            im = Image.open(p).convert("RGB")
            s = max(w / im.width, h / im.height)
            im = im.resize((max(w, round(im.width * s)), max(h, round(im.height * s))), Image.BICUBIC)
            im = im.crop((0, 0, w, h))
            return {"input": np.asarray(im, np.float32).transpose(2, 0, 1)[None].copy()}
    return Reader()


def quantize(src: Path, dst: Path, photos, keep_fp32=("conv1/", "conv_out/"), only=None):
    """only: quantise just the convs whose names hold one of these (e.g. "/res_": the residual blocks'),
    keeping every other conv fp32; else every conv but keep_fp32's."""
    import onnx
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static
    m = onnx.load(str(src))
    exclude = [n.name for n in m.graph.node if n.op_type == "Conv" and (
        not any(k in n.name for k in only) if only else any(k in n.name for k in keep_fp32))]
    quantize_static(str(src), str(dst), calibration_reader(photos), quant_format=QuantFormat.QDQ,
                    op_types_to_quantize=["Conv"], per_channel=True, activation_type=QuantType.QUInt8,
                    weight_type=QuantType.QInt8, nodes_to_exclude=exclude,
                    calibrate_method=CalibrationMethod.Percentile)
    return exclude


def session(path, threads=2):
    return ort_session(path, threads, spinning=False)


def run(sess, img):
    x = img.transpose(2, 0, 1)[None].astype(np.float32).copy()
    return np.clip(np.rint(sess.run(["output"], {"input": x})[0][0].transpose(1, 2, 0)), 0, 255)


def cpu_seconds(sess, shape, runs=3):
    x = (np.random.default_rng(0).random((1, 3, *shape)) * 255).astype(np.float32)
    sess.run(["output"], {"input": x})
    times = []
    for _ in range(runs):
        t = time.process_time()
        sess.run(["output"], {"input": x})
        times.append(time.process_time() - t)
    return float(np.median(times))


def ssim_lum4(a, b):
    from skimage.metrics import structural_similarity
    return float(structural_similarity(down4(luminance(a)), down4(luminance(b)), data_range=255.0))


def measure(style, models, out, droot, n_cal, n_eval, only=None):
    src = models / f"{style}.onnx"
    dst = out / f"{style}.int8.onnx"
    cal = list_photos(droot / "photos" / "train")[:n_cal]
    kept = quantize(src, dst, cal, only=only)
    fp, q8 = session(src), session(dst)
    imgs = [resize_long(load_rgb(p), 384) for p in list_photos(droot / "photos" / "val")[:n_eval]]
    ssims, first = [], None
    for img in imgs:
        a, b = run(fp, img), run(q8, img)
        ssims.append(ssim_lum4(b, a))
        if first is None:
            first = np.concatenate([a, b], axis=1)
    save_rgb(first, out / f"{style}.fp32-vs-int8.png")
    speed = {}
    for name, shape in (("512x384", (384, 512)), ("2MP", (1224, 1632))):
        f, q = cpu_seconds(fp, shape), cpu_seconds(q8, shape)
        speed[name] = {"fp32_cpu_s": f, "int8_cpu_s": q, "ratio": q / f}
    fidelity = float(np.min(ssims))
    ok = fidelity >= FIDELITY_BAR and all(v["ratio"] < SPEED_BAR for v in speed.values())
    return {"style": style, "fp32_kept": kept, "ssim_lum_4x_int8_vs_fp32_min": fidelity,
            "ssim_lum_4x_int8_vs_fp32_mean": float(np.mean(ssims)), "photos": len(imgs), "speed": speed,
            "qualifies": ok}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--style", nargs="+", help="default: every style in the catalog without a style input")
    ap.add_argument("--models", type=Path, default=LAB.parent / "models")
    ap.add_argument("--out", type=Path, default=Path("/tmp/pastiche-int8"))
    ap.add_argument("--data", type=Path)
    ap.add_argument("--calibration", type=int, default=16, help="training photos to calibrate on")
    ap.add_argument("--photos", type=int, default=25, help="validation photos (384 px) for the fidelity")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--only", nargs="+", help="quantise only the convs whose names hold one of these "
                    "(e.g. /res_ for the residual blocks); the others stay fp32")
    a = ap.parse_args(argv)
    droot = data_root(a.data)
    a.out.mkdir(parents=True, exist_ok=True)
    styles = a.style
    if not styles:
        cat = json.loads((a.models / "catalog.json").read_text())
        styles = [m["id"] for m in cat["models"] if m.get("teacher")]
    results = []
    for style in styles:
        r = measure(style, a.models, a.out, droot, a.calibration, a.photos, only=a.only)
        results.append(r)
        s = r["speed"]
        print(f"{style}: SSIM lum 4x int8 vs fp32 min {r['ssim_lum_4x_int8_vs_fp32_min']:.4f} "
              f"(mean {r['ssim_lum_4x_int8_vs_fp32_mean']:.4f}, {r['photos']} photos); CPU per run "
              f"512x384 {s['512x384']['fp32_cpu_s']:.3f} -> {s['512x384']['int8_cpu_s']:.3f} s, "
              f"2 MP {s['2MP']['fp32_cpu_s']:.2f} -> {s['2MP']['int8_cpu_s']:.2f} s: "
              f"{'QUALIFIES' if r['qualifies'] else 'does not qualify'}", flush=True)
        if a.json:
            a.json.write_text(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    main()
