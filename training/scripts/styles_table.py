#!/usr/bin/env python3
"""The README's table of styles, printed from what the lab wrote: `models/catalog.json` (MACs,
parameters, licence, the fidelity of each `ship`) and `training/reports/test_set_after.json` (the
held-out test:6 figures at 384 and 768 px of the teacher-derived styles, written by the fidelity
passes). Nothing is typed by hand, so the README's figures can be rerun:

    python3 training/scripts/styles_table.py            # Markdown table on stdout
    python3 training/scripts/styles_table.py --write    # replace the table between README.md's markers

`tests/test_styles_table.py` fails when README.md's table is not what this prints.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CLASSIC_MACS = 153.8e9          # the classic network (Johnson et al.), per megapixel


def licence_short(text: str) -> str:
    """`BSD-3-Clause (derived from ...)` -> `BSD-3-Clause`; the project's own and research terms in words."""
    if text.startswith("The project's own"):
        return "the project's own"
    if text.lower().startswith("research and non-commercial"):
        return "research and non-commercial use only"
    return text.split(" (", 1)[0].strip()


def quality(entry: dict, held_out: dict) -> str:
    fid = entry.get("fidelity") or {}
    sid = entry["id"]
    if sid in held_out:
        cells = []
        for size in ("384", "768"):
            r = held_out[sid].get(size)
            if r:
                cells.append(f"{size} px: {r['style_distance_ratio']:.3f} / {r['ssim_lum_4x']:.3f}")
        return "held-out test:6, style distance (photo = 1) / SSIM lum 4x vs the teacher: " + "; ".join(cells)
    if entry.get("kind") == "arbitrary":
        return (f"held-out photos x paintings at {fid['eval_size']} px, vs MicroAST: style distance "
                f"{fid['style_distance_ratio']:.3f} of the photo's, SSIM lum 4x {fid['ssim_lum_4x']:.3f}")
    if "palette90" in fid:
        return (f"validation photos at {fid['eval_size']} px: palette90 {fid['palette90']:g}, flat gain "
                f"{fid['flat_gain']:+.3f}, edge recall {fid['edge_recall']:.3f}")
    if "style_loss_end" in fid:
        return (f"validation photos at {fid['eval_size']} px: style loss {fid['style_loss_start']:.2f} -> "
                f"{fid['style_loss_end']:.2f} (photo {fid['style_loss_unstylized_photo']:.2f})")
    if "style_distance_ratio" in fid:
        return (f"validation photos at {fid['eval_size']} px: style distance {fid['style_distance_ratio']:.3f}"
                f" / SSIM lum 4x {fid['ssim_lum_4x']:.3f}")
    return ""


def origin(entry: dict) -> str:
    teacher = entry.get("teacher")
    if entry.get("kind") == "arbitrary":
        return "pruned + fine-tuned from MicroAST (any painting)"
    if teacher:
        return f"pruned + fine-tuned from `{Path(teacher).name}`"
    return "trained from scratch"


def table(catalog: dict, held_out: dict) -> str:
    rows = ["| style | 名称 | from | MACs vs. classic net | params | quality | licence |",
            "|---|---|---|---|---|---|---|"]
    for e in catalog["models"]:
        macs = e.get("macs_per_megapixel")
        ratio = f"{macs / CLASSIC_MACS:.3f}" if macs else "-"
        if e.get("kind") == "arbitrary" and (e.get("fidelity") or {}).get("mac_ratio"):
            ratio += f" ({e['fidelity']['mac_ratio']:.3f} of MicroAST's)"
        params = f"{e['params']:,}" if e.get("params") else "-"
        rows.append(f"| {e['names']['en']} | {e['names']['zh']} | {origin(e)} | {ratio} | {params} | "
                    f"{quality(e, held_out)} | {licence_short(e.get('license', ''))} |")
    return "\n".join(rows)


BEGIN, END = "<!-- styles table: python3 training/scripts/styles_table.py -->", "<!-- end of styles table -->"


def current(repo: Path = REPO) -> str:
    catalog = json.loads((repo / "models" / "catalog.json").read_text(encoding="utf-8"))
    p = repo / "training" / "reports" / "test_set_after.json"
    held_out = json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}
    return table(catalog, held_out)


def in_readme(readme: str) -> str:
    """The table between the README's markers."""
    return readme.split(BEGIN, 1)[1].split(END, 1)[0].strip()


def main(argv=None) -> int:
    if argv and argv[0] == "--write":            # replace the README's table in place
        p = REPO / "README.md"
        text = p.read_text(encoding="utf-8")
        old = in_readme(text)
        p.write_text(text.replace(old, current()), encoding="utf-8")
        return 0
    print(current())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
