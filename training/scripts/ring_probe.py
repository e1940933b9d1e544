"""Can a student paint the candy teacher's rings at all? Overfit one fixed crop that holds teacher rings
(pixel L1 + hard-example L1 at the teacher's positions, Adam, no augmentation) and print the ring figures
(pastiche_lab.motifs) of the student's output on that crop as it trains.

    cd training && OMP_NUM_THREADS=1 python3 scripts/ring_probe.py runs/rings/init.pt --iters 300
"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pastiche_lab.data import REPO, STYLES, data_root, load_rgb, resize_long, to_image, to_tensor  # noqa: E402
from pastiche_lab.evaluate import load_student  # noqa: E402
from pastiche_lab.finetune import hard_l1  # noqa: E402
from pastiche_lab.model import FULL, macs_per_pixel  # noqa: E402
from pastiche_lab.data import save_rgb  # noqa: E402
from pastiche_lab.motifs import ring_figures, ring_tail  # noqa: E402
from pastiche_lab.teachers import load_teacher  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--photo", default=str(REPO / "assets" / "samples" / "astronaut.jpg"))
    ap.add_argument("--size", type=int, default=768)
    ap.add_argument("--box", type=int, nargs=3, default=[380, 0, 256], metavar=("Y", "X", "S"))
    ap.add_argument("--iters", type=int, default=300)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--w-hard", type=float, default=4.0)
    ap.add_argument("--every", type=int, default=50)
    ap.add_argument("--w-ring", type=float, default=0.0, help="add the position-free motifs.ring_tail at this weight")
    ap.add_argument("--ring-sectors", type=int, default=8)
    ap.add_argument("--ring-drop", type=int, default=2, help="sectors allowed to fail in ring_tail's score")
    ap.add_argument("--save", help="write the student's output on the crop here at the end")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    teacher = load_teacher(data_root(), STYLES["candy"][0]).eval()   # format B: no context
    y, x, s = a.box
    img = resize_long(load_rgb(a.photo), a.size)[y:y + s, x:x + s]
    xt = to_tensor(img)
    with torch.no_grad():
        tout = teacher(xt)
    net = load_student(a.model)
    print("student", net.widths, f"MACs {macs_per_pixel(net.widths, net.geo.kind) / macs_per_pixel(FULL, 'B'):.4f} of the classic net", flush=True)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    t0 = time.time()
    for it in range(a.iters + 1):
        if it % a.every == 0:
            with torch.no_grad():
                r = ring_figures(to_image(tout), to_image(net(xt).clamp(0, 255)))
            print(it, f"{time.time() - t0:.0f}s", json.dumps({k: v for k, v in r.items() if not k.endswith("_at")}), flush=True)
        if it == a.iters:
            break
        out = net(xt)
        loss = (out - tout).abs().mean() / 255 + a.w_hard * hard_l1(out, tout)
        if a.w_ring:
            loss = loss + a.w_ring * ring_tail(out, tout, n=a.ring_sectors, drop=a.ring_drop)
        opt.zero_grad(); loss.backward(); opt.step()
    print("final loss", float(loss.detach()))
    if a.save:
        with torch.no_grad():
            save_rgb(np.concatenate([img, to_image(tout), to_image(net(xt).clamp(0, 255))], 1).round().astype(np.uint8), a.save)


if __name__ == "__main__":
    main()
