"""Pastiche model lab: Johnson transformer, teacher imports, evolutionary channel pruning,
fine-tuning, ONNX export and evaluation."""
