"""Where the MicroAST student's style distance to the teacher comes from (issue 12): per-VGG-layer
style distance ratios on held-out (photo, painting) pairs for the student and for diagnostic
variants, and the cost of one fine-tuning iteration.

    cd training && OMP_NUM_THREADS=1 nice -n 15 python3 scripts/microast_gap.py --photos 4 \
        --checkpoint runs/microast/student.pt [--json reports/microast/gap.json]

Variants (each vs the teacher's output on the same photo and painting, 8-bit rounded):
  student          the student as shipped (its own style code)
  teacher_code     the student's content network with the teacher's style code (trunk channels):
                   what is left is the content network's error
  color_matched    the student's output with per-channel mean/std moved to the teacher's: what is
                   left is not global colour
  teacher_blur2    the teacher's output downscaled 2x and back (bilinear): how much the metric
                   punishes lost fine texture
  pruned_raw       the search's slimmed teacher before fine-tuning
  student_256      student and teacher at 256 px (resolution dependence)
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pastiche_lab import microast as M  # noqa: E402
from pastiche_lab.data import LAB, data_root, load_rgb, resize_long  # noqa: E402
from pastiche_lab.lossnets import load_vgg  # noqa: E402
from pastiche_lab.microast_lab import load_student, painting, t01, test_sets  # noqa: E402
from pastiche_lab.perceptual import gram  # noqa: E402


def ratios(fo, ft, fp):
    """Per-layer ratios ||G(o)-G(t)|| / ||G(p)-G(t)|| and the lab's metric (mean over layers of the
    relative Gram distance of o, divided by that of the photo p)."""
    layers, do, dp = [], [], []
    for a, b, c in zip(fo, ft, fp):
        gb = gram(b)
        ea, ec, nb = torch.linalg.norm(gram(a) - gb), torch.linalg.norm(gram(c) - gb), torch.linalg.norm(gb)
        layers.append(float(ea / ec))
        do.append(float(ea / nb)); dp.append(float(ec / nb))
    return float(np.mean(do) / np.mean(dp)), layers


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data")
    ap.add_argument("--checkpoint", default=str(LAB / "runs" / "microast" / "student.pt"))
    ap.add_argument("--photos", type=int, default=2)
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    droot = data_root(a.data)
    teacher, vgg = M.load_teacher(droot), load_vgg(droot)
    st = load_student(a.checkpoint)
    search = json.loads((Path(a.checkpoint).parent / "search.json").read_text())
    idx = M.indices_from_code(search["code"])
    raw = M.slim(teacher.content, idx).eval()
    raw.unbiased = False
    T = torch.tensor(idx["trunk"])
    sl = lambda c: torch.cat([c[v][T] for v in M.code_layout(64).values()])
    photos, styles = test_sets(droot, a.photos)
    res = {}

    def add(name, o, ft, fp):
        m, layers = ratios(vgg(o), ft, fp)
        res.setdefault(name, {"metric": [], "layers": []})
        res[name]["metric"].append(m)
        res[name]["layers"].append(layers)

    r = lambda y: torch.round(y.clamp(0, 1) * 255)
    with torch.no_grad():
        codes = []
        for s in styles:
            sp = painting(s)
            codes.append((teacher.style(sp), st.style(sp)))
        for ph in photos:
            for size in (512, 256):
                x = t01(resize_long(load_rgb(ph), size))
                p = vgg(x * 255)
                for tc, sc in codes:
                    t = r(teacher.content(x, tc))
                    o = r(st.content(x, sc))
                    ft = vgg(t)
                    if size == 256:
                        add("student_256", o, ft, p)
                        continue
                    add("student", o, ft, p)
                    add("teacher_code", r(st.content(x, sl(tc))), ft, p)
                    om, osd = o.mean((2, 3), keepdim=True), o.std((2, 3), keepdim=True)
                    tm, tsd = t.mean((2, 3), keepdim=True), t.std((2, 3), keepdim=True)
                    add("color_matched", torch.round(((o - om) / osd * tsd + tm).clamp(0, 255)), ft, p)
                    h, w = t.shape[2:]
                    b = F.interpolate(F.interpolate(t, size=(h // 2, w // 2), mode="bilinear", antialias=True,
                                                    align_corners=False), size=(h, w), mode="bilinear", align_corners=False)
                    add("teacher_blur2", torch.round(b), ft, p)
                    add("pruned_raw", r(raw(x, sl(tc))), ft, p)
    summary = {k: {"style_distance_ratio": float(np.mean(v["metric"])),
                   "per_layer_ratio relu1_1/relu2_1/relu3_1": [float(x) for x in np.mean(v["layers"], 0)],
                   "pairs": len(v["metric"])} for k, v in res.items()}
    # cost of one fine-tuning iteration's parts (batch 1, 160-px crop, painting 448 px)
    x, s = torch.rand(1, 3, 160, 160), torch.rand(1, 3, 448, 448)
    st.train(); st.content.clamp_output = False
    tm = {}

    def clock(name, fn, n=3):
        fn(); t0 = time.perf_counter()
        for _ in range(n):
            fn()
        tm[name] = (time.perf_counter() - t0) / n

    with torch.no_grad():
        clock("style_head_448", lambda: teacher.style.enc.head(s))
        clock("teacher_content_160", lambda: teacher.content(x, teacher.style(s[:, :, :64, :64])))
    f1 = teacher.style.enc.head(s).detach()
    clock("student_fwd_bwd_160", lambda: st.content(x, st.style.code_from_f1(f1)).mean().backward())
    clock("student_fwd_bwd_160+vgg", lambda: vgg(st.content(x, st.style.code_from_f1(f1)) * 255)[2].mean().backward())
    summary["timing_s"] = tm
    print(json.dumps(summary, indent=1))
    if a.json:
        Path(a.json).write_text(json.dumps(summary, indent=1) + "\n")


if __name__ == "__main__":
    sys.exit(main())
