"""Green-dominant pixel share per panel of a fidelity sheet (pastiche_lab.sheets layout:
one row per photo at long side --size, panels photo | teacher | model 1 | model 2 ..., no gaps).

    cd training && python3 scripts/green_share.py reports/udnie/sheet_768_fidelity.jpg \
        --labels photo teacher old new

A pixel counts as green-dominant when G > R + 10 and G > B + 10 (0..255).
"""
import argparse
import sys
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pastiche_lab.data import load_rgb, resize_long  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def green_share(panel, margin=10):
    p = panel.astype(np.int32)
    r, g, b = p[..., 0], p[..., 1], p[..., 2]
    return float(((g > r + margin) & (g > b + margin)).mean())


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("sheet")
    ap.add_argument("--photos", nargs="+", default=[str(REPO / "assets" / "samples" / n) for n in ("astronaut.jpg", "coffee.jpg")])
    ap.add_argument("--size", type=int, default=768)
    ap.add_argument("--labels", nargs="+", default=["photo", "teacher", "old", "new"])
    ap.add_argument("--margin", type=int, default=10)
    a = ap.parse_args(argv)
    sheet = np.asarray(Image.open(a.sheet).convert("RGB"))
    y = 0
    print("| image | " + " | ".join(a.labels) + " |")
    print("|---" * (len(a.labels) + 1) + "|")
    for p in a.photos:
        h, w = resize_long(load_rgb(p), a.size).shape[:2]
        row = sheet[y:y + h]
        y += h
        shares = [green_share(row[:, i * w:(i + 1) * w], a.margin) for i in range(len(a.labels))]
        print(f"| {Path(p).stem} | " + " | ".join(f"{100 * s:.1f}%" for s in shares) + " |")
    assert y == sheet.shape[0], f"rows cover {y} of {sheet.shape[0]} px: wrong --photos/--size"


if __name__ == "__main__":
    main()
