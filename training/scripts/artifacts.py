"""Issue 11's artifacts, measured on one photo (figures in training/README.md, "Artifacts").

    cd training
    python3 scripts/artifacts.py context --style picasso          # the teacher reference's border frame vs context
    python3 scripts/artifacts.py models --style picasso --models shipped runs/picasso-edge/student.pt
    python3 scripts/artifacts.py border --style picasso --models shipped --size 768 --feed-context 8 16
    python3 scripts/artifacts.py night --style candy udnie picasso sunflowers   # a synthetic night photo

`context`: mean |teacher(context c) - teacher(context 96)| over the last 8 columns / rows and the first
8 columns, and in the interior, for c = 0 (raw), 16, 32, 48, 64 (grey levels).
`models`: edge band and checkerboard ratio (evaluate.edge_band, evaluate.checkerboard) of each model
against the teacher reference (teachers.CONTEXT_A) at --size; also the PyTorch vs ONNX difference where
a model is an .onnx (onnx_import). `border`: the models' last columns and rows against the reference, column by column (mean signed
difference per channel and mean |difference|, grey levels), each model fed as the engine feeds it
and also on a --feed-context px reflection context of its own (cropped back). `night`: a Kodak photo darkened to a night scene with bright
coloured bursts; mean luminance of photo, teacher and shipped student, and |student - teacher|.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pastiche_lab import evaluate as E  # noqa: E402
from pastiche_lab.data import STYLES, data_root, load_rgb, resize_long, save_rgb, test_photos  # noqa: E402
from pastiche_lab.teachers import load_teacher, reference_context  # noqa: E402


def teacher_fn(teacher, c):
    return lambda x: teacher(F.pad(x, (c,) * 4, mode="reflect"))[:, :, c:-c, c:-c] if c else teacher(x)


def photo(droot, name, size):
    """A test-set photo by name (kodim01, img_091) or an image file."""
    if Path(name).is_file():
        return resize_long(load_rgb(name), size)
    return resize_long(load_rgb(next(p for p in test_photos(droot) if p.stem == name)), size)


def night(img, seed=0):
    """A dark city (gamma 2.2, x 0.25) with six bright coloured bursts in the upper half."""
    rng = np.random.default_rng(seed)
    y = 255 * (img / 255) ** 2.2 * 0.25
    h, w = y.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    for _ in range(6):
        cy, cx, r = rng.integers(0, h // 2), rng.integers(0, w), rng.integers(8, 25)
        col = np.array([[255, 80, 60], [255, 230, 90], [120, 200, 255], [255, 255, 255]][rng.integers(0, 4)])
        m = np.clip(1 - np.sqrt((yy - cy) ** 2 + (xx - cx) ** 2) / r, 0, 1) ** 2 * (rng.random((h, w)) > 0.6)
        y = y * (1 - m[..., None]) + col * m[..., None]
    return np.clip(y, 0, 255).astype(np.float32)


def border_profile(out, ref, n=6):
    """Per column (last n, from the edge inwards) and per row (last n, first n columns): the mean signed
    out - ref per channel and the mean |out - ref| over channels; the interior (beyond 32 px) last."""
    d = np.asarray(out, np.float64) - np.asarray(ref, np.float64)
    row = lambda x: [*x.reshape(-1, 3).mean(0), np.abs(x).mean()]
    inner = [("interior", row(d[32:-32, 32:-32]))]
    return {"right columns": [(f"col -{i}", row(d[:, -i])) for i in range(1, n + 1)] + inner,
            "bottom rows": [(f"row -{i}", row(d[-i])) for i in range(1, n + 1)] + inner,
            "left columns": [(f"col {i}", row(d[:, i])) for i in range(n)] + inner,
            "top rows": [(f"row {i}", row(d[i])) for i in range(n)] + inner}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=["context", "models", "border", "night"])
    ap.add_argument("--style", nargs="+", required=True, choices=sorted(STYLES))
    ap.add_argument("--models", nargs="+", default=["shipped"], help="'shipped', .pt or .onnx (models)")
    ap.add_argument("--photo", default=None, help="test-set photo name or an image file (default kodim01; night: kodim08)")
    ap.add_argument("--size", type=int, default=None, help="long side (default 384; models: 768)")
    ap.add_argument("--feed-context", type=int, nargs="*", default=[], help="border: also fed on these contexts")
    ap.add_argument("--out", help="night: write the sheet (photo | teacher over student per style) here")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    droot = data_root()
    with torch.no_grad():
        if a.cmd == "context":
            img = photo(droot, a.photo or "kodim01", a.size or 384)
            for s in a.style:
                t = load_teacher(droot, STYLES[s][0]).eval()
                ref = E.pad_run(teacher_fn(t, 96), img)
                for c in (0, 16, 32, 48, 64):
                    d = np.abs(E.pad_run(teacher_fn(t, c), img) - ref).mean(axis=2)
                    print(f"{s} context {c:2d}: right {d[:, -8:].mean():5.1f} bottom {d[-8:].mean():5.1f} "
                          f"left {d[:, :8].mean():5.1f} interior {d[64:-64, 64:-64].mean():5.1f} "
                          f"edge_band {E.edge_band(E.pad_run(teacher_fn(t, c), img), ref):5.2f}")
        elif a.cmd == "models":
            s = a.style[0]
            img = photo(droot, a.photo or "kodim01", a.size or 768)
            t = load_teacher(droot, STYLES[s][0]).eval()
            ref = E.pad_run(teacher_fn(t, reference_context(STYLES[s][1])), img)
            print(f"{s}: teacher reference checkerboard energy {E.checkerboard(ref):.2f}")
            for m in a.models:
                fn, cfg = E.model_fn(None if m == "shipped" else m, s)
                out = E.pad_run(fn, img)
                extra = ""
                path = str(E.shipped_models()[s][0]) if m == "shipped" else m
                if path.endswith(".onnx"):
                    from pastiche_lab.onnx_import import check, net_from_onnx
                    extra = f" PyTorch (onnx_import) vs ONNX max |diff| {check(net_from_onnx(path, cfg), path):.4f}"
                print(f"{s} {m}: edge band {E.edge_band(out, ref):.2f} checkerboard ratio "
                      f"{E.checkerboard(out) / E.checkerboard(ref):.2f}{extra}")
        elif a.cmd == "border":
            s = a.style[0]
            img = photo(droot, a.photo or "kodim01", a.size or 768)
            t = load_teacher(droot, STYLES[s][0]).eval()
            ref = E.pad_run(teacher_fn(t, reference_context(STYLES[s][1])), img)
            for m in a.models:
                fn, _ = E.model_fn(None if m == "shipped" else m, s)
                for c in [0] + list(a.feed_context):
                    out = E.pad_run(teacher_fn(fn, c), img)
                    print(f"{s} {m} fed on context {c}: edge band {E.edge_band(out, ref):.2f}")
                    for name, d in border_profile(out, ref).items():
                        print(f"  {name}")
                        for lab, row in d:
                            print(f"    {lab:>9s} R {row[0]:+6.1f} G {row[1]:+6.1f} B {row[2]:+6.1f} |d| {row[3]:5.1f}")
        else:
            img = night(photo(droot, a.photo or "kodim08", a.size or 384))
            cols = [np.concatenate([img, img * 0], 0)]
            for s in a.style:
                t = load_teacher(droot, STYLES[s][0]).eval()
                to = E.pad_run(teacher_fn(t, reference_context(STYLES[s][1])), img)
                so = E.pad_run(E.model_fn(None, s)[0], img)
                print(f"{s:14s} luminance: photo {E.luminance(img).mean():5.1f} teacher {E.luminance(to).mean():5.1f} "
                      f"student {E.luminance(so).mean():5.1f}; |student - teacher| {np.abs(so - to).mean():5.1f}")
                cols.append(np.concatenate([to, so], 0))
            if a.out:
                save_rgb(np.concatenate(cols, 1), a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
