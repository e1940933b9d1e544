#!/usr/bin/env python3
"""The whole Pastiche command against eager PyTorch with the style's full-size teacher, side by side.

    python3 training/scripts/bench_vs_pytorch.py [--style candy] [--runs 3] [--photo P.png] [--jar target/pastiche.jar]

Each run is a whole process, as a person waits for it: `./pastiche stylize --style candy -o OUT.png PHOTO`
(the repository's launcher script: the class-data archive, C1 only and the serial collector for a
command-line run; with --jar, `java [--jvm-option...] -jar JAR stylize ...` instead) against `python3`
loading torch, the teacher (format B, ../shared/data/teachers/ncnn/<style>.bin, the pytorch/examples
network), the photo, running the network once in eager mode (torch.no_grad, every core) and saving a PNG. The two alternate, run after run, so that a loaded
machine loads both alike; the script prints wall and CPU time (user + system, children) of each
and the ratios of the medians. Without --photo, a 1632 x 1224 (2 MP) PNG is made from kodim23 (scaled
and cropped, in a temporary folder; nothing is written to the repository). With --jvm-option (repeatable),
options for the java process (e.g. -Xmx2g; with the launcher they go to it in PASTICHE_JAVA_OPTIONS).
With --baseline-jar (and --baseline-models, --baseline-jvm-option), an older build (or this one run as
`java -jar`) runs in the same alternation, for before/after figures (--no-pytorch: only those two).
Equal work: our network runs at the photo's full resolution (with `--stroke-scale native` where the
command has that option).
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LAB = Path(__file__).resolve().parents[1]
REPO = LAB.parent
sys.path.insert(0, str(LAB))


def torch_once(teacher: Path, photo: Path, out: Path) -> None:
    """The PyTorch side, run in its own process by main()."""
    import numpy as np
    import torch
    from PIL import Image
    from pastiche_lab.teachers import read_format_b
    torch.set_num_threads(os.cpu_count() or 1)
    net = read_format_b(teacher).eval()
    x = torch.from_numpy(np.asarray(Image.open(photo).convert("RGB"), dtype=np.float32).transpose(2, 0, 1).copy())
    with torch.no_grad():
        y = net(x.unsqueeze(0))[0].clamp(0, 255)
    Image.fromarray(y.permute(1, 2, 0).round().to(torch.uint8).numpy()).save(out)


def timed(cmd, java_options=()) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one child process (java_options: PASTICHE_JAVA_OPTIONS for a
    launcher)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    # ORT_DISABLE_TELEMETRY as the installed launcher (/usr/bin/pastiche) sets it: without it the jar
    # starts itself once more to switch ONNX Runtime's telemetry off (about 0.2 s of CPU)
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                       env=dict(os.environ, ORT_DISABLE_TELEMETRY="1",
                                PASTICHE_JAVA_OPTIONS=" ".join(java_options)))
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        sys.exit(f"failed ({r.returncode}): {' '.join(map(str, cmd))}\n{r.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def make_photo(folder: Path, data: Path) -> Path:
    from PIL import Image
    src = data / "photos" / "kodak" / "kodim23.png"
    im = Image.open(src).convert("RGB")
    w, h = 1632, 1224
    s = max(w / im.width, h / im.height)
    im = im.resize((round(im.width * s), round(im.height * s)), Image.LANCZOS)
    left, top = (im.width - w) // 2, (im.height - h) // 2
    p = folder / "photo-2mp.png"
    im.crop((left, top, left + w, top + h)).save(p)
    return p


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--style", default="candy")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--photo", type=Path)
    ap.add_argument("--jar", type=Path, help="time `java -jar JAR` instead of the launcher ./pastiche")
    ap.add_argument("--launcher", type=Path, default=REPO / "pastiche",
                    help="the launcher script to time (default: the repository's ./pastiche, which runs target/pastiche.jar)")
    ap.add_argument("--models", type=Path, help="models folder for the jar (default: the bundled ones)")
    ap.add_argument("--jvm-option", action="append", default=[])
    ap.add_argument("--baseline-jar", type=Path, help="an older build to time in the same alternation")
    ap.add_argument("--baseline-models", type=Path, help="models folder for --baseline-jar")
    ap.add_argument("--baseline-jvm-option", action="append", default=None,
                    help="options for the baseline's java (default: --jvm-option's when the baseline is the same jar, "
                         "else none), e.g. -XX:SharedArchiveFile=OLD/target/pastiche.jsa")
    ap.add_argument("--no-pytorch", action="store_true",
                    help="time only pastiche and the baseline (more runs of a before/after in the same time)")
    ap.add_argument("--data", type=Path, default=(REPO / ".." / "shared" / "data").resolve())
    ap.add_argument("--torch-once", nargs=3, type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.torch_once:
        torch_once(*a.torch_once)
        return
    teacher = a.data / "teachers" / "ncnn" / f"{a.style.replace('-', '_')}.bin"
    if not teacher.is_file() and not a.no_pytorch:
        sys.exit(f"no format-B teacher for '{a.style}' at {teacher}")
    jar = a.jar or REPO / "target" / "pastiche.jar"
    if not jar.is_file():
        sys.exit(f"{jar}: build it first (mvn -B -q -o package -DskipTests)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        photo = a.photo or make_photo(tmp, a.data)
        def java_cmd(jar, models, jvm_options, out, launcher=None):
            # with a launcher, the JVM options travel in its environment (see timed())
            cmd = ([str(launcher)] if launcher else ["java", *jvm_options, "-jar", str(jar)]) + [
                "stylize", "--style", a.style]
            if models:
                cmd += ["--models", str(models)]
            help_text = subprocess.run(["java", "-jar", str(jar), "stylize", "--help"], capture_output=True,
                                       text=True).stdout
            if "--stroke-scale" in help_text:
                cmd += ["--stroke-scale", "native"]
            if "--force" in help_text:  # the same output file is written on every run
                cmd += ["--force"]
            return cmd + ["-o", str(tmp / out), str(photo)]

        launcher = None if a.jar else a.launcher
        java = java_cmd(jar, a.models, a.jvm_option, "pastiche.png", launcher)
        contestants = [("pastiche", java)]
        if a.baseline_jar:
            # the same JVM options where the baseline is this jar with other models (before/after a model change)
            same_jar = a.baseline_jar.resolve() == jar.resolve()
            base_options = a.baseline_jvm_option if a.baseline_jvm_option is not None else (
                a.jvm_option if same_jar else [])
            contestants.append(("baseline", java_cmd(a.baseline_jar, a.baseline_models, base_options,
                                                     "baseline.png")))
        torch_cmd = [sys.executable, str(Path(__file__).resolve()), "--torch-once", str(teacher), str(photo),
                     str(tmp / "torch.png")]
        from PIL import Image
        size = Image.open(photo).size
        print(f"{a.style} on {photo.name} ({size[0]}x{size[1]}, {size[0] * size[1] / 1e6:.2f} MP); "
              f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
        for name, cmd in contestants:
            print(f"  {name}: {' '.join(cmd)}")
        if launcher and a.jvm_option:
            print(f"  (PASTICHE_JAVA_OPTIONS={' '.join(a.jvm_option)} for {launcher.name})")
        if not a.no_pytorch:
            print(f"  pytorch:  eager, format-B teacher {teacher.name}, torch threads = cores")
        if not a.no_pytorch:
            contestants.append(("pytorch", torch_cmd))
        res = {name: [] for name, _ in contestants}
        for i in range(a.runs):
            for name, cmd in contestants:
                wall, cpu = timed(cmd, a.jvm_option if name == "pastiche" and launcher else ())
                res[name].append((wall, cpu))
                print(f"  run {i + 1} {name:8s} {wall:7.2f} s wall {cpu:7.2f} s CPU", flush=True)
        med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in res.items()}
        print("medians: " + ", ".join(f"{k} {w:.2f} s wall / {c:.2f} s CPU" for k, (w, c) in med.items()))
        if "baseline" in med:
            print(f"pastiche / baseline: {med['pastiche'][0] / med['baseline'][0]:.3f} (wall), "
                  f"{med['pastiche'][1] / med['baseline'][1]:.3f} (CPU time)")
        for name in med:
            if name != "pytorch" and "pytorch" in med:
                print(f"{name} is {med['pytorch'][0] / med[name][0]:.2f}x faster than pytorch (wall), "
                      f"{med['pytorch'][1] / med[name][1]:.2f}x (CPU time)")
        print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
