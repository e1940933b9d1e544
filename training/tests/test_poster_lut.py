"""Issue 10, the renderer's colour rule inside the exported graph: `poster_render.palette_labels` as an
L^3 lookup table (`poster_net.lut_table`, `lut_snap`). The table's labels equal the rule's at the cell
centres; a pixel's label is its cell's (exact integer arithmetic: the same in PyTorch and ONNX Runtime,
bit for bit, also on the cell edges); the box mean before the table keeps the outlines (a pixel whose own
label is ink stays ink); the exported whole and tile graphs carry it and tile like the whole; the
pre-palette training target and its sampler; the old cache still trains."""
import numpy as np
import pytest
import torch
import torch.nn as nn

from pastiche_lab import poster_net as PN
from pastiche_lab import poster_render as PR
from pastiche_lab.poster_objective import INK_TARGET, PairSampler, pre_palette_loss, pre_palette_target


@pytest.mark.parametrize("levels", [8, 32])
def test_table_is_the_rule_at_the_cell_centres(levels):
    tab = PN.lut_table(levels)
    assert tab.shape == (levels ** 3,) and tab.dtype == np.uint8
    c = (np.arange(levels) + 0.5) * 256 / levels / 255        # a cell's centre, 0..1
    rng = np.random.default_rng(0)
    for r, g, b in rng.integers(0, levels, (300, 3)):
        want = PR.palette_labels(np.array([[[c[r], c[g], c[b]]]]))[0, 0]
        assert tab[r * levels * levels + g * levels + b] == want
    assert len(np.unique(tab)) == len(PR.COLOURS)            # every poster colour has cells


def test_a_pixel_takes_its_cells_label():
    levels = 16
    tab = torch.from_numpy(PN.lut_table(levels))
    w = 256 / levels
    q = torch.randint(0, levels, (1, 3, 9, 11), generator=torch.Generator().manual_seed(1)).float()
    for frac in (0.0, 0.5, 0.999):              # anywhere in the cell, its lower edge included
        lab = PN.lut_labels((q + frac) * w, tab, levels)
        want = PR.palette_labels(((q[0] + 0.5) * w / 255).permute(1, 2, 0).double().numpy())
        assert np.array_equal(lab[0].numpy(), want)
    lo = PN.lut_labels(torch.full((1, 3, 1, 1), -40.0), tab, levels)    # beyond 0..255: the end cells
    hi = PN.lut_labels(torch.full((1, 3, 1, 1), 300.0), tab, levels)
    assert int(lo) == tab[0] == PR.INK and int(hi) == tab[-1] == PR.IDX["cream"]


def test_on_smoothed_images_the_table_mostly_agrees_with_the_rule():
    x = synthetic(96, 128)
    sm = PR.render_parts(x)["smooth"]
    want = PR.palette_labels(sm)
    y = torch.from_numpy(sm * 255).permute(2, 0, 1)[None].float()
    agree = {L: (PN.lut_labels(y, torch.from_numpy(PN.lut_table(L)), L)[0].numpy() == want).mean() for L in (8, 64)}
    assert agree[64] > 0.9 and agree[64] > agree[8]


def test_levels_must_be_a_power_of_two():
    with pytest.raises(ValueError):
        PN.lut_table(48)


class _Snap(nn.Module):
    def __init__(self, levels, blur, mode=0):
        super().__init__()
        self.levels, self.blur, self.mode = levels, blur, mode
        self.register_buffer("tab", torch.from_numpy(PN.lut_table(levels)))
        self.register_buffer("pal", torch.as_tensor(PR.COLOURS, dtype=torch.float32))

    def forward(self, y):
        return PN.lut_snap(y, self.tab, self.pal, self.levels, self.blur, PR.INK, self.mode)


@pytest.mark.parametrize("levels,blur,mode", [(64, 1, 0), (32, 5, 0), (128, 5, 5)])
def test_onnx_runtime_equals_pytorch_bit_for_bit(tmp_path, levels, blur, mode):
    import onnxruntime as ort
    m = _Snap(levels, blur, mode).eval()
    g = torch.Generator().manual_seed(2)
    y = torch.rand(1, 3, 20, 24, generator=g) * 300 - 20
    edges = torch.randint(0, levels + 1, (1, 3, 20, 24), generator=g).float() * (256 / levels)
    y = torch.where(torch.rand(1, 1, 20, 24, generator=g) < 0.3, edges, y)    # values exactly on cell edges
    path = tmp_path / "lut.onnx"
    torch.onnx.export(m, (y,), str(path), input_names=["y"], output_names=["out"], opset_version=17,
                      dynamic_axes={"y": {2: "H", 3: "W"}, "out": {2: "H", 3: "W"}})
    got = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, {"y": y.numpy()})[0]
    with torch.no_grad():
        want = m(y).numpy()
    assert np.array_equal(got, want)
    assert (((got[0].reshape(3, -1).T[:, None] - PR.COLOURS[None]) ** 2).sum(-1).min(1) == 0).all()


def tiny_net(seed=3):
    """test_poster_import's tiny poster net, as a pre-palette (smooth target) network."""
    from test_poster_import import tiny_net as poster_tiny_net
    net = poster_tiny_net(seed=seed)
    net.target_kind = "smooth"
    return net


def test_blurred_table_keeps_the_outlines():
    levels = 64
    pre = np.full((24, 24, 3), 230.0)          # cream field
    line = np.zeros((24, 24), bool); line[:, 11:14] = True      # a 3 px outline
    pre[line] = INK_TARGET
    y = torch.from_numpy(pre).permute(2, 0, 1)[None].float()
    tab = torch.from_numpy(PN.lut_table(levels))
    pal = torch.as_tensor(PR.COLOURS, dtype=torch.float32)
    with_keep = PN.lut_snap(y, tab, pal, levels, 5, PR.INK)
    without = PN.lut_snap(y, tab, pal, levels, 5)       # a plain mean
    ink = torch.as_tensor(PR.COLOURS[PR.INK], dtype=torch.float32).view(3, 1, 1)
    assert (with_keep[0][:, line] == ink.view(3, 1)).all()
    assert not (without[0][:, line] == ink.view(3, 1)).all(0).all()      # the mean alone dissolves the line
    cream = torch.tensor([248., 232, 200]).view(3, 1)
    assert (with_keep[0][:, ~line] == cream).all()                          # no dark halo beside it
    assert not (without[0][:, ~line] == cream).all()


def test_exported_lut_graphs_tile_like_the_whole_and_match_pytorch(tmp_path):
    import onnx
    from pastiche_lab.export import check_tile_pair, export_pair, ort_session
    net = PN.with_snap(tiny_net(), PR.COLOURS, 5, 32)
    assert net.config()["poster_lut"] == 32 and net.config()["poster_target"] == "smooth"
    whole, tile = tmp_path / "w.onnx", tmp_path / "t.onnx"
    export_pair(net, whole, tile)
    for p in (whole, tile):
        ops = [n.op_type for n in onnx.load(str(p)).graph.node]
        assert "Floor" in ops and "ArgMin" not in ops
    x = torch.rand(1, 3, 28, 32, generator=torch.Generator().manual_seed(4)) * 255
    out = ort_session(whole).run(["output"], {"input": x.numpy()})[0]
    with torch.no_grad():
        want = net(x).numpy()
    assert (out == want).mean() > 0.99          # the network before the table agrees to float rounding
    assert (((out[0].reshape(3, -1).T[:, None] - PR.COLOURS[None]) ** 2).sum(-1).min(1) == 0).all()
    d = check_tile_pair(whole, tile, hw=(28, 32))
    assert d["tile_vs_whole_abs"] == 0.0


def synthetic(h, w, seed=0):
    """Flat coloured fields with noise: a photo-like input for the renderer."""
    rng = np.random.default_rng(seed)
    img = np.zeros((h, w, 3))
    for _ in range(8):
        y0, x0 = rng.integers(0, h - 8), rng.integers(0, w - 8)
        img[y0:y0 + rng.integers(8, h // 2), x0:x0 + rng.integers(8, w // 2)] = rng.integers(0, 256, 3)
    return np.clip(img + rng.normal(0, 6, img.shape), 0, 255).astype(np.uint8)


def test_pre_palette_target_and_its_sampler(tmp_path):
    x = synthetic(64, 80)
    r = PR.render_parts(x)
    assert np.array_equal(r["poster"], PR.render(x))
    sm16 = np.rint(r["smooth"] * 65535).astype(np.uint16)
    t = pre_palette_target(sm16, r["line"])
    assert np.allclose(t[~r["line"]], r["smooth"][~r["line"]] * 255, atol=0.01)
    assert (PR.palette_labels(t[r["line"]][None] / 255.0) == PR.INK).all()
    assert t[r["line"]].max() / 255 < 0.16 - 0.1             # ink with margin
    np.savez_compressed(tmp_path / "new.npz", photo=x, target=r["poster"], smooth=sm16, line=r["line"])
    np.savez_compressed(tmp_path / "old.npz", photo=x, target=r["poster"])
    s = PairSampler([str(tmp_path / "new.npz")], 32, target="smooth")
    xb, tb = s.sample(2)
    assert xb.shape == (2, 3, 32, 32) and tb.shape == (2, 7, 32, 32)
    loss, parts = pre_palette_loss(tb[:, :3].clone(), tb)
    assert float(loss) == pytest.approx(0.0, abs=1e-6)
    loss2, _ = pre_palette_loss(tb[:, :3] + 10, tb, line_weight=2.0)
    assert float(loss2) == pytest.approx(10 / 255, rel=1e-4)
    with pytest.raises(ValueError):
        PairSampler([str(tmp_path / "old.npz")], 32, target="smooth")
    xo, to = PairSampler([str(tmp_path / "old.npz")], 32).sample(1)      # the old cache: the poster target
    assert to.shape == (1, 3, 32, 32)


def test_a_lut_model_imports_back_as_a_pre_palette_net(tmp_path):
    import json
    from pastiche_lab import poster_import as PI
    from pastiche_lab.export import export_pair
    net = PN.with_snap(tiny_net(), PR.COLOURS, 5, 32, 5)
    whole, tile = tmp_path / "gongnongbing.onnx", tmp_path / "gongnongbing.tile.onnx"
    export_pair(net, whole, tile)
    json.dump({"models": [{"file": "gongnongbing.onnx", "lab": {"config": net.config()}}]},
              open(tmp_path / "catalog.json", "w"))
    back, c = PI.import_model(whole, tmp_path / "back.pt")
    assert c["same_pixels"] == 1.0                  # checked through the same table
    assert back.target_kind == "smooth" and not back.snap_output
    for a, b in zip(net.state_dict().values(), back.state_dict().values()):
        if a.numel() and a.dtype.is_floating_point:
            assert torch.allclose(a, b, atol=1e-5)
    # checked through a nearest-colour snap instead, the same weights do not reproduce the model
    assert PI.check(back, PR.COLOURS.astype(np.float32), 5, whole)["same_pixels"] < 0.99


def test_mode_filter_in_the_graph_is_the_renderers():
    rng = np.random.default_rng(5)
    lab = np.repeat(np.repeat(rng.integers(0, 5, (8, 10)), 3, 0), 3, 1)      # fields of 3x3 cells
    lab[rng.random(lab.shape) < 0.15] = 7                                    # specks
    got = PN.mode_labels(torch.from_numpy(lab)[None], len(PR.COLOURS), 5, 2)[0].numpy()
    want = PR.mode_filter(lab.copy(), 5)
    inner = (slice(4, -4), slice(4, -4))        # the borders reflect differently (scipy repeats the edge pixel)
    assert np.array_equal(got[inner], want[inner])
    assert (got == 7).mean() < (lab == 7).mean() / 3
    ink = np.zeros(lab.shape, bool); ink[:, 14] = True                      # skipped pixels cast no votes
    lab2 = lab.copy(); lab2[ink] = 4
    a = PN.mode_labels(torch.from_numpy(lab2)[None], 13, 5, 1, torch.from_numpy(ink)[None])[0].numpy()
    lab3 = lab.copy(); lab3[ink] = 2
    b = PN.mode_labels(torch.from_numpy(lab3)[None], 13, 5, 1, torch.from_numpy(ink)[None])[0].numpy()
    assert np.array_equal(a, b)


def test_mode_filter_removes_a_speck_but_keeps_the_outline():
    levels = 128
    pre = np.full((24, 24, 3), 230.0)
    pre[5, 5] = (216, 40, 24)                   # a one-pixel vermilion speck in the cream field
    line = np.zeros((24, 24), bool); line[:, 15:18] = True
    pre[line] = INK_TARGET
    y = torch.from_numpy(pre).permute(2, 0, 1)[None].float()
    tab = torch.from_numpy(PN.lut_table(levels))
    pal = torch.as_tensor(PR.COLOURS, dtype=torch.float32)
    out = PN.lut_snap(y, tab, pal, levels, 1 + 0, PR.INK, 0)
    assert out[0, :, 5, 5].tolist() == [216.0, 40.0, 24.0]                   # no mean, no filter: the speck
    out = PN.lut_snap(y, tab, pal, levels, 5, PR.INK, 5)
    assert out[0, :, 5, 5].tolist() == [248.0, 232.0, 200.0]
    assert (out[0][:, torch.from_numpy(line)] == pal[PR.INK].view(3, 1)).all()
