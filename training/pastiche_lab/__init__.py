"""Pastiche model lab: Johnson transformer, teacher imports, evolutionary channel pruning,
fine-tuning, ONNX export and evaluation."""

import os as _os

# ONNX Runtime's Python wheels start a telemetry client unless this is set before they load
# (installer/check-telemetry.sh shows the same for the Java binding); the lab sends nothing.
_os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
