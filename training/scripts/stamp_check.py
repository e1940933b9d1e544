"""The anchored stamp's figures in the thirteenth pass (training/README.md):

1. the anchor scores on 12 training crops that hold anchors (256 px, the probe's sampler, seed 99) and how
   far the stamped target is from the teacher's own output on the disks (anchors.anchor_l1), with the
   twelfth pass's ramp (opaque at 1.6 x the threshold) and with the opaque stamp;
2. the shift-tolerant L1 (anchors.anchor_shift_l1, shift 4) of the stamp to the teacher's real rings
   (motifs' measure) on the published astronaut and coffee at 768 px: what a painted ring reads;
3. with --figure F and --model M: per anchor of the astronaut at 768 px, photo | M's output | the stamp
   (80-px crops, 3x), e.g. reports/candy/anchor_probe_f.jpg from runs/anchor/probe_f.pt.

    cd training && OMP_NUM_THREADS=1 python3 scripts/stamp_check.py --stamp runs/anchor/stamp.pt \
        [--model runs/anchor/probe_f.pt --figure reports/candy/anchor_probe_f.jpg]
"""
import argparse
import sys
from pathlib import Path

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pastiche_lab import anchors  # noqa: E402
from pastiche_lab.anchors import RingStamp, anchor_l1, anchor_places, anchor_shift_l1, stamp_target  # noqa: E402
from pastiche_lab.data import (REPO, STYLES, CropSampler, data_root, load_rgb, resize_long, to_image,  # noqa: E402
                               to_tensor, train_photos)
from pastiche_lab.evaluate import load_student  # noqa: E402
from pastiche_lab.motifs import luminance, ring_map, ring_peaks  # noqa: E402
from pastiche_lab.teachers import load_teacher  # noqa: E402

SAMPLES = REPO / "assets" / "samples"


def crops_with_anchors(n=12, seed=99):
    s = CropSampler(train_photos(data_root(), pool=True), 256, scales=(0.9, 1.6), seed=seed, photometric=0.5,
                    max_side=768)
    while n:
        x = s.batch(1)
        pl = anchor_places(x)
        if pl[0]:
            n -= 1
            yield x, pl


def figure(model, stamp, out):
    img = resize_long(load_rgb(SAMPLES / "astronaut.jpg"), 768)
    x = to_tensor(img)
    with torch.no_grad():
        o = to_image(load_student(model)(x).clamp(0, 255)).round().astype(np.uint8)
    st = np.zeros((80, 80, 3), np.uint8)
    st[16:64, 16:64] = stamp.rgb.permute(1, 2, 0).numpy().astype(np.uint8)
    img = np.asarray(img).astype(np.uint8)
    rows = []
    for y, x_, _ in anchor_places(x)[0]:
        y0, x0 = min(max(0, y - 40), img.shape[0] - 80), min(max(0, x_ - 40), img.shape[1] - 80)
        rows.append(np.concatenate([img[y0:y0 + 80, x0:x0 + 80], o[y0:y0 + 80, x0:x0 + 80], st], 1))
    pic = Image.fromarray(np.concatenate(rows, 0))
    pic.resize((pic.width * 3, pic.height * 3), Image.NEAREST).save(out, quality=88)
    print("wrote", out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stamp", required=True)
    ap.add_argument("--model")
    ap.add_argument("--figure")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    teacher = load_teacher(data_root(), STYLES["candy"][0]).eval()
    stamp = RingStamp.load(a.stamp)
    old_width = 0.6 * anchors.THRESHOLD            # the twelfth pass: opaque at 1.6 x the threshold
    scores, old, opaque = [], [], []
    for x, pl in crops_with_anchors():
        scores += [round(s, 1) for _, _, s in pl[0]]
        with torch.no_grad():
            tout = teacher(x)
            for w, acc in ((old_width, old), (1e-4, opaque)):
                tgt, wmap = stamp_target(tout, pl, stamp, width=w)
                acc.append(float(anchor_l1(tout, tgt, wmap)))
    print("anchor scores on 12 training crops:", sorted(scores))
    print(f"stamped target vs the teacher's output on the disks: ramp to 1.6 x threshold {np.mean(old):.3f}, "
          f"opaque {np.mean(opaque):.3f} (/255)")
    for name in ("astronaut.jpg", "coffee.jpg"):
        x = to_tensor(resize_long(load_rgb(SAMPLES / name), 768))
        with torch.no_grad():
            o = teacher(x).clamp(0, 255)
        for y, x_, v in ring_peaks(ring_map(luminance(to_image(o)))):
            l1 = float(anchor_shift_l1(o, [[(y, x_, 1e9)]], stamp, shift=4))
            print(f"{name} teacher ring at ({y}, {x_}), score {v:.1f}: shift-tolerant L1 to the stamp {l1:.3f}")
    if a.figure and a.model:
        figure(a.model, stamp, a.figure)


if __name__ == "__main__":
    main()
