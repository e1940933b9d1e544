#!/usr/bin/env python3
"""Two folders of style networks side by side, style by style: how far apart their pictures are and how
much CPU each takes per run (ONNX Runtime alone, the engine's session settings).

    python3 training/scripts/graph_compare.py OLD_MODELS [NEW_MODELS (default: models/)] [--style candy ...]
        [--runs 9] [--no-psnr] [--threads 2] [--size 512x384]

For each style in both folders' `<id>.onnx`: PSNR of the clamped, rounded `output` of the two on kodim23
at 1632 x 1224 (2 MP; the share of pixels that differ); then CPU seconds per run (time.process_time
around session.run: 2 intra-op threads, 1 inter-op, spinning off) at 512 x 384, the two alternating,
median of --runs after one warm-up each. The figures of docs/engine.md ("Second round", "Third round")
come from it. With --threads 1 ONNX Runtime runs on the calling thread and the CPU time is that
thread's (time.thread_time: the other processes of a loaded machine do not count in it).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pastiche_lab.export import ort_session  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
STYLES = "candy mosaic udnie rain-princess picasso starry-night sunflowers wheatfield gongnongbing fuchun".split()


def session(path, threads=2):
    return ort_session(path, threads, spinning=False)


def photo(w, h, data):
    from PIL import Image
    im = Image.open(data / "photos" / "kodak" / "kodim23.png").convert("RGB")
    s = max(w / im.width, h / im.height)
    im = im.resize((round(im.width * s), round(im.height * s)), Image.LANCZOS)
    left, top = (im.width - w) // 2, (im.height - h) // 2
    im = im.crop((left, top, left + w, top + h))
    return np.asarray(im, np.float32).transpose(2, 0, 1)[None].copy()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path, nargs="?", default=REPO / "models")
    ap.add_argument("--style", nargs="+", default=STYLES)
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--no-psnr", action="store_true")
    ap.add_argument("--threads", type=int, default=2, help="ONNX Runtime intra-op threads (the engine's: 2)")
    ap.add_argument("--size", default="512x384", help="WxH of the timed runs")
    ap.add_argument("--data", type=Path, default=(REPO / ".." / "shared" / "data").resolve())
    a = ap.parse_args(argv)
    tw, th = (int(v) for v in a.size.lower().split("x"))
    big, small = (None if a.no_psnr else photo(1632, 1224, a.data)), photo(tw, th, a.data)
    clock = time.thread_time if a.threads == 1 else time.process_time
    print(f"load average {os.getloadavg()[0]:.1f}; {a.old} -> {a.new}; {a.threads} thread(s)")
    print(f"| style | PSNR new vs old, 2 MP | pixels changed | old CPU ms/run {tw}x{th} | new | new / old |")
    print("|---|---|---|---|---|---|")
    for style in a.style:
        po, pn = a.old / f"{style}.onnx", a.new / f"{style}.onnx"
        if not (po.is_file() and pn.is_file()):
            print(f"| {style} | (missing) | | | | |")
            continue
        so, sn = session(po, a.threads), session(pn, a.threads)
        psnr = changed = ""
        if big is not None:
            yo, yn = (np.clip(np.rint(s.run(["output"], {"input": big})[0]), 0, 255) for s in (so, sn))
            d = yn - yo
            mse = float(np.mean(d ** 2))
            psnr = "identical" if mse == 0 else f"{10 * np.log10(255.0 ** 2 / mse):.1f} dB"
            changed = f"{100 * np.mean(np.any(d != 0, axis=1)):.2f} %"
        so.run(["output"], {"input": small})
        sn.run(["output"], {"input": small})
        to, tn = [], []
        for _ in range(a.runs):
            for s, t in ((so, to), (sn, tn)):
                c = clock()
                s.run(["output"], {"input": small})
                t.append(clock() - c)
        mo, mn = 1e3 * float(np.median(to)), 1e3 * float(np.median(tn))
        print(f"| {style} | {psnr} | {changed} | {mo:.0f} | {mn:.0f} | {mn / mo:.2f} |", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
