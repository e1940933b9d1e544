"""The gongnongbing reference poster generator runs and is deterministic."""
import hashlib
import io
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
POSTER = os.path.join(os.path.dirname(HERE), "poster")
sys.path.insert(0, POSTER)

import make_poster  # noqa: E402


def _png_bytes(img):
    b = io.BytesIO()
    img.save(b, format="PNG", compress_level=9)
    return b.getvalue()


def test_variants_are_deterministic_and_distinct():
    a = [np.asarray(make_poster.draw_variant(v, 128)) for v in make_poster.VARIANTS]
    b = [np.asarray(make_poster.draw_variant(v, 128)) for v in make_poster.VARIANTS]
    for x, y in zip(a, b):
        assert x.shape == (128, 128, 3)
        assert np.array_equal(x, y)
    assert not np.array_equal(a[0], a[1])
    assert _png_bytes(make_poster.draw_variant(1, 96)) == _png_bytes(make_poster.draw_variant(1, 96))


def test_poster_palette_is_a_poster():
    """Saturated reds and yellows, dark contours, few distinct colours (flat fields)."""
    img = np.asarray(make_poster.draw_variant(1, 256)).astype(int)
    r, g, b = img[..., 0], img[..., 1], img[..., 2]
    red = (r > 170) & (g < 90) & (b < 80)
    yellow = (r > 220) & (g > 160) & (b < 90)
    dark = img.sum(-1) < 150
    assert red.mean() > 0.15 and yellow.mean() > 0.05 and dark.mean() > 0.03
    # flat fields: most pixels (nearly) equal their right neighbour
    same = (np.abs(np.diff(img, axis=1)).sum(-1) < 10).mean()
    assert same > 0.5


def test_script_writes_same_bytes_twice(tmp_path):
    outs = []
    for k in range(2):
        d = tmp_path / str(k)
        subprocess.run([sys.executable, os.path.join(POSTER, "make_poster.py"), "--size", "96",
                        "--variants", "1,3", "--out-dir", str(d)], check=True, capture_output=True)
        outs.append([hashlib.sha256((d / f"poster_{v}.png").read_bytes()).hexdigest() for v in (1, 3)])
    assert outs[0] == outs[1]


def test_committed_posters_match_the_script():
    """The committed reference images are exactly what the script draws (768 px, seed 0)."""
    for v in make_poster.VARIANTS:
        p = os.path.join(POSTER, f"poster_{v}.png")
        if not os.path.exists(p):
            continue
        from PIL import Image
        committed = np.asarray(Image.open(p).convert("RGB"))
        assert np.array_equal(committed, np.asarray(make_poster.draw_variant(v, committed.shape[0])))
