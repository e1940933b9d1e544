"""Does a validation set predict the held-out test? Evaluates MicroAST student checkpoints on the
narrow validation (4 val photos x candy, starry-night), the wide one (microast_styles.val_sets) and,
with --test, the test pairs (photos/kodak first 8 x udnie, fuchun, wheatfield at 512 px), and prints
one row per checkpoint (style distance ratio, SSIM lum 4x), so that the rankings can be compared.

    cd training && OMP_NUM_THREADS=1 python3 scripts/microast_valcheck.py --test \\
        runs/microast-wide/student.pt runs/microast-wide/student-continued.pt runs/microast-wide/ft_state.pt
"""
import argparse
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pastiche_lab import microast as M                               # noqa: E402
from pastiche_lab.data import data_root, list_photos                   # noqa: E402
from pastiche_lab.lossnets import load_vgg                             # noqa: E402
from pastiche_lab.microast_lab import VAL_STYLES, evaluate_pairs, load_student, test_sets  # noqa: E402
from pastiche_lab.microast_styles import val_sets                      # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checkpoints", nargs="+")
    ap.add_argument("--data")
    ap.add_argument("--test", action="store_true")
    ap.add_argument("--sets", default="narrow,wide", help="comma-separated: narrow, wide (test with --test)")
    ap.add_argument("--val-photos", type=int, default=4)
    ap.add_argument("--val-size", type=int, default=384)
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    droot = data_root(a.data)
    teacher, vgg = M.load_teacher(droot), load_vgg(droot)
    sets = {"narrow": (list_photos(droot / "photos" / "val")[:4], [droot / "styles" / s for s in VAL_STYLES], a.val_size),
            "wide": (*val_sets(droot, a.val_photos), a.val_size)}
    sets = {k: v for k, v in sets.items() if k in a.sets.split(",")}
    if a.test:
        sets["test"] = (*test_sets(droot), 512)
    out = {}
    for ck in a.checkpoints:
        st = load_student(ck)
        out[ck] = {}
        for name, (ph, sty, size) in sets.items():
            v = evaluate_pairs(st, teacher, vgg, ph, sty, size)
            per = {}
            for r in v["rows"]:
                per.setdefault(r["style"], []).append(r["style_distance_ratio"])
            out[ck][name] = {"style_distance_ratio": v["style_distance_ratio"], "ssim_lum_4x": v["ssim_lum_4x"],
                             "pairs": v["pairs"], "per_style": {k: sum(x) / len(x) for k, x in per.items()}}
            print(f"{ck} {name}: style {v['style_distance_ratio']:.4f} ssim4 {v['ssim_lum_4x']:.4f} "
                  f"per style {', '.join(f'{k} {sum(x) / len(x):.3f}' for k, x in per.items())}", flush=True)
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    sys.exit(main())
