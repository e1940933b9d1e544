"""The evaluation's pieces that need no third-party data: the distance from cached Grams equals the
one from features, the table marks what is short of the goal, the held-out set's stride."""
import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F

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


def _per(rows):
    return {"style_distance_ratio": 0.1, "ssim_lum_4x": 0.9, "mac_ratio_vs_154G": 0.2, "edge_band": 1.5,
            "checkerboard_ratio": 1.1,
            "per_photo": [{"photo": n, "style_distance_ratio": d, "ssim_lum_4x": q, "edge_band": e,
                           "checkerboard_ratio": 1.0} for n, d, q, e in rows]}


def test_worst_photos_ranks_each_measure_and_lists_the_misses():
    res = _per([("a", 0.10, 0.90, 1.1), ("b", 0.25, 0.85, 3.0), ("c", 0.15, 0.80, 1.2), ("d", 0.12, 0.88, 1.0)])
    w = E.worst_photos(res, k=2)
    assert [n for n, _ in w["style_distance_ratio"]] == ["b", "c"]
    assert [n for n, _ in w["ssim_lum_4x"]] == ["c", "b"]
    assert [n for n, _ in w["edge_band"]] == ["b", "c"]
    assert w["misses"] == ["b", "c"]      # b: style distance > 0.20; c: SSIM < 0.82


def test_report_md_has_the_artifact_and_worst_photo_tables():
    res = {"s": {384: _per([("a", 0.10, 0.90, 1.1), ("b", 0.25, 0.85, 3.0)]),
                 768: _per([("a", 0.30, 0.70, 1.0), ("b", 0.11, 0.95, 1.0)])}}
    md = E.report_md(res, [384, 768], k=1)
    assert "| s | 1.50 | 1.10 | 1.50 | 1.10 |" in md
    assert "| s | 384 | b 0.250 | b 0.850 | b 3.00 | 1 of 2 |" in md
    assert "| s | 768 | a 0.300 | a 0.700 | a 1.00 | 1 of 2 |" in md
    del res["s"][384]["per_photo"], res["s"][768]["per_photo"]      # older json: no worst-photo table
    assert "worst" not in E.report_md(res, [384, 768])
    del res["s"][384]["edge_band"], res["s"][384]["checkerboard_ratio"]   # older still: no artifact measures
    assert "| s | - | - | 1.50 | 1.10 |" in E.report_md(res, [384, 768])


def test_per_photo_figures_match_the_means():
    class TC:   # a stand-in TeacherCache: two photos, the "teacher" output a shifted photo
        pass
    tc = TC()
    rng = np.random.default_rng(0)
    tc.imgs = [rng.uniform(0, 255, (48, 56, 3)).astype(np.float32) for _ in range(2)]
    tc.targets = [np.clip(i + 20, 0, 255) for i in tc.imgs]
    tc.photos = ["x/p0.png", "x/p1.png"]
    tc.vgg_cache, tc.photo_grams, tc._dirty, tc.tag = {}, {}, False, "t"
    tc.save = lambda: None
    vgg = lambda x: [x, x[:, :2] * 2]
    res = E.evaluate_fn(lambda x: x * 0.9 + 10, tc, vgg)
    pp = res["per_photo"]
    assert [r["photo"] for r in pp] == ["p0", "p1"]
    for key in ("ssim_lum_4x", "edge_band", "checkerboard_ratio"):
        assert abs(np.mean([r[key] for r in pp]) - res[key]) < 1e-9
    assert abs(np.mean([r["style_distance_ratio"] for r in pp]) - res["style_distance_ratio_per_photo_mean"]) < 1e-9


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


def test_resume_keeps_each_style_and_size_and_takes_only_what_is_missing(tmp_path, monkeypatch):
    calls = []

    def fake_report(style, fn, cfg, droot, device, n, size, raw_too=True, photos=None, context=None):
        calls.append((style, size))
        return {**_per([("a", 0.1, 0.9, 1.0)]), "size": size}
    monkeypatch.setattr(E, "full_report", fake_report)
    monkeypatch.setattr(E, "model_fn", lambda model, style, device, threads: (None, {}))
    monkeypatch.setattr(E, "photo_set", lambda specs, droot: (["x/a.png"], "fake"))
    monkeypatch.setattr(E, "data_root", lambda d: tmp_path)
    js, md = tmp_path / "r.json", tmp_path / "r.md"
    args = ["--style", "candy", "mosaic", "--photos", "test", "--json", str(js), "--table", str(md), "--resume",
            "--threads", "1"]
    E.main(args + ["--size", "384"])
    assert calls == [("candy", 384), ("mosaic", 384)]
    E.main(args + ["--size", "384", "768"])            # only the 768-px figures are new
    assert calls[2:] == [("candy", 768), ("mosaic", 768)]
    md.unlink()
    E.main(args + ["--size", "384", "768"])            # nothing left to take; the table is still written
    assert len(calls) == 4
    assert "| mosaic | 384 |" in md.read_text() and "| mosaic | 768 |" in md.read_text()
    assert set(json.loads(js.read_text())["candy"]) == {"384", "768"}


def test_fed_on_context_pads_by_reflection_and_crops_back():
    x = torch.rand(2, 3, 8, 12, generator=torch.Generator().manual_seed(0))
    assert E.fed_on_context(lambda t: t * 2, 0)(x).equal(x * 2)
    seen = []
    y = E.fed_on_context(lambda t: seen.append(t.shape) or t + 1, 4)(x)
    assert seen == [(2, 3, 16, 20)] and y.equal(x + 1)
    # a model that sees its borders: the border of the output now comes from inside the padded input
    edge = lambda t: t - t.mean(dim=3, keepdim=True)
    assert not E.fed_on_context(edge, 4)(x).equal(edge(x))


def test_sheet_model_spec_reads_the_feed_context():
    from pastiche_lab.sheets import model_spec
    assert model_spec("shipped") == (None, 0, "trbl")
    assert model_spec("shipped@8") == (None, 8, "trbl")
    assert model_spec("shipped@8rb") == (None, 8, "rb")
    assert model_spec("runs/x/student.pt@16") == ("runs/x/student.pt", 16, "trbl")
    assert model_spec("runs/x/student.pt") == ("runs/x/student.pt", 0, "trbl")


def test_fed_on_context_on_some_sides_pads_only_those():
    x = torch.rand(1, 3, 8, 12, generator=torch.Generator().manual_seed(1))
    seen = []
    y = E.fed_on_context(lambda t: seen.append(t) or t, 4, "rb")(x)
    assert seen[0].shape == (1, 3, 12, 16) and y.equal(x)
    # the original sits at the top-left corner; the margin mirrors it on the right and at the bottom
    assert seen[0][:, :, :8, :12].equal(x)
    assert seen[0][:, :, :8, 12].equal(x[:, :, :, 10]) and seen[0][:, :, 8, :12].equal(x[:, :, 6, :])
    # a model that sees its borders: the left column of the output changes with all sides, not with "rb"
    edge = lambda t: t - t.mean(dim=3, keepdim=True)
    assert E.fed_on_context(edge, 4, "rb")(x)[..., 0].equal(edge(F.pad(x, (0, 4, 0, 4), mode="reflect"))[:, :, :8, 0])
    assert not E.fed_on_context(edge, 4, "rb")(x).equal(E.fed_on_context(edge, 4)(x))
    assert E.fed_on_context(edge, 4, "")(x).equal(edge(x)) and E.fed_on_context(edge, 0, "rb")(x).equal(edge(x))
    with pytest.raises(ValueError):
        E.fed_on_context(edge, 4, "rx")


def test_shipped_border_context_is_read_from_the_catalog(tmp_path):
    import json as _json
    from pastiche_lab.evaluate import shipped_border_context
    (tmp_path / "catalog.json").write_text(_json.dumps({"models": [{"id": "picasso", "file": "p.onnx", "border_context": 8},
                                                                  {"id": "candy", "file": "c.onnx"}]}))
    assert shipped_border_context("picasso", tmp_path) == 8
    assert shipped_border_context("candy", tmp_path) == 0
    assert shipped_border_context("picasso") == 8, "the shipped La Muse is painted on an 8-px margin"


def test_shipped_feed_reads_the_sides(tmp_path):
    import json as _json
    from pastiche_lab.evaluate import shipped_feed
    (tmp_path / "catalog.json").write_text(_json.dumps({"models": [
        {"id": "picasso", "file": "p.onnx", "border_context": 8, "border_sides": ["right", "bottom"]},
        {"id": "udnie", "file": "u.onnx", "border_context": 4}, {"id": "candy", "file": "c.onnx"}]}))
    assert shipped_feed("picasso", tmp_path) == (8, "rb")
    assert shipped_feed("udnie", tmp_path) == (4, "trbl")
    assert shipped_feed("candy", tmp_path)[0] == 0


def test_side_bands_name_the_side_and_edge_band_is_the_worst():
    ref = np.zeros((64, 80, 3))
    out = ref + 1.0
    out[:, -8:] += 3.0          # a band on the right
    b = E.side_bands(out, ref)
    assert b[1] > 3 and all(abs(b[i] - 1) < 0.5 for i in (0, 2, 3)), b
    assert E.edge_band(out, ref) == max(b)
