"""The evaluation's pieces that need no third-party data: the distance from cached Grams equals the
one from features, the table marks what is short of the goal, the held-out set's stride."""
import pytest
import torch

from pastiche_lab import evaluate as E
from pastiche_lab.data import data_root, photo_set
from pastiche_lab.perceptual import gram, style_distance


def test_distance_from_cached_grams_equals_the_feature_distance():
    torch.manual_seed(0)
    fs = [torch.rand(1, c, 9, 7) for c in (3, 5, 8)]
    ft = [torch.rand(1, c, 9, 7) for c in (3, 5, 8)]
    ref = float(style_distance(fs, ft))
    assert E._gram_distance([gram(f) for f in fs], [gram(f) for f in ft]) == ref
    assert E._style_distance_grams(fs, [gram(f) for f in ft]) == ref
    assert ref > 0.05


def test_table_bolds_what_misses_the_goal():
    r = lambda d, q: {"style_distance_ratio": d, "ssim_lum_4x": q, "mac_ratio_vs_154G": 0.2}
    md = E.table({"a": {384: r(0.19, 0.83), 768: r(0.21, 0.81)}}, [384, 768])
    row = md.splitlines()[2]
    assert row == "| a | 0.200 | 0.190 | 0.830 | **0.210** | **0.810** |"
    assert md.splitlines()[0].count("768 px") == 2


def test_test_set_stride(tmp_path):
    for sub, n in (("val", 100), ("kodak", 4)):
        (tmp_path / "photos" / sub).mkdir(parents=True)
        for i in range(n):
            (tmp_path / "photos" / sub / f"{i:03d}.png").write_bytes(b"")
    full, _ = photo_set(["test"], tmp_path)
    half, tag = photo_set(["test:2"], tmp_path)
    assert half == full[::2] and tag == "test2" and len(full) == 14


DATA = data_root()


@pytest.mark.skipif(not (DATA / "teachers").exists(), reason=f"third-party teachers not found at {DATA}")
def test_side_by_side_sheet_has_photo_teacher_and_model_columns():
    from pastiche_lab.data import REPO
    from pastiche_lab.sheets import compare_sheet
    sheet = compare_sheet("candy", [None], [REPO / "assets" / "samples" / "coffee.jpg"], size=64)
    h, w, _ = sheet.shape
    assert h == 40 and w == 3 * 64                  # 600x400 photo at long side 64: 64x40, three columns
    photo, teacher, student = sheet[:, :64], sheet[:, 64:128], sheet[:, 128:]
    assert abs(photo - teacher).mean() > 10          # the teacher restyles the photo
    assert abs(teacher - student).mean() < abs(photo - student).mean()   # the student is closer to its teacher


def test_model_fn_takes_an_onnx_file_with_or_without_a_catalog_entry(tmp_path):
    """An .onnx with its catalog entry next to it takes that entry's widths; one without (an int8 variant of
    a shipped network) the shipped style's; both evaluate the file's own outputs."""
    import json

    import numpy as np
    from pastiche_lab.export import export_pair
    from test_lab import SMALL, rand_net
    net = rand_net(SMALL, "B", "reflect", seed=7)
    export_pair(net, tmp_path / "v.onnx", tmp_path / "v.tile.onnx")
    shipped = tmp_path / "models"
    shipped.mkdir()
    cfg = net.config()
    other = json.loads(json.dumps(cfg))
    other["widths"]["c1"] = 99   # tells the two catalogs apart
    (shipped / "catalog.json").write_text(json.dumps({"models": [
        {"id": "candy", "file": "candy.onnx", "teacher": "candy", "lab": {"config": other}}]}))
    x = torch.rand(1, 3, 36, 44) * 255
    with torch.no_grad():
        ref = net(x).clamp(0, 255)
    fn, got_cfg = E.model_fn(str(tmp_path / "v.onnx"), "candy", models_dir=shipped)
    assert got_cfg == other, "no entry next to the file: the shipped style's widths"
    assert float((fn(x) - ref).abs().max()) < 0.05
    (tmp_path / "catalog.json").write_text(json.dumps({"models": [
        {"id": "x", "file": "v.onnx", "lab": {"config": cfg}}]}))
    fn, got_cfg = E.model_fn(str(tmp_path / "v.onnx"), "candy", models_dir=shipped)
    assert got_cfg == cfg and float((fn(x) - ref).abs().max()) < 0.05
    (tmp_path / "catalog.json").unlink()
    with pytest.raises(SystemExit):
        E.model_fn(str(tmp_path / "v.onnx"), "mosaic", models_dir=shipped)
    assert np.isfinite(float(fn(x).mean()))
