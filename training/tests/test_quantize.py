"""The int8 measurement's quantisation step: QDQ around the convs, the first and output convs left fp32,
and an int8 network that still computes the same picture roughly (on a tiny random network)."""
import numpy as np
import onnx
from PIL import Image

from pastiche_lab import quantize
from pastiche_lab.export import export_pair, ort_session
from test_lab import SMALL, rand_net


def test_quantize_wraps_the_inner_convs_and_keeps_the_first_and_last(tmp_path):
    export_pair(rand_net(SMALL, "B", "reflect", seed=7), tmp_path / "m.onnx", tmp_path / "m.tile.onnx")
    photos = []
    rng = np.random.default_rng(0)
    for i in range(3):
        p = tmp_path / f"p{i}.png"
        Image.fromarray((rng.random((300, 400, 3)) * 255).astype(np.uint8)).save(p)
        photos.append(p)
    kept = quantize.quantize(tmp_path / "m.onnx", tmp_path / "m.int8.onnx", photos)
    assert any("conv1/" in k for k in kept) and any("conv_out/" in k for k in kept)
    m = onnx.load(str(tmp_path / "m.int8.onnx"))
    producers = {o: n for n in m.graph.node for o in n.output}
    convs = [n for n in m.graph.node if n.op_type == "Conv"]
    quantised = [n for n in convs if producers.get(n.input[0]) is not None
                 and producers[n.input[0]].op_type == "DequantizeLinear"]
    assert quantised and len(quantised) == len(convs) - len(kept)
    assert all(n.name not in kept for n in quantised)
    x = (rng.random((1, 3, 48, 64)) * 255).astype(np.float32)
    a = ort_session(tmp_path / "m.onnx").run(["output"], {"input": x})[0]
    b = ort_session(tmp_path / "m.int8.onnx").run(["output"], {"input": x})[0]
    assert a.shape == b.shape and np.isfinite(b).all()
    assert np.corrcoef(a.ravel(), b.ravel())[0, 1] > 0.9, "int8 approximates fp32"
    assert 0.0 <= quantize.ssim_lum4(np.clip(b[0].transpose(1, 2, 0), 0, 255),
                                      np.clip(a[0].transpose(1, 2, 0), 0, 255)) <= 1.0


def test_only_quantises_just_the_named_convs(tmp_path):
    export_pair(rand_net(SMALL, "B", "reflect", seed=8), tmp_path / "m.onnx", tmp_path / "m.tile.onnx")
    rng = np.random.default_rng(1)
    p = tmp_path / "p.png"
    Image.fromarray((rng.random((300, 400, 3)) * 255).astype(np.uint8)).save(p)
    kept = quantize.quantize(tmp_path / "m.onnx", tmp_path / "m.int8.onnx", [p], only=("/res_",))
    m = onnx.load(str(tmp_path / "m.int8.onnx"))
    producers = {o: n for n in m.graph.node for o in n.output}
    convs = [n for n in m.graph.node if n.op_type == "Conv"]
    quantised = {n.name for n in convs if producers.get(n.input[0]) is not None
                 and producers[n.input[0]].op_type == "DequantizeLinear"}
    res = {n.name for n in convs if "/res_" in n.name}
    assert res and quantised == res, (quantised, res)
    assert set(kept) == {n.name for n in convs} - res


def _photos(tmp_path, n=3, seed=0):
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        p = tmp_path / f"p{i}.png"
        Image.fromarray((rng.random((300, 400, 3)) * 255).astype(np.uint8)).save(p)
        out.append(p)
    return out


def test_pair_puts_the_same_int8_convs_in_the_tile_graph(tmp_path):
    """quantize_pair: the tile graph gets the whole graph's QDQ numbers (transplant), so tiled = whole with
    shared statistics on odd sizes too; both marked int8; onnx_import reads the int8 graph back with the
    dequantized weights."""
    from pastiche_lab.onnx_import import net_from_onnx
    net = rand_net(SMALL, "B", "reflect", seed=9)
    export_pair(net, tmp_path / "m.onnx", tmp_path / "m.tile.onnx")
    names, psnr = quantize.quantize_pair(tmp_path / "m.onnx", tmp_path / "m.tile.onnx", tmp_path / "q.onnx",
                                         tmp_path / "q.tile.onnx", _photos(tmp_path), ("up1/", "up2/"))
    assert len(names) == 2 and all("up1/" in n or "up2/" in n for n in names) and psnr >= 50
    q, qt = onnx.load(str(tmp_path / "q.onnx")), onnx.load(str(tmp_path / "q.tile.onnx"))
    assert quantize.int8_convs(q) == names and quantize.int8_convs(qt) == names
    for m in (q, qt):
        assert names[0] in next(p.value for p in m.metadata_props if p.key == quantize.INT8_MARK)
    plain_tile = onnx.load(str(tmp_path / "m.tile.onnx"))
    assert {p.key: p.value for p in plain_tile.metadata_props}.items() <= \
        {p.key: p.value for p in qt.metadata_props}.items(), "the tile graph keeps its norms' metadata"
    whole, tile = ort_session(tmp_path / "q.onnx"), ort_session(tmp_path / "q.tile.onnx")
    plain, plain_tile_s = ort_session(tmp_path / "m.onnx"), ort_session(tmp_path / "m.tile.onnx")
    for hw in [(36, 52), (44, 60)]:
        x = (np.random.default_rng(hw[0]).random((1, 3, *hw)) * 255).astype(np.float32)
        y, s = whole.run(None, {"input": x})
        feed = {"input": x, "stats": np.concatenate([s, np.array([0, 0, hw[1], hw[0]], np.float32)])}
        yt, mom = tile.run(None, feed)
        assert np.abs(yt - y).max() < 0.05, "the same numbers in both graphs"
        y0 = plain.run(None, {"input": x})[0]
        assert 0 < np.abs(y - y0).max() and np.corrcoef(y.ravel(), y0.ravel())[0, 1] > 0.99, "int8, close to fp32"
        assert np.allclose(mom, plain_tile_s.run(None, feed)[1], rtol=0.05, atol=0.5), "moments of the box"
    back = net_from_onnx(tmp_path / "q.onnx", net.config())
    ref = dict(net.state_dict())
    for k, v in back.state_dict().items():
        tol = 0.02 * float(ref[k].abs().max()) + 1e-6 if ("up1" in k or "up2" in k) and "conv" in k else 1e-6
        assert float((v - ref[k]).abs().max()) <= tol, k
    assert any(float((v - ref[k]).abs().max()) > 0 for k, v in back.state_dict().items() if "up2" in k)


def test_transplant_refuses_other_weights(tmp_path):
    import pytest
    export_pair(rand_net(SMALL, "B", "reflect", seed=10), tmp_path / "m.onnx", tmp_path / "m.tile.onnx")
    export_pair(rand_net(SMALL, "B", "reflect", seed=11), tmp_path / "o.onnx", tmp_path / "o.tile.onnx")
    quantize.quantize(tmp_path / "m.onnx", tmp_path / "q.onnx", _photos(tmp_path), only=("up2/",))
    q = onnx.load(str(tmp_path / "q.onnx"))
    assert quantize.int8_convs(quantize.transplant(q, onnx.load(str(tmp_path / "m.tile.onnx"))))
    with pytest.raises(ValueError, match="weights"):
        quantize.transplant(q, onnx.load(str(tmp_path / "o.tile.onnx")))


def test_holds_is_the_issue_17_criterion():
    f = {"384": {"ssim_lum_4x": 0.830, "style_distance_ratio": 0.18, "photo_set": "test6"},
         "768": {"ssim_lum_4x": 0.840, "style_distance_ratio": 0.17, "photo_set": "test6"}}
    ok = {k: dict(v, ssim_lum_4x=v["ssim_lum_4x"] - 0.009) for k, v in f.items()}
    assert quantize.holds(f, ok) == []
    far = dict(ok, **{"768": dict(ok["768"], ssim_lum_4x=0.829)})
    assert quantize.holds(f, far) and "768" in quantize.holds(f, far)[0]
    goal = dict(ok, **{"384": dict(ok["384"], ssim_lum_4x=0.8195)})
    assert any("goal" in w for w in quantize.holds(f, goal))
    assert quantize.holds(f, {"384": ok["384"]}) == ["768 px: not evaluated"]
