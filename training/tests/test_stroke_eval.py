"""scripts/stroke_eval.py: the figures it prints, on small made-up images (no data needed, except the
VGG check, which skips without ../shared/data)."""
import importlib.util
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

LAB = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("stroke_eval", LAB / "scripts" / "stroke_eval.py")
se = importlib.util.module_from_spec(spec)
spec.loader.exec_module(se)


def save(arr, path):
    Image.fromarray(np.clip(np.rint(arr), 0, 255).astype(np.uint8)).save(path)
    return str(path)


def test_fine_detail_is_the_laplacians_variance():
    flat = np.full((32, 32, 3), 90, np.float32)
    assert se.fine_detail(flat) == 0
    checker = np.indices((32, 32)).sum(0) % 2 * 100.0
    img = np.repeat(checker[..., None], 3, axis=2).astype(np.float32)
    # Every interior Laplacian is +-400 (4 * 100 around a 0, -4 * 100 around a 100): variance 400^2.
    assert se.fine_detail(img) == pytest.approx(400.0 ** 2, rel=1e-3)
    assert se.fine_detail(img * 0.5) == pytest.approx(200.0 ** 2, rel=1e-3)


def test_make_photo_from_the_samples(tmp_path):
    out = tmp_path / "p.png"
    se.main(["photo", "--source", "samples", "--grid", "1", "--first", "2", "--aspect", "1.5",
             "--megapixels", "0.3", "--out", str(out)])
    im = Image.open(out)
    assert abs(im.width * im.height - 0.3e6) < 2e3
    assert abs(im.width / im.height - 1.5) < 0.01


def test_crops_side_by_side(tmp_path):
    a = save(np.zeros((100, 200, 3)), tmp_path / "a.png")
    b = save(np.full((50, 100, 3), 200.0), tmp_path / "b.png")
    se.main(["crops", a, b, "--x", "0.1", "--y", "0.1", "--size", "40", "--out", str(tmp_path / "c.png")])
    c = np.asarray(Image.open(tmp_path / "c.png"))
    assert c.shape == (40, 88, 3)
    assert c[:, :40].max() == 0 and c[:, 48:].min() == 200
    se.main(["crops", a, b, "--whole", "60", "--out", str(tmp_path / "w.png")])
    assert Image.open(tmp_path / "w.png").size == (128, 30)


def test_compare_an_export_that_is_the_preview(tmp_path):
    data = Path(se.__file__).resolve().parents[2] / ".." / "shared" / "data" / "lossnets"
    if not data.exists():
        pytest.skip("needs the VGG weights in ../shared/data/lossnets")
    rng = np.random.default_rng(0)
    photo = rng.uniform(0, 255, (64, 96, 3)).astype(np.float32)
    preview = np.clip(photo[::2, ::2] * 0.5 + 60, 0, 255)
    blown = np.repeat(np.repeat(preview, 2, 0), 2, 1)
    p, e, ph = save(preview, tmp_path / "p.png"), save(blown, tmp_path / "e.png"), save(photo, tmp_path / "ph.png")
    res = se.main(["compare", "--preview", p, "--export", e, "--photo", ph])
    # Blown up by pixel repetition, the area filter gives the preview back exactly.
    assert res["style_distance"] < 1e-3
    assert res["ssim_lum_4x"] > 0.999
    assert res["fine_detail_ratio"] > 1.0  # sharper than the bilinear blow-up
