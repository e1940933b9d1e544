"""Issue 11, mosaic paler than its teacher: the closed-form colour map (colour_fit) and its fold into the
output convolution, and the saturation measure."""
import numpy as np
import pytest
import torch

from pastiche_lab import colour_fit as CF
from pastiche_lab.model import Geometry, TransformerNet, Widths


def _tiny(kind="B", seed=0):
    torch.manual_seed(seed)
    net = TransformerNet(Widths(4, 6, 8, [5, 4, 6, 3, 5], 6, 4), Geometry(kind, "reflect")).eval()
    with torch.no_grad():
        for n in net.norms():
            n.weight.uniform_(0.5, 1.5); n.bias.uniform_(-0.5, 0.5)
        net.conv_out.conv.bias.add_(120.0)
    return net


def _colours(n=4000, seed=0):
    rng = np.random.default_rng(seed)
    base = rng.normal(0, 1, (n, 3)) @ np.array([[30, 5, -4], [3, 25, 6], [-2, 4, 20.0]]) + [120, 110, 100]
    return base


def test_fit_affine_recovers_a_known_map():
    s = _colours()
    m = np.array([[1.2, 0.1, -0.05], [0.0, 0.9, 0.1], [0.05, -0.1, 1.1]]); c = np.array([5.0, -3.0, 2.0])
    got_m, got_c = CF.fit_affine(s, s @ m.T + c)
    assert np.allclose(got_m, m, atol=1e-8) and np.allclose(got_c, c, atol=1e-6)
    # the ridge pulls it toward the identity
    rm, _ = CF.fit_affine(s, s @ m.T + c, ridge=1e6)
    assert np.abs(rm - np.eye(3)).max() < 0.01


def test_fit_moments_carries_mean_and_covariance():
    s, t = _colours(seed=1), _colours(seed=2) * [1.4, 1.2, 0.8] + [10, 0, -5]
    m, c = CF.fit_moments(s, t)
    y = s @ m.T + c
    assert np.allclose(y.mean(0), t.mean(0), atol=1e-6)
    assert np.allclose(np.cov(y.T), np.cov(t.T), rtol=1e-6, atol=1e-6)
    assert np.allclose(m, m.T, atol=1e-9)          # the least-displacement map is symmetric
    half, _ = CF.fit_moments(s, t, ridge=0.5)
    assert np.allclose(half, 0.5 * m + 0.5 * np.eye(3))


def test_fit_chroma_moments_leaves_luma_exactly_and_matches_chroma():
    s = _colours(seed=3)
    p = CF.OPP_BASIS
    q = s @ p.T
    q[:, 1:] = q[:, 1:] * 1.5 + [6.0, -4.0]          # a teacher 1.5x as colourful, same tone
    t = q @ np.linalg.inv(p).T
    m, c = CF.fit_chroma_moments(s, t)
    y = s @ m.T + c
    assert np.allclose(y @ CF.LUMA, s @ CF.LUMA, atol=1e-6)
    qy = y @ p.T
    assert np.allclose(np.cov(qy[:, 1:].T), np.cov(q[:, 1:].T), rtol=1e-6)
    assert np.allclose(qy[:, 1:].mean(0), q[:, 1:].mean(0), atol=1e-6)


def test_fold_affine_is_the_map_applied_to_the_unclamped_output():
    net = _tiny()
    x = torch.rand(1, 3, 32, 40) * 255
    net.clamp_output = False
    with torch.no_grad():
        y = net(x)[0].permute(1, 2, 0).numpy().reshape(-1, 3)
    m = np.array([[1.1, -0.2, 0.05], [0.1, 1.2, -0.1], [0.0, 0.1, 0.9]]); c = np.array([3.0, -2.0, 1.0])
    CF.fold_affine(net, m, c)
    with torch.no_grad():
        z = net(x)[0].permute(1, 2, 0).numpy().reshape(-1, 3)
    assert np.abs(z - (y @ m.T + c)).max() < 1e-3
    with pytest.raises(ValueError, match="format-A"):
        CF.fold_affine(_tiny("A"), m, c)


def test_saturation_sees_a_paler_student_and_a_shift():
    rng = np.random.default_rng(0)
    tgt = np.clip(rng.normal(0, 1, (64, 96, 3)) * 40 + [150, 110, 80], 0, 255)
    grey = tgt.mean(-1, keepdims=True)
    paler = np.clip(grey + 0.6 * (tgt - grey), 0, 255)

    class TC:   # the two attributes saturation() reads of a TeacherCache
        imgs = [tgt]; targets = [tgt]

    same = CF.saturation(lambda x: x, TC)
    assert same["chroma_ratio"] == pytest.approx(1.0, abs=1e-3) and abs(same["db"]) < 0.05
    fn = lambda x: torch.from_numpy(paler).permute(2, 0, 1)[None].float()   # noqa: E731
    r = CF.saturation(fn, TC)
    assert r["chroma_ratio"] < 0.7 and r["student_chroma"] < r["teacher_chroma"]


def test_the_fit_refuses_held_out_photos(tmp_path):
    from PIL import Image
    kodak = tmp_path / "photos" / "kodak"; kodak.mkdir(parents=True)
    (tmp_path / "photos" / "val").mkdir()
    Image.new("RGB", (16, 16)).save(kodak / "kodim01.png")
    with pytest.raises(SystemExit, match="never the test set"):
        CF.main(["--style", "mosaic", "--data", str(tmp_path), "--photos", str(kodak),
                 "--model", str(tmp_path / "none.pt"), "--out", str(tmp_path / "out.pt")])
