#!/usr/bin/env python3
"""Markdown table of the runs' figures (training/runs/<style>/eval.json, search.json, ft_log.jsonl)."""
import json
from pathlib import Path

runs = Path(__file__).resolve().parent.parent / "runs"
print("| style | widths c1/c2/trunk/res/u1/u2 | MAC ratio | style dist. ratio | SSIM lum 4x | SSIM | PSNR dB | vs raw teacher (ratio / SSIM4) | minutes / iters | bar |")
print("|---|---|---|---|---|---|---|---|---|---|")
for d in sorted(runs.iterdir()):
    e = d / "eval.json"
    if e.exists():
        r = json.loads(e.read_text())
        w = r["widths"]
        raw = r.get("vs_raw_teacher")
        rawt = f"{raw['style_distance_ratio']:.3f} / {raw['ssim_lum_4x']:.3f}" if raw else "-"
        print(f"| {d.name} | {w['c1']}/{w['c2']}/{w['trunk']}/{','.join(map(str, w['res']))}/{w['u1']}/{w['u2']} | "
              f"{r['mac_ratio']:.3f} | {r['style_distance_ratio']:.3f} | {r['ssim_lum_4x']:.3f} | {r['ssim']:.3f} | "
              f"{r['psnr_db']:.2f} | {rawt} | {r.get('minutes_trained', 0):.0f} / {r.get('iterations')} | "
              f"{'met' if r['meets_bar'] else 'not met'} |")
    elif (d / "ft_log.jsonl").exists():
        vals = [json.loads(l) for l in (d / "ft_log.jsonl").read_text().splitlines() if '"val"' in l]
        if vals:
            b = min(vals, key=lambda v: v["score"])
            print(f"| {d.name} (in progress, best val of {len(vals)}) | | | {b['style_distance_ratio']:.3f} | "
                  f"{b['ssim_lum_4x']:.3f} | {b['ssim']:.3f} | {b['psnr_db']:.2f} | | {b['min']:.0f} / {b['it']} | |")
