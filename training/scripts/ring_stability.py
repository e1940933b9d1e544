"""Where does the candy teacher put its rings? Its ring peaks (pastiche_lab.motifs, score > 40) on one
photo at 768 px, on the same photo with 2 grey levels of Gaussian noise, shifted by 4 px, and at 720 px.

    cd training && OMP_NUM_THREADS=1 python3 scripts/ring_stability.py
"""
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pastiche_lab.data import REPO, STYLES, data_root, load_rgb, resize_long  # noqa: E402
from pastiche_lab.evaluate import pad_run  # noqa: E402
from pastiche_lab.motifs import luminance, ring_map, ring_peaks  # noqa: E402

torch.set_num_threads(1)
photo = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "assets" / "samples" / "astronaut.jpg"
t = __import__("pastiche_lab.teachers", fromlist=["load_teacher"]).load_teacher(data_root(), STYLES["candy"][0]).eval()
img = resize_long(load_rgb(photo), 768)
rng = np.random.default_rng(0)
with torch.no_grad():
    for name, im in [("768 px", img), ("+ noise sd 2", np.clip(img + rng.normal(0, 2, img.shape), 0, 255).astype(np.float32)),
                     ("shifted 4 px right", np.roll(img, 4, axis=1)), ("720 px", resize_long(load_rgb(photo), 720))]:
        pk = ring_peaks(ring_map(luminance(pad_run(t, im))), 40)
        print(f"{name}: (y, x, score)", sorted((y, x, int(v)) for y, x, v in pk))
