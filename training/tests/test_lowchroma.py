"""Issue 11, local colour: the chroma fidelity measure (chroma_fidelity) and the location-specific
chroma low-pass loss (finetune.low_chroma, --w-lowchroma)."""
import numpy as np
import pytest
import torch
from skimage.color import rgb2lab

from pastiche_lab import chroma_fidelity as C
from pastiche_lab.finetune import DistillObjective, chroma_hist, low_chroma
from pastiche_lab.model import Geometry, TransformerNet, Widths

ORANGE, YELLOW = (235.0, 130.0, 40.0), (235.0, 215.0, 40.0)


def _scene(suit, h=64, w=96, seed=0):
    """A grey picture with fine texture (noise, stripes) and a coloured patch (the 'suit') in it."""
    rng = np.random.default_rng(seed)
    img = np.full((h, w, 3), 120.0) + rng.normal(0, 12, (h, w, 1))
    img[:, ::3] += 25.0                                   # stripes: texture that pooling averages away
    img[16:48, 24:56] = np.array(suit) + rng.normal(0, 8, (32, 32, 1))
    return np.clip(img, 0, 255)


def _tiny(seed=0):
    torch.manual_seed(seed)
    net = TransformerNet(Widths(4, 6, 8, [5, 4, 6, 3, 5], 6, 4), Geometry("A", "reflect")).eval()
    with torch.no_grad():
        for n in net.norms():
            n.weight.uniform_(0.5, 1.5); n.bias.uniform_(-0.5, 0.5)
    return net


def test_pool_image_is_the_block_mean():
    img = np.arange(2 * 4 * 6 * 3, dtype=float).reshape(2 * 4, 6, 3)[:, :, :]
    p = C.pool_image(img, 2)
    assert p.shape == (4, 3, 3)
    assert np.allclose(p[1, 2], img[2:4, 4:6].mean(axis=(0, 1)))


def test_local_chroma_sees_a_hue_change_of_a_region_not_texture_or_grey():
    ref = _scene(ORANGE)
    same_colour = _scene(ORANGE, seed=1)                  # other texture (noise), same colours
    yellow = _scene(YELLOW)
    grey = ref + 20.0                                     # lighter, same chroma
    d = lambda o: C.local_chroma(o, ref, pool=8)
    assert d(ref) == {"lab_ab": 0.0, "opp": 0.0}
    assert d(yellow)["lab_ab"] > 5 * max(d(same_colour)["lab_ab"], 0.2)
    assert d(yellow)["opp"] > 5 * max(d(same_colour)["opp"], 1e-3)
    assert d(grey)["opp"] < 1e-9 and d(grey)["lab_ab"] < 2.0
    # the Lab figure is skimage's a*b* distance of the 8x pooled pictures
    la, lb = rgb2lab(C.pool_image(yellow, 8) / 255), rgb2lab(C.pool_image(ref, 8) / 255)
    assert abs(d(yellow)["lab_ab"] - np.hypot(*(la - lb)[..., 1:].transpose(2, 0, 1)).mean()) < 1e-9
    # the patch covers 1/6 of the picture; orange vs yellow is ~ 50 a*b* units there
    assert 4 < d(yellow)["lab_ab"] < 20


def test_chroma_fn_means_over_photos_and_reports_each():
    imgs = [_scene(ORANGE), _scene(YELLOW, seed=2)]
    tc = type("TC", (), {"photos": ["a.png", "b.png"], "imgs": imgs, "targets": [_scene(ORANGE), _scene(ORANGE, seed=2)],
                         "tag": "t"})()
    r = C.chroma_fn(lambda x: x, tc, pool=8)
    assert [p["photo"] for p in r["per_photo"]] == ["a", "b"] and r["photos"] == 2
    assert r["per_photo"][0]["lab_ab"] < 1.0 < r["per_photo"][1]["lab_ab"]
    assert abs(r["lab_ab"] - np.mean([p["lab_ab"] for p in r["per_photo"]])) < 1e-12


def test_low_chroma_is_the_measure_and_tied_to_position():
    t = lambda a: torch.tensor(a.transpose(2, 0, 1)[None].copy())
    ref, yellow = _scene(ORANGE), _scene(YELLOW)
    # equal to the measure's opponent L1 at the same pool
    assert abs(float(low_chroma(t(yellow), t(ref), 8)) - C.local_chroma(yellow, ref, 8)["opp"]) < 1e-9
    # a grey shift costs nothing; moving the patch costs (the histogram term does not see it)
    assert float(low_chroma(t(ref) + 30, t(ref))) < 1e-9
    moved = np.roll(ref, 40, axis=1)
    assert float(low_chroma(t(moved), t(ref))) > 0.02
    assert float(chroma_hist(t(moved), t(ref))) < 0.2 * float(low_chroma(t(moved), t(ref)))


def test_lowchroma_term_is_opt_in_and_trains_the_student():
    teacher, student = _tiny(0), _tiny(1)
    x = torch.rand(2, 3, 32, 32) * 255
    vgg = lambda y: [y[:, :, ::2, ::2]] * 3
    loss, parts = DistillObjective(teacher, None, vgg, w_feat=0.0, w_lowchroma=5.0, lowchroma_pool=4,
                                   context=8)(student, x, 1)
    assert float(parts["lowchroma"].detach()) > 0 and torch.isfinite(loss)
    loss.backward()
    assert student.up2.conv.weight.grad.abs().sum() > 0
    off = DistillObjective(teacher, None, vgg, w_feat=0.0, context=8)(student, x, 1)
    assert off[1]["lowchroma"] is None
    # the weight enters the loss: the loss grows by w x the term
    with torch.no_grad():
        l0 = DistillObjective(teacher, None, vgg, w_feat=0.0, context=8)(student, x, 1)[0]
        l1, p1 = DistillObjective(teacher, None, vgg, w_feat=0.0, w_lowchroma=3.0, lowchroma_pool=4,
                                  context=8)(student, x, 1)
    assert abs(float(l1 - l0) - 3.0 * float(p1["lowchroma"])) < 1e-4 * float(l1)
    # the pool size is used
    ob = DistillObjective(teacher, None, vgg, w_feat=0.0, w_lowchroma=1.0, lowchroma_pool=2, context=8)
    with torch.no_grad():
        assert abs(float(ob(student, x, 1)[1]["lowchroma"]) - float(p1["lowchroma"])) > 1e-6
    same = DistillObjective(teacher, None, vgg, w_feat=0.0, w_lowchroma=1.0)(teacher, x, 1)[1]
    assert float(same["lowchroma"].detach()) < 1e-6


def test_pipeline_passes_w_lowchroma_to_the_fine_tuning(tmp_path, monkeypatch):
    from pastiche_lab import pipeline

    class Stop(Exception):
        pass

    seen = {}

    def fake_train(*args, **kw):
        seen.update(kw)
        raise Stop
    monkeypatch.setattr(pipeline, "load_teacher", lambda droot, name: _tiny(0))
    monkeypatch.setattr(pipeline, "load_vgg", lambda droot: torch.nn.Identity())
    monkeypatch.setattr(pipeline, "load_student", lambda path, dev: _tiny(1))
    monkeypatch.setattr(pipeline, "TeacherCache", lambda *a, **k: type("TC", (), {"tag": "t"})())
    monkeypatch.setattr(pipeline, "train_photos", lambda droot, pool=False: [])
    monkeypatch.setattr(pipeline, "train", fake_train)
    args = ["--style", "udnie", "--run-dir", str(tmp_path / "run"), "--data", str(tmp_path), "--init", "x.pt",
            "--w-darknet", "0"]
    for extra, want in (([], (0.0, 8)), (["--w-lowchroma", "12", "--lowchroma-pool", "16"], (12.0, 16))):
        with pytest.raises(Stop):
            pipeline.main(args + extra)
        assert (seen["w_lowchroma"], seen["lowchroma_pool"]) == want
