"""How often the lookup table (poster_net.lut_table) gives `poster_render.palette_labels`' own label on
the renderer's real smoothed images (issue 10), for L = 32, 64, 128, and the ceiling of the shipped snap:
a perfect network (the pre-palette target itself) through the box mean + table + mode filter, against
the renderer's final labels.

    cd training && python3 scripts/poster_lut_check.py 20      # the first 20 val photos at 768 px
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from pastiche_lab import poster_net as PN  # noqa: E402
from pastiche_lab import poster_render as PR  # noqa: E402
from pastiche_lab import poster_train as PT  # noqa: E402
from pastiche_lab.poster_objective import pre_palette_target  # noqa: E402

n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
paths = PT.list_photos(os.path.join(PT.DATA, "photos", "val"))[:n]
tabs = {L: torch.from_numpy(PN.lut_table(L)) for L in (32, 64, 128)}
pal = torch.as_tensor(PR.COLOURS, dtype=torch.float32)
acc = {}
for p in paths:
    r = PR.render_parts(PT.load_side(p, 768, 4))
    ref = PR.palette_labels(r["smooth"])
    y = torch.from_numpy(r["smooth"] * 255).permute(2, 0, 1)[None].float()
    for L, tab in tabs.items():
        acc.setdefault(f"table {L} = palette_labels", []).append(
            (PN.lut_labels(y, tab, L)[0].numpy() == ref).mean())
    pre = torch.from_numpy(pre_palette_target(r["smooth"], r["line"])).permute(2, 0, 1)[None]
    for mode in (0, 5):
        out = PN.lut_snap(pre, tabs[128], pal, 128, 5, PR.INK, mode)[0].permute(1, 2, 0).numpy()
        acc.setdefault(f"perfect net, 5x5 mean + table 128 + mode {mode} = renderer", []).append(
            (out == r["poster"]).all(-1).mean())
    acc.setdefault("palette_labels(smooth) = renderer (its mode filter and lines)", []).append(
        (ref == r["labels"]).mean())
print(json.dumps({k: round(float(np.mean(v)), 4) for k, v in acc.items()}, indent=1))
