"""MicroAST (format C): the import against the goldens, slimming equals masking, ONNX parity."""
import random

import numpy as np
import pytest
import torch
from PIL import Image

from pastiche_lab import microast as M
from pastiche_lab.data import data_root

DATA = data_root()
HAVE_TEACHER = (DATA / "teachers" / "microast" / M.TEACHER_FILES["decoder"]).is_file()
need_data = pytest.mark.skipif(not HAVE_TEACHER, reason=f"MicroAST teacher not found under {DATA} (../shared/data)")


def _png01(path):
    return torch.from_numpy(np.asarray(Image.open(path).convert("RGB"), dtype=np.float32) / 255).permute(2, 0, 1)[None]


@pytest.fixture(scope="module")
def teacher():
    torch.set_num_threads(1)
    return M.load_teacher(DATA)


@need_data
@pytest.mark.parametrize("style", ["la_muse", "starry-night"])
def test_import_matches_goldens(teacher, style):
    ref = DATA / "reference"
    c = _png01(ref / "microast-content-amber-512.png")
    s = _png01(ref / f"microast-style-{style}-512.png")
    with torch.no_grad():
        y = np.rint(teacher(c, s)[0].permute(1, 2, 0).numpy() * 255)
    g = np.asarray(Image.open(ref / f"microast-amber-{style}.png"), dtype=np.float32)
    d = np.abs(y - g)
    assert d.max() <= 1.0, d.max()
    assert (d > 0).mean() < 1e-3          # one grey level, and only at rounding ties


def _random_net(seed=0):
    torch.manual_seed(seed)
    net = M.ContentNet(M.FULL)
    for p in net.parameters():
        p.data.normal_(0, 0.15)
    return net.eval()


def _random_code(full_t=64, seed=0):
    g = torch.Generator().manual_seed(seed)
    c = torch.randn(8 * full_t, generator=g) * 0.5
    c[full_t:2 * full_t] = c[full_t:2 * full_t].abs() + 0.5     # deviations are positive
    c[3 * full_t:4 * full_t] = c[3 * full_t:4 * full_t].abs() + 0.5
    return c


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_slim_equals_masks(seed):
    rng = random.Random(seed)
    code = [1 if rng.random() < 0.6 else 0 for _ in range(M.code_len())]
    for _g, (s, _e) in M.group_slices().items():
        code[s] = 1                                      # at least one channel (pair) per group
    idx = M.indices_from_code(code)
    net = _random_net(seed)
    code_full = _random_code(seed=seed)
    x = torch.rand(1, 3, 36, 44)
    with torch.no_grad():
        ref = M.MaskedContentNet(net, idx)(x, code_full)
        small = M.slim(net, idx)
        T = torch.tensor(idx["trunk"])
        sc = torch.cat([code_full[v][T] for v in M.code_layout(64).values()])
        out = small(x, sc)
    assert small.w == M.widths_from_indices(idx)
    assert M.count_params(small) < M.count_params(net)
    assert torch.allclose(out, ref, atol=1e-5), (out - ref).abs().max()
    # a pruned net differs from the full one (the masks really remove something)
    with torch.no_grad():
        assert (net(x, code_full) - ref).abs().max() > 1e-3


def test_paired_groups_keep_whole_groups():
    code = [1] * M.code_len()
    s, e = M.group_slices()["trunk"]
    code[s] = 0                                          # pair 0 of the trunk: channels 0 and 1
    idx = M.indices_from_code(code)
    assert 0 not in idx["trunk"] and 1 not in idx["trunk"] and len(idx["trunk"]) == 62
    small = M.slim(_random_net(), idx)
    assert small.dw3.conv.groups == 31 and small.dw3.conv.weight.shape == (31, 2, 3, 3)


def test_macs_of_the_teacher():
    assert abs(M.content_macs_per_pixel(M.FULL) * 1e6 / 1e9 - 27.8) < 0.1   # "about 28 GMAC per megapixel"


def test_tile_mode_reproduces_whole():
    net = _random_net(3)
    code = _random_code(seed=3)
    x = torch.rand(1, 3, 40, 48)
    with torch.no_grad():
        y, stats = net(x, code, return_stats=True)
        yt = net(x, code, stats=stats)
        _, mom = net(x, code, stats=stats, moments_box=torch.tensor([0, 0, 48, 40]))
    assert stats.numel() == net.stats_len()
    assert torch.allclose(y, yt, atol=1e-6)
    # moments (population variance) -> stats
    m = mom.clone()
    for o in (0, 128):
        m[o + 64:o + 128] = torch.sqrt(m[o + 64:o + 128] + M.EPS)
    assert torch.allclose(m, stats, rtol=1e-4, atol=1e-5)


def test_onnx_parity(tmp_path):
    """The three exported networks (style encoder, content, tile) against PyTorch, on a slimmed
    random student, at sizes other than the export's."""
    pytest.importorskip("onnxruntime")
    import onnx
    from pastiche_lab.microast_export import export_all, parity, META_CODE
    from pastiche_lab.export import META_CHANNELS, META_EPS
    rng = random.Random(5)
    code = [1 if rng.random() < 0.7 else 0 for _ in range(M.code_len())]
    for _g, (s, _e) in M.group_slices().items():
        code[s] = 1
    idx = M.indices_from_code(code)
    content = M.slim(_random_net(5), idx)
    for p in content.parameters():           # keep the activations in a sensible range
        p.data *= 0.6
    style = M.StyleNet(idx["trunk"])
    torch.manual_seed(6)
    for p in style.parameters():
        p.data.normal_(0, 0.1)
    style.unbiased = False
    st = M.MicroAST(content, style).eval()
    paths = tmp_path / "a.onnx", tmp_path / "a.tile.onnx", tmp_path / "a.style.onnx"
    export_all(st, *paths)
    for p in paths:
        m = onnx.load(str(p))
        assert m.ir_version == 8 and m.opset_import[0].version == 17
    meta = {p.key: p.value for p in onnx.load(str(paths[1])).metadata_props}
    T = len(idx["trunk"])
    assert meta[META_CHANNELS] == f"{T},{T}" and meta[META_EPS] == "1e-05,1e-05"
    assert meta[META_CODE].split(",")[0] == "s1_mean"
    r = parity(st, *paths)
    print(r)
    assert r["style_code_abs"] < 1e-4, r
    assert r["output_abs"] < 0.05, r          # 0..255 scale
    assert r["stats_rel"] < 1e-4 and r["tile_vs_whole_abs"] < 0.05 and r["moments_vs_stats_rel"] < 1e-4, r


def test_search_repair_keeps_the_budget_and_whole_groups():
    from pastiche_lab.microast_lab import repair, mac_ratio, importance_code, importance
    rng = random.Random(0)
    imp = importance(_random_net(1))
    for frac in (1.0, 0.9, 0.6):
        code = repair(importance_code(imp, frac), 0.58, rng, imp)
        assert mac_ratio(code) <= 0.58
        idx = M.indices_from_code(code)
        for g in M.PAIRED:                                   # paired groups: both channels of a pair or none
            kept = set(idx[g])
            assert all((c ^ 1) in kept for c in kept)
        for _g, (s, e) in M.group_slices().items():
            assert sum(code[s:e]) >= 2
        small = M.slim(_random_net(1), idx)
        assert abs(M.content_macs_per_pixel(small.w) / M.content_macs_per_pixel(M.FULL) - mac_ratio(code)) < 1e-9
    assert mac_ratio([1] * M.code_len()) == 1.0
