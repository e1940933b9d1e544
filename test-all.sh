#!/usr/bin/env bash
# Runs every test of the project: the Java build (unit, ViewModel and headless TestFX tests)
# and the model lab's lint (ruff, config training/ruff.toml) and Python tests. Prints how many
# tests ran and the reason of every skipped one.
set -euo pipefail
cd "$(dirname "$0")"
# ONNX Runtime (Java and Python) keeps its telemetry client off (installer/README.md, Privacy).
export ORT_DISABLE_TELEMETRY=1
mvn -B -q verify
# the Java totals and skips, from surefire's reports
python3 - <<'PY'
import glob, xml.etree.ElementTree as ET
n = f = e = s = 0
skipped = []
for p in glob.glob("target/surefire-reports/TEST-*.xml"):
    r = ET.parse(p).getroot()
    n += int(r.get("tests", 0)); f += int(r.get("failures", 0)); e += int(r.get("errors", 0)); s += int(r.get("skipped", 0))
    for c in r.iter("testcase"):
        k = c.find("skipped")
        if k is not None:
            skipped.append(f"  {c.get('classname')}.{c.get('name')}: {k.get('message') or 'skipped'}")
print(f"Java: {n} tests, {f} failures, {e} errors, {s} skipped")
print("\n".join(skipped))
PY
python3 -m ruff check training
python3 -m pytest -q -rs training/tests
