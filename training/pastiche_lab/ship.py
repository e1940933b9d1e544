"""Ship a run's student: export ONNX (whole + tile), check ORT vs PyTorch, thumbnail, catalog entry,
report figures. Refuses unless the run's eval.json meets the bar.

    python -m pastiche_lab.ship --style candy
    python -m pastiche_lab.ship --style candy --report-only     (figures for training/README.md)
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from . import catalog
from .catalog_meta import META
from .data import LAB, REPO, STYLES, data_root, load_rgb, resize_long, save_rgb
from .evaluate import load_student, pad_run
from .export import export_pair, ort_session, run_onnx_image
from .model import count_params, macs_per_pixel
from .teachers import CONTEXT_A

SAMPLES = ["astronaut", "coffee", "chelsea"]


def parity(net, whole, tile, hw=(60, 84)):
    torch.manual_seed(0)
    x = torch.rand(1, 3, *hw) * 255
    net = net.cpu().eval()
    with torch.no_grad():
        y, s = net(x, return_stats=True)
    a = ort_session(whole); b = ort_session(tile)
    oy, os_ = a.run(None, {"input": x.numpy()})
    ot = b.run(None, {"input": x.numpy(), "stats": os_})[0]
    rel = float(np.abs(oy - y.numpy()).max() / 255.0)
    rel_s = float(np.abs(os_ - s.numpy()).max() / (np.abs(s.numpy()).max() + 1e-9))
    tile_diff = float(np.abs(ot - oy).max())
    return {"ort_vs_torch_rel": rel, "stats_rel": rel_s, "tile_vs_whole_abs": tile_diff}


def report_figures(style, run: Path, out_dir: Path, droot):
    import matplotlib
    matplotlib.use("Agg")
    out_dir.mkdir(parents=True, exist_ok=True)
    if (run / "search.json").exists():   # a run started from a shipped student (--init) has no search
        _pareto_figure(style, run, out_dir)
    _curves_and_contact_sheet(style, run, out_dir, droot)


def _pareto_figure(style, run: Path, out_dir: Path):
    import matplotlib.pyplot as plt
    from .prune import pareto_front
    res = json.loads((run / "search.json").read_text())
    if "points" not in res:   # a hand-chosen code (prune_rings.py --search-json) has no cloud of evaluated codes
        return
    pts = res["points"]
    fr = pareto_front(pts)
    fig, ax = plt.subplots(1, 2, figsize=(10, 4))
    ax[0].scatter([p["mac_ratio"] for p in pts], [p["err"] for p in pts], s=8, alpha=0.5, label="evaluated codes")
    ax[0].plot([p["mac_ratio"] for p in fr], [p["err"] for p in fr], "r.-", label="Pareto front")
    bw = res["widths"]
    best = next((p for p in pts if p["widths"] == bw), None)
    if best:
        ax[0].plot([best["mac_ratio"]], [best["err"]], "k*", ms=12, label="chosen")
    ax[0].set_xlabel("MACs / unpruned"); ax[0].set_ylabel("perceptual error (before fine-tuning)")
    ax[0].set_title(f"{style}: search"); ax[0].legend(fontsize=7)
    h = res["history"]
    ax[1].plot([r["gen"] for r in h], [r["best_fitness"] for r in h], label="best fitness")
    ax[1].plot([r["gen"] for r in h], [r["mean_fitness"] for r in h], label="mean fitness")
    ax[1].set_xlabel("generation"); ax[1].legend(fontsize=7)
    fig.tight_layout(); fig.savefig(out_dir / "pareto.png", dpi=90); plt.close(fig)


def _curves_and_contact_sheet(style, run: Path, out_dir: Path, droot):
    import matplotlib.pyplot as plt
    rows = [json.loads(l) for l in (run / "ft_log.jsonl").read_text().splitlines() if l.strip()]
    tr = [r for r in rows if not r.get("val")]
    va = [r for r in rows if r.get("val")]
    fig, ax = plt.subplots(1, 2, figsize=(10, 4))
    for k in ("loss", "pix", "low", "feat", "style", "content", "dk"):
        if all(k in r for r in tr):
            ax[0].plot([r["min"] for r in tr], [r[k] for r in tr], label=k)
    ax[0].set_yscale("log"); ax[0].set_xlabel("minutes"); ax[0].legend(fontsize=7); ax[0].set_title(f"{style}: training losses")
    ax[1].plot([r["min"] for r in va], [r["style_distance_ratio"] for r in va], "o-", label="style distance ratio (<=0.30)")
    ax[1].plot([r["min"] for r in va], [r["ssim_lum_4x"] for r in va], "s-", label="SSIM lum 4x (>=0.80)")
    ax[1].axhline(0.30, color="C0", ls=":"); ax[1].axhline(0.80, color="C1", ls=":")
    ax[1].set_xlabel("minutes"); ax[1].legend(fontsize=7); ax[1].set_title("validation (5 val photos, 384 px)")
    fig.tight_layout(); fig.savefig(out_dir / "curves.png", dpi=90); plt.close(fig)

    # contact sheet: sample photo | teacher | student
    from .teachers import load_teacher
    teacher = load_teacher(droot, STYLES[style][0]).eval()
    student = load_student(run / "student.pt")
    tiles = []
    with torch.no_grad():
        for s in SAMPLES:
            img = resize_long(load_rgb(REPO / "assets" / "samples" / f"{s}.jpg"), 256)
            img = img[:, :, :] if img.shape[0] <= img.shape[1] else img
            t = pad_run(lambda x: teacher(x), img)
            st = pad_run(lambda x: student(x), img)
            h = 192
            tiles.append(np.concatenate([img[:h, :256], t[:h, :256], st[:h, :256]], 1) if img.shape[0] >= h else
                         np.concatenate([img, t, st], 1))
    hmin = min(t.shape[0] for t in tiles); wmin = min(t.shape[1] for t in tiles)
    sheet = np.concatenate([t[:hmin, :wmin] for t in tiles], 0)
    save_rgb(sheet, out_dir / "contact_sheet.jpg")


def below_bar_record(style, test_json: Path, shipped_json: Path = None):
    """The held-out figures of test_json ({style: {size: figures}}) next to the shipped student's
    (reports/test_set_after.json) at every size of both: {"new": {size: ...}, "previous": {size: ...}}."""
    new = json.loads(Path(test_json).read_text())[style]
    old = json.loads(Path(shipped_json or LAB / "reports" / "test_set_after.json").read_text())[style]
    keep = ("style_distance_ratio", "ssim_lum_4x")
    sizes = [z for z in old if z in new]
    return {"test_set": str(new[sizes[0]].get("photo_set", "")) if sizes else "",
            "new": {z: {k: round(new[z][k], 4) for k in keep} for z in sizes},
            "previous": {z: {k: round(old[z][k], 4) for k in keep} for z in sizes}}


def record_is_better(record):
    """True when a below_bar_record has a lower style distance and a higher SSIM lum 4x at every size."""
    new, old = record["new"], record["previous"]
    return bool(new) and all(new[z]["style_distance_ratio"] < old[z]["style_distance_ratio"] and
                             new[z]["ssim_lum_4x"] > old[z]["ssim_lum_4x"] for z in new)


def better_than_shipped(style, test_json: Path, shipped_json: Path = None):
    """True when the test figures in test_json ({style: {size: figures}}) have a lower style distance and
    a higher SSIM lum 4x than the shipped student's (reports/test_set_after.json) at every size of both."""
    return record_is_better(below_bar_record(style, test_json, shipped_json))


def update_catalog(entry):
    """The entry into models/catalog.json (catalog.update: atomic, teacher styles in the lab's order)."""
    return catalog.update(REPO / "models" / "catalog.json", entry)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--style", required=True, choices=sorted(STYLES))
    ap.add_argument("--data")
    ap.add_argument("--run-dir")
    ap.add_argument("--report-only", action="store_true")
    ap.add_argument("--if-better", metavar="TEST_JSON",
                    help="ship below the lab's bar only if these held-out test figures (evaluate --json, one style, "
                         "several sizes) beat the shipped student's in reports/test_set_after.json on style distance "
                         "and SSIM lum 4x at every size (a shipped student that itself misses the bar)")
    ap.add_argument("--shipped-json", metavar="JSON", default=None,
                    help="with --if-better: the shipped student's figures on the same photos as TEST_JSON (default "
                         "reports/test_set_after.json, test:6; e.g. reports/test_set_full.json for the 34 held-out photos)")
    a = ap.parse_args(argv)
    torch.set_num_threads(2)
    droot = data_root(a.data)
    run = Path(a.run_dir) if a.run_dir else LAB / "runs" / a.style
    report_figures(a.style, run, LAB / "reports" / a.style, droot)
    if a.report_only:
        return
    ev = json.loads((run / "eval.json").read_text())
    below_bar = None
    if not ev["meets_bar"]:
        below_bar = below_bar_record(a.style, Path(a.if_better), a.shipped_json and Path(a.shipped_json)) if a.if_better else None
        if below_bar is None or not record_is_better(below_bar):
            raise SystemExit(f"{a.style}: does not meet the bar: {ev}")
        print(f"{a.style}: below the bar, but better than the shipped student on the test set ({a.if_better})")
    net = load_student(run / "student.pt")
    models = REPO / "models"; models.mkdir(exist_ok=True)
    whole, tile = models / f"{a.style}.onnx", models / f"{a.style}.tile.onnx"
    export_pair(net, whole, tile)
    par = parity(net, whole, tile)
    print("parity", par)
    assert par["ort_vs_torch_rel"] < 1e-3 and par["tile_vs_whole_abs"] < 1e-2, par
    # thumbnail: the style applied to a shippable sample photo
    thumb = REPO / "assets" / "thumbnails" / f"{a.style}.png"; thumb.parent.mkdir(parents=True, exist_ok=True)
    img = resize_long(load_rgb(REPO / "assets" / "samples" / "chelsea.jpg"), 256)
    save_rgb(run_onnx_image(ort_session(whole), img), thumb)
    m = META[a.style]
    w = net.widths; kind = net.geo.kind
    entry = {
        "id": a.style,
        "names": {"en": m["en"], "zh": m["zh"]},
        "descriptions": {"en": m["den"], "zh": m["dzh"]},
        "file": whole.name,
        "tile_file": tile.name,
        "thumbnail": f"../assets/thumbnails/{a.style}.png",
        "teacher": STYLES[a.style][0],
        "license": m["lic"],
        "attribution": m["att"],
        "params": count_params(w, kind),
        "macs_per_megapixel": int(round(macs_per_pixel(w, kind) * 1e6)),
        "size_multiple": 4,
        "fidelity": {
            "psnr_db": round(ev["psnr_db"], 3), "ssim": round(ev["ssim"], 4), "photos": ev["photos"],
            "style_distance_ratio": round(ev["style_distance_ratio"], 4),
            "ssim_lum_4x": round(ev["ssim_lum_4x"], 4),
            "mac_ratio": round(ev["mac_ratio"], 4),
            "eval_size": ev["size"],
            **({"vs_raw_teacher": {k: round(v, 4) for k, v in ev["vs_raw_teacher"].items()},
                "note": f"format-A teacher: the reference is its output on a {CONTEXT_A}-px reflection-padded context, "
                        "i.e. without its zero-padding border artifacts (which the student avoids); "
                        "vs_raw_teacher compares with the raw output"} if "vs_raw_teacher" in ev else {}),
            "eval_set": f"BSDS500 val, first {ev['photos']} of 100 photos (sorted), long side 384 px, vs the teacher's output ({ev.get('teacher_reference', '')})",
        },
        "stats_length": net.stats_len(),
        "lab": {"config": net.config(), "minutes_trained": round(ev.get("minutes_trained", 0), 1),
                "iterations": ev.get("iterations")},
    }
    if below_bar is not None:   # shipped by --if-better: the held-out figures that allowed it, in the catalog
        entry["fidelity"]["shipped_below_bar"] = below_bar
    if (run / "init.json").exists():   # fine-tuned further from an earlier student (pipeline --init)
        entry["lab"]["fine_tuned_from"] = json.loads((run / "init.json").read_text())["init"]
    update_catalog(entry)
    print("shipped", a.style, json.dumps(entry["fidelity"]))


if __name__ == "__main__":
    main()
