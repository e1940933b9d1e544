"""The MicroAST student's wider styles (microast_styles): the recolouring, the sampler's style bank
and recolouring shares, the wider validation set and the evaluation of array styles. Tiny random
images and networks, no third-party data."""
import math
import random

import numpy as np
import pytest
import torch
from PIL import Image

from pastiche_lab import microast as M
from pastiche_lab import microast_styles as S
from pastiche_lab.lossnets import VGGRelu31
from pastiche_lab.microast_finetune import PairSampler
from pastiche_lab.microast_lab import evaluate_pairs

torch.set_num_threads(1)
LUM = np.array([0.299, 0.587, 0.114], np.float32)


def img(h, w, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3)).astype(np.float32)


def saturation(a):
    return float(np.mean(a.max(axis=2) - a.min(axis=2)))


def test_hue_rotation_keeps_luminance_and_a_full_turn_is_identity():
    x = img(8, 9) / 255.0
    y = S._rotate_hue(x, 1.3)
    assert np.allclose(y @ LUM, x @ LUM, atol=1e-4)
    assert np.abs(y - x).max() > 0.1                      # the colours did change
    assert np.allclose(S._rotate_hue(x, 2 * math.pi), x, atol=1e-4)
    iq = np.array([[0.596, -0.274, -0.322], [0.211, -0.523, 0.312]], np.float32)
    chroma = lambda a: np.linalg.norm(a @ iq.T, axis=-1)
    assert np.allclose(chroma(y), chroma(x), atol=1e-4)   # a rotation: the saturation stays


def test_style_augment_recolours_deterministically_and_can_make_monochrome():
    a = img(20, 24, 1)
    out = [S.style_augment(a, random.Random(s)) for s in range(40)]
    assert all(o.shape == a.shape and o.min() >= 0 and o.max() <= 255 for o in out)
    assert np.array_equal(S.style_augment(a, random.Random(3)), out[3])
    assert all(np.abs(o - a).mean() > 1.0 for o in out)              # every draw changes the image
    sats = [saturation(o) for o in out]
    assert min(sats) < 0.5 * saturation(a)                           # desaturated (ink-like) draws
    assert max(sats) > 0.7 * saturation(a)                           # and recoloured, still colourful ones


def test_the_sampler_draws_from_the_bank_in_its_share_and_recolours_in_its_share():
    red, blue = (200.0, 60.0, 30.0), (30.0, 60.0, 200.0)
    flat = lambda c: np.tile(np.array(c, np.float32), (30, 30, 1))
    photos, paintings, bank = [flat(blue)], [flat(red)], [np.full((30, 30, 3), 10.0, np.float32)]

    def styles(**kw):
        sp = PairSampler(photos, paintings, [], crop=24, seed=4, style_sizes=(24,), **kw)
        return [sp.style()[0].mean(dim=(1, 2)).numpy() * 255 for _ in range(200)]
    dark = lambda ss: sum(float(s.mean()) < 20 for s in ss) / len(ss)
    assert dark(styles()) == 0                           # no bank: never its (dark) picture
    assert dark(styles(bank=bank, bank_p=1.0)) == 1
    assert 0.15 < dark(styles(bank=bank, bank_p=0.3)) < 0.45
    known = lambda s: min(np.abs(s - np.array(c)).max() for c in (red, blue)) < 1.0
    assert all(known(s) for s in styles())              # not recoloured: the painting's or the photo's colour
    recoloured = sum(not known(s) for s in styles(aug_p=1.0))
    assert recoloured > 180
    assert 30 < sum(not known(s) for s in styles(aug_p=0.3)) < 90
    with pytest.raises(SystemExit):
        PairSampler(photos, paintings, [], bank=[], bank_p=0.5)


def test_defaults_keep_the_earlier_stream():
    """bank_p = aug_p = 0 draws exactly what the sampler drew before they existed (a resumed
    earlier run continues its stream)."""
    args = ([img(40, 52, 2), img(44, 40, 3)], [img(36, 30, 4)], [img(32, 32, 5)])
    a = PairSampler(*args, crop=24, seed=7, style_sizes=(24, 32))
    b = PairSampler(*args, crop=24, seed=7, style_sizes=(24, 32), bank=[img(30, 30, 6)], bank_p=0.0, aug_p=0.0)
    for _ in range(5):
        (xa, sa), (xb, sb) = a.batch(2), b.batch(2)
        assert torch.equal(xa, xb) and all(torch.equal(u, v) for u, v in zip(sa, sb))


def _write(p, a):
    p.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(a.astype(np.uint8)).save(p)


def test_val_sets_are_val_photos_paintings_a_recoloured_one_and_the_bank(tmp_path):
    root, bank = tmp_path / "data", tmp_path / "bank"
    for i in range(8):
        _write(root / "photos" / "val" / f"img_{i:03d}.png", img(20, 24, i))
    for n in S.VAL_PAINTINGS + [S.VAL_RECOLOURED[0]]:
        _write(root / "styles" / n, img(24, 20, 9))
    with pytest.raises(SystemExit):
        S.val_sets(root, 6, bank)                  # no validation pictures yet: a clear stop
    _write(bank / "val" / "other-1.png", img(16, 16, 10))
    _write(bank / "train" / "trained-1.png", img(16, 16, 11))
    photos, styles = S.val_sets(root, 6, bank)
    assert [p.name for p in photos] == [f"img_{i:03d}.png" for i in range(6)]
    assert [getattr(s, "name", None) for s in styles] == S.VAL_PAINTINGS + [None, "other-1.png"]
    rec = styles[2]
    assert isinstance(rec, np.ndarray) and rec.shape == (24, 20, 3)
    from pastiche_lab.data import load_rgb
    src = load_rgb(root / "styles" / S.VAL_RECOLOURED[0])
    assert np.array_equal(rec, S.style_augment(src, random.Random(S.VAL_RECOLOURED[1])))


def test_the_evaluation_takes_array_styles():
    torch.manual_seed(0)
    t = M.MicroAST(M.ContentNet(M.FULL), M.StyleNet())
    for p in t.parameters():
        p.data.normal_(0, 0.08)
    t.eval()
    torch.manual_seed(2)
    vgg = VGGRelu31()
    photo = np.random.default_rng(0).integers(0, 256, (64, 80, 3)).astype(np.uint8)
    import pathlib
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        pp = pathlib.Path(d) / "p.png"
        Image.fromarray(photo).save(pp)
        st = img(28, 24, 3)
        a = evaluate_pairs(t, t, vgg, [pp], [st], 64, style_size=24)
        sp = pathlib.Path(d) / "s.png"
        Image.fromarray(st.astype(np.uint8)).save(sp)
        b = evaluate_pairs(t, t, vgg, [pp], [sp], 64, style_size=24)
    assert a["rows"][0]["style"] == "array-0" and b["rows"][0]["style"] == "s.png"
    assert a["style_distance_ratio"] == pytest.approx(b["style_distance_ratio"])
    assert a["style_distance_ratio"] < 1e-6                  # the teacher against itself


def test_paint_keeps_the_size_with_a_context():
    class Shift(torch.nn.Module):
        def forward(self, x):
            return x * 0.5 + 3
    a = img(20, 28, 1)
    out = S.paint(Shift(), a, 6)
    assert out.shape == a.shape and np.allclose(out, np.clip(a * 0.5 + 3, 0, 255), atol=1e-4)


def test_ship_reuses_an_eval_only_for_its_own_checkpoint(tmp_path, monkeypatch):
    from pastiche_lab import microast_ship as SH
    run = tmp_path / "runs" / "r"
    run.mkdir(parents=True)
    best, final = run / "student.pt", run / "ft_state.pt"
    best.write_bytes(b"x"); final.write_bytes(b"y")
    monkeypatch.setattr(SH, "LAB", tmp_path)
    assert SH.same_checkpoint("runs/r/student.pt", best)           # as microast_lab writes it (relative to training/)
    assert SH.same_checkpoint(str(best), best)
    assert not SH.same_checkpoint("runs/r/student.pt", final)      # the run's eval.json is of its best student
    assert not SH.same_checkpoint("", best)


def test_curves_title_names_the_runs_validation(tmp_path):
    from pastiche_lab import checkpoints
    from pastiche_lab.microast_ship import val_label
    assert "2 paintings" in val_label(tmp_path)                     # no state: the first runs' validation
    checkpoints.save(tmp_path / "ft_state.pt", config={}, state_dict={},
                     meta={"args": {"val": "wide", "val_photos": 4, "val_size": 384}})
    assert "matilde-perez" in val_label(tmp_path) and "4 val photos" in val_label(tmp_path)
