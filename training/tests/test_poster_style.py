"""Issue 10: the poster measures against direct computations, the procedural poster renderer, the
poster trainer's loss, sampler and resume (tiny synthetic data, no ../shared/data needed)."""
import itertools

import numpy as np
import pytest
import torch

from pastiche_lab import poster_metrics as PM
from pastiche_lab import poster_render as PR


def rng_img(h, w, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3)).astype(np.uint8)


# ----------------------------------------------------------------- palette90
def test_palette90_counts_cells_directly():
    img = np.zeros((10, 10, 3), np.uint8)
    img[:5] = (20, 20, 20)          # cell (1,1,1): 50 px
    img[5:8] = (200, 0, 0)          # (12,0,0): 30 px
    img[8:, :5] = (255, 255, 255)   # 10 px
    img[8:, 5:] = (0, 0, 255)       # 10 px
    assert PM.palette90(img) == 3   # 50+30 = 80 % < 90 %, +10 = 90 %
    img[8:, 5:] = (201, 15, 15)     # same 16-level cell as (200,0,0): 40 px there
    assert PM.palette90(img) == 2   # 50+40 = 90 %


def test_palette90_matches_brute_force():
    img = rng_img(12, 9, 1) // 64 * 64 + 7
    cells = [tuple(int(v) // 16 for v in px) for px in img.reshape(-1, 3)]
    counts = sorted([cells.count(c) for c in set(cells)], reverse=True)
    need, k = 0.9 * len(cells), 0
    while sum(counts[:k]) < need:
        k += 1
    assert PM.palette90(img) == k


# ----------------------------------------------------------------- flat fraction
def test_flat_fraction_matches_direct_loop():
    img = rng_img(11, 13, 2).astype(np.float64)
    img[:, :7] = 100 + (img[:, :7] % 8)          # low-contrast part: std well under 6
    flat, total = 0, 0
    for y, x in itertools.product(range(11 - 4), range(13 - 4)):
        win = img[y:y + 5, x:x + 5]
        total += 1
        flat += np.mean([win[..., c].std() for c in range(3)]) < 6
    assert total == 7 * 9
    assert PM.flat_fraction(img) == pytest.approx(flat / total)
    assert 0 < flat < total


def test_flat_gain_constant_image_vs_noise():
    noise = rng_img(20, 20, 3)
    const = np.full_like(noise, 128)
    assert PM.flat_gain(const, noise) == pytest.approx(1.0)
    assert PM.flat_gain(noise, noise) == 0


# ----------------------------------------------------------------- edge recall
def _direct_recall(out, photo):
    from scipy import ndimage
    lum = lambda a: 0.299 * a[..., 0] + 0.587 * a[..., 1] + 0.114 * a[..., 2]
    g = lambda y: np.hypot(*np.gradient(y))
    gp = g(ndimage.gaussian_filter(lum(photo.astype(float)), 2.0, mode="reflect"))
    edges = gp >= np.quantile(gp, 0.95)
    go = g(lum(out.astype(float)))
    hits = []
    for y, x in zip(*np.nonzero(edges)):
        win = go[max(0, y - 2):y + 3, max(0, x - 2):x + 3]
        hits.append((win >= 12).any())
    return np.mean(hits)


def test_edge_recall_matches_direct_loop():
    photo = np.zeros((24, 30, 3), np.uint8)
    photo[:, 15:] = 200
    photo[6:10, 3:8] = 90
    out = photo.copy()
    assert PM.edge_recall(out, photo) == pytest.approx(1.0)
    blank = np.full_like(photo, 50)
    assert PM.edge_recall(blank, photo) == 0.0
    # a line moved 3 px away from the step: direct loop and the module agree
    shifted = np.full_like(photo, 50); shifted[:, 18] = 250
    assert PM.edge_recall(shifted, photo) == pytest.approx(_direct_recall(shifted, photo))
    near = np.full_like(photo, 50); near[:, 15] = 250
    assert PM.edge_recall(near, photo) == pytest.approx(_direct_recall(near, photo))
    assert PM.edge_recall(near, photo) > PM.edge_recall(shifted, photo)


def test_measures_reject_bad_shapes():
    with pytest.raises(ValueError):
        PM.palette90(np.zeros((4, 4)))
    with pytest.raises(ValueError):
        PM.edge_recall(np.zeros((4, 4, 3)), np.zeros((5, 4, 3)))


def test_meets_goals():
    assert PM.meets_goals({"palette90": 48, "flat_gain": 0.1, "edge_recall": 0.85})
    assert not PM.meets_goals({"palette90": 49, "flat_gain": 0.2, "edge_recall": 0.9})
    assert not PM.meets_goals({"palette90": 10, "flat_gain": 0.09, "edge_recall": 0.9})
    assert not PM.meets_goals({"palette90": 10, "flat_gain": 0.2, "edge_recall": 0.84})


# ----------------------------------------------------------------- renderer
def synthetic_photo(h=96, w=128, seed=0):
    """A sky gradient, a red disc, green ground, a skin-coloured oval, plus sensor noise."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w]
    img = np.zeros((h, w, 3))
    img[:] = np.stack([150 + 60 * yy / h, 190 + 40 * yy / h, 235 * np.ones((h, w))], -1)
    img[yy > 0.6 * h] = (70, 140, 60)
    img[(yy - 30) ** 2 + (xx - 90) ** 2 < 15 ** 2] = (210, 40, 30)
    img[((yy - 55) / 18.0) ** 2 + ((xx - 40) / 12.0) ** 2 < 1] = (235, 180, 140)
    img += rng.normal(0, 6, img.shape)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def test_renderer_deterministic_and_few_flat_colours():
    x = synthetic_photo()
    a, b = PR.render(x), PR.render(x.copy())
    assert a.dtype == np.uint8 and a.shape == x.shape
    assert np.array_equal(a, b)
    colours = {tuple(c) for c in a.reshape(-1, 3)}
    assert colours <= {tuple(c) for c in PR.COLOURS}          # nothing but the palette
    assert len(colours) <= 6
    assert PM.palette90(a) <= 5 < PM.palette90(x)
    assert PM.flat_fraction(a) > 0.7 and PM.flat_gain(a, x) > 0.2
    assert PM.edge_recall(a, x) >= 0.85


def test_renderer_maps_hues_to_poster_colours():
    x = synthetic_photo()
    y = PR.render(x)
    name = lambda px: PR.NAMES[[tuple(c) for c in PR.COLOURS].index(tuple(px))]
    assert name(y[30, 90]) == "vermilion"            # the red disc
    assert name(y[85, 110]) in ("green", "dark_green")
    assert name(y[55, 40]) in ("skin", "skin_shadow")
    assert name(y[5, 10]) in ("pale_blue", "cream")
    # outlines: ink somewhere around the red disc's rim, none in the middle of the sky
    rim = y[10:50, 70:110].reshape(-1, 3)
    assert (rim == PR.PALETTE["ink"]).all(axis=1).any()
    assert not (y[2:12, 2:40].reshape(-1, 3) == PR.PALETTE["ink"]).all(axis=1).any()


def test_palette_values_are_cell_centres():
    assert (PR.COLOURS % 16 == 8).all()


def test_l0_smoothing_flattens_noise_and_keeps_a_step():
    rng = np.random.default_rng(0)
    img = np.zeros((40, 40, 3)); img[:, 20:] = 0.8
    noisy = np.clip(img + rng.normal(0, 0.03, img.shape), 0, 1)
    s = PR.l0_smooth(noisy, lam=0.02)
    assert s[:, :18].std() < 0.01 and s[:, 22:].std() < 0.01
    assert s[:, 22:].mean() - s[:, :18].mean() > 0.7


def test_renderer_rejects_grey_arrays():
    with pytest.raises(ValueError):
        PR.render(np.zeros((8, 8), np.uint8))


# ----------------------------------------------------------------- trainer
def test_poster_loss_zero_on_target_and_grad_term():
    from pastiche_lab.poster_train import poster_loss
    t = torch.rand(1, 3, 8, 8) * 255
    loss, parts = poster_loss(t.clone(), t)
    assert float(loss) == 0
    y = t.clone(); y[..., 4, 4] += 51
    _, parts = poster_loss(y, t, grad_weight=1.0)
    assert parts["l1"] == pytest.approx(3 * 51 / 255 / (3 * 64), rel=1e-4)   # one pixel, 3 channels
    assert parts["grad"] > 0


def test_train_resumes_on_tiny_cache(tmp_path, monkeypatch):
    from pastiche_lab import poster_train as PT
    cache = tmp_path / "cache"; cache.mkdir()
    for i in range(2):
        x = synthetic_photo(64, 80, seed=i)
        np.savez_compressed(cache / f"p{i}.npz", photo=x, target=PR.render(x))
    val = tmp_path / "photos" / "val"; val.mkdir(parents=True)
    from PIL import Image
    Image.fromarray(synthetic_photo(48, 64, 5)).save(val / "v.png")
    monkeypatch.setattr(PT, "DATA", str(tmp_path))
    run = tmp_path / "run"
    common = ["train", "--run-dir", str(run), "--cache-dir", str(cache), "--widths", "4,4,8,4,4,4,4,4,4,4",
              "--crop", "32", "--batch", "2", "--val-photos", "1", "--val-size", "48", "--log-every", "1"]
    PT.main(common + ["--iters", "3", "--val-every", "3"])
    net0, ck = PT.load_net(str(run / "state.pt"))
    assert ck["step"] == 3 and len(ck["history"]["val"]) == 1
    assert {"palette90", "flat_gain", "edge_recall"} <= set(ck["history"]["val"][0])
    PT.main(common + ["--iters", "5", "--val-every", "5"])
    net, ck2 = PT.load_net(str(run / "state.pt"))
    assert ck2["step"] == 5 and len(ck2["history"]["val"]) == 2
    assert any(not torch.equal(v, net.state_dict()[k]) for k, v in net0.state_dict().items())


def test_palette_snap_net_outputs_only_palette_colours_and_keeps_stats():
    from pastiche_lab import poster_net as PN
    from pastiche_lab.poster_train import init_net
    from pastiche_lab.model import Widths
    net = init_net(Widths.from_list("4,4,8,4,4,4,4,4,4,4".split(",")), head=(8, 4))
    with torch.no_grad():
        net.conv_out.conv.bias.fill_(128); net.conv_out.conv.weight.mul_(2000)
    snap = PN.with_snap(net, PR.COLOURS)
    x = torch.rand(1, 3, 24, 28) * 255
    with torch.no_grad():
        y, st = snap(x, return_stats=True)
        y0, st0 = net.eval()(x, return_stats=True)
    assert torch.equal(st, st0)                           # the transformer itself is unchanged
    pal = torch.as_tensor(PR.COLOURS, dtype=torch.float32)
    px = y[0].reshape(3, -1).T
    d0 = ((y0[0].reshape(3, -1).T[:, None] - pal[None]) ** 2).sum(-1)
    assert torch.equal(px, pal[d0.argmin(1)])             # each pixel: the nearest palette colour
    assert len(torch.unique(px, dim=0)) >= 2


def test_edge_weight_counts_border_pixels_more():
    from pastiche_lab.poster_train import poster_loss, target_edges
    t = torch.zeros(1, 3, 8, 8); t[..., 4:] = 255
    e = target_edges(t)[0, 0]
    assert e[:, 3:5].eq(1).all() and e[:, :3].eq(0).all() and e[:, 5:].eq(0).all()
    border, inner = t.clone(), t.clone()
    border[..., 0, 3] += 20; inner[..., 0, 0] += 20
    lb = poster_loss(border, t, 0, 4)[1]["l1"]; li = poster_loss(inner, t, 0, 4)[1]["l1"]
    assert lb == pytest.approx(5 * li)
