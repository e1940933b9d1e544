"""Can a student paint the candy teacher's rings at all? Overfit one fixed crop that holds teacher rings
(pixel L1 + hard-example L1 at the teacher's positions, Adam, no augmentation) and print the ring figures
(pastiche_lab.motifs) of the student's output on that crop as it trains.

    cd training && OMP_NUM_THREADS=1 python3 scripts/ring_probe.py runs/rings/init.pt --iters 300

With --w-adv W, the adversarial patch term (pastiche_lab.adversarial) joins: a patch discriminator
trained online on the teacher's output patches (its ring bank pre-filled from the teacher on the whole
--bank-photos at --size, the crop's own teacher rings added as it goes) against the student's; the
student gets W x its generator loss. Choose a --box where the teacher paints no ring to see whether the
term paints rings where the pixel loss asks for none (what a fine-tune meets, as the teacher's rings
move with tiny input changes):

    OMP_NUM_THREADS=1 python3 scripts/ring_probe.py runs/rings/init.pt --iters 200 --w-hard 0 --w-adv 0.1 --box 0 400 256
"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pastiche_lab.data import REPO, STYLES, data_root, load_rgb, resize_long, to_image, to_tensor, train_photos  # noqa: E402
from pastiche_lab.adversarial import AdversarialTerm, stamp_l1  # noqa: E402
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
    ap.add_argument("--w-pix", type=float, default=1.0, help="weight of the pixel L1 to the teacher on the crop")
    ap.add_argument("--w-adv", type=float, default=0.0, help="adversarial patch term at this weight (0 = off)")
    ap.add_argument("--adv-patch", type=int, default=48)
    ap.add_argument("--adv-n", type=int, default=16)
    ap.add_argument("--adv-ring-share", type=float, default=0.5)
    ap.add_argument("--adv-fake-mine", type=float, default=0.25)
    ap.add_argument("--adv-lr", type=float, default=2e-4)
    ap.add_argument("--adv-loss", choices=["hinge", "ns"], default="hinge")
    ap.add_argument("--adv-mode", choices=["lum", "rgb"], default="lum")
    ap.add_argument("--adv-threshold", type=float, default=40.0, help="pooled ring score of a bank ring")
    ap.add_argument("--adv-g-on", choices=["all", "mined"], default="all")
    ap.add_argument("--adv-pool", type=int, default=1)
    ap.add_argument("--w-stamp", type=float, default=0.0, help="ring-stamp L1 (adversarial.stamp_l1) at this weight")
    ap.add_argument("--stamp-k", type=int, default=1)
    ap.add_argument("--adv-d-steps", type=int, default=1)
    ap.add_argument("--adv-widths", type=int, nargs=3, default=[8, 16, 24])
    ap.add_argument("--adv-warmup", type=int, default=0, help="iterations in which only the discriminator learns")
    ap.add_argument("--bank-photos", nargs="*", default=None, help="photos whose whole-photo teacher rings fill the bank (default --photo)")
    ap.add_argument("--bank-train", type=int, default=0, help="also mine the first N of 1-in-k spread training photos (BSDS train + pool)")
    ap.add_argument("--bank-cache", help="load the bank from / save it to this file (saves the teacher runs)")
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
    adv = None
    if a.w_adv or a.w_stamp:
        adv = AdversarialTerm(patch=a.adv_patch, n=a.adv_n, ring_share=a.adv_ring_share, fake_mine=a.adv_fake_mine,
                              lr=a.adv_lr, loss=a.adv_loss, mode=a.adv_mode, threshold=a.adv_threshold,
                              g_on=a.adv_g_on, warmup=a.adv_warmup, pool=a.adv_pool, d_steps=a.adv_d_steps,
                              widths=tuple(a.adv_widths))
        if a.bank_cache and Path(a.bank_cache).exists():
            adv.bank.load_state_dict(torch.load(a.bank_cache, weights_only=False))
            print("bank:", adv.bank.n, "ring patches from", a.bank_cache, flush=True)
        else:
            bps = list(a.bank_photos if a.bank_photos is not None else [a.photo])
            if a.bank_train:
                tp = train_photos(data_root(), pool=True)
                bps += tp[::max(1, len(tp) // a.bank_train)][:a.bank_train]
            for bp in bps:
                with torch.no_grad():
                    got = adv.mine(teacher(to_tensor(resize_long(load_rgb(bp), a.size))))
                print("bank:", got, "ring patches from", Path(bp).name, flush=True)
            if a.bank_cache:
                torch.save(adv.bank.state_dict(), a.bank_cache)
    t0 = time.time()
    for it in range(a.iters + 1):
        if it % a.every == 0:
            with torch.no_grad():
                r = ring_figures(to_image(tout), to_image(net(xt).clamp(0, 255)))
            print(it, f"{time.time() - t0:.0f}s", json.dumps({k: v for k, v in r.items() if not k.endswith("_at")}), flush=True)
        if it == a.iters:
            break
        out = net(xt)
        loss = a.w_pix * (out - tout).abs().mean() / 255 + a.w_hard * hard_l1(out, tout)
        if a.w_stamp:
            st = stamp_l1(out, adv.bank, adv.patch, a.stamp_k)
            loss = loss + a.w_stamp * st
            if it % a.every == 0:
                print("   stamp", f"{float(st.detach()):.4f}", flush=True)
        if a.w_adv:
            g, fig = adv(out, tout)
            loss = loss + a.w_adv * g
            if it % a.every == 0:
                print("   adv", f"g {float(g.detach()):.3f}", " ".join(f"{k} {v:.3f}" for k, v in fig.items()), flush=True)
        if a.w_ring:
            loss = loss + a.w_ring * ring_tail(out, tout, n=a.ring_sectors, drop=a.ring_drop)
        opt.zero_grad(); loss.backward(); opt.step()
    print("final loss", float(loss.detach()))
    if a.save:
        with torch.no_grad():
            save_rgb(np.concatenate([img, to_image(tout), to_image(net(xt).clamp(0, 255))], 1).round().astype(np.uint8), a.save)


if __name__ == "__main__":
    main()
