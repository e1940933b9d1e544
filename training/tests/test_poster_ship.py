"""Issue 10: the shipped path of the poster style. The k x k box mean before the palette snap, on a
tiny image against a direct computation (loops, explicit reflection); the same in the exported ONNX
graphs (whole and tile model); a tile with the whole image's statistics equal to the whole output
beyond the output's reach; the reach itself; the outline mask and the line-weighted losses."""
import numpy as np
import pytest
import torch

from pastiche_lab import poster_net as PN
from pastiche_lab import poster_render as PR
from pastiche_lab.model import Widths

PAL = PR.COLOURS.astype(np.float64)


def tiny_net(seed=3):
    from pastiche_lab.poster_train import init_net
    net = init_net(Widths.from_list("4,4,8,4,4,4,4,4,4,4".split(",")), seed=seed, head=(8, 4))
    with torch.no_grad():        # outputs spread over the palette, not all one colour
        net.conv_out.conv.bias.fill_(128)
        net.conv_out.conv.weight.mul_(300)
    return net.eval()


def blocks(h, w, seed, cell=4):
    """A 1x3xHxW image of flat random-coloured cell x cell blocks (a photo's fields and borders)."""
    import torch.nn.functional as F
    g = torch.Generator().manual_seed(seed)
    return F.interpolate(torch.rand(1, 3, h // cell, w // cell, generator=g) * 255, size=(h, w), mode="nearest")


def reflect(i, n):
    """numpy/torch 'reflect' index (no edge repeat) for -n < i < 2n - 1."""
    return -i if i < 0 else (2 * (n - 1) - i if i >= n else i)


def direct_blurred_snap(y, k):
    """y HxWx3 float -> (HxWx3 palette colours, HxW margin: 2nd nearest minus nearest squared
    distance) of the k x k box mean (reflection at the borders), by loops."""
    h, w = y.shape[:2]
    lo = k // 2
    out = np.zeros_like(y)
    margin = np.zeros((h, w))
    for r in range(h):
        for c in range(w):
            acc = np.zeros(3)
            for dr in range(-lo, k - lo):
                for dc in range(-lo, k - lo):
                    acc += y[reflect(r + dr, h), reflect(c + dc, w)]
            m = acc / (k * k)
            d = sorted(((float(((m - p) ** 2).sum()), j) for j, p in enumerate(PAL)))
            out[r, c] = PAL[d[0][1]]
            margin[r, c] = d[1][0] - d[0][0]
    return out, margin


def raw_output(net, x):
    with torch.no_grad():
        return net.eval()(x)[0].permute(1, 2, 0).double().numpy()


@pytest.mark.parametrize("k", [3, 5])
def test_blurred_snap_equals_a_direct_computation(k):
    net = tiny_net()
    x = blocks(20, 24, 1)
    want, margin = direct_blurred_snap(raw_output(net, x), k)
    snap = PN.with_snap(net, PR.COLOURS, k)
    with torch.no_grad():
        got = snap(x)[0].permute(1, 2, 0).double().numpy()
    sure = margin > 1e-3                     # float32 vs float64 sums may differ at a near tie only
    assert sure.mean() > 0.97
    assert np.array_equal(got[sure], want[sure])
    assert len(np.unique(want.reshape(-1, 3), axis=0)) >= 3
    plain, _ = direct_blurred_snap(raw_output(net, x), 1)
    assert (plain != want).any(axis=-1).mean() > 0.02     # the mean does change colours


def test_exported_graphs_carry_the_blurred_snap_and_tile_like_the_whole(tmp_path):
    import onnx
    from pastiche_lab.export import check_tile_pair, export_pair, ort_session
    net = PN.with_snap(tiny_net(), PR.COLOURS, 5)
    whole, tile = tmp_path / "w.onnx", tmp_path / "t.onnx"
    export_pair(net, whole, tile)
    for p in (whole, tile):
        ops = [n.op_type for n in onnx.load(str(p)).graph.node]
        assert "AveragePool" in ops and "ArgMin" in ops
        assert ops.index("AveragePool") < max(i for i, o in enumerate(ops) if o == "ArgMin")
    x = blocks(28, 32, 2)
    want, margin = direct_blurred_snap(raw_output(_unsnapped(net), x), 5)
    out, stats = ort_session(whole).run(["output", "stats"], {"input": x.numpy()})
    got = out[0].transpose(1, 2, 0).astype(np.float64)
    sure = margin > 1e-2
    assert sure.mean() > 0.95
    assert np.array_equal(got[sure], want[sure])
    assert (((got.reshape(-1, 1, 3) - PAL[None]) ** 2).sum(-1).min(1) == 0).all()     # palette colours only
    d = check_tile_pair(whole, tile, hw=(28, 32))
    assert d["tile_vs_whole_abs"] == 0.0 and d["moments_vs_stats_rel"] < 1e-4


def _unsnapped(net):
    import copy
    n = copy.deepcopy(net)
    n.snap_output = False
    return n


def test_a_tile_beyond_the_reach_equals_the_whole(tmp_path):
    """The tile model on a crop, normalised with the whole image's statistics (what the engine
    does), paints every pixel at least `output_reach` from the cut as the whole model."""
    from pastiche_lab.export import export_pair, ort_session
    net = PN.with_snap(tiny_net(), PR.COLOURS, 5)
    reach = PN.output_reach(net)
    whole, tile = tmp_path / "w.onnx", tmp_path / "t.onnx"
    export_pair(net, whole, tile)
    h, w = 32, 160
    x = blocks(h, w, 4).numpy()
    y, stats = ort_session(whole).run(["output", "stats"], {"input": x})
    cut = 96                                   # a multiple of 4, as the engine's tile positions
    from pastiche_lab.export import TAIL_DEFAULT
    feed = np.concatenate([stats, np.array(TAIL_DEFAULT, np.float32)])
    yt = ort_session(tile).run(["output"], {"input": np.ascontiguousarray(x[..., :cut]), "stats": feed})[0]
    inner = cut - reach
    assert inner > 8
    assert np.array_equal(yt[..., :inner], y[..., :inner])
    assert not np.array_equal(yt[..., cut - 4:cut], y[..., cut - 4:cut])   # the cut itself does show


def test_output_reach_grows_with_the_mean_and_fits_the_engines_overlap():
    from pastiche_lab.poster_train import DEFAULT_WIDTHS, init_net
    net = init_net(Widths.from_list(DEFAULT_WIDTHS.split(",")), head=(24, 16))
    r0 = PN.output_reach(net)
    r5 = PN.output_reach(PN.with_snap(net, PR.COLOURS, 5))
    assert 40 < r0 < r5 <= r0 + 4
    # the reach bounds the tile's: before the snap, a crop normalised with the whole image's
    # statistics gives the whole output beyond `r5` from the cut (nearer, the cut shows)
    import torch.nn.functional as F
    snap = PN.with_snap(net, PR.COLOURS, 5)
    x = blocks(48, 256, 5)
    cut = 192

    def blurred(inp, stats=None):
        with torch.no_grad():
            y = _unsnapped(snap)(inp, stats=stats) if stats is not None else _unsnapped(snap)(inp)
            return F.avg_pool2d(F.pad(y, (2, 2, 2, 2), mode="reflect"), 5, 1)
    with torch.no_grad():
        _, stats = net.eval()(x, return_stats=True)
    whole, crop = blurred(x, stats), blurred(x[..., :cut], stats)
    diff = (whole[..., :cut] - crop).abs().amax((0, 1, 2))
    assert float(diff[:cut - r5].max()) < 1e-3
    assert float(diff[cut - r5:].max()) > 1e-2
    # the engine's default tiles (TilingSettings.DEFAULT: overlap 128) are exact beyond half the overlap
    assert r5 <= 128 // 2


def test_line_mask_keeps_thin_ink_not_dark_areas_and_matches_numpy():
    from pastiche_lab import poster_metrics as PM
    from pastiche_lab.poster_objective import line_mask
    ink = np.zeros((40, 50), bool)
    ink[5:25, 5:25] = True                   # a dark area (wider than the opening): no outline
    ink[30:33, :] = True                     # a 3 px line
    ink[0:10, 0:3] = True                    # a line at the border
    t = np.where(ink[..., None], PR.COLOURS[PR.INK], PR.COLOURS[0]).astype(np.float32)
    a = PM.line_mask(ink)
    b = line_mask(torch.from_numpy(t).permute(2, 0, 1)[None], torch.as_tensor(PR.COLOURS).float(), PR.INK)[0, 0]
    assert np.array_equal(a, b.numpy())
    assert a[31].all() and a[0:10, 0:3].all() and not a[5:25, 5:25].any()
    assert not (a & ~ink).any()


def test_line_weight_weighs_outline_pixels_up():
    from pastiche_lab.poster_objective import palette_ce, poster_loss
    pal = torch.as_tensor(PR.COLOURS).float()
    t = pal[0].view(1, 3, 1, 1).expand(1, 3, 16, 16).clone()
    t[..., 8, :] = pal[PR.INK].view(1, 3, 1)            # a 1 px outline
    y = t.clone()
    y[..., 8, 3] = pal[1]                                # wrong on the outline
    y2 = t.clone()
    y2[..., 2, 3] = pal[1]                               # as wrong on the field
    for fn in (lambda y, lw: poster_loss(y, t, 0, 0, palette=pal, ink_index=PR.INK, line_weight=lw)[1]["l1"],
               lambda y, lw: float(palette_ce(y, t, pal, 0.01, None, 0.0, PR.INK, lw))):
        assert fn(y, 3) / fn(y, 0) > 2 * fn(y2, 3) / fn(y2, 0)


def test_a_reshipped_style_keeps_its_place_in_the_catalog(tmp_path):
    import json
    from pastiche_lab import catalog
    p = tmp_path / "catalog.json"
    for i in ("candy", "gongnongbing", "fuchun", "any-painting"):
        catalog.update(p, {"id": i, "file": f"{i}.onnx", "license": "x"})
    catalog.update(p, {"id": "gongnongbing", "file": "gongnongbing.onnx", "license": "new"})
    models = json.loads(p.read_text(encoding="utf-8"))["models"]
    assert [m["id"] for m in models] == ["candy", "gongnongbing", "fuchun", "any-painting"]
    assert models[1]["license"] == "new"
