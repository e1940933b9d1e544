"""The candy-ring measure (pastiche_lab.motifs) on tiny synthetic pictures."""
import numpy as np

import torch

from pastiche_lab.motifs import THRESHOLD, ring_figures, ring_map, ring_map_torch, ring_peaks, ring_tail


def _disk(img, cy, cx, r0, r1, v):
    yy, xx = np.mgrid[:img.shape[0], :img.shape[1]]
    r = np.hypot(yy - cy, xx - cx)
    img[(r >= r0) & (r < r1)] = v


def _scene(ring=True):
    """160 x 240 grey picture: a candy ring (dark dot, bright annulus, dark ring of outer radius 17), a
    dark blob, a bright blob, a vertical edge and a stripe pattern."""
    img = np.full((160, 240), 150.0)
    img[:, 200:] = 40.0                                     # an edge
    img[100:150, 20:90][:, ::8] = 30.0                      # stripes
    _disk(img, 40, 130, 0, 18, 40.0)                        # a dark blob
    _disk(img, 110, 150, 0, 12, 230.0)                      # a bright blob
    if ring:
        _disk(img, 40, 50, 0, 17, 60.0)
        _disk(img, 40, 50, 3.5, 8.5, 200.0)
    return np.repeat(img[..., None], 3, 2)


def test_ring_map_finds_the_ring_and_nothing_else():
    peaks = ring_peaks(ring_map(_scene()[..., 0]))
    assert [(y, x) for y, x, _ in peaks if abs(y - 40) <= 2 and abs(x - 50) <= 2] and len(peaks) == 1
    assert ring_peaks(ring_map(_scene(ring=False)[..., 0])) == []


def test_ring_figures_teacher_vs_a_model_without_rings():
    t, plain = _scene(), _scene(ring=False)
    same = ring_figures(t, t)
    assert same["teacher_rings"] == same["model_rings"] == same["hits"] == 1 and abs(same["strength"] - 1) < 1e-9
    none = ring_figures(t, plain)
    assert none["teacher_rings"] == 1 and none["model_rings"] == 0 and none["hits"] == 0 and none["strength"] == 0.0
    assert none["teacher_top3"] > 20 and none["model_top3"] == 0.0 and abs(same["model_top3"] - same["teacher_top3"]) < 1e-9
    # a fainter ring (less contrast) scores between
    faint = _scene(ring=False)
    _disk(faint, 40, 50, 0, 17, 85.0); _disk(faint, 40, 50, 3.5, 8.5, 175.0)
    mid = ring_figures(t, np.repeat(faint[..., :1], 3, 2))
    assert 0.0 < mid["strength"] < 1.0
    # shifted by 2 px: still the teacher's ring (within TOL)
    assert ring_figures(t, np.roll(t, 2, axis=1))["hits"] == 1
    assert ring_figures(plain, plain)["strength"] is None


def test_ring_map_torch_is_ring_map_where_it_sees_a_ring_and_ring_tail_asks_for_rings_anywhere():
    t, plain = _scene()[..., 0], _scene(ring=False)[..., 0]
    a, b = ring_map(t), ring_map_torch(torch.tensor(t)[None, None])[0].numpy()
    peak = np.unravel_index(b.argmax(), b.shape)   # the ring's centre is a plateau of equal scores: any of it
    assert np.abs(a - b)[a > THRESHOLD].max() < 1e-6 and abs(peak[0] - 40) <= 1 and abs(peak[1] - 50) <= 1
    assert ring_map_torch(torch.tensor(plain)[None, None]).max() < THRESHOLD - 40
    rgb = lambda im: torch.tensor(np.repeat(im[None, None], 3, 1))
    assert float(ring_tail(rgb(t), rgb(t))) == 0.0
    miss = ring_tail(rgb(plain), rgb(t))
    # the ring somewhere else (moved by 60 px): nearly no loss, where a pixel loss would double
    moved = _scene(ring=False)[..., 0]
    _disk(moved, 110, 110, 0, 17, 60.0); _disk(moved, 110, 110, 3.5, 8.5, 200.0)
    assert float(miss) > 0.05 and float(ring_tail(rgb(moved), rgb(t))) < 0.2 * float(miss)
    out = rgb(plain).requires_grad_(True)
    ring_tail(out, rgb(t)).backward()
    assert out.grad.abs().sum() > 0
