"""Where the candy teacher paints its rings, against input features: on 30 whole training photos at 768 px,
the teacher rings (motifs measure) and the input luminance statistics at them vs at 400 random places per photo.

    cd training && OMP_NUM_THREADS=1 python3 scripts/ring_places.py
"""
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scipy.ndimage import gaussian_filter  # noqa: E402
from pastiche_lab.data import data_root, load_rgb, resize_long, to_tensor, to_image, train_photos, STYLES  # noqa: E402
from pastiche_lab.teachers import load_teacher  # noqa: E402
from pastiche_lab.motifs import ring_map, ring_peaks, luminance  # noqa: E402
torch.set_num_threads(1)
t = load_teacher(data_root(), STYLES["candy"][0]).eval()
tp = train_photos(data_root(), pool=True)
ps = tp[::max(1, len(tp)//30)][:30]
rows = []; allf = []
for p in ps:
    img = resize_long(load_rgb(p), 768)
    with torch.no_grad(): out = to_image(t(to_tensor(img)))
    pk = ring_peaks(ring_map(luminance(out)))
    L = luminance(img)
    f = {}
    f['mean10'] = gaussian_filter(L, 10)
    f['std10'] = np.sqrt(np.maximum(gaussian_filter(L*L, 10) - f['mean10']**2, 0))
    for s in (4, 6, 8, 12):
        f[f'dog{s}'] = gaussian_filter(L, s) - gaussian_filter(L, 2*s)
    rgb = img.astype(float); f['sat'] = gaussian_filter(rgb.max(2)-rgb.min(2), 6)
    H, W = L.shape
    m = np.zeros((H, W), bool); m[30:-30, 30:-30] = True
    for (y, x, _s) in pk:
        rows.append({k: float(v[y, x]) for k, v in f.items()})
    idx = np.random.default_rng(0).choice(np.flatnonzero(m), 400)
    for i in idx:
        allf.append({k: float(v.flat[i]) for k, v in f.items()})
    print(p.name if hasattr(p,'name') else p, len(pk), flush=True)
print('rings', len(rows), 'per photo', len(rows)/len(ps))
for k in rows[0]:
    a = np.array([r[k] for r in rows]); b = np.array([r[k] for r in allf])
    print(f"{k:7s} rings p10/50/90 {np.percentile(a,10):7.1f} {np.percentile(a,50):7.1f} {np.percentile(a,90):7.1f} | all {np.percentile(b,10):7.1f} {np.percentile(b,50):7.1f} {np.percentile(b,90):7.1f}")
