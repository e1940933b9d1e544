"""scripts/bench_vs_pytorch.py times what a person runs: the launcher ./pastiche (with --jvm-option in
PASTICHE_JAVA_OPTIONS), or `java -jar JAR` with --jar; a baseline as `java [options] -jar`. Stand-ins for the
launcher and for `java` record what they were given, so no JVM or torch runs (--no-pytorch)."""
import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "bench_vs_pytorch.py"

STAND_IN = """#!/bin/sh
echo "$(basename "$0") opts=[$PASTICHE_JAVA_OPTIONS] telemetry=$ORT_DISABLE_TELEMETRY $*" >> "{log}"
case "$*" in *"stylize --help"*) echo "  --stroke-scale  --force" ;; esac
"""


def run(tmp_path, *args):
    log = tmp_path / "calls.log"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name in ("java", "launcher"):
        f = bin_dir / name
        f.write_text(STAND_IN.format(log=log))
        f.chmod(0o755)
    jar = tmp_path / "pastiche.jar"
    jar.write_bytes(b"")
    photo = tmp_path / "p.png"
    Image.new("RGB", (8, 6)).save(photo)
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}")
    env.pop("PASTICHE_JAVA_OPTIONS", None)
    r = subprocess.run([sys.executable, str(SCRIPT), "--photo", str(photo), "--runs", "2", "--no-pytorch",
                        "--launcher", str(bin_dir / "launcher"), *[str(a).replace("JAR", str(jar)) for a in args]],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    calls = [c for c in log.read_text().splitlines() if "stylize --help" not in c]
    return r.stdout, calls


def test_the_launcher_is_timed_with_the_jvm_options_in_its_environment(tmp_path):
    out, calls = run(tmp_path, "--jvm-option=-Xmx1g", "--baseline-jar", "JAR",
                     "--baseline-jvm-option=-XX:SharedArchiveFile=old.jsa")
    launcher = [c for c in calls if c.startswith("launcher ")]
    baseline = [c for c in calls if c.startswith("java ")]
    assert len(launcher) == 2 and len(baseline) == 2, calls
    assert all(c.startswith("launcher opts=[-Xmx1g] telemetry=1 stylize --style candy --stroke-scale native --force")
               for c in launcher), launcher
    assert all(c.startswith("java opts=[] telemetry=1 -XX:SharedArchiveFile=old.jsa -jar ") for c in baseline), baseline
    assert "pastiche / baseline:" in out and "faster than pytorch" not in out


def test_with_jar_the_jar_is_timed_with_java(tmp_path):
    _, calls = run(tmp_path, "--jar", "JAR", "--jvm-option=-XX:TieredStopAtLevel=1")
    assert calls and all(c.startswith("java opts=[] telemetry=1 -XX:TieredStopAtLevel=1 -jar ") for c in calls), calls
