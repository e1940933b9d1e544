#!/usr/bin/env python3
"""Before / after table of the shipped students on the held-out test set, from the lab's report files as
they are now and as they were at an earlier commit (git show): MACs (models/catalog.json), style distance
and SSIM lum 4x at 384 and 768 px and the edge band (reports/test_set_full.json, 34 photos), the a*b*
distance at 768 px (reports/chroma_test768.json). Nothing typed by hand:

    python3 training/scripts/compare_reports.py --before efd1228        # the fifteenth pass (GPU) table
"""
from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CLASSIC_MACS = 153.8e9


def at(commit, rel):
    if commit is None:
        return json.loads((REPO / rel).read_text())
    return json.loads(subprocess.run(["git", "show", f"{commit}:{rel}"], cwd=REPO, check=True,
                                     capture_output=True, text=True).stdout)


def figures(commit):
    full = at(commit, "training/reports/test_set_full.json")
    chroma = at(commit, "training/reports/chroma_test768.json")
    cat = {m["id"]: m for m in at(commit, "models/catalog.json")["models"]}
    out = {}
    for s, r in full.items():
        out[s] = {"macs": cat[s]["macs_per_megapixel"] / CLASSIC_MACS if s in cat else None,
                  **{z: (r[z]["style_distance_ratio"], r[z]["ssim_lum_4x"], r[z]["edge_band"]) for z in ("384", "768")},
                  "ab": chroma.get(s, {}).get("768", {}).get("lab_ab")}
    return out


def table(before, after):
    rows = ["| style | MACs / 154 G | 384 px: style / SSIM lum 4x | 768 px: style / SSIM lum 4x | a*b* at 768 | edge band (384 / 768) |",
            "|---|---|---|---|---|---|"]
    for s in after:
        for tag, f in (("before", before.get(s)), ("**now**", after[s])):
            if f is None:
                continue
            ab = f"{f['ab']:.2f}" if f["ab"] is not None else "-"
            macs = f"{f['macs']:.3f}" if f["macs"] is not None else "-"
            rows.append(f"| {s} {tag} | {macs} | {f['384'][0]:.3f} / {f['384'][1]:.3f} | {f['768'][0]:.3f} / "
                        f"{f['768'][1]:.3f} | {ab} | {f['384'][2]:.2f} / {f['768'][2]:.2f} |")
    return "\n".join(rows)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", required=True, help="the commit of the 'before' figures")
    ap.add_argument("--after", default=None, help="the commit of the 'after' figures (default: the working tree)")
    a = ap.parse_args(argv)
    before, after = figures(a.before), figures(a.after)
    changed = {s: f for s, f in after.items() if f != before.get(s)}
    print(table(before, changed))


if __name__ == "__main__":
    main()
