"""Markdown table of a poster evaluation (issue 10): python3 training/scripts/poster_table.py
[training/reports/gongnongbing/poster_eval.json]"""
import json
import sys
from pathlib import Path

p = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "reports" / "gongnongbing"
         / "poster_eval.json")
e = json.loads(p.read_text())
print(f"{e['n']} photos of {e['photos_dir']}, long side {e['size']} px; `{e.get('command', '')}`\n")
print("| system | palette90 (<= 48) | flat fraction | flat gain (>= +0.10) | edge recall (>= 0.85) "
      "| L1 to renderer | same colour as renderer | meets goals |")
print("|---|---|---|---|---|---|---|---|")
for name, s in e["systems"].items():
    m = s["mean"]
    agree, l1 = m.get("same_colour_as_renderer"), m.get("l1_renderer")
    print(f"| {name} | {m['palette90']:.1f} | {m['flat_fraction']:.3f} | {m['flat_gain']:+.3f} | {m['edge_recall']:.3f} "
          f"| {'-' if l1 is None else f'{l1:.3f}'} | {'-' if agree is None else f'{agree:.3f}'} "
          f"| {'yes' if s['meets_goals'] else 'no'} |")
if "reference_posters" in e:
    r = e["reference_posters"]["mean"]
    print(f"| reference posters | {r['palette90']:.1f} | {r['flat_fraction']:.3f} | - | - | - | - | - |")
if any("pooled" in s for s in e["systems"].values()):
    print("\nHue and outlines against the renderer (pooled over the photos' pixels; "
          "`poster_train.pooled_scores`):\n")
    names = list(next(s for s in e["systems"].values() if "pooled" in s)["pooled"]["colour_recall"])
    print("| system | mean colour recall | key colour recall | ink recall | ink precision | line cover | "
          + " | ".join(f"{n} R/P" for n in names) + " |")
    print("|---|---|---|---|---|---|" + "---|" * len(names))

    def f(v):
        return "-" if v is None else f"{v:.2f}"
    for name, s in e["systems"].items():
        p = s.get("pooled")
        if p:
            print(f"| {name} | {f(p['mean_colour_recall'])} | {f(p['key_colour_recall'])} | {f(p['ink_recall'])} "
                  f"| {f(p['ink_precision'])} | {f(p.get('line_cover'))} | "
                  + " | ".join(f"{f(p['colour_recall'][n])}/{f(p['colour_precision'][n])}" for n in names) + " |")

