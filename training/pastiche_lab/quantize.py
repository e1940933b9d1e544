"""int8 for the shipped style networks, measured: ONNX Runtime's static QDQ quantisation of the convs,
calibrated on training photos, against the fp32 network on the evaluation photos, by fidelity and by speed.

    cd training && python3 -m pastiche_lab.quantize [--style candy ...] [--out /tmp/int8] [--calibration 16]
        [--photos 25] [--sheet-dir /tmp/int8] [--only /res_]

Per style: quantise `models/<id>.onnx` (weights int8 per channel, activations uint8 per tensor,
Percentile calibration on `--calibration` training photos cropped to 512 x 384; the first conv, on
the raw photo, and the output conv stay fp32 by default: quantised, they alone cost more than the
rest gains, see docs/engine.md); run both networks on the first `--photos` validation photos scaled
to 384 px (the lab's evaluation size) and compare SSIM of the 4x-downscaled luminance (int8 against
fp32: the bar is >= 0.99, i.e. within 0.01 of fp32's own); time both (CPU seconds per run, two
threads, median of three) at 512 x 384 (the preview) and 2 MP. A style qualifies only if the fidelity
holds and int8 takes under 0.9 of fp32's CPU time at both sizes; the command writes the int8 candidate
and a side-by-side sheet (fp32 | int8, to look at for banding) per style to `--out`, and never
touches `models/`: the engine ships no int8 networks (no style has qualified; docs/engine.md).

A shippable int8 pair, issue 17's criterion (docs/engine.md, "Seventh round"):

    python3 -m pastiche_lab.quantize --style candy --only up2/ --pair-to /tmp/q      # both files + catalog
    python3 -m pastiche_lab.evaluate --style candy --photos test:6 --size 384 768 --no-raw --json fp32.json
    python3 -m pastiche_lab.evaluate --style candy --model /tmp/q/candy.onnx --photos test:6 --size 384 768 \
        --no-raw --json int8.json
    python3 -m pastiche_lab.quantize --style candy --install /tmp/q --fidelity fp32.json int8.json

`--pair-to` quantises the whole graph (`quantize`) and puts the same QDQ numbers into the tile graph
(`transplant`: tiles paint what the whole graph paints with the same statistics), marks both files (metadata
`pastiche.int8`) and writes the catalog entry's `int8` field; `--install` copies them into `--models` only
where the int8 network's SSIM lum 4x against the teacher is within 0.01 of float32's at every size and still
meets issue 11's goal (`holds`), recording both figures in the entry. The catalog test checks that an int8
file says so and a float32 one does not.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from .data import LAB, data_root, list_photos, load_rgb, resize_long, save_rgb
from .evaluate import down4, luminance
from .export import ort_session

FIDELITY_BAR = 0.99
FIDELITY_DELTA = 0.01   # issue 17: the int8 network's SSIM lum 4x (vs the teacher) within this of float32's
SPEED_BAR = 0.9


def calibration_reader(paths, size=(384, 512)):
    from onnxruntime.quantization import CalibrationDataReader
    from PIL import Image
    h, w = size

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.it = iter(paths)

        def get_next(self):
            p = next(self.it, None)
            if p is None:
                return None
            im = Image.open(p).convert("RGB")
            s = max(w / im.width, h / im.height)
            im = im.resize((max(w, round(im.width * s)), max(h, round(im.height * s))), Image.BICUBIC)
            im = im.crop((0, 0, w, h))
            return {"input": np.asarray(im, np.float32).transpose(2, 0, 1)[None].copy()}
    return Reader()


def quantize(src: Path, dst: Path, photos, keep_fp32=("conv1/", "conv_out/"), only=None):
    """only: quantise just the convs whose names hold one of these (e.g. "/res_": the residual blocks'),
    keeping every other conv fp32; else every conv but keep_fp32's."""
    import onnx
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static
    m = onnx.load(str(src))
    exclude = [n.name for n in m.graph.node if n.op_type == "Conv" and (
        not any(k in n.name for k in only) if only else any(k in n.name for k in keep_fp32))]
    quantize_static(str(src), str(dst), calibration_reader(photos), quant_format=QuantFormat.QDQ,
                    op_types_to_quantize=["Conv"], per_channel=True, activation_type=QuantType.QUInt8,
                    weight_type=QuantType.QInt8, nodes_to_exclude=exclude,
                    calibrate_method=CalibrationMethod.Percentile)
    return exclude


INT8_MARK = "pastiche.int8"


def int8_convs(model) -> list[str]:
    """Names of the convs of a QDQ model that run in int8 (their weights come from a DequantizeLinear)."""
    prod = {o: n for n in model.graph.node for o in n.output}
    return [n.name for n in model.graph.node if n.op_type == "Conv" and len(n.input) > 1
            and prod.get(n.input[1]) is not None and prod[n.input[1]].op_type == "DequantizeLinear"]


def transplant(int8_model, fp32_model):
    """fp32_model (e.g. the tile graph of the same network) with the int8 convs of int8_model (quantize's QDQ
    output of the whole graph) put in: for each conv of int8_model whose weights are dequantized, the conv of
    the same name in fp32_model (same input name, weights within half a quantisation step of the int8 ones)
    gets the same QuantizeLinear -> DequantizeLinear on its input and output and the same quantised weights
    and bias, initialisers and all; so both graphs compute that conv with the same numbers. Returns the new
    model (a copy); ValueError where a conv does not match."""
    import onnx
    from onnx import numpy_helper
    out = onnx.ModelProto()
    out.CopyFrom(fp32_model)
    g, gq = out.graph, int8_model.graph
    prod_q = {o: n for n in gq.node for o in n.output}
    users_q = {}
    for n in gq.node:
        for i in n.input:
            users_q.setdefault(i, []).append(n)
    inits_q = {i.name: i for i in gq.initializer}
    have = {i.name for i in g.initializer}
    for name in int8_convs(int8_model):
        cq = next(n for n in gq.node if n.name == name)
        c = next((n for n in g.node if n.op_type == "Conv" and n.name == name), None)
        if c is None:
            raise ValueError(f"{name}: no conv of that name in the fp32 graph")
        dq_in, dq_w, dq_b = (prod_q.get(v) for v in cq.input[:3])
        q_in = prod_q.get(dq_in.input[0]) if dq_in is not None else None
        q_out = users_q.get(cq.output[0], [])
        if (q_in is None or q_in.op_type != "QuantizeLinear" or dq_in.op_type != "DequantizeLinear"
                or dq_b is None or dq_b.op_type != "DequantizeLinear"
                or len(q_out) != 1 or q_out[0].op_type != "QuantizeLinear"):
            raise ValueError(f"{name}: not the QDQ pattern (input Q/DQ, weight and bias DQ, output Q/DQ)")
        dq_out = users_q[q_out[0].output[0]]
        if len(dq_out) != 1 or dq_out[0].op_type != "DequantizeLinear":
            raise ValueError(f"{name}: the output's QuantizeLinear is not read by one DequantizeLinear")
        if q_in.input[0] != c.input[0]:
            raise ValueError(f"{name}: reads {c.input[0]} here, {q_in.input[0]} in the int8 graph")
        w = numpy_helper.to_array(next(i for i in g.initializer if i.name == c.input[1]))
        wq, ws = (numpy_helper.to_array(inits_q[v]).astype(np.float64) for v in dq_w.input[:2])
        wz = numpy_helper.to_array(inits_q[dq_w.input[2]]).astype(np.float64)
        shape = (-1,) + (1,) * (wq.ndim - 1)
        deq = (wq - wz.reshape(shape)) * ws.reshape(shape)
        if deq.shape != w.shape or np.any(np.abs(deq - w) > ws.reshape(shape) * 0.5 + 1e-6):
            raise ValueError(f"{name}: its weights are not those the int8 graph quantised")
        for n in (q_in, dq_in, dq_w, dq_b, q_out[0], dq_out[0]):
            for v in n.input:
                if v in inits_q and v not in have:
                    g.initializer.append(inits_q[v])
                    have.add(v)
        for old in (c.input[1], c.input[2]):   # the float32 weights go (a DequantizeLinear may take the name)
            if sum(old in n.input for n in g.node) == 1:
                for i in [i for i in g.initializer if i.name == old]:
                    g.initializer.remove(i)
                have.discard(old)
        y, y_dq = c.output[0], dq_out[0].output[0]
        for n in g.node:   # the conv's users read the dequantized output
            for i, v in enumerate(n.input):
                if v == y:
                    n.input[i] = y_dq
        for o in g.output:
            if o.name == y:
                raise ValueError(f"{name}: its output is a graph output")
        c.input[0], c.input[1], c.input[2] = cq.input[0], cq.input[1], cq.input[2]
        idx = list(g.node).index(c)
        for off, n in enumerate((q_in, dq_in, dq_w, dq_b)):
            g.node.insert(idx + off, n)
        idx = list(g.node).index(c) + 1
        for off, n in enumerate((q_out[0], dq_out[0])):
            g.node.insert(idx + off, n)
    used = {v for n in g.node for v in n.input}
    keep = [i for i in g.initializer if i.name in used]
    del g.initializer[:]
    g.initializer.extend(keep)
    return out


def quantize_pair(whole, tile, whole_dst, tile_dst, photos, only, check_photo=None):
    """int8 of the convs named by `only` in a shipped pair: the whole graph by `quantize` (calibrated on
    `photos`), the tile graph by `transplant` (the same QDQ numbers), both marked with INT8_MARK (what is
    int8, how it was calibrated). Checks that the tile graph, fed the whole graph's statistics, paints what
    the whole graph paints (PSNR >= 50 dB on check_photo, default a random image); written atomically.
    Returns (int8 conv names, that PSNR)."""
    import tempfile

    import onnx

    from .catalog import write_atomic
    with tempfile.TemporaryDirectory() as tmp:
        q_path = Path(tmp) / "whole.onnx"
        quantize(whole, q_path, photos, only=only)
        mq = onnx.load(str(q_path))
    names = int8_convs(mq)
    mt = transplant(mq, onnx.load(str(tile)))
    note = (f"int8 (QDQ: per-channel int8 weights, uint8 activations, Percentile calibration on {len(photos)} "
            f"training photos at 512 x 384): {', '.join(names)}; every other op float32")
    for m in (mq, mt):
        for p in [p for p in m.metadata_props if p.key in (INT8_MARK, "onnx.infer")]:
            m.metadata_props.remove(p)
        m.metadata_props.add(key=INT8_MARK, value=note)
    x = (np.random.default_rng(0).random((1, 3, 384, 512)) * 255).astype(np.float32) if check_photo is None \
        else check_photo
    import onnxruntime as ort
    sw = ort.InferenceSession(mq.SerializeToString(), providers=["CPUExecutionProvider"])
    st = ort.InferenceSession(mt.SerializeToString(), providers=["CPUExecutionProvider"])
    y, stats = sw.run(["output", "stats"], {"input": x})
    yt = st.run(["output"], {"input": x, "stats": stats})[0]
    mse = float(np.mean((np.clip(y, 0, 255) - np.clip(yt, 0, 255)) ** 2))
    psnr = 300.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)
    if psnr < 50:
        raise ValueError(f"the int8 tile graph paints {psnr:.1f} dB from the whole graph")
    write_atomic(whole_dst, mq.SerializeToString())
    write_atomic(tile_dst, mt.SerializeToString())
    return names, psnr


def write_pair(style, models, out, droot, n_cal, only):
    """--pair-to: the int8 pair of a shipped float32 style in `out`, with `out`/catalog.json (the source
    catalog with this entry's `int8` field: what is int8 and how; the files' names unchanged)."""
    import onnx

    from . import catalog
    if not only:
        raise SystemExit("--pair-to needs --only (which convs)")
    src = json.loads((models / "catalog.json").read_text())
    ent = next(m for m in src["models"] if m["id"] == style)
    whole, tile = models / ent["file"], models / ent["tile_file"]
    if any(p.key == INT8_MARK for p in onnx.load(str(whole)).metadata_props):
        raise SystemExit(f"{whole}: already int8; start from its float32 export")
    out.mkdir(parents=True, exist_ok=True)
    cal = list_photos(droot / "photos" / "train")[:n_cal]
    names, psnr = quantize_pair(whole, tile, out / ent["file"], out / ent["tile_file"], cal, only)
    cat_path = out / "catalog.json"
    if not cat_path.exists():
        catalog.write_atomic(cat_path, json.dumps(src, ensure_ascii=False, indent=2) + "\n")
    ent = dict(ent, int8={"convs": names, "scheme": "ONNX QDQ: per-channel int8 weights, uint8 activations "
                          "(per tensor), float32 elsewhere", "calibration": f"Percentile, {len(cal)} training "
                          "photos at 512 x 384 (quantize.py)", "tile_vs_whole_psnr_db": round(psnr, 1)})
    catalog.update(cat_path, ent)
    print(f"{style}: int8 {', '.join(names)} -> {out} (tile graph vs whole {psnr:.1f} dB)")
    return ent


def holds(fp32: dict, int8: dict) -> list[str]:
    """Why an int8 network's held-out figures (evaluate --json, {size: figures}) do not hold against the
    float32 network's: SSIM lum 4x more than 0.01 below, or short of issue 11's goal, at any size; [] = holds."""
    from .evaluate import GOAL
    why = []
    for size, f in fp32.items():
        q = int8.get(size)
        if q is None:
            why.append(f"{size} px: not evaluated")
            continue
        if q.get("photo_set") != f.get("photo_set"):
            why.append(f"{size} px: other photos ({q.get('photo_set')} vs {f.get('photo_set')})")
        if q["ssim_lum_4x"] < f["ssim_lum_4x"] - FIDELITY_DELTA:
            why.append(f"{size} px: SSIM lum 4x {q['ssim_lum_4x']:.4f} vs {f['ssim_lum_4x']:.4f}")
        if q["ssim_lum_4x"] < GOAL["ssim_lum_4x"] or q["style_distance_ratio"] > GOAL["style_distance_ratio"]:
            why.append(f"{size} px: short of the goal ({q['style_distance_ratio']:.3f}, {q['ssim_lum_4x']:.3f})")
    return why


def install(style, pair_dir, models, fp32_json, int8_json):
    """--install: the pair and its catalog entry (with the held-out figures of both) into `models`."""
    from . import catalog
    # evaluate --json with several sizes: {style: {size: figures}}
    fp, q8 = (json.loads(Path(p).read_text()).get(style, {}) for p in (fp32_json, int8_json))
    why = holds(fp, q8)
    if why:
        raise SystemExit(f"{style}: int8 does not hold: " + "; ".join(why))
    ent = next(m for m in json.loads((pair_dir / "catalog.json").read_text())["models"] if m["id"] == style)
    ent["int8"]["held_out"] = {size: {"fp32": {k: round(fp[size][k], 4) for k in ("style_distance_ratio", "ssim_lum_4x")},
                                      "int8": {k: round(q8[size][k], 4) for k in ("style_distance_ratio", "ssim_lum_4x")},
                                      "photos": q8[size]["photo_set"]} for size in fp}
    for f in (ent["file"], ent["tile_file"]):
        catalog.write_atomic(models / f, (pair_dir / f).read_bytes())
    catalog.update(models / "catalog.json", ent)
    print(f"{style}: int8 installed in {models}")
    return ent


def session(path, threads=2):
    return ort_session(path, threads, spinning=False)


def run(sess, img):
    x = img.transpose(2, 0, 1)[None].astype(np.float32).copy()
    return np.clip(np.rint(sess.run(["output"], {"input": x})[0][0].transpose(1, 2, 0)), 0, 255)


def cpu_seconds(sess, shape, runs=3):
    x = (np.random.default_rng(0).random((1, 3, *shape)) * 255).astype(np.float32)
    sess.run(["output"], {"input": x})
    times = []
    for _ in range(runs):
        t = time.process_time()
        sess.run(["output"], {"input": x})
        times.append(time.process_time() - t)
    return float(np.median(times))


def ssim_lum4(a, b):
    from skimage.metrics import structural_similarity
    return float(structural_similarity(down4(luminance(a)), down4(luminance(b)), data_range=255.0))


def measure(style, models, out, droot, n_cal, n_eval, only=None):
    src = models / f"{style}.onnx"
    dst = out / f"{style}.int8.onnx"
    cal = list_photos(droot / "photos" / "train")[:n_cal]
    kept = quantize(src, dst, cal, only=only)
    fp, q8 = session(src), session(dst)
    imgs = [resize_long(load_rgb(p), 384) for p in list_photos(droot / "photos" / "val")[:n_eval]]
    ssims, first = [], None
    for img in imgs:
        a, b = run(fp, img), run(q8, img)
        ssims.append(ssim_lum4(b, a))
        if first is None:
            first = np.concatenate([a, b], axis=1)
    save_rgb(first, out / f"{style}.fp32-vs-int8.png")
    speed = {}
    for name, shape in (("512x384", (384, 512)), ("2MP", (1224, 1632))):
        f, q = cpu_seconds(fp, shape), cpu_seconds(q8, shape)
        speed[name] = {"fp32_cpu_s": f, "int8_cpu_s": q, "ratio": q / f}
    fidelity = float(np.min(ssims))
    ok = fidelity >= FIDELITY_BAR and all(v["ratio"] < SPEED_BAR for v in speed.values())
    return {"style": style, "fp32_kept": kept, "ssim_lum_4x_int8_vs_fp32_min": fidelity,
            "ssim_lum_4x_int8_vs_fp32_mean": float(np.mean(ssims)), "photos": len(imgs), "speed": speed,
            "qualifies": ok}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--style", nargs="+", help="default: every style in the catalog without a style input")
    ap.add_argument("--models", type=Path, default=LAB.parent / "models")
    ap.add_argument("--out", type=Path, default=Path("/tmp/pastiche-int8"))
    ap.add_argument("--data", type=Path)
    ap.add_argument("--calibration", type=int, default=16, help="training photos to calibrate on")
    ap.add_argument("--photos", type=int, default=25, help="validation photos (384 px) for the fidelity")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--only", nargs="+", help="quantise only the convs whose names hold one of these "
                    "(e.g. /res_ for the residual blocks); the others stay fp32")
    ap.add_argument("--pair-to", type=Path, metavar="DIR",
                    help="instead of measuring: write the int8 pair (<id>.onnx by quantize, <id>.tile.onnx by "
                         "transplant) of each --style to DIR with a copy of the catalog whose entry says so (int8)")
    ap.add_argument("--install", type=Path, metavar="DIR",
                    help="copy the pair written by --pair-to DIR into --models and its catalog entry into --models' "
                         "catalog, only if --fidelity shows it holds (one --style)")
    ap.add_argument("--fidelity", nargs=2, type=Path, metavar=("FP32_JSON", "INT8_JSON"),
                    help="evaluate --json of the float32 and the int8 network (same photos, sizes) for --install")
    a = ap.parse_args(argv)
    droot = data_root(a.data)
    if a.pair_to:
        return [write_pair(s, a.models, a.pair_to, droot, a.calibration, a.only) for s in a.style]
    if a.install:
        if not a.style or len(a.style) != 1 or not a.fidelity:
            raise SystemExit("--install needs one --style and --fidelity FP32_JSON INT8_JSON")
        return install(a.style[0], a.install, a.models, *a.fidelity)
    a.out.mkdir(parents=True, exist_ok=True)
    styles = a.style
    if not styles:
        cat = json.loads((a.models / "catalog.json").read_text())
        styles = [m["id"] for m in cat["models"] if m.get("teacher")]
    results = []
    for style in styles:
        r = measure(style, a.models, a.out, droot, a.calibration, a.photos, only=a.only)
        results.append(r)
        s = r["speed"]
        print(f"{style}: SSIM lum 4x int8 vs fp32 min {r['ssim_lum_4x_int8_vs_fp32_min']:.4f} "
              f"(mean {r['ssim_lum_4x_int8_vs_fp32_mean']:.4f}, {r['photos']} photos); CPU per run "
              f"512x384 {s['512x384']['fp32_cpu_s']:.3f} -> {s['512x384']['int8_cpu_s']:.3f} s, "
              f"2 MP {s['2MP']['fp32_cpu_s']:.2f} -> {s['2MP']['int8_cpu_s']:.2f} s: "
              f"{'QUALIFIES' if r['qualifies'] else 'does not qualify'}", flush=True)
        if a.json:
            a.json.write_text(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    main()
