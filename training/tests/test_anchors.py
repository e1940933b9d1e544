"""The anchored ring stamp (pastiche_lab.anchors): places fixed by the photo, the stamped target, its loss,
and the fine-tune's use of it."""
import numpy as np
import pytest
import torch

from pastiche_lab import anchors, pipeline
from pastiche_lab.anchors import RingStamp, anchor_l1, anchor_places, anchor_score, anchor_shift_l1, stamp_target
from pastiche_lab.data import data_root
from pastiche_lab.finetune import DistillObjective
from pastiche_lab.model import Geometry, TransformerNet, Widths

torch.set_num_threads(1)


def _scene(h=160, w=200, blob=(80, 90), amp=60.0, noise=0.0, seed=0):
    """A mid-grey photo [1, 3, h, w] with one soft bright blob (sigma 8 px) at `blob`."""
    yy, xx = np.mgrid[:h, :w]
    lum = 120.0 + amp * np.exp(-((yy - blob[0]) ** 2 + (xx - blob[1]) ** 2) / (2 * 8.0 ** 2))
    lum = lum + np.random.default_rng(seed).normal(0, noise, lum.shape) if noise else lum
    return torch.tensor(np.repeat(lum[None, None], 3, 1), dtype=torch.float32)


def _stamp(p=48):
    rgb = torch.zeros(3, p, p)
    rgb[0] = 200.0
    return RingStamp(rgb)


def test_an_anchor_sits_on_a_soft_blob_and_nowhere_on_a_flat_or_textured_photo():
    x = _scene()
    pl = anchor_places(x)[0]
    assert len(pl) == 1
    y, x_, s = pl[0]
    assert abs(y - 80) <= 2 and abs(x_ - 90) <= 2 and s > anchors.THRESHOLD
    assert anchor_places(_scene(amp=0.0))[0] == []                            # flat: none
    assert anchor_places(_scene(amp=4.0))[0] == []                            # a faint blob: under the threshold
    assert anchor_places(_scene(noise=60.0))[0] == []                         # textured region: gated out
    dark = _scene() * 0.2                                                     # very dark: gated out
    assert anchor_places(dark)[0] == []


def test_the_anchor_follows_the_photo_not_the_noise():
    a = anchor_places(_scene())[0][0]
    b = anchor_places(_scene(noise=2.0, seed=3))[0][0]                       # the teacher's rings move with this
    c = anchor_places(_scene(blob=(84, 98)))[0][0]                            # the blob moved by (4, 8)
    assert abs(a[0] - b[0]) <= 1 and abs(a[1] - b[1]) <= 1
    assert abs(c[0] - a[0] - 4) <= 1 and abs(c[1] - a[1] - 8) <= 1
    assert anchor_score(_scene()).shape == (1, 160, 200)


def test_the_stamp_goes_in_at_the_place_with_an_opacity_ramp():
    tout = torch.full((1, 3, 100, 120), 50.0)
    st = _stamp()
    tgt, w = stamp_target(tout, [[(50, 60, 10 * anchors.THRESHOLD)]], st)
    assert tgt[0, 0, 50, 60] == pytest.approx(200.0) and tgt[0, 1, 50, 60] == pytest.approx(0.0)
    assert float(w[0, 0, 50, 60]) == pytest.approx(1.0)
    assert torch.equal(tgt[..., :20], tout[..., :20]) and float(w[..., :20].abs().sum()) == 0   # untouched away from it
    t0, w0 = stamp_target(tout, [[(50, 60, anchors.THRESHOLD)]], st)          # at the threshold: transparent
    assert torch.equal(t0, tout) and float(w0.sum()) == 0
    half = anchors.THRESHOLD + anchors.RAMP_WIDTH / 2
    th, wh = stamp_target(tout, [[(50, 60, half)]], st)
    assert float(wh[0, 0, 50, 60]) == pytest.approx(0.5) and float(th[0, 0, 50, 60]) == pytest.approx(125.0)
    te, we = stamp_target(tout, [[(5, 60, 100.0)]], st)                       # a patch leaving the crop: skipped
    assert torch.equal(te, tout)


def test_anchor_l1_weighs_the_rings_alone():
    tout = torch.full((1, 3, 100, 120), 50.0)
    tgt, w = stamp_target(tout, [[(50, 60, 100.0)]], _stamp())
    out = tgt.clone().requires_grad_(True)
    far = tgt.clone(); far[..., :, :20] += 100.0                             # off the ring: costs nothing here
    assert float(anchor_l1(out, tgt, w).detach()) == pytest.approx(0.0)
    assert float(anchor_l1(far, tgt, w)) == pytest.approx(0.0)
    assert float(anchor_l1(tout, tgt, w)) > 0.2                               # no ring painted: a large cost
    none = anchor_l1(out, tout, torch.zeros_like(w))
    assert float(none) == 0.0 and none.requires_grad


def test_the_medoid_is_the_typical_ring():
    base = 20 + torch.rand(3, 48, 48) * 200
    ps = torch.stack([base + 10, base - 10, base])
    assert torch.equal(RingStamp.medoid(ps).rgb, ps[2])


def _tiny(seed):
    torch.manual_seed(seed)
    return TransformerNet(Widths(4, 4, 4, [4] * 5, 4, 4), Geometry(kind="B"))


def test_the_objective_trains_towards_the_stamped_target():
    teacher, student = _tiny(0), _tiny(1)
    vgg = lambda y: [y[:, :, ::2, ::2]] * 3
    x = _scene(h=96, w=96, blob=(48, 48))
    st = _stamp()
    off = DistillObjective(teacher, None, vgg, w_feat=0.0, w_low=0.0, w_content=0.0, w_style=0.0)
    on = DistillObjective(teacher, None, vgg, w_feat=0.0, w_low=0.0, w_content=0.0, w_style=0.0, anchor_stamp=st)
    extra = DistillObjective(teacher, None, vgg, w_feat=0.0, w_low=0.0, w_content=0.0, w_style=0.0, anchor_stamp=st,
                             w_anchor=2.0)
    l_off, p_off = off(student, x, 1)
    l_on, p_on = on(student, x, 1)
    l_ex, p_ex = extra(student, x, 1)
    assert p_off["anchor"] is None and p_on["anchor"] is None and float(p_ex["anchor"]) > 0
    assert float(p_on["pix"]) != pytest.approx(float(p_off["pix"]))          # the target carries the ring
    assert float(l_ex) == pytest.approx(float(l_on) + 2.0 * float(p_ex["anchor"]), rel=1e-5)
    with pytest.raises(ValueError):
        DistillObjective(teacher, None, vgg, w_feat=0.0, w_anchor=1.0)


DATA = data_root()


@pytest.mark.skipif(not (DATA / "teachers").exists(), reason=f"third-party data not found at {DATA}")
def test_pipeline_passes_the_anchor_options_to_the_fine_tune(tmp_path, monkeypatch):
    seen = {}

    class Stop(Exception):
        pass

    def fake_train(*args, **kw):
        seen.update(kw)
        raise Stop
    monkeypatch.setattr(pipeline, "train", fake_train)
    init = tmp_path / "init.pt"
    from pastiche_lab import checkpoints
    checkpoints.save(init, _tiny(0))
    with pytest.raises(Stop):
        pipeline.main(["--style", "candy", "--run-dir", str(tmp_path / "run"), "--init", str(init), "--val-photos", "1",
                       "--val-size", "64", "--anchor-stamp", "s.pt", "--w-anchor", "2", "--anchor-threshold", "12",
                       "--anchor-shift", "4"])
    assert (seen["anchor_stamp"], seen["w_anchor"], seen["anchor_threshold"], seen["anchor_shift"]) == ("s.pt", 2.0, 12.0, 4)


def test_the_shift_tolerant_stamp_loss_takes_the_ring_near_the_place_and_not_far_from_it():
    st = _ring_stamp()
    base = torch.full((1, 3, 120, 140), 50.0)
    place = [[(60, 70, anchors.THRESHOLD + anchors.RAMP_WIDTH)]]             # opaque
    for dy, dx, want_zero in ((0, 0, True), (3, -2, True), (9, 0, False)):
        out = base.clone()
        y0, x0 = 60 - 24 + dy, 70 - 24 + dx
        out[0, :, y0:y0 + 48, x0:x0 + 48] = st.rgb
        v = float(anchor_shift_l1(out, place, st, shift=4))
        assert (v == pytest.approx(0.0, abs=1e-6)) == want_zero, (dy, dx, v)
    blank = base.clone().requires_grad_(True)
    v = anchor_shift_l1(blank, place, st, shift=4)
    assert float(v) > 0.1                                                     # no ring painted: a large cost
    v.backward()
    assert float(blank.grad.abs().sum()) > 0                                   # and a gradient towards one
    assert float(anchor_shift_l1(base, [[(60, 70, anchors.THRESHOLD)]], st)) == 0.0   # transparent anchor: none
    assert float(anchor_shift_l1(base, [[(10, 70, 99.0)]], st)) == 0.0        # out of reach of the crop: none


def _ring_stamp(p=48):
    """A stamp with concentric bands (so a shifted copy does not match)."""
    yy, xx = np.mgrid[:p, :p] - (p - 1) / 2
    r = np.hypot(yy, xx)
    lum = np.where((r // 4) % 2 == 0, 230.0, 40.0)
    return RingStamp(torch.tensor(np.stack([lum, lum * 0.5, lum * 0.2]), dtype=torch.float32))


def test_the_objective_takes_the_shift_tolerant_term_with_a_shift():
    st = _ring_stamp()
    x = _scene(h=120, w=120, blob=(60, 60))
    pl = anchor_places(x)[0]
    assert len(pl) == 1 and pl[0][2] > anchors.THRESHOLD + anchors.RAMP_WIDTH
    (y, x_, _), = pl
    teacher = _tiny(0)
    ringed = teacher(x).detach()
    ringed[0, :, y - 24 + 3:y + 24 + 3, x_ - 24 - 2:x_ + 24 - 2] = st.rgb          # the ring 3 px down, 2 left

    class Paints(torch.nn.Module):
        def forward(self, x, features=None):
            return ringed
    kw = dict(w_feat=0.0, w_low=0.0, w_content=0.0, w_style=0.0, anchor_stamp=st, w_anchor=1.0)
    exact = DistillObjective(teacher, None, lambda y: [y] * 3, **kw)(Paints(), x, 1)[1]["anchor"]
    tol = DistillObjective(teacher, None, lambda y: [y] * 3, anchor_shift=4, **kw)(Paints(), x, 1)[1]["anchor"]
    assert float(tol) == pytest.approx(0.0, abs=1e-6) and float(exact) > 0.05
