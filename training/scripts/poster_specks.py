"""Specks of a poster output (issue 10): the share of pixels in single-colour connected regions (4-connected,
scipy's default) smaller than 16 px, mean over the first N val photos at 768 px,
for the renderer and each NAME=model.onnx.

    cd training && python3 scripts/poster_specks.py 6 shipped=../models/gongnongbing.onnx
"""
import json
import os
import sys

import numpy as np
from scipy import ndimage

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from pastiche_lab import poster_render as PR  # noqa: E402
from pastiche_lab import poster_train as PT  # noqa: E402

n = int(sys.argv[1]); systems = dict(s.split('=', 1) for s in sys.argv[2:])
fns = {k: PT.onnx_fn(v) for k, v in systems.items()}
fns['renderer'] = PR.render
paths = PT.list_photos(os.path.join(PT.DATA, 'photos', 'val'))[:n]
res = {k: [] for k in fns}
for p in paths:
    x = PT.load_side(p, 768, 4)
    for k, f in fns.items():
        y = f(x).astype(np.int64)
        code = y[..., 0] * 65536 + y[..., 1] * 256 + y[..., 2]
        small = 0
        for c in np.unique(code):
            lab, m = ndimage.label(code == c)
            if m:
                sz = np.bincount(lab.ravel())[1:]
                small += sz[sz < 16].sum()
        res[k].append(small / code.size)
print(json.dumps({k: round(float(np.mean(v)), 4) for k, v in res.items()}))
