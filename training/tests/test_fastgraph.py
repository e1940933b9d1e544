"""The speed rewrites of the exported graphs keep the function: outputs of the rewritten whole and tile
networks equal the plain export's, on sizes other than the export's."""
import numpy as np
import onnx
import pytest
import torch

from pastiche_lab import fastgraph
from pastiche_lab.export import export_pair, ort_session
from test_lab import SMALL, rand_net


def _psnr(a, b):
    mse = float(np.mean((np.clip(a, 0, 255) - np.clip(b, 0, 255)) ** 2))
    return 300.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


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


def test_conv_transpose_phase_weights_is_the_same_upsampling():
    rng = np.random.default_rng(2)
    w = rng.standard_normal((5, 3, 3, 3)).astype(np.float32)   # ConvTranspose: [C_in, C_out, k, k]
    b = rng.standard_normal(3).astype(np.float32)
    x = torch.from_numpy(rng.standard_normal((1, 5, 7, 9)).astype(np.float32))
    ref = torch.nn.functional.conv_transpose2d(x, torch.from_numpy(w), torch.from_numpy(b), stride=2)[:, :, :-1, :-1]
    w2, b2 = fastgraph.conv_transpose_phase_weights(w, b)
    assert w2.shape == (12, 5, 2, 2)
    ys = torch.nn.functional.conv2d(torch.nn.functional.pad(x, (1, 0, 1, 0)), torch.from_numpy(w2), torch.from_numpy(b2))
    y = ys.reshape(1, 2, 2, 3, 7, 9).permute(0, 3, 4, 1, 5, 2).reshape(1, 3, 14, 18)   # DepthToSpace (DCR)
    assert torch.allclose(y, ref, atol=1e-4)


def _upsampling_graph(w3, b3):
    """input -> Pad (edge 1) -> Conv 3 x 3 (weights w3) -> DepthToSpace(2): upsample_conv_phases' layout."""
    from onnx import TensorProto, helper, numpy_helper
    inits = [numpy_helper.from_array(w3, "w"), numpy_helper.from_array(b3, "b"),
             numpy_helper.from_array(np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64), "pads")]
    nodes = [helper.make_node("Pad", ["input", "pads"], ["p"], mode="edge"),
             helper.make_node("Conv", ["p", "w", "b"], ["y"], kernel_shape=[3, 3]),
             helper.make_node("DepthToSpace", ["y"], ["output"], blocksize=2, mode="DCR")]
    c = w3.shape[1]
    g = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, c, "H", "W"])],
                          [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, w3.shape[0] // 4, "H2", "W2"])], inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def _assert_upsamples(m, w, b, rng):
    """m computes format B's upsampling (nearest 2x, reflection pad 1, 3 x 3 conv w, b) on odd and even sizes."""
    for hw in [(7, 9), (12, 10)]:
        x = rng.standard_normal((1, 6, *hw)).astype(np.float32)
        up = torch.nn.functional.interpolate(torch.from_numpy(x), scale_factor=2, mode="nearest")
        ref = torch.nn.functional.conv2d(torch.nn.functional.pad(up, (1, 1, 1, 1), mode="reflect"),
                                         torch.from_numpy(w), torch.from_numpy(b)).numpy()
        got = _run(m, x)
        assert got.shape == ref.shape and np.abs(got - ref).max() < 1e-4


def test_upsample_phases_2x2_is_the_nearest_upsampling_conv():
    """Nearest x2, reflection pad 1, 3 x 3 conv (the format B upsampling, as PyTorch runs it) against the
    2 x 2 phase graph, on odd and even sizes; and a 3 x 3 conv that is not an upsampling is left alone."""
    rng = np.random.default_rng(7)
    w = rng.standard_normal((5, 6, 3, 3)).astype(np.float32)
    b = rng.standard_normal(5).astype(np.float32)
    m = _upsampling_graph(*fastgraph.upsample_phase_weights(w, b))
    assert fastgraph.upsample_phases_2x2(m) == 1
    onnx.checker.check_model(m)
    convs = [n for n in m.graph.node if n.op_type == "Conv"]
    assert len(convs) == 1 and list(fastgraph._attr(convs[0], "kernel_shape")) == [2, 2]
    assert [n.op_type for n in m.graph.node][-2:] == ["DepthToSpace", "Slice"]
    _assert_upsamples(m, w, b, rng)
    # then the DepthToSpace as a ConvTranspose, the crop as its pads
    assert fastgraph.depth_to_space_conv_transpose(m) == 1
    onnx.checker.check_model(m)
    assert [n.op_type for n in m.graph.node] == ["Pad", "Conv", "ConvTranspose"]
    assert list(fastgraph._attr(m.graph.node[-1], "pads")) == [1, 1, 1, 1]
    _assert_upsamples(m, w, b, rng)
    general = _upsampling_graph(rng.standard_normal((20, 6, 3, 3)).astype(np.float32), np.zeros(20, np.float32))
    assert fastgraph.upsample_phases_2x2(general) == 0


def test_depth_to_space_conv_transpose_is_the_same_copy():
    """Conv -> DepthToSpace (DCR) against the rewritten Conv (outputs in CRD order) -> ConvTranspose: bit
    for bit; a conv whose output has another user is left alone."""
    from onnx import TensorProto, helper, numpy_helper
    rng = np.random.default_rng(8)
    w = rng.standard_normal((12, 5, 3, 3)).astype(np.float32)
    b = rng.standard_normal(12).astype(np.float32)

    def graph(extra_user):
        nodes = [helper.make_node("Conv", ["input", "w", "b"], ["y"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
                 helper.make_node("DepthToSpace", ["y"], ["output"], blocksize=2, mode="DCR")]
        outs = [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 3, "H2", "W2"])]
        if extra_user:
            nodes.append(helper.make_node("Relu", ["y"], ["side"]))
            outs.append(helper.make_tensor_value_info("side", TensorProto.FLOAT, [1, 12, "H", "W"]))
        g = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 5, "H", "W"])],
                              outs, [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")])
        return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)

    m = graph(False)
    x = rng.standard_normal((1, 5, 9, 14)).astype(np.float32)
    ref = _run(m, x)
    assert fastgraph.depth_to_space_conv_transpose(m) == 1
    onnx.checker.check_model(m)
    assert [n.op_type for n in m.graph.node] == ["Conv", "ConvTranspose"]
    got = _run(m, x)
    assert got.shape == (1, 3, 18, 28) and np.array_equal(got, ref)
    assert fastgraph.depth_to_space_conv_transpose(graph(True)) == 0


@pytest.mark.parametrize("kind", ["A", "B"])
def test_rewritten_networks_give_the_same_outputs(tmp_path, kind):
    net = rand_net(SMALL, kind, "reflect", seed=3)
    export_pair(net, tmp_path / "m.onnx", tmp_path / "m.tile.onnx", rewrite=False)
    for name in ("m.onnx", "m.tile.onnx"):
        m = onnx.load(str(tmp_path / name))
        norms = sum(1 for node in m.graph.node if node.op_type == "Pow")
        assert norms >= 5, "the plain export writes each norm's variance with a Pow"
        n = fastgraph.rewrite(m)
        mark = next(p.value for p in m.metadata_props if p.key == fastgraph.MARK)
        assert "output_conv_space_to_depth x1" in mark, "the output conv is always rewritten"
        if kind == "B":
            assert "upsample_conv_phases x2" in mark, "and both nearest-upsampling convs"
            assert "upsample_phases_2x2 x2" in mark, "and their phases on 2 x 2 windows"
        else:
            assert "conv_transpose_phases x2" in mark, "and both stride-2 ConvTransposes"
        assert f"norm_one_pass_variance x{norms}" in mark and f"norm_affine x{norms}" in mark, mark
        assert n == sum(int(part.split(" x")[1]) for part in mark.split(", "))
        ops = [node.op_type for node in m.graph.node]
        assert "depth_to_space_conv_transpose x3" in mark, "each phase layout's DepthToSpace"
        cts = [node for node in m.graph.node if node.op_type == "ConvTranspose"]
        # format A: phase_tensor_pad drops up2's DepthToSpace where only the norm's statistics read it
        whole_a = kind == "A" and name == "m.onnx"
        assert ("phase_tensor_pad x1" in mark) == (kind == "A"), mark
        assert "DepthToSpace" not in ops and "Resize" not in ops and len(cts) == (2 if whole_a else 3)
        assert all(list(fastgraph._attr(c, "kernel_shape")) == [2, 2] for c in cts), "only the DepthToSpace ones"
        if kind == "B":   # the two upsamplings' crops are the ConvTransposes' pads
            assert sorted(list(fastgraph._attr(c, "pads")) for c in cts) == [[0] * 4, [1] * 4, [1] * 4]
        # each norm followed by a Relu is norm_affine_relu's depthwise conv; the others stay BatchNormalization
        dw = [node for node in m.graph.node if node.op_type == "Conv" and node.name.endswith(fastgraph.AFFINE_RELU)]
        prod = {o: node for node in m.graph.node for o in node.output}
        assert len(dw) >= 5 and f"norm_affine_relu x{len(dw)}" in mark
        assert all(prod[r.input[0]].op_type != "BatchNormalization" for r in m.graph.node if r.op_type == "Relu")
        assert "Pow" not in ops and ops.count("BatchNormalization") + len(dw) == norms
        onnx.save(m, str(tmp_path / ("fast." + name)))
    a, fa = ort_session(tmp_path / "m.onnx"), ort_session(tmp_path / "fast.m.onnx")
    t, ft = ort_session(tmp_path / "m.tile.onnx"), ort_session(tmp_path / "fast.m.tile.onnx")
    for hw in [(36, 52), (64, 44)]:
        x = (np.random.default_rng(hw[0]).random((1, 3, *hw)) * 255).astype(np.float32)
        y, s = a.run(None, {"input": x})
        fy, fs = fa.run(None, {"input": x})
        # the one-pass variance is float-close, not bit-identical
        assert np.abs(fy - y).max() < 0.1 and _psnr(fy, y) > 60 and np.allclose(fs, s, rtol=1e-3, atol=1e-3)
        box = np.concatenate([s, np.array([4, 8, 32, 28], np.float32)])
        for feed in (s, box):
            ref = t.run(None, {"input": x, "stats": feed})
            got = ft.run(None, {"input": x, "stats": feed})
            assert np.abs(got[0] - ref[0]).max() < 0.1 and _psnr(got[0], ref[0]) > 60
            assert np.allclose(got[1], ref[1], rtol=1e-3, atol=1e-3)


def test_export_writes_the_rewritten_graph(tmp_path):
    export_pair(rand_net(SMALL, "B", "reflect", seed=4), tmp_path / "m.onnx", tmp_path / "m.tile.onnx")
    for name in ("m.onnx", "m.tile.onnx"):
        m = onnx.load(str(tmp_path / name))
        assert any(p.key == fastgraph.MARK for p in m.metadata_props)
        assert fastgraph.rewrite(m) == 0, "nothing left to rewrite"


def _norm_like(shift_is_full_size: bool, batch=1):
    """x -> (x - m) / s * gamma + beta with m, s per channel (an instance norm), or with m a full-size
    tensor (the same ops, but not a norm: the affine rewrite must leave it alone)."""
    from onnx import TensorProto, helper, numpy_helper
    c = 4
    rng = np.random.default_rng(5)
    inits = [numpy_helper.from_array(rng.standard_normal((1, c, 1, 1)).astype(np.float32), n) for n in ("g", "b")]
    inits.append(numpy_helper.from_array(np.array([2.0], np.float32), "two"))
    inits.append(numpy_helper.from_array(np.array([1e-5], np.float32), "eps"))
    inits.append(numpy_helper.from_array(rng.standard_normal((c, 3, 3, 3)).astype(np.float32), "w"))
    nodes = [helper.make_node("Conv", ["input", "w"], ["x"], pads=[1, 1, 1, 1]),
             helper.make_node("ReduceMean", ["x"], ["m"], axes=[2, 3], keepdims=1),
             helper.make_node("Sub", ["x", "m"], ["d"]),
             helper.make_node("Pow", ["d", "two"], ["d2"]),
             helper.make_node("ReduceMean", ["d2"], ["v"], axes=[2, 3], keepdims=1),
             helper.make_node("Add", ["v", "eps"], ["ve"]),
             helper.make_node("Sqrt", ["ve"], ["s"])]
    if shift_is_full_size:
        nodes += [helper.make_node("Relu", ["x"], ["full"]), helper.make_node("Sub", ["x", "full"], ["d_"]),
                  helper.make_node("Div", ["d_", "s"], ["n"])]
    else:
        nodes.append(helper.make_node("Div", ["d", "s"], ["n"]))
    nodes += [helper.make_node("Mul", ["n", "g"], ["ng"]), helper.make_node("Add", ["ng", "b"], ["output"])]
    g = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [batch, 3, "H", "W"])],
                          [helper.make_tensor_value_info("output", TensorProto.FLOAT, [batch, c, "H", "W"])], inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def _run(model, x):
    import onnxruntime as ort
    return ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, {"input": x})[0]


def test_norm_rewrites_keep_an_instance_norm_and_leave_lookalikes_alone():
    x = (np.random.default_rng(6).random((1, 3, 40, 56)) * 255).astype(np.float32)
    m = _norm_like(False)
    ref = _run(m, x)
    assert fastgraph.norm_one_pass_variance(m) == 1 and fastgraph.norm_affine(m) == 1
    ops = [n.op_type for n in m.graph.node]
    assert "Pow" not in ops and "Div" not in [n.op_type for n in m.graph.node if "x" in n.input] and "BatchNormalization" in ops
    onnx.checker.check_model(m)
    got = _run(m, x)
    assert np.allclose(got, ref, rtol=1e-3, atol=1e-3)

    full = _norm_like(True)       # (x - relu(x)) / s: the subtrahend has the image's size
    assert fastgraph.norm_affine(full) == 0
    batch = _norm_like(False, batch=2)  # per-channel scale would mix the images' statistics
    assert fastgraph.norm_affine(batch) == 0


def test_phase_tensor_pad_is_the_same_norm_relu_pad_and_conv(tmp_path):
    """Format A: norm, Relu and the output conv's reflection pad on up2's phase tensor instead of the
    DepthToSpace'd full-resolution one give the outputs of the graph without that rewrite (float-close: the
    statistics are summed in another order), whole and tiled (the moments of a box), on odd sizes too."""
    net = rand_net(SMALL, "A", "reflect", seed=5)
    export_pair(net, tmp_path / "m.onnx", tmp_path / "m.tile.onnx", rewrite=False)
    for name in ("m.onnx", "m.tile.onnx"):
        m = onnx.load(str(tmp_path / name))
        for r in fastgraph.REWRITES[:fastgraph.REWRITES.index(fastgraph.phase_tensor_pad)]:   # those before it
            r(m)
        onnx.save(m, str(tmp_path / ("before." + name)))
        ops = [n.op_type for n in m.graph.node]
        assert "SpaceToDepth" in ops and ops.count("ConvTranspose") == 3
        assert fastgraph.phase_tensor_pad(m) == 1
        onnx.checker.check_model(m)
        ops = [n.op_type for n in m.graph.node]
        assert "SpaceToDepth" not in ops and not any(
            n.op_type == "Pad" and fastgraph._attr(n, "mode") == b"reflect" and "conv_out" in n.name for n in m.graph.node)
        # the whole graph's statistics read the phase view; the tile graph keeps X for its box's moments
        assert ops.count("ConvTranspose") == (2 if name == "m.onnx" else 3)
        assert fastgraph.phase_tensor_pad(m) == 0, "nothing left to rewrite"
        onnx.save(m, str(tmp_path / ("after." + name)))
    a, b = ort_session(tmp_path / "before.m.onnx"), ort_session(tmp_path / "after.m.onnx")
    t, tb = ort_session(tmp_path / "before.m.tile.onnx"), ort_session(tmp_path / "after.m.tile.onnx")
    for hw in [(36, 52), (37, 53), (64, 44), (41, 30)]:
        x = (np.random.default_rng(hw[1]).random((1, 3, *hw)) * 255).astype(np.float32)
        y, s = a.run(None, {"input": x})
        fy, fs = b.run(None, {"input": x})
        assert y.shape == fy.shape and np.abs(fy - y).max() < 5e-3 and np.allclose(fs, s, rtol=1e-4, atol=1e-4)
        for feed in (s, np.concatenate([s, np.array([4, 8, 32, 28], np.float32)])):
            ref = t.run(None, {"input": x, "stats": feed})
            got = tb.run(None, {"input": x, "stats": feed})
            assert np.abs(got[0] - ref[0]).max() < 5e-3 and np.allclose(got[1], ref[1], rtol=1e-4, atol=1e-4)


def test_norm_affine_relu_is_the_same_norm_and_relu():
    """BatchNormalization (norm_affine's) + Relu as a depthwise 1 x 1 conv + Relu: the same numbers (exact), on
    the whole and the tile graph (whose norms take the fed statistics); a norm without a Relu is left alone."""
    import tempfile
    from pathlib import Path
    net = rand_net(SMALL, "B", "reflect", seed=6)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        export_pair(net, tmp / "m.onnx", tmp / "m.tile.onnx", rewrite=False)
        for name in ("m.onnx", "m.tile.onnx"):
            m = onnx.load(str(tmp / name))
            for r in fastgraph.REWRITES:
                if r is not fastgraph.norm_affine_relu:
                    r(m)
            onnx.save(m, str(tmp / ("before." + name)))
            bns = [n for n in m.graph.node if n.op_type == "BatchNormalization"]
            users = fastgraph._consumers(m.graph)
            relu_bns = [n for n in bns if [u.op_type for u in users[n.output[0]]] == ["Relu"]]
            assert 0 < len(relu_bns) < len(bns), "some norms feed a Relu, some (the res blocks' second) do not"
            assert fastgraph.norm_affine_relu(m) == len(relu_bns)
            onnx.checker.check_model(m)
            assert sum(n.op_type == "BatchNormalization" for n in m.graph.node) == len(bns) - len(relu_bns)
            assert fastgraph.norm_affine_relu(m) == 0, "nothing left to rewrite"
            onnx.save(m, str(tmp / ("after." + name)))
        a, b = ort_session(tmp / "before.m.onnx"), ort_session(tmp / "after.m.onnx")
        t, tb = ort_session(tmp / "before.m.tile.onnx"), ort_session(tmp / "after.m.tile.onnx")
        for hw in [(36, 52), (37, 53), (41, 30)]:
            x = (np.random.default_rng(hw[1]).random((1, 3, *hw)) * 255).astype(np.float32)
            y, s = a.run(None, {"input": x})
            fy, fs = b.run(None, {"input": x})
            assert np.abs(fy - y).max() < 1e-3 and np.array_equal(fs, s)
            for feed in (s, np.concatenate([s, np.array([4, 8, 32, 28], np.float32)])):
                ref, got = t.run(None, {"input": x, "stats": feed}), tb.run(None, {"input": x, "stats": feed})
                assert np.abs(got[0] - ref[0]).max() < 1e-3 and np.allclose(got[1], ref[1], rtol=1e-5, atol=1e-4)


def test_phase_pad_perm_reads_space_to_depth_channels():
    c = 3
    x = np.arange(2 * c * 4 * 5, dtype=np.float32).reshape(1, c, 4, 10) + 0   # [1, C, 2 h, 2 w], h = 2, w = 5
    s2d = x.reshape(1, c, 2, 2, 5, 2).transpose(0, 3, 5, 1, 2, 4).reshape(1, 4 * c, 2, 5)  # (p * 2 + q) * C + k
    crd = x.reshape(1, c, 2, 2, 5, 2).transpose(0, 1, 3, 5, 2, 4).reshape(1, 4 * c, 2, 5)  # k * 4 + p * 2 + q
    assert np.array_equal(crd, s2d[:, fastgraph.phase_pad_perm(c)])
