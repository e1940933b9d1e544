"""Does a candy student learn to paint a ring where the photo fixes the place (pastiche_lab.anchors)?
A short fine-tune on random crops of the training photos against the teacher's target with the canonical
ring stamped at the anchors (pixel L1 + the stamp's weighted L1 + 1 - SSIM lum 4x), then, on held-out
photos at 768 px (never trained on), the rings the student paints (motifs' measure) and how many of the
photo's anchors hold one (a model ring within 6 px).

    cd training && OMP_NUM_THREADS=1 python3 scripts/anchor_probe.py runs/candy-lc/init.pt --stamp runs/anchor/stamp.pt \
        --iters 600 --save runs/anchor/probe
"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from scipy.ndimage import maximum_filter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pastiche_lab.anchors import RingStamp, anchor_l1, anchor_places, anchor_shift_l1, stamp_target  # noqa: E402
from pastiche_lab.data import (REPO, STYLES, CropSampler, data_root, load_rgb, resize_long, save_rgb,  # noqa: E402
                               test_photos, to_image, to_tensor, train_photos)
from pastiche_lab.evaluate import load_student  # noqa: E402
from pastiche_lab.finetune import ssim_lum_4x  # noqa: E402
from pastiche_lab.motifs import THRESHOLD, luminance, ring_map, ring_peaks  # noqa: E402
from pastiche_lab.teachers import load_teacher  # noqa: E402

HELD_OUT = [REPO / "assets" / "samples" / "astronaut.jpg", REPO / "assets" / "samples" / "coffee.jpg"]


def held_out_figures(net, photos, teacher, stamp, size=768, tol=6, shift=0):
    """Per photo: anchors (anchors.anchor_places at the defaults), model rings, anchors holding a ring, and
    the stamp L1 of the output to the stamped teacher target (with that of the teacher's own output: the
    cost of painting no ring)."""
    rows, outs = [], []
    for p in photos:
        img = resize_long(load_rgb(p), size)
        x = to_tensor(img)
        with torch.no_grad():
            out = to_image(net(x).clamp(0, 255))
        sm = ring_map(luminance(out))
        rings = ring_peaks(sm)
        near = maximum_filter(sm, size=2 * tol + 1)
        an = anchor_places(x)[0]
        with torch.no_grad():
            tout = teacher(x)
            tgt, wmap = stamp_target(tout, [an], stamp)
            if shift:
                l1 = (float(anchor_shift_l1(to_tensor(out), [an], stamp, shift=shift)),
                      float(anchor_shift_l1(tout, [an], stamp, shift=shift)))
            else:
                l1 = (float(anchor_l1(to_tensor(out), tgt, wmap)), float(anchor_l1(tout, tgt, wmap)))
        rows.append({"photo": Path(p).name, "anchors": len(an), "model_rings": len(rings),
                     "anchors_with_ring": int(sum(near[y, x_] > THRESHOLD for y, x_, _ in an)),
                     "stamp_l1": round(l1[0], 4), "noring_l1": round(l1[1], 4)})
        outs.append(out)
    return rows, outs


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--stamp", required=True)
    ap.add_argument("--iters", type=int, default=600)
    ap.add_argument("--every", type=int, default=200)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--crop", type=int, default=256)
    ap.add_argument("--w-pix", type=float, default=1.0)
    ap.add_argument("--w-anchor", type=float, default=1.0)
    ap.add_argument("--w-ssim", type=float, default=1.0)
    ap.add_argument("--anchor-share", type=float, default=0.0,
                    help="draw up to 4 crops and keep the first holding an anchor, for this share of the iterations")
    ap.add_argument("--test", type=int, default=6, help="also every k-th test photo (0: the two samples only)")
    ap.add_argument("--shift", type=int, default=0,
                    help="shift-tolerant stamp L1 (anchors.anchor_shift_l1): the ring within this many px of the place")
    ap.add_argument("--seed", type=int, default=0, help="crop sampler seed (another one to go on from a saved probe)")
    ap.add_argument("--save", help="prefix: write the held-out outputs as <prefix>_<photo>.jpg and the student as <prefix>.pt")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    teacher = load_teacher(data_root(), STYLES["candy"][0]).eval()
    stamp = RingStamp.load(a.stamp)
    net = load_student(a.model)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    start, hist = 0, []
    ck = Path(a.save + ".pt") if a.save else None
    if ck is not None and ck.exists():          # go on from the last evaluation point (a session may end)
        st = torch.load(ck, weights_only=False)
        if "it" in st:
            net.load_state_dict(st["state_dict"]); opt.load_state_dict(st["opt"])
            start, hist = st["it"], st["hist"]
            print(f"resumed {ck} at iteration {start}", flush=True)
    sampler = CropSampler(train_photos(data_root(), pool=True), a.crop, scales=(0.9, 1.6), seed=a.seed + start,
                          photometric=0.5, max_side=768)
    held = HELD_OUT + (test_photos(data_root())[::a.test] if a.test else [])
    t0, run = time.time(), {"crops": 0, "with_anchor": 0, "anchor_l1": 0.0, "noring_l1": 0.0}
    for it in range(start, a.iters + 1):
        if (it % a.every == 0 or it == a.iters) and not (it == start and start):
            rows, outs = held_out_figures(net.eval(), held, teacher, stamp, shift=a.shift)
            net.train()
            tot = {k: sum(r[k] for r in rows) for k in ("anchors", "model_rings", "anchors_with_ring")}
            tot.update({k: round(float(np.mean([r[k] for r in rows if r["anchors"]] or [0])), 4)
                        for k in ("stamp_l1", "noring_l1")})
            tr = {"crops_with_anchor": run["with_anchor"] / max(1, run["crops"]),
                  "train_anchor_l1": run["anchor_l1"] / max(1, run["with_anchor"]),
                  "train_noring_l1": run["noring_l1"] / max(1, run["with_anchor"])}
            print(it, f"{time.time() - t0:.0f}s", json.dumps(tot), json.dumps(tr), json.dumps(rows[:2]), flush=True)
            hist.append({"it": it, **tot, **tr})
            run = {"crops": 0, "with_anchor": 0, "anchor_l1": 0.0, "noring_l1": 0.0}
            if ck is not None:
                save(a.save, net, opt, it, hist, held, outs)
        if it == a.iters:
            break
        x = sampler.batch(1)
        places = anchor_places(x)
        if a.anchor_share and np.random.default_rng((a.seed, it)).random() < a.anchor_share:
            for _ in range(3):
                if places[0]:
                    break
                x = sampler.batch(1)
                places = anchor_places(x)
        with torch.no_grad():
            tout = teacher(x)
        tgt, wmap = stamp_target(tout, places, stamp)
        out = net(x)
        if a.shift:      # the ring anywhere within a.shift px of the place; the pixel L1 off the dilated disks
            al = anchor_shift_l1(out, places, stamp, shift=a.shift)
            free = 1 - F.max_pool2d((wmap > 0).float(), 2 * a.shift + 1, 1, a.shift)
            pix = ((out - tout).abs() * free).mean() / 255
        else:
            al, pix = anchor_l1(out, tgt, wmap), (out - tgt).abs().mean() / 255
        run["crops"] += 1
        if float(wmap.sum()) > 0:
            run["with_anchor"] += 1; run["anchor_l1"] += float(al.detach())
            run["noring_l1"] += float(anchor_shift_l1(tout, places, stamp, shift=a.shift) if a.shift
                                      else anchor_l1(tout, tgt, wmap))   # the cost of the teacher's own output
        loss = a.w_pix * pix + a.w_anchor * al + a.w_ssim * (1 - ssim_lum_4x(out, tgt))
        opt.zero_grad(); loss.backward(); opt.step()


def save(prefix, net, opt, it, hist, held, outs):
    """The held-out outputs as <prefix>_<photo>.jpg and <prefix>.pt: a checkpoint (state_dict + config, so
    load_student reads it) with the optimiser and the iteration to go on from."""
    Path(prefix).parent.mkdir(parents=True, exist_ok=True)
    for p, o in zip(held, outs):
        save_rgb(o.round().astype(np.uint8), f"{prefix}_{Path(p).stem}.jpg")
    tmp = Path(prefix + ".pt.tmp")
    torch.save({"state_dict": net.state_dict(), "config": net.config(), "hist": hist, "opt": opt.state_dict(),
                "it": it}, tmp)
    tmp.replace(prefix + ".pt")


if __name__ == "__main__":
    main()
