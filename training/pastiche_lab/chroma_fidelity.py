"""Local colour fidelity of a student to its teacher (issue 11: La Muse's orange suit painted yellow,
udnie's olive-brown rocket tank painted green): the colour of each region, not its texture.

Both pictures are average-pooled `pool` x `pool` (default 8: the strokes and the texture averaged
away, the local colour kept), converted to CIE Lab (D65), and compared on the chroma plane only:

- ``lab_ab``: mean Euclidean a*b* distance, sqrt(da*^2 + db*^2) (Lab units; a just-noticeable
  difference is about 2, yellow against orange of the same lightness about 20-30);
- ``opp``: mean L1 of the opponent chroma channels (R - G) / sqrt 2, (R + G - 2B) / sqrt 6, / 255
  (what `finetune.low_chroma`, the `--w-lowchroma` loss, trains at its pool size).

Neither sees a grey shift (R = G = B changes); the luminance is the goal's SSIM lum 4x.

    python3 -m pastiche_lab.chroma_fidelity --photos test --size 768 --threads 1 --json reports/chroma_768.json
    # one style, a checkpoint or ONNX (fed as evaluate feeds it: --feed-context, default the catalog's
    # border_context for the shipped model, 0 for a checkpoint):
    python3 -m pastiche_lab.chroma_fidelity --style picasso --model runs/x/student.pt --feed-context 8
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch
from skimage.color import rgb2lab

from .data import STYLES, data_root, photo_set

OPP = np.array([[1.0, -1.0, 0.0], [1.0, 1.0, -2.0]]) / np.array([[2 ** 0.5], [6 ** 0.5]])   # [2, 3]


def pool_image(img, pool):
    """HxWx3 -> (H // pool) x (W // pool) x 3 block means (the last partial rows / columns dropped)."""
    y = np.asarray(img, np.float64)
    h, w = y.shape[0] // pool * pool, y.shape[1] // pool * pool
    return y[:h, :w].reshape(h // pool, pool, w // pool, pool, 3).mean(axis=(1, 3))


def local_chroma(out, ref, pool=8):
    """Chroma distance of out and ref (HxWx3, 0..255, same size) after a pool x pool average pool:
    {"lab_ab": mean a*b* distance (Lab units), "opp": mean opponent-chroma L1 / 255}."""
    a, b = pool_image(out, pool), pool_image(ref, pool)
    la, lb = rgb2lab(np.clip(a / 255.0, 0, 1)), rgb2lab(np.clip(b / 255.0, 0, 1))
    lab_ab = float(np.sqrt(((la[..., 1:] - lb[..., 1:]) ** 2).sum(-1)).mean())
    opp = float(np.abs((a - b) @ OPP.T).mean() / 255.0)
    return {"lab_ab": lab_ab, "opp": opp}


@torch.no_grad()
def chroma_fn(fn, tc, pool=8):
    """fn (as evaluate_fn takes it) on the TeacherCache's photos: the means and the per-photo figures."""
    from .evaluate import pad_run
    rows = []
    for p, img, tgt in zip(tc.photos, tc.imgs, tc.targets):
        r = local_chroma(pad_run(fn, img), tgt, pool)
        rows.append({"photo": Path(p).stem, **r})
    return {"teacher_reference": tc.tag, "photos": len(rows), "pool": pool,
            "lab_ab": float(np.mean([r["lab_ab"] for r in rows])), "opp": float(np.mean([r["opp"] for r in rows])),
            "per_photo": rows}


def table(results, sizes):
    head = "| style | feed context |" + "".join(f" {s} px: a*b* distance (Lab) | {s} px: opponent L1 (/255) |"
                                           for s in sizes)
    lines = [head, "|---|---|" + "---|---|" * len(sizes)]
    for style, per in results.items():
        row = f"| {style} | {per[sizes[0]].get('feed_context', 0)} |"
        for s in sizes:
            row += f" {per[s]['lab_ab']:.2f} | {per[s]['opp']:.4f} |"
        lines.append(row)
    return "\n".join(lines)


def main(argv=None):
    from .evaluate import TeacherCache, fed_on_context, model_fn, shipped_border_context, shipped_models
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--style", nargs="+", choices=sorted(STYLES), help="default: every shipped teacher-derived style")
    ap.add_argument("--model", help="student .pt or .onnx (one --style); default the shipped model")
    ap.add_argument("--data")
    ap.add_argument("--photos", nargs="+", default=["test"])
    ap.add_argument("--size", nargs="+", type=int, default=[768])
    ap.add_argument("--pool", type=int, default=8)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--feed-context", type=int, default=None,
                    help="default: the catalog's border_context for a shipped model, 0 for --model")
    ap.add_argument("--json")
    ap.add_argument("--table")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    droot = data_root(a.data)
    styles = a.style or list(shipped_models())
    if a.model and len(styles) != 1:
        raise SystemExit("--model needs exactly one --style")
    photos = photo_set(a.photos, droot)
    results = {}
    for style in styles:
        feed = a.feed_context if a.feed_context is not None else (0 if a.model else shipped_border_context(style))
        fn, _ = model_fn(a.model, style, "cpu", a.threads)
        fn = fed_on_context(fn, feed)
        results[style] = {}
        for size in a.size:
            tc = TeacherCache(style, droot, size, photos=photos)
            r = chroma_fn(fn, tc, a.pool)
            r.update(photo_set=photos[1], feed_context=feed, model=a.model or "shipped")
            results[style][size] = r
            print(f"{style} {size}px (feed {feed}): a*b* {r['lab_ab']:.2f} opp {r['opp']:.4f}", flush=True)
            if a.json:
                Path(a.json).write_text(json.dumps(results, indent=1))
    md = table(results, a.size)
    print(md)
    if a.table:
        Path(a.table).write_text(md + "\n")
    return results


if __name__ == "__main__":
    main()
