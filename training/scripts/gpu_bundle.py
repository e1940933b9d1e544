"""Issue 11's GPU path: fine-tune every shipped teacher-derived student at once, where a GPU is at hand
for minutes, from one self-contained folder that travels to it (<= 64 MiB), and bring the checkpoints back.

    cd training && python3 scripts/gpu_bundle.py build            # here: training/gpu/ (ignored by git)
    bash training/scripts/finetune_all_gpu.sh                     # there (DEVICE=cpu MINUTES=0.3 here: a check)
    cd training && python3 scripts/gpu_bundle.py unpack students.tar last.tar   # here: runs/<job>-gpu/
    cd training && python3 scripts/gpu_bundle.py eval runs/candy-gpu --style candy --commit <sha>   # eval.json
    cd training && python3 -m pastiche_lab.ship --style candy --run-dir runs/candy-gpu           # if it is better

The folder holds what the pipeline reads under --data (teachers, loss networks, the BSDS training photos
as JPEG q95, the first --val validation photos as they are), the extra training pool (pastiche_lab.photos,
scaled to 768 px), each shipped student read back from models/<id>.onnx (onnx_import) as its starting
point, and the full-trunk candy's channel code (scripts/prune_rings.py). Format-A teachers travel as
checkpoints with float16 convolution weights (format B stores them so), which `teachers.load_teacher`
reads where the folder has no original. The held-out test set (Kodak, val photos from
data.TEST_VAL_FROM on) never travels. Teachers and photos keep their licences (../shared/data/README.md,
training/DATA.md): the folder is a working copy and is never committed.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pastiche_lab import checkpoints  # noqa: E402
from pastiche_lab.data import LAB, POOL, REPO, STYLES, TEST_VAL_FROM, data_root, list_photos  # noqa: E402
from pastiche_lab.teachers import load_teacher  # noqa: E402

LIMIT = 64 * 2 ** 20
SHIPPED = ["candy", "mosaic", "udnie", "rain-princess", "picasso", "starry-night", "sunflowers", "wheatfield"]
TRUNK = "16/32/128/res[16,8,8,8,48]/32/16"          # the full-trunk candy (training/README.md, fourteenth pass)
KEEP = ("student.pt", "last.pt", "ft_log.jsonl", "pipeline.log", "init.json", "search.json")


def compact_teacher(net, path):
    """A teacher as a checkpoint with its convolution weights in float16 (4-D tensors; the rest float32)."""
    sd = {k: (v.half() if v.dim() == 4 else v) for k, v in net.state_dict().items()}
    checkpoints.save(path, config=net.config(), state_dict=sd)


def _jpeg(src, dst, max_side=None, quality=95):
    im = Image.open(src).convert("RGB")
    if max_side and max(im.size) > max_side:
        s = max_side / max(im.size)
        im = im.resize((round(im.width * s), round(im.height * s)), Image.BICUBIC)
    im.save(dst, quality=quality)


def size_of(folder) -> int:
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def build(out: Path, droot: Path, styles, val_n=6, train_n=None, pool_side=768, models=REPO / "models", pool=POOL,
          trunk=True, limit=LIMIT, log=print):
    if val_n > TEST_VAL_FROM:
        raise SystemExit(f"--val {val_n}: validation photos from {TEST_VAL_FROM} on are the held-out test set")
    if out.exists():
        shutil.rmtree(out)
    d = out / "data"
    for style in styles:
        rel = STYLES[style][0]
        src = droot / "teachers" / rel
        dst = d / "teachers" / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            compact_teacher(load_teacher(droot, rel), dst.with_name(dst.name + ".pt"))
        else:
            shutil.copy(src, dst)
    shutil.copytree(droot / "lossnets", d / "lossnets")
    (d / "photos" / "train").mkdir(parents=True)
    for p in list_photos(droot / "photos" / "train")[:train_n]:
        _jpeg(p, d / "photos" / "train" / (p.stem + ".jpg"))
    (d / "photos" / "val").mkdir(parents=True)
    for p in list_photos(droot / "photos" / "val")[:val_n]:
        shutil.copy(p, d / "photos" / "val" / p.name)
    (out / "pool").mkdir()
    pool = list_photos(pool) if Path(pool).is_dir() else []
    if not pool:
        log("no extra pool (scripts/fetch_photos.sh, pastiche_lab.photos prepare): BSDS train only")
    for p in pool:
        _jpeg(p, out / "pool" / (p.stem + ".jpg"), max_side=pool_side, quality=92)
    (out / "inits").mkdir()
    for style in styles:
        subprocess.run([sys.executable, "-m", "pastiche_lab.onnx_import", str(models / f"{style}.onnx"),
                        "--out", str(out / "inits" / f"{style}.pt")], cwd=LAB, check=True, stdout=subprocess.DEVNULL)
    if trunk and "candy" in styles:
        subprocess.run([sys.executable, "scripts/prune_rings.py", "--configs", TRUNK, "--search-json",
                        str((out / "runs" / "candy-trunk" / "search.json").resolve())], cwd=LAB, check=True,
                       stdout=subprocess.DEVNULL, env={**os.environ, "PASTICHE_DATA": str(droot)})
    (out / "MANIFEST.json").write_text(json.dumps({"styles": styles, "val_photos": val_n, "pool": len(pool),
                                                   "train": len(list_photos(d / "photos" / "train"))}, indent=1))
    n = size_of(out)
    log(f"{out}: {n / 2 ** 20:.1f} MiB")
    if n > limit:
        raise SystemExit(f"{out} is {n / 2 ** 20:.1f} MiB, over {limit / 2 ** 20:.0f} MiB")
    return n


def pack(runs: Path, out: Path):
    """Each run's best student (student.pt) and logs into out/students.tar, its last weights (last.pt, from
    ft_state.pt) into out/last.tar: two files under 16 MiB each, as the GPU machine sends files back."""
    out.mkdir(parents=True, exist_ok=True)
    with tarfile.open(out / "students.tar", "w") as best, tarfile.open(out / "last.tar", "w") as last:
        for run in sorted(p for p in runs.iterdir() if p.is_dir()):
            st = run / "ft_state.pt"
            if st.exists():
                ck = checkpoints.load(st)
                if ck["config"] is not None:
                    checkpoints.save(run / "last.pt", config=ck["config"], state_dict=ck["state_dict"],
                                     step=ck["step"], elapsed=ck["elapsed"])
            for name in KEEP:
                if (run / name).exists():
                    (last if name == "last.pt" else best).add(run / name, arcname=f"{run.name}/{name}")


def unpack(tar_path: Path, runs=LAB / "runs", suffix="-gpu"):
    with tarfile.open(tar_path) as tf:
        for m in tf.getmembers():
            job, _, name = m.name.partition("/")
            if not m.isfile() or not re.fullmatch(r"[A-Za-z0-9_-]+", job) or name not in KEEP:
                raise SystemExit(f"{tar_path}: unexpected member {m.name}")
            dst = runs / f"{job}{suffix}" / name
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(tf.extractfile(m).read())
            print(dst)


def final_eval(run: Path, style, droot, commit, photos=25):
    """The pipeline's last step for a run that came back: eval.json (the lab's bar on the first `photos` val
    photos at 384 px, as `ship` reads it) from its student.pt, minutes and iterations from last.pt; init.json
    says where it started and on what it was fine-tuned (ship records it as the catalog's fine_tuned_from)."""
    from pastiche_lab.evaluate import full_report, net_fn
    net = checkpoints.load_net(run / "student.pt")
    last = checkpoints.load(run / "last.pt")
    rep = full_report(style, net_fn(net, "cpu"), net.config(), droot, "cpu", photos)
    best = checkpoints.load(run / "student.pt")
    rep.update(minutes_trained=last["elapsed"] / 60, iterations=last["step"], best_iteration=best["step"],
               device="one NVIDIA H200 (scripts/finetune_all_gpu.sh)")
    (run / "eval.json").write_text(json.dumps(rep, indent=1))
    init = run / "init.json"
    if init.exists():
        rec = json.loads(init.read_text())
        rec["init"] = (f"models/{style}.onnx of commit {commit} (onnx_import), fine-tuned "
                       f"{last['elapsed'] / 60:.0f} min, {last['step']} iterations of batch 8 on one H200 GPU "
                       "(scripts/finetune_all_gpu.sh)")
        init.write_text(json.dumps(rec))
    return rep


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--out", default=str(LAB / "gpu"))
    b.add_argument("--data")
    b.add_argument("--styles", nargs="+", default=SHIPPED, choices=SHIPPED)
    b.add_argument("--val", type=int, default=6, help="validation photos (the first N; never the test set)")
    b.add_argument("--train", type=int, default=None, help="BSDS training photos (default all)")
    b.add_argument("--no-trunk", action="store_true", help="leave out the full-trunk candy job")
    p = sub.add_parser("pack")
    p.add_argument("runs")
    p.add_argument("out", help="folder for students.tar and last.tar")
    u = sub.add_parser("unpack")
    u.add_argument("tar", nargs="+")
    u.add_argument("--runs", default=str(LAB / "runs"))
    e = sub.add_parser("eval", help="eval.json for a run that came back (then `pastiche_lab.ship --run-dir` it)")
    e.add_argument("run")
    e.add_argument("--style", required=True, choices=SHIPPED)
    e.add_argument("--commit", required=True, help="the commit whose models/ the bundle was built from")
    e.add_argument("--data")
    a = ap.parse_args(argv)
    if a.cmd == "eval":
        rep = final_eval(Path(a.run), a.style, data_root(a.data), a.commit)
        print(json.dumps({k: rep[k] for k in ("style_distance_ratio", "ssim_lum_4x", "meets_bar")}))
    elif a.cmd == "build":
        build(Path(a.out), data_root(a.data), a.styles, a.val, a.train, trunk=not a.no_trunk)
    elif a.cmd == "pack":
        pack(Path(a.runs), Path(a.out))
    else:
        for t in a.tar:
            unpack(Path(t), Path(a.runs))


if __name__ == "__main__":
    main()
