"""Does a teacher pruned by |gamma| (no fine-tune) still paint candy's rings? For each keep fraction
(the same in every group), slim the teacher, and count rings (pastiche_lab.motifs) in its output and
the teacher's at 768 px on test:6 + astronaut + coffee; print MACs, rings, hits, strength.

    cd training && OMP_NUM_THREADS=2 python3 scripts/prune_rings.py --fractions 0.5 0.6 0.7 --save runs/prune_rings
    cd training && OMP_NUM_THREADS=2 python3 scripts/prune_rings.py --fractions 0.5 --groups c1 c2 trunk res0 res2 res4 u1 u2
"""
import argparse
import json
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pastiche_lab import checkpoints  # noqa: E402
from pastiche_lab.data import REPO, STYLES, data_root, load_rgb, photo_set, resize_long  # noqa: E402
from pastiche_lab.evaluate import pad_run  # noqa: E402
from pastiche_lab.model import GROUPS, mac_ratio, masks_from_code, parse_widths, slim  # noqa: E402
from pastiche_lab.motifs import ring_figures  # noqa: E402
from pastiche_lab.prune import channel_importance, importance_code  # noqa: E402
from pastiche_lab.teachers import load_teacher, reference_context  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--fractions", type=float, nargs="+", default=[0.5, 0.6, 0.7])
ap.add_argument("--photos", nargs="+", default=["test:6"])
ap.add_argument("--size", type=int, default=768)
ap.add_argument("--save", help="folder: pruned_<f>.pt students")
ap.add_argument("--groups", nargs="+", default=None,
                help="prune only these groups (one at a time, the others kept whole), e.g. c1 c2 trunk res0 u1")
ap.add_argument("--configs", nargs="+", default=[],
                help="instead: these widths, e.g. 16/32/128/res[16,16,16,16,16]/32/16 (the |gamma|-ranked channels of each group)")
a = ap.parse_args()
torch.set_num_threads(int(__import__("os").environ.get("OMP_NUM_THREADS", "1")))
droot = data_root()
teacher = load_teacher(droot, STYLES["candy"][0]).eval()
c = reference_context(STYLES["candy"][1])


def ctx(net):
    return lambda x: net(F.pad(x, (c,) * 4, mode="reflect"))[:, :, c:-c, c:-c] if c else net(x)


files = photo_set(a.photos, droot)[0] + [REPO / "assets" / "samples" / f for f in ("astronaut.jpg", "coffee.jpg")]
imgs = [resize_long(load_rgb(p), a.size) for p in files]
imp = channel_importance(teacher)
out = {}
with torch.no_grad():
    touts = [pad_run(ctx(teacher), im) for im in imgs]
    runs = [(f, g, None) for f in a.fractions for g in (a.groups or [None])] if not a.configs else \
        [(None, cfg, parse_widths(cfg)) for cfg in a.configs]
    for f, only, w in runs:
        fr = {g: w.group(g) / teacher.widths.group(g) for g in GROUPS} if w else \
            {g: f if only in (None, g) else 1.0 for g in GROUPS}
        code = importance_code(imp, teacher.widths, fr)
        net = slim(teacher, masks_from_code(code, teacher.widths)).eval()
        if a.save:
            name = f"pruned_{f}{'_' + only if only else ''}" if not w else "pruned_" + only.replace("/", "-").replace("[", "").replace("]", "").replace(",", "_")
            checkpoints.save(Path(a.save) / f"{name}.pt", net)
        rows = [ring_figures(t, pad_run(ctx(net), im)) for t, im in zip(touts, imgs)]
        tot = {k: sum(r[k] for r in rows) for k in ("teacher_rings", "model_rings", "hits")}
        st = [r["strength"] * r["teacher_rings"] for r in rows if r["strength"] is not None]
        tot["strength"] = round(sum(st) / max(1, tot["teacher_rings"]), 3)
        tot["mac_ratio"] = round(mac_ratio(net.widths, net.geo.kind), 3)
        tot["widths"] = net.widths.to_dict()
        out[f"{f} {only or 'all'}"] = tot
        print(f or "", only or "all", json.dumps(tot), flush=True)
