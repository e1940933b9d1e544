"""The poster measures that see hue and outlines (per-palette-colour recall/precision against the
renderer, ink recall/precision) and the losses/sampler aimed at them (palette cross-entropy, ink
weight, rare-colour crops). Tiny images, checked against direct computations; no ../shared/data."""
import math

import numpy as np
import pytest
import torch

from pastiche_lab import poster_metrics as PM
from pastiche_lab import poster_render as PR
from pastiche_lab.poster_objective import PairSampler, palette_ce, palette_logits, poster_loss, rich_mask

torch.set_num_threads(1)
V, G, C, B, INK = (PR.IDX[n] for n in ("vermilion", "golden", "cream", "brown", "ink"))


def img(labels):
    return PR.COLOURS[np.asarray(labels)]


def test_confusion_and_per_colour_scores_count_pixels():
    t = np.full((4, 4), C); t[:2] = V                      # top half vermilion, bottom cream
    o = t.copy(); o[0, 0] = G; o[3, 3] = V                  # one red pixel painted golden, one cream red
    out = img(o).astype(np.float64) + 7                      # off the palette, nearest still the same
    conf = PM.palette_confusion(out, img(t), PR.COLOURS)
    assert conf.sum() == 16
    assert conf[V, V] == 7 and conf[V, G] == 1 and conf[C, C] == 7 and conf[C, V] == 1
    rec, prec = PM.colour_scores(conf)
    assert rec[V] == pytest.approx(7 / 8) and rec[C] == pytest.approx(7 / 8)
    assert prec[V] == pytest.approx(7 / 8) and prec[G] == 0.0 and prec[C] == 1.0
    assert math.isnan(rec[G]) and math.isnan(rec[B]) and math.isnan(prec[B])


def test_nearest_index_is_the_snap():
    rng = np.random.default_rng(1)
    x = rng.integers(0, 256, (5, 7, 3)).astype(np.float64)
    d = ((x[:, :, None, :] - PR.COLOURS[None, None].astype(np.float64)) ** 2).sum(-1)
    assert np.array_equal(PM.nearest_index(x, PR.COLOURS), d.argmin(-1))


def test_ink_recall_and_precision():
    ink = np.zeros((9, 9), bool); ink[4, 1:8] = True          # a horizontal outline, 7 px
    out = np.full((9, 9, 3), 240, np.uint8)
    out[5, 1:8] = PR.PALETTE["ink"]                           # drawn one pixel lower: matched
    assert PM.outline_counts(out, ink) == (7, 7, 7, 7)
    out2 = np.full((9, 9, 3), 240, np.uint8); out2[6, 1:8] = PR.PALETTE["ink"]   # two lower: missed
    assert PM.outline_counts(out2, ink) == (0, 7, 0, 7)
    out3 = out.copy(); out3[0, 0] = out3[8, 8] = 0             # two stray dark pixels far away
    a, b, c, d = PM.outline_counts(out3, ink)
    assert (a, b) == (7, 7) and (c, d) == (7, 9)
    # deep red (luminance 62) is a colour, not an outline
    out4 = np.full((9, 9, 3), 240, np.uint8); out4[4, 1:8] = PR.PALETTE["deep_red"]
    assert PM.outline_counts(out4, ink)[0] == 0
    assert PM.luminance(PR.COLOURS[[INK]][None])[0, 0] < PM.DARK_LUM < PM.luminance(
        PR.COLOURS[[PR.IDX["deep_red"]]][None])[0, 0]


def test_pooled_scores_means():
    from pastiche_lab.poster_train import KEY_COLOURS, pooled_scores
    k = len(PR.COLOURS)
    conf = np.zeros((k, k), np.int64)
    conf[V, V], conf[V, B] = 3, 1            # vermilion recall 0.75
    conf[G, G], conf[G, B] = 1, 3            # golden 0.25
    conf[B, B] = 10                          # brown 1.0 (not a key colour)
    p = pooled_scores(conf, np.array([2, 4, 3, 6]))
    assert p["colour_recall"]["vermilion"] == 0.75 and p["colour_recall"]["cream"] is None
    assert p["mean_colour_recall"] == pytest.approx((0.75 + 0.25 + 1.0) / 3, abs=1e-4)
    assert "brown" not in KEY_COLOURS
    assert p["key_colour_recall"] == pytest.approx(0.5, abs=1e-4)       # the key colours present: V, G
    assert p["colour_precision"]["brown"] == pytest.approx(10 / 14, abs=1e-4)
    assert p["ink_recall"] == 0.5 and p["ink_precision"] == 0.5


def direct_ce(y, t, pal, temp, w_of):
    """Per pixel by hand: -log softmax(-|y - p_k|^2 / temp)[target], weighted mean."""
    num = den = 0.0
    n, _, h, w = y.shape
    for i in range(n):
        for r in range(h):
            for c in range(w):
                yy, tt = y[i, :, r, c].double() / 255, t[i, :, r, c].double()
                d = [float(((yy - p.double() / 255) ** 2).sum()) for p in pal]
                k = int(np.argmin([float(((tt - p.double()) ** 2).sum()) for p in pal]))
                logits = [-x / temp for x in d]
                m = max(logits)
                lse = m + math.log(sum(math.exp(x - m) for x in logits))
                wt = w_of(k)
                num += wt * (lse - logits[k]); den += wt
    return num / den


def test_palette_ce_matches_a_direct_computation():
    g = torch.Generator().manual_seed(0)
    pal = torch.as_tensor(PR.COLOURS, dtype=torch.float32)
    t = pal[torch.randint(0, len(pal), (2, 3, 4), generator=g)].permute(0, 3, 1, 2)
    y = torch.rand(2, 3, 3, 4, generator=g) * 255
    cw = torch.linspace(0.5, 3.0, len(pal))
    got = float(palette_ce(y, t, pal, 0.05, cw, ink_weight=2.0, ink_index=INK))
    want = direct_ce(y, t, pal, 0.05, lambda k: float(cw[k]) * (3.0 if k == INK else 1.0))
    assert got == pytest.approx(want, rel=1e-4)
    assert float(palette_ce(y, t, pal, 0.05)) == pytest.approx(direct_ce(y, t, pal, 0.05, lambda k: 1.0), rel=1e-4)
    # the argmax of the logits is the snap
    from pastiche_lab.poster_net import snap_to_palette
    assert torch.equal(pal[palette_logits(y, pal, 0.05).argmax(1)].permute(0, 3, 1, 2), snap_to_palette(y, pal))


def test_palette_ce_prefers_the_right_side_of_the_midpoint():
    """A pixel between red (target) and skin: L1 is the same either side of the midpoint by symmetry,
    the cross-entropy is lower on red's side, and its gradient points towards red."""
    pal = torch.as_tensor(PR.COLOURS, dtype=torch.float32)
    red, skin = pal[V], pal[PR.IDX["skin"]]
    t = red.view(1, 3, 1, 1)
    near_red = (0.6 * red + 0.4 * skin).view(1, 3, 1, 1)
    near_skin = (0.4 * red + 0.6 * skin).view(1, 3, 1, 1).requires_grad_()
    assert float(palette_ce(near_red, t, pal, 0.02)) < float(palette_ce(near_skin, t, pal, 0.02).detach())
    palette_ce(near_skin, t, pal, 0.02).backward()
    step = -near_skin.grad.view(3)
    assert float(step @ (red - skin)) > 0


def test_ink_weight_weighs_outline_pixels():
    t = torch.as_tensor(img(np.full((6, 6), C)), dtype=torch.float32).permute(2, 0, 1)[None].clone()
    t[..., 2, :] = torch.tensor(PR.PALETTE["ink"], dtype=torch.float32).view(3, 1)
    pal = torch.as_tensor(PR.COLOURS, dtype=torch.float32)
    off_ink, off_cream = t.clone(), t.clone()
    off_ink[..., 2, 3] += 30; off_cream[..., 4, 3] -= 30
    li = poster_loss(off_ink, t, 0, 0, None, pal, ink_weight=3.0, ink_index=INK)[1]["l1"]
    lc = poster_loss(off_cream, t, 0, 0, None, pal, ink_weight=3.0, ink_index=INK)[1]["l1"]
    assert li == pytest.approx(4 * lc, rel=1e-5)
    plain = [poster_loss(o, t, 0, 0, None, pal)[1]["l1"] for o in (off_ink, off_cream)]
    assert plain[0] == pytest.approx(plain[1], rel=1e-5)                  # without it: alike


def test_rich_crops_find_the_rare_colour(tmp_path):
    """A brown target with one small golden patch: rich crops (photo by its rare share, the best of 4
    positions) contain golden far more often than uniform crops."""
    labels = np.full((96, 96), B); labels[70:86, 8:24] = G
    t = img(labels)
    np.savez_compressed(tmp_path / "a.npz", photo=t, target=t)
    other = img(np.full((96, 96), B))
    np.savez_compressed(tmp_path / "b.npz", photo=other, target=other)
    files = [str(tmp_path / "a.npz"), str(tmp_path / "b.npz")]
    gold = PR.COLOURS[[G]]
    assert int(rich_mask(torch.from_numpy(t).permute(2, 0, 1).float(), torch.as_tensor(gold).float()).sum()) == 256

    def hit_rate(rich):
        s = PairSampler(files, 32, scale=(1.0, 1.0), seed=3, rich=rich, rich_colours=gold)
        _, y = s.sample(200)
        return float((y == torch.tensor(gold[0]).float().view(1, 3, 1, 1)).all(1).flatten(1).any(1).float().mean())
    plain, rich = hit_rate(0.0), hit_rate(1.0)
    assert plain < 0.12 and rich > 0.35       # (the patch is in ~15 % of uniform crops of photo a)


def test_blurred_snap_follows_the_neighbourhood_and_keeps_palette_colours():
    """A lone off-colour pixel inside a flat field: the plain snap keeps it (a speck), the 3x3-mean
    snap paints it with the field; every output pixel is a palette colour either way."""
    from pastiche_lab.poster_net import PosterNet, snap_to_palette
    import torch.nn.functional as F
    net = PosterNet(None, head=None, palette=PR.COLOURS)
    net.snap_output, net.snap_blur = True, 3
    pal = torch.as_tensor(PR.COLOURS, dtype=torch.float32)
    y = pal[V].view(1, 3, 1, 1).repeat(1, 1, 6, 6).clone()
    y[..., 3, 3] = pal[G]
    assert torch.equal(snap_to_palette(y, pal)[..., 3, 3], pal[G].view(1, 3))
    got = net._snap(y)
    assert torch.equal(got, pal[V].view(1, 3, 1, 1).expand(1, 3, 6, 6))
    want = snap_to_palette(F.avg_pool2d(F.pad(y, (1, 1, 1, 1), mode="reflect"), 3, 1), pal)
    z = torch.rand(1, 3, 7, 9) * 255
    assert torch.equal(net._snap(z), snap_to_palette(F.avg_pool2d(F.pad(z, (1, 1, 1, 1), mode="reflect"), 3, 1), pal))
    assert torch.equal(got, want)
    net.snap_blur = 0
    assert torch.equal(net._snap(y), snap_to_palette(y, pal))
