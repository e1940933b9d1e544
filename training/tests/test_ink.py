"""The fuchun ink-wash path: the renderer is deterministic and paints an ink painting (washes, bare
paper, strokes at the contours, monochrome), and its measures agree with direct computations."""
import numpy as np
import pytest

from pastiche_lab import ink_render as IR
from pastiche_lab import ink_train as IT


def scene(h=96, w=128):
    """A light wall, a mid-grey box and a dark disc, with a little deterministic noise."""
    yy, xx = np.mgrid[:h, :w]
    img = np.full((h, w, 3), 215.0)
    img[20:70, 10:50] = (120, 130, 110)
    img[(yy - 50) ** 2 + (xx - 90) ** 2 < 20 ** 2] = (40, 30, 60)
    img += np.random.default_rng(0).normal(0, 3, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def test_render_is_deterministic_and_an_ink_painting():
    x = scene()
    a, b = IR.render(x), IR.render(x)
    assert a.dtype == np.uint8 and a.shape == x.shape
    assert np.array_equal(a, b)
    # every pixel lies on the line from paper to ink: monochrome, no colour of the photo's
    d = (a.astype(float) - IR.PAPER) @ (IR.INK - IR.PAPER) / np.sum((IR.INK - IR.PAPER) ** 2)
    on_line = IR.PAPER + np.clip(d, 0, 1)[..., None] * (IR.INK - IR.PAPER)
    assert np.abs(a - on_line).max() <= 1.0
    lum = IR.luminance(a.astype(float))
    wall, box, disc = lum[5:15, 60:75].mean(), lum[35:55, 20:40].mean(), lum[45:55, 85:95].mean()
    assert abs(wall - IR.luminance(IR.PAPER)) < 3          # the light wall stays bare paper
    assert disc < box < wall                                 # washes darker where the photo is darker
    # a dark stroke along the disc's contour, darker than the disc's own wash
    ring = np.zeros(x.shape[:2], bool)
    yy, xx = np.mgrid[:x.shape[0], :x.shape[1]]
    r2 = (yy - 50) ** 2 + (xx - 90) ** 2
    ring[(r2 >= 18 ** 2) & (r2 <= 22 ** 2)] = True
    assert lum[ring].min() < disc - 20


def test_a_flat_photo_is_bare_paper_to_the_border():
    a = IR.render(np.full((64, 80, 3), 128, np.uint8))
    assert np.array_equal(a, np.broadcast_to(np.rint(IR.PAPER).astype(np.uint8), a.shape))


def test_wash_density_by_tone_percentiles():
    tone = np.linspace(0, 1, 1000).reshape(20, 50)
    d = IR.wash_density(tone, empty=0.3, dark=0.05, levels=3)
    flat = d.ravel()
    assert np.all(np.diff(flat) <= 1e-12)                          # darker -> more ink, never less
    assert np.all(flat[tone.ravel() >= np.quantile(tone, 0.7)] == 0)  # the lightest 30 %: paper
    assert flat.max() == pytest.approx(0.62, abs=1e-9)


def test_paper_share_and_fine_texture_against_direct_computations():
    rng = np.random.default_rng(1)
    img = np.broadcast_to(np.rint(IR.PAPER).astype(np.uint8), (12, 14, 3)).copy()
    img[:, 9:] = rng.integers(0, 255, (12, 5, 3))          # a noisy strip: neither paper nor flat
    lum = 0.299 * img[..., 0] + 0.587 * img[..., 1] + 0.114 * img[..., 2]
    p = 0.299 * IR.PAPER[0] + 0.587 * IR.PAPER[1] + 0.114 * IR.PAPER[2]
    want = []
    for i in range(2, 10):
        for j in range(2, 12):
            win = img[i - 2:i + 3, j - 2:j + 3].astype(float)
            std = np.mean([win[..., c].std() for c in range(3)])
            want.append(abs(lum[i, j] - p) <= IT.PAPER_TOL and std < IT.FLAT_STD)
    assert IT.paper_share(img) == pytest.approx(np.mean(want))
    assert 0 < IT.paper_share(img) < 1
    from scipy import ndimage
    direct = np.abs(lum - ndimage.gaussian_filter(lum, IT.FINE_SIGMA, mode="reflect")).mean()
    assert IT.fine_texture(img) == pytest.approx(direct)
    edges = np.zeros(lum.shape, bool)
    edges[:, 0] = True
    away = ~ndimage.binary_dilation(edges, iterations=3)
    d = np.abs(lum - ndimage.gaussian_filter(lum, IT.FINE_SIGMA, mode="reflect"))
    assert IT.fine_texture(img, edges) == pytest.approx(d[away].mean())


def test_measures_tell_the_renderer_from_a_hatched_picture():
    x = scene(128, 160)
    ink = IR.render(x)
    hatch = ink.astype(int).copy()
    yy, xx = np.mgrid[:x.shape[0], :x.shape[1]]
    hatch[((yy + xx) % 4 == 0)] -= 60                      # diagonal hatching over everything
    hatch = np.clip(hatch, 0, 255).astype(np.uint8)
    m_ink, m_hatch = IT.ink_measures(ink, x, ink), IT.ink_measures(hatch, x, ink)
    assert m_ink["l1_renderer"] == 0
    assert m_ink["paper_share"] > 0.3 > m_hatch["paper_share"]
    assert m_hatch["fine_texture_ratio"] > 3 * m_ink["fine_texture_ratio"]


def test_cache_writes_photo_and_renderer_pairs(tmp_path):
    from PIL import Image
    src = tmp_path / "photos"
    src.mkdir()
    Image.fromarray(scene(60, 90)).save(src / "a.png")
    out = tmp_path / "cache"
    IT.main(["cache", "--photos", str(src), "--side", "120", "--cache-dir", str(out)])
    d = np.load(out / "a.npz")
    assert d["photo"].shape == (80, 120, 3)
    assert np.array_equal(d["target"], IR.render(d["photo"]))
