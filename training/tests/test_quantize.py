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
