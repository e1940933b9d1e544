#!/usr/bin/env python3
"""Compare pipeline runs side by side: search, fine-tuning at equal iterations, final evaluation.

    python3 training/scripts/compare_runs.py training/runs/disc-exp/s0-with training/runs/disc-exp/s0-without \
        [--labels with without] [--png training/reports/discriminator_curves.png] [--paired]

Prints a markdown table per run (search fitness without the discriminator term, widths, MAC ratio,
params, search wall time; validation figures at the largest iteration every run has reached;
eval.json figures) and, with --png, draws the validation curves (style distance ratio and SSIM of
the 4x-downscaled luminance against iterations) of all runs in one figure. With --paired, the runs
are pairs (A1 B1 A2 B2 ..., e.g. with/without per seed) and it adds the per-pair differences A - B
and their mean and standard deviation over the pairs.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def load_run(d):
    d = Path(d)
    r = {"dir": d, "search": None, "val": [], "eval": None}
    if (d / "search.json").exists():
        r["search"] = json.loads((d / "search.json").read_text())
    if (d / "ft_log.jsonl").exists():
        for line in (d / "ft_log.jsonl").read_text().splitlines():
            if '"val"' in line:
                r["val"].append(json.loads(line))
    if (d / "eval.json").exists():
        r["eval"] = json.loads((d / "eval.json").read_text())
    return r


def search_summary(s):
    """Winner's figures; 'fitness' is the fitness without the discriminator term
    (perceptual error + gamma * params in millions), comparable between runs with and without it."""
    if s is None:
        return None
    a = s["args"]
    last = s["history"][-1]
    fit = last["best_err"] + a["gamma"] * last["best_params"] / 1e6
    return {"fitness": fit, "fitness_with_disc": last["best_fitness"], "err": last["best_err"],
            "params": last["best_params"], "mac_ratio": last["best_mac_ratio"], "widths": s["widths"],
            "generations": last["gen"], "evals": last["evals"], "disc_weight": a.get("disc_weight", 0.0),
            "wall_s": s.get("wall_s", last["t"]), "p_fake": last.get("best_p_fake")}


def val_at(vals, it):
    for v in vals:
        if v["it"] == it:
            return v
    return None


def common_iterations(runs):
    sets = [set(v["it"] for v in r["val"]) for r in runs]
    return sorted(set.intersection(*sets)) if sets and all(sets) else []


def fmt_widths(w):
    if isinstance(w, dict):
        w = [w["c1"], w["c2"], w["trunk"], *w["res"], w["u1"], w["u2"]]
    return f"{w[0]}/{w[1]}/{w[2]}/[{','.join(map(str, w[3:8]))}]/{w[8]}/{w[9]}"


def table(runs, labels):
    out = []
    out.append("| run | disc weight | search fitness (no disc term) | perceptual err | widths c1/c2/trunk/res/u1/u2 "
               "| MAC ratio | params | generations / evals | search wall s |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    for r, lab in zip(runs, labels):
        s = search_summary(r["search"])
        if s is None:
            out.append(f"| {lab} | - | - | - | - | - | - | - | - |")
            continue
        out.append(f"| {lab} | {s['disc_weight']:g} | {s['fitness']:.4f} | {s['err']:.4f} | {fmt_widths(s['widths'])} "
                   f"| {s['mac_ratio']:.3f} | {s['params']:,} | {s['generations']} / {s['evals']} | {s['wall_s']:.0f} |")
    its = common_iterations(runs)
    if its:
        out.append("")
        out.append("Validation (fine-tuning log, same photos) at equal iterations:")
        out.append("")
        out.append("| iteration | " + " | ".join(f"{lab}: style ratio / SSIM-lum-4x / min" for lab in labels) + " |")
        out.append("|---|" + "---|" * len(runs))
        for it in its:
            cells = []
            for r in runs:
                v = val_at(r["val"], it)
                cells.append(f"{v['style_distance_ratio']:.3f} / {v['ssim_lum_4x']:.3f} / {v['min']:.1f}")
            out.append(f"| {it} | " + " | ".join(cells) + " |")
    if any(r["eval"] for r in runs):
        out.append("")
        out.append("| run | model | iterations | photos | style dist. ratio | SSIM lum 4x | SSIM | PSNR dB | minutes trained |")
        out.append("|---|---|---|---|---|---|---|---|---|")
        for r, lab in zip(runs, labels):
            e = r["eval"]
            if not e:
                continue
            out.append(f"| {lab} | {e.get('model', 'student.pt')} | {e.get('iterations')} | {e['photos']} "
                       f"| {e['style_distance_ratio']:.4f} | {e['ssim_lum_4x']:.4f} | {e['ssim']:.4f} "
                       f"| {e['psnr_db']:.3f} | {e.get('minutes_trained', 0):.1f} |")
    return "\n".join(out)


EVAL_KEYS = ("style_distance_ratio", "ssim_lum_4x", "psnr_db", "ssim")


def paired(runs, labels):
    """Runs given as pairs (A1 B1 A2 B2 ...): per-pair differences A - B of the eval figures and of the
    last common validation, and their mean and sample standard deviation over the pairs."""
    if len(runs) % 2:
        raise ValueError("--paired needs an even number of runs (A1 B1 A2 B2 ...)")
    rows = []
    for i in range(0, len(runs), 2):
        a, b = runs[i], runs[i + 1]
        row = {"pair": f"{labels[i]} - {labels[i + 1]}"}
        if a["eval"] and b["eval"]:
            for k in EVAL_KEYS:
                row[k] = a["eval"][k] - b["eval"][k]
        its = common_iterations([a, b])
        if its:
            va, vb = val_at(a["val"], its[-1]), val_at(b["val"], its[-1])
            row["val_it"] = its[-1]
            row["val_style_distance_ratio"] = va["style_distance_ratio"] - vb["style_distance_ratio"]
            row["val_ssim_lum_4x"] = va["ssim_lum_4x"] - vb["ssim_lum_4x"]
        rows.append(row)
    keys = [k for k in (*EVAL_KEYS, "val_style_distance_ratio", "val_ssim_lum_4x") if all(k in r for r in rows)]
    summary = {}
    for k in keys:
        x = [r[k] for r in rows]
        m = sum(x) / len(x)
        sd = (sum((v - m) ** 2 for v in x) / (len(x) - 1)) ** 0.5 if len(x) > 1 else float("nan")
        summary[k] = (m, sd)
    return rows, keys, summary


def paired_table(rows, keys, summary):
    names = {"style_distance_ratio": "style ratio", "ssim_lum_4x": "SSIM lum 4x", "psnr_db": "PSNR dB",
             "ssim": "SSIM", "val_style_distance_ratio": "val style ratio", "val_ssim_lum_4x": "val SSIM lum 4x"}
    out = ["| pair (A - B) | " + " | ".join(names[k] for k in keys) + " |", "|---|" + "---|" * len(keys)]
    for r in rows:
        out.append(f"| {r['pair']} | " + " | ".join(f"{r[k]:+.4f}" for k in keys) + " |")
    out.append("| mean (sd) | " + " | ".join(f"{summary[k][0]:+.4f} ({summary[k][1]:.4f})" for k in keys) + " |")
    return "\n".join(out)


def plot(runs, labels, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(1, 2, figsize=(10, 3.8))
    markers = "osD^vP*X"
    for i, (r, lab) in enumerate(zip(runs, labels)):
        if not r["val"]:
            continue
        its = [v["it"] for v in r["val"]]
        # runs whose label says "without" dashed orange, "with" solid blue, others the default cycle
        kw = dict(ls="--", color="tab:orange") if "without" in lab else \
            dict(ls="-", color="tab:blue") if "with" in lab else {}
        kw["marker"] = markers[(i // 2 if len(runs) > 2 else i) % len(markers)]
        ax[0].plot(its, [v["style_distance_ratio"] for v in r["val"]], label=lab, **kw)
        ax[1].plot(its, [v["ssim_lum_4x"] for v in r["val"]], label=lab, **kw)
    ax[0].axhline(0.30, color="grey", lw=0.8, ls=":"); ax[1].axhline(0.80, color="grey", lw=0.8, ls=":")
    ax[0].set_title("style distance ratio (lower is better; bar 0.30)")
    ax[1].set_title("SSIM lum 4x (higher is better; bar 0.80)")
    for a in ax:
        a.set_xlabel("fine-tuning iteration"); a.grid(alpha=0.3)
    ax[1].legend(fontsize=8)
    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="+", help="run folders")
    ap.add_argument("--labels", nargs="+")
    ap.add_argument("--png", help="draw the validation curves here")
    ap.add_argument("--paired", action="store_true", help="runs are pairs A1 B1 A2 B2 ...: print A - B per pair")
    a = ap.parse_args(argv)
    labels = a.labels or [Path(d).name for d in a.runs]
    if len(labels) != len(a.runs):
        sys.exit("--labels needs one label per run")
    runs = [load_run(d) for d in a.runs]
    print(table(runs, labels))
    if a.paired:
        print()
        print(paired_table(*paired(runs, labels)))
    if a.png:
        plot(runs, labels, a.png)
    return runs


if __name__ == "__main__":
    main()
