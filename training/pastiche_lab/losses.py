"""Alias of `perceptual` (the one perceptual-loss module) for code written before it, e.g. the
microast branch's `from .losses import style_distance`; import from `perceptual` in new code."""
from .perceptual import content_distance, gram, style_distance  # noqa: F401
