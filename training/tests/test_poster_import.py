"""Issue 10: the shipped poster model read back into PyTorch (`poster_import`), and the colour head's
smoothed input colour (`PosterNet(smooth=...)`): the imported network equals ONNX Runtime on the
shipped file and re-exports to the same model; a corrupted or missing weight fails clearly; the
smoothed colour is a box mean (against loops), starts at zero weights as the same network, exports,
imports back, and tiles like the whole within the engine's overlap."""
import json
import os
import shutil

import numpy as np
import onnx
import pytest
import torch

from pastiche_lab import poster_import as PI
from pastiche_lab import poster_net as PN
from pastiche_lab import poster_render as PR
from pastiche_lab.model import Widths

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(HERE, "..", "..", "models")
SHIPPED = os.path.join(MODELS, "gongnongbing.onnx")


def shipped_is_a_poster_net():
    if not os.path.exists(SHIPPED):
        return False
    cat = json.load(open(os.path.join(MODELS, "catalog.json")))
    ent = next((e for e in cat["models"] if e["file"] == "gongnongbing.onnx"), None)
    return ent is not None and "poster_head" in ent.get("lab", {}).get("config", {})


needs_shipped = pytest.mark.skipif(not shipped_is_a_poster_net(), reason="models/ holds no PosterNet gongnongbing")


def copy_shipped(tmp_path, edit=None):
    """The shipped model and its catalog in tmp_path; edit(model) changes the copy."""
    shutil.copy(os.path.join(MODELS, "catalog.json"), tmp_path / "catalog.json")
    m = onnx.load(SHIPPED)
    if edit is not None:
        edit(m)
    p = tmp_path / "gongnongbing.onnx"
    onnx.save(m, str(p))
    return p


def photo_like(h, w, seed):
    from pastiche_lab.export import ort_session  # noqa: F401  (onnxruntime present)
    rng = np.random.default_rng(seed)
    lo = torch.from_numpy(rng.random((1, 3, h // 8, w // 8)).astype(np.float32))
    x = torch.nn.functional.interpolate(lo, size=(h, w), mode="bilinear", align_corners=False) * 235 + 10
    return x.clamp(0, 255).numpy()


@needs_shipped
def test_imported_shipped_model_equals_onnx_runtime_and_reexports_to_it(tmp_path):
    from pastiche_lab.export import export_pair, ort_session
    p = copy_shipped(tmp_path)
    net, c = PI.import_model(p, tmp_path / "init.pt")
    assert c["same_pixels"] == 1.0 and c["stats_rel"] < 1e-5
    _, palette, k = PI.net_from_onnx(p, PI.config_of(p)["lab"]["config"])
    assert k == 5 and palette.shape == (13, 3)
    # the checkpoint loads as a poster network (what `train --init` reads) and re-exports to the same model
    loaded, ck = PN.load(tmp_path / "init.pt")
    assert ck["meta"]["snap_blur"] == 5 and loaded.head == (24, 16)
    snap = PN.with_snap(loaded, PR.COLOURS, ck["meta"]["snap_blur"], ck["meta"].get("lut", 0),
                        ck["meta"].get("lut_mode", 0))      # session 10's model: the lookup table + mode filter
    export_pair(snap, tmp_path / "re.onnx", tmp_path / "re.tile.onnx")
    x = photo_like(96, 136, 7)
    a = ort_session(p).run(["output", "stats"], {"input": x})
    b = ort_session(tmp_path / "re.onnx").run(["output", "stats"], {"input": x})
    same = (np.abs(a[0] - b[0]).max(1) < 0.5).mean()
    assert same > 0.999
    assert len(np.unique(a[0][0].reshape(3, -1).T, axis=0)) >= 3        # not one flat colour
    assert np.abs(a[1] - b[1]).max() / np.abs(a[1]).max() < 1e-5


@needs_shipped
@pytest.mark.parametrize("which", [16, 0])      # the colour head's head_b, the first conv
def test_a_wrongly_read_weight_fails_the_check(tmp_path, monkeypatch, which):
    """A weight read wrongly (one output channel's sign flipped) is caught against ONNX Runtime: the
    importer refuses to write the checkpoint."""
    p = copy_shipped(tmp_path)
    real = PI.graph_weights

    def wrong(path, out_k=9):
        convs, norms = real(path, out_k)
        w, b = convs[which]
        w = np.array(w); w[0] *= -1.0
        convs[which] = (w, b)
        return convs, norms
    monkeypatch.setattr(PI, "graph_weights", wrong)
    with pytest.raises(SystemExit, match="does not reproduce"):
        PI.import_model(p, tmp_path / "init.pt")
    assert not (tmp_path / "init.pt").exists()


@needs_shipped
def test_a_missing_weight_or_a_wrong_config_fails_clearly(tmp_path):
    def drop(m):      # head_b's weight no longer an initialiser: its conv cannot be read
        i = next(i for i in m.graph.initializer if i.name == "net.head_b.weight")
        m.graph.input.append(onnx.helper.make_tensor_value_info(i.name, onnx.TensorProto.FLOAT, list(i.dims)))
        m.graph.initializer.remove(i)
    p = copy_shipped(tmp_path, drop)
    with pytest.raises(ValueError, match="found 17 convs"):
        PI.net_from_onnx(p, PI.config_of(p)["lab"]["config"])
    cfg = PI.config_of(SHIPPED)["lab"]["config"]
    with pytest.raises(ValueError, match="conv weight"):
        PI.net_from_onnx(SHIPPED, {**cfg, "poster_head": [24, 8]})
    have = list(cfg.get("poster_smooth") or [])        # the shipped graph's smoothed colour (none, or 7 and 15)
    wrong = [7] if have != [7] else [7, 15]             # a config that claims one the graph lacks
    with pytest.raises(ValueError, match=r"conv weight \(24, %d, 1, 1\), the config says \(24, %d, 1, 1\)"
                       % (19 + 3 * len(have), 19 + 3 * len(wrong))):
        PI.net_from_onnx(SHIPPED, {**cfg, "poster_smooth": wrong})


def tiny_net(smooth=(), seed=3):
    from pastiche_lab.poster_train import init_net
    net = init_net(Widths.from_list("4,4,8,4,4,4,4,4,4,4".split(",")), seed=seed, head=(8, 4), smooth=smooth)
    with torch.no_grad():
        net.conv_out.conv.bias.fill_(128)
        net.conv_out.conv.weight.mul_(300)
        g = torch.Generator().manual_seed(seed)
        for n in net.norms():     # trained-looking norms (an identity affine is folded away by fastgraph)
            n.weight.copy_(1 + 0.2 * torch.randn(n.c, generator=g)); n.bias.copy_(0.1 * torch.randn(n.c, generator=g))
        if smooth:       # the smoothed colour's weights on, so it shows in every check
            net.head_a.weight[:, -3 * len(smooth):] = torch.randn_like(net.head_a.weight[:, -3 * len(smooth):])
    return net.eval()


def test_box_mean_equals_loops_with_reflection():
    x = torch.rand(1, 3, 9, 11) * 255
    k = 5
    got = PN.box_mean(x, k)[0].numpy()

    def r(i, n):
        return -i if i < 0 else (2 * (n - 1) - i if i >= n else i)
    xs = x[0].numpy()
    want = np.zeros_like(xs)
    for a in range(9):
        for b in range(11):
            want[:, a, b] = np.mean([xs[:, r(a + i, 9), r(b + j, 11)] for i in range(-2, 3) for j in range(-2, 3)], 0)
    assert np.abs(got - want).max() < 1e-3


def test_with_smooth_starts_as_the_same_network_and_then_sees_the_smoothed_colour():
    net = tiny_net()
    grown = PN.with_smooth(net, (7, 15))
    x = torch.rand(1, 3, 40, 44) * 255
    with torch.no_grad():
        # the same function: zero weights for the new channels (float rounding only: the wider conv sums in another order)
        assert (net(x) - grown(x)).abs().max().item() < 1e-3
    assert grown.config()["poster_smooth"] == [7, 15]
    assert grown.head_a.weight.shape[1] == net.head_a.weight.shape[1] + 6
    assert PN.head_macs(net.widths, net.head, (7, 15)) == PN.head_macs(net.widths, net.head) + 6 * 8 + 6 * 22
    with torch.no_grad():
        grown.head_a.weight[:, -6:] = 1.0
        # a field whose pixels are the same but whose neighbourhood differs now paints differently
        x2 = x.clone(); x2[..., :, 30:] = 255 - x2[..., :, 30:]
        d = (grown(x) - grown(x2)).abs()[..., 20:27].amax()
        d0 = (net(x) - net(x2)).abs()[..., 20:27].amax()
    assert float(d) > float(d0) + 1.0


def test_smoothed_net_exports_imports_back_and_tiles_like_the_whole(tmp_path):
    from pastiche_lab.export import TAIL_DEFAULT, check_tile_pair, export_pair, ort_session
    net = PN.with_snap(tiny_net((7, 15)), PR.COLOURS, 5)
    whole, tile = tmp_path / "gongnongbing.onnx", tmp_path / "gongnongbing.tile.onnx"
    export_pair(net, whole, tile)
    assert PI.smooth_of_graph(whole) == (7, 15) and PI.smooth_of_graph(tile) == (7, 15)
    json.dump({"models": [{"file": "gongnongbing.onnx", "lab": {"config": net.config()}}]},
              open(tmp_path / "catalog.json", "w"))
    back, c = PI.import_model(whole, tmp_path / "back.pt")
    assert c["same_pixels"] == 1.0
    assert back.smooth == (7, 15)
    with pytest.raises(ValueError, match="smoothed input colour"):      # same shapes, other box sizes
        PI.net_from_onnx(whole, {**net.config(), "poster_smooth": [5, 9]})
    for a, b in zip(net.state_dict().values(), back.state_dict().values()):
        assert torch.allclose(a, b, atol=1e-5)
    d = check_tile_pair(whole, tile, hw=(40, 44))
    assert d["tile_vs_whole_abs"] == 0.0
    # the reach (with the smoothed colour's weights on) fits the engine's overlap, and a tile cut with
    # the whole image's statistics equals the whole beyond it
    reach = PN.output_reach(net)
    assert reach <= 64
    x = (torch.rand(1, 3, 32, 160) * 255).numpy()
    y, stats = ort_session(whole).run(["output", "stats"], {"input": x})
    feed = np.concatenate([stats, np.array(TAIL_DEFAULT, np.float32)])
    cut = 96
    yt = ort_session(tile).run(["output"], {"input": np.ascontiguousarray(x[..., :cut]), "stats": feed})[0]
    assert np.array_equal(yt[..., :cut - reach], y[..., :cut - reach])


def test_output_reach_of_the_shipped_widths_with_the_smoothed_colour_fits_64():
    from pastiche_lab.poster_train import DEFAULT_WIDTHS, init_net
    net = init_net(Widths.from_list(DEFAULT_WIDTHS.split(",")), head=(24, 16), smooth=(7, 15))
    with torch.no_grad():
        net.head_a.weight[:, -6:] = 0.5
    r = PN.output_reach(PN.with_snap(net, PR.COLOURS, 5))
    assert 40 < r <= 64
