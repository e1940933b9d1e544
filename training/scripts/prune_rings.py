"""Which of the candy teacher's channels paint its rings? Slim the teacher to its |gamma|-ranked channels
(no fine-tune) and count rings (pastiche_lab.motifs) in its output and the teacher's at 768 px on
test:6 + astronaut + coffee; print MACs, rings, hits, strength. Each row keeps a fraction of every group
(--fractions), of one group at a time (--groups), or given widths (--configs). --search-json writes the
code of the one --configs entry as a run's search.json (the pipeline then slims the teacher to it and
fine-tunes with feature matching) and counts nothing.

    cd training && OMP_NUM_THREADS=1 python3 scripts/prune_rings.py --fractions 0.5 0.6 0.7
    cd training && OMP_NUM_THREADS=1 python3 scripts/prune_rings.py --fractions 0.5 --groups c1 c2 trunk res0 res1 res2 res3 res4 u1 u2
    cd training && python3 scripts/prune_rings.py --configs '16/32/128/res[16,8,8,8,48]/32/16' --search-json runs/candy-trunk/search.json
"""
import argparse
import json
import os
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pastiche_lab.data import REPO, STYLES, data_root, load_rgb, photo_set, resize_long  # noqa: E402
from pastiche_lab.evaluate import pad_run  # noqa: E402
from pastiche_lab.model import GROUPS, mac_ratio, masks_from_code, parse_widths, slim  # noqa: E402
from pastiche_lab.motifs import ring_figures, ring_totals  # noqa: E402
from pastiche_lab.prune import channel_importance, code_widths, importance_code  # noqa: E402
from pastiche_lab.teachers import load_teacher, reference_context  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--fractions", type=float, nargs="+", default=[0.5, 0.6, 0.7])
ap.add_argument("--groups", nargs="+", default=None,
                help="prune only these groups (one at a time, the others kept whole), e.g. c1 c2 trunk res0 u1")
ap.add_argument("--configs", nargs="+", default=[],
                help="instead: these widths, e.g. 16/32/128/res[16,16,16,16,16]/32/16 (the |gamma|-ranked channels of each group)")
ap.add_argument("--search-json", help="with one --configs entry: write its code here as a run's search.json")
ap.add_argument("--photos", nargs="+", default=["test:6"])
ap.add_argument("--size", type=int, default=768)
a = ap.parse_args()
torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
droot = data_root()
teacher = load_teacher(droot, STYLES["candy"][0]).eval()
imp = channel_importance(teacher)
rows_spec = [(cfg, {g: parse_widths(cfg).group(g) / teacher.widths.group(g) for g in GROUPS}) for cfg in a.configs] or \
    [(f"{f} {only or 'all'}", {g: f if only in (None, g) else 1.0 for g in GROUPS})
     for f in a.fractions for only in (a.groups or [None])]

if a.search_json:
    if len(rows_spec) != 1 or not a.configs:
        raise SystemExit("--search-json needs exactly one --configs entry")
    code = importance_code(imp, teacher.widths, rows_spec[0][1])
    Path(a.search_json).parent.mkdir(parents=True, exist_ok=True)
    Path(a.search_json).write_text(json.dumps({"code": code, "widths": code_widths(code, teacher.widths).as_list()}))
    print("wrote", a.search_json, code_widths(code, teacher.widths).as_list())
    sys.exit(0)

c = reference_context(STYLES["candy"][1])


def ctx(net):
    return lambda x: net(F.pad(x, (c,) * 4, mode="reflect"))[:, :, c:-c, c:-c] if c else net(x)


files = photo_set(a.photos, droot)[0] + [REPO / "assets" / "samples" / f for f in ("astronaut.jpg", "coffee.jpg")]
imgs = [resize_long(load_rgb(p), a.size) for p in files]
with torch.no_grad():
    touts = [pad_run(ctx(teacher), im) for im in imgs]
    for name, fractions in rows_spec:
        code = importance_code(imp, teacher.widths, fractions)
        net = slim(teacher, masks_from_code(code, teacher.widths)).eval()
        tot = ring_totals([ring_figures(t, pad_run(ctx(net), im)) for t, im in zip(touts, imgs)])
        tot["mac_ratio"] = round(mac_ratio(net.widths, net.geo.kind), 3)
        print(name, json.dumps(tot), flush=True)
