"""Perceptual measures shared by the search, the fine-tuning and the evaluation."""
from __future__ import annotations

import torch

from .lossnets import gram


def style_distance(fs, ft, reduce=True):
    """mean over layers of ||G(s)-G(t)||_F / ||G(t)||_F, per image (or averaged)."""
    ds = []
    for a, b in zip(fs, ft):
        ga, gb = gram(a), gram(b)
        ds.append(torch.linalg.norm((ga - gb).flatten(1), dim=1) / torch.linalg.norm(gb.flatten(1), dim=1).clamp_min(1e-12))
    d = torch.stack(ds, 0).mean(0)
    return d.mean() if reduce else d


def content_distance(a, b, reduce=True):
    d = torch.linalg.norm((a - b).flatten(1), dim=1) / torch.linalg.norm(b.flatten(1), dim=1).clamp_min(1e-12)
    return d.mean() if reduce else d
