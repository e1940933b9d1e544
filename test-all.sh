#!/usr/bin/env bash
# Runs every test of the project: the Java build (unit, ViewModel and headless TestFX tests)
# and the model lab's lint (ruff, config training/ruff.toml) and Python tests.
set -euo pipefail
cd "$(dirname "$0")"
# ONNX Runtime (Java and Python) keeps its telemetry client off (installer/README.md, Privacy).
export ORT_DISABLE_TELEMETRY=1
mvn -B -q verify
python3 -m ruff check training
python3 -m pytest -q training/tests
