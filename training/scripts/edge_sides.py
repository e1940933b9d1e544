"""Edge band per side (evaluate.edge_band, split by side) of a shipped style fed on a mirrored margin on
chosen sides: which edges a margin has to cover.

    cd training && OMP_NUM_THREADS=1 python3 scripts/edge_sides.py --style picasso --context 8 --sides trbl rb
"""
import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pastiche_lab import evaluate as E  # noqa: E402
from pastiche_lab.data import REPO, data_root, photo_set  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--style", default="picasso")
    ap.add_argument("--photos", nargs="+", default=["test"])
    ap.add_argument("--size", type=int, default=384)
    ap.add_argument("--context", type=int, default=8)
    ap.add_argument("--sides", nargs="+", default=["trbl", "rb"], help="subsets of 'trbl' to compare")
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args(argv)
    droot = data_root(None)
    tc = E.TeacherCache(a.style, droot, size=a.size, photos=photo_set(a.photos, droot))
    fn = E.onnx_fn(REPO / "models" / f"{a.style}.onnx", threads=a.threads)
    print(f"{a.style}, {len(tc.imgs)} photos at {a.size} px, {a.context}-px margin")
    for sides in a.sides:
        f = E.fed_on_context(fn, a.context, sides)
        b = np.array([E.side_bands(E.pad_run(f, img), tgt) for img, tgt in zip(tc.imgs, tc.targets)])
        per = ", ".join(f"{n} {v:.2f}" for n, v in zip(E.SIDE_NAMES, b.mean(0)))
        print(f"margin on {sides}: mean band per side: {per}; worst side (evaluate's edge band) {b.max(1).mean():.2f}")


if __name__ == "__main__":
    main()
