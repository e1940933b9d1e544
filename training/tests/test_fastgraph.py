"""The speed rewrites of the exported graphs keep the function: outputs of the rewritten whole and tile
networks equal the plain export's, on sizes other than the export's."""
import numpy as np
import onnx
import pytest
import torch

from pastiche_lab import fastgraph
from pastiche_lab.export import export_pair, ort_session
from test_lab import SMALL, rand_net


def test_space_to_depth_weights_is_the_same_conv():
    rng = np.random.default_rng(1)
    w = rng.standard_normal((3, 5, 9, 9)).astype(np.float32)
    b = rng.standard_normal(3).astype(np.float32)
    x = torch.from_numpy(rng.standard_normal((1, 5, 24, 28)).astype(np.float32))
    ref = torch.nn.functional.conv2d(x, torch.from_numpy(w), torch.from_numpy(b))
    w2, b2 = fastgraph.space_to_depth_weights(w, b)
    assert w2.shape == (12, 20, 5, 5)
    # ONNX SpaceToDepth / DepthToSpace (DCR): channel (p * 2 + q) * C + c
    xs = x.reshape(1, 5, 12, 2, 14, 2).permute(0, 3, 5, 1, 2, 4).reshape(1, 20, 12, 14)
    ys = torch.nn.functional.conv2d(xs, torch.from_numpy(w2), torch.from_numpy(b2))
    y = ys.reshape(1, 2, 2, 3, 8, 10).permute(0, 3, 4, 1, 5, 2).reshape(1, 3, 16, 20)
    assert torch.allclose(y, ref, atol=1e-3)


@pytest.mark.parametrize("kind", ["A", "B"])
def test_rewritten_networks_give_the_same_outputs(tmp_path, kind):
    net = rand_net(SMALL, kind, "reflect", seed=3)
    export_pair(net, tmp_path / "m.onnx", tmp_path / "m.tile.onnx", rewrite=False)
    for name in ("m.onnx", "m.tile.onnx"):
        m = onnx.load(str(tmp_path / name))
        n = fastgraph.rewrite(m)
        assert n >= 1, "the output conv is always rewritten"
        if kind == "B":
            assert n == 3, "and both nearest-upsampling convs"
        ops = [node.op_type for node in m.graph.node]
        assert "DepthToSpace" in ops and (kind == "A" or "Resize" not in ops)
        onnx.save(m, str(tmp_path / ("fast." + name)))
    a, fa = ort_session(tmp_path / "m.onnx"), ort_session(tmp_path / "fast.m.onnx")
    t, ft = ort_session(tmp_path / "m.tile.onnx"), ort_session(tmp_path / "fast.m.tile.onnx")
    for hw in [(36, 52), (64, 44)]:
        x = (np.random.default_rng(hw[0]).random((1, 3, *hw)) * 255).astype(np.float32)
        y, s = a.run(None, {"input": x})
        fy, fs = fa.run(None, {"input": x})
        assert np.abs(fy - y).max() < 1e-2 and np.allclose(fs, s, rtol=1e-4, atol=1e-4)
        box = np.concatenate([s, np.array([4, 8, 32, 28], np.float32)])
        for feed in (s, box):
            ref = t.run(None, {"input": x, "stats": feed})
            got = ft.run(None, {"input": x, "stats": feed})
            assert np.abs(got[0] - ref[0]).max() < 1e-2
            assert np.allclose(got[1], ref[1], rtol=1e-4, atol=1e-3)


def test_export_writes_the_rewritten_graph(tmp_path):
    export_pair(rand_net(SMALL, "B", "reflect", seed=4), tmp_path / "m.onnx", tmp_path / "m.tile.onnx")
    for name in ("m.onnx", "m.tile.onnx"):
        m = onnx.load(str(tmp_path / name))
        assert any(p.key == fastgraph.MARK for p in m.metadata_props)
        assert fastgraph.rewrite(m) == 0, "nothing left to rewrite"
