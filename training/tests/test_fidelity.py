"""Issue 11's artifacts, measured: the edge band (La Muse's frame along the right and bottom edges)
and the pixel checkerboard (sunflowers), their metrics, the cause of the band (the reference's
reflection context), the checkerboard loss, and the ONNX import the shipped students are checked with.
Tests needing ../shared/data skip with the reason where it is absent."""
import json
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from pastiche_lab import evaluate as E
from pastiche_lab.data import REPO, STYLES, data_root, list_photos, load_rgb, resize_long
from pastiche_lab.finetune import DistillObjective, chroma_hist, hard_feature, hard_l1, phases, ssim_lum_4x
from pastiche_lab.model import Geometry, TransformerNet, Widths
from pastiche_lab.teachers import CONTEXT_A, reference_context

DATA = data_root()
HAS_TEACHERS = (DATA / "teachers" / "tfjs-vars").is_dir() and (DATA / "photos" / "val").is_dir()
NEEDS_DATA = pytest.mark.skipif(not HAS_TEACHERS, reason=f"third-party teachers and photos not found at {DATA}")


def _smooth(h=64, w=96, seed=0):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w]
    img = np.stack([100 + 60 * np.sin(x / 13 + k) * np.cos(y / 17) for k in range(3)], -1)
    return img + rng.normal(0, 1, img.shape)


def test_edge_band_sees_a_band_on_one_side_only():
    ref = _smooth()
    out = ref + np.random.default_rng(1).normal(0, 2, ref.shape)        # like the reference everywhere
    assert E.edge_band(out, ref) < 1.3
    banded = out.copy()
    banded[:, -8:, 0] += 60                                               # a red stripe along the right edge
    assert E.edge_band(banded, ref) > 5
    bottom = out.copy()
    bottom[-3:] -= 40                                                     # a thin dark line at the bottom
    assert E.edge_band(bottom, ref) > 3


def test_checkerboard_energy_and_phases_see_a_2x2_pattern_not_smooth_content():
    img = _smooth()
    cb = np.zeros_like(img)
    cb[0::2, 0::2] = cb[1::2, 1::2] = 6
    cb[0::2, 1::2] = cb[1::2, 0::2] = -6
    cb[..., 1] *= -1                                                      # an RGB checkerboard
    base = E.checkerboard(img)                      # smooth content: gradients and noise only
    assert base < 3
    assert E.checkerboard(img + cb) > base + 4
    t = torch.from_numpy(img.transpose(2, 0, 1)[None]).float()
    tc = torch.from_numpy((img + cb).transpose(2, 0, 1)[None]).float()
    assert (phases(tc) - phases(t)).abs().mean() > 1.9     # 6 in one component of three
    # the three components of a pure checkerboard: all in a - b - c + d
    p = phases(torch.from_numpy(cb.transpose(2, 0, 1)[None]).float())
    assert torch.allclose(p[:, :3].abs(), torch.full_like(p[:, :3], 6.0)) and p[:, 3:].abs().max() == 0


def _tiny(kind, seed=0):
    torch.manual_seed(seed)
    net = TransformerNet(Widths(4, 6, 8, [5, 4, 6, 3, 5], 6, 4), Geometry(kind, "reflect")).eval()
    with torch.no_grad():
        for n in net.norms():
            n.weight.uniform_(0.5, 1.5); n.bias.uniform_(-0.5, 0.5)
    return net


def test_distill_objective_without_kept_channels_and_with_the_phase_term():
    teacher, student = _tiny("A", 0), _tiny("A", 1)
    x = torch.rand(2, 3, 32, 32) * 255
    obj = DistillObjective(teacher, None, lambda y: [y[:, :, ::2, ::2]] * 3, w_feat=0.0, w_phase=1.0, context=8)
    loss, parts = obj(student, x, 0)
    assert parts["feat"] is None and parts["phase"] > 0 and torch.isfinite(loss)
    loss.backward()
    assert student.up2.conv.weight.grad.abs().sum() > 0
    same = DistillObjective(teacher, None, lambda y: [y] * 3, w_feat=0.0, w_phase=1.0)(teacher, x, 1)[1]
    assert float(same["phase"]) == 0.0
    with pytest.raises(ValueError):
        DistillObjective(teacher, None, None, w_feat=1.0)


def test_ssim_lum_4x_loss_is_the_evaluation_measure_and_trains_the_student():
    from skimage.metrics import structural_similarity
    rng = np.random.default_rng(0)
    a = rng.uniform(0, 255, (64, 88, 3)); b = np.clip(a + rng.normal(0, 40, a.shape), 0, 255)
    t = lambda img: torch.tensor(img.transpose(2, 0, 1)[None], dtype=torch.float64)
    ref = structural_similarity(E.down4(E.luminance(a)), E.down4(E.luminance(b)), data_range=255.0)
    assert abs(float(ssim_lum_4x(t(a), t(b))) - ref) < 1e-9 and ref < 0.99
    assert abs(float(ssim_lum_4x(t(a), t(a))) - 1.0) < 1e-9
    teacher, student = _tiny("A", 0), _tiny("A", 1)
    x = torch.rand(2, 3, 48, 48) * 255
    obj = DistillObjective(teacher, None, lambda y: [y[:, :, ::2, ::2]] * 3, w_feat=0.0, w_ssim=2.0, context=8)
    loss, parts = obj(student, x, 1)
    assert 0.0 < float(parts["ssim"]) < 2.0 and torch.isfinite(loss)
    loss.backward()
    assert student.up2.conv.weight.grad.abs().sum() > 0
    off = DistillObjective(teacher, None, lambda y: [y[:, :, ::2, ::2]] * 3, w_feat=0.0, context=8)
    assert off(student, x, 1)[1]["ssim"] is None      # opt-in: the other recipes train as before


def test_chroma_hist_is_the_sliced_wasserstein_distance_of_the_chroma_and_sees_a_green_wash():
    from scipy.stats import wasserstein_distance
    rng = np.random.default_rng(0)
    a = torch.tensor(rng.uniform(0, 255, (2, 3, 16, 24)))
    b = torch.tensor(rng.uniform(0, 255, (2, 3, 16, 24)))
    # one direction (R - G) / sqrt 2, no pooling: scipy's 1-Wasserstein distance of the two samples
    o1 = lambda y, i: ((y[i, 0] - y[i, 1]) / 2 ** 0.5).flatten().numpy()
    ref = np.mean([wasserstein_distance(o1(a, i), o1(b, i)) for i in range(2)]) / 255
    assert abs(float(chroma_hist(a, b, n_dirs=1, pool=1)) - ref) < 1e-9 and ref > 0.01
    # location-blind (a mirrored image has the same histogram) and luminance-blind (a grey shift)
    assert float(chroma_hist(a, a.flip(-1))) < 1e-9 and float((a - a.flip(-1)).abs().mean()) > 10
    assert float(chroma_hist(a, a + 30)) < 1e-9
    # a grey-brown picture with a green wash over a growing part: the distance grows with the wash
    brown = torch.tensor([120.0, 100.0, 80.0], dtype=torch.float64).view(1, 3, 1, 1) + 10 * torch.tensor(
        rng.normal(0, 1, (1, 3, 32, 32)))
    green = torch.tensor([-30.0, 40.0, -10.0], dtype=torch.float64).view(1, 3, 1, 1)
    washed = lambda w: torch.cat([brown[..., :w] + green, brown[..., w:]], -1)
    d = [float(chroma_hist(washed(w), brown)) for w in (0, 4, 8, 16)]
    assert d[0] == 0.0 and d[0] < d[1] < d[2] < d[3]


def test_chroma_term_is_opt_in_and_trains_the_student():
    teacher, student = _tiny("A", 0), _tiny("A", 1)
    x = torch.rand(2, 3, 32, 32) * 255
    vgg = lambda y: [y[:, :, ::2, ::2]] * 3
    loss, parts = DistillObjective(teacher, None, vgg, w_feat=0.0, w_chroma=5.0, context=8)(student, x, 1)
    assert float(parts["chroma"].detach()) > 0 and torch.isfinite(loss)
    loss.backward()
    assert student.up2.conv.weight.grad.abs().sum() > 0
    assert DistillObjective(teacher, None, vgg, w_feat=0.0, context=8)(student, x, 1)[1]["chroma"] is None
    same = DistillObjective(teacher, None, vgg, w_feat=0.0, w_chroma=1.0)(teacher, x, 1)[1]
    assert float(same["chroma"].detach()) < 1e-6


def test_pipeline_passes_w_chroma_to_the_fine_tuning(tmp_path, monkeypatch):
    from pastiche_lab import pipeline

    class Stop(Exception):
        pass

    seen = {}

    def fake_train(*args, **kw):
        seen.update(kw)
        raise Stop
    student = _tiny("A", 1)
    monkeypatch.setattr(pipeline, "load_teacher", lambda droot, name: _tiny("A", 0))
    monkeypatch.setattr(pipeline, "load_vgg", lambda droot: torch.nn.Identity())
    monkeypatch.setattr(pipeline, "load_student", lambda path, dev: student)
    monkeypatch.setattr(pipeline, "TeacherCache", lambda *a, **k: type("TC", (), {"tag": "t"})())
    monkeypatch.setattr(pipeline, "train_photos", lambda droot, pool=False: [])
    monkeypatch.setattr(pipeline, "train", fake_train)
    args = ["--style", "udnie", "--run-dir", str(tmp_path / "run"), "--data", str(tmp_path), "--init", "x.pt",
            "--w-darknet", "0"]
    for extra, want in (([], 0.0), (["--w-chroma", "2.5"], 2.5)):
        with pytest.raises(Stop):
            pipeline.main(args + extra)
        assert seen["w_chroma"] == want
    for extra, want in (([], (0.0, 0.0, 0.02, 2)),
                        (["--w-hard", "4", "--w-hard-feat", "1.5", "--hard-q", "0.01", "--hard-pool", "4"], (4.0, 1.5, 0.01, 4))):
        with pytest.raises(Stop):
            pipeline.main(args + extra)
        assert (seen["w_hard"], seen["w_hard_feat"], seen["hard_q"], seen["hard_pool"]) == want
    for extra, want in (([], (0.0, 0.002)), (["--w-ring", "10", "--ring-q", "0.004"], (10.0, 0.004))):
        with pytest.raises(Stop):
            pipeline.main(args + extra)
        assert (seen["w_ring"], seen["ring_q"]) == want


def _ring(h=96, w=96, cy=40, cx=50, r0=6, r1=12):
    """A grey picture with one dark ring (radii r0..r1, the candy teacher's motif in small)."""
    yy, xx = np.mgrid[:h, :w]
    r = np.hypot(yy - cy, xx - cx)
    img = np.full((h, w), 150.0)
    img[(r >= r0) & (r < r1)] = 30.0
    return torch.tensor(np.repeat(img[None, None], 3, 1))


def test_hard_l1_sees_a_rare_ring_that_the_mean_hardly_sees():
    ring, plain = _ring(), torch.full((1, 3, 96, 96), 150.0, dtype=torch.float64)
    mean = float((ring - plain).abs().mean() / 255)
    hard = float(hard_l1(ring, plain, q=0.02, pool=2))
    assert hard > 10 * mean and hard > 0.2      # the ring covers ~ 4 % of the picture, its L1 is 120 / 255
    assert float(hard_l1(plain, plain)) == 0.0
    # q = 1 and no pooling: the plain mean L1 (channel mean / 255)
    assert abs(float(hard_l1(ring, plain, q=1.0, pool=1)) - mean) < 1e-12
    # the gradient reaches only the selected (largest-difference) positions
    out = plain.clone().requires_grad_(True)
    hard_l1(out, ring, q=0.01, pool=1).backward()
    g = out.grad.abs().sum(1)[0]
    assert int((g > 0).sum()) == round(0.01 * 96 * 96) and bool((ring[0, 0][g > 0] == 30.0).all())
    # at a feature layer: the same selection, normalised by the teacher's feature energy
    ft = torch.rand(2, 8, 12, 12, dtype=torch.float64) + 1
    fs = ft.clone(); fs[:, :, 3, 4] += 5
    assert float(hard_feature(fs, ft, q=1 / 144)) > 100 * float(((fs - ft) ** 2).sum(1).mean() / (ft ** 2).sum(1).mean())
    assert float(hard_feature(ft, ft)) == 0.0


def test_hard_terms_are_opt_in_and_train_the_student():
    teacher, student = _tiny("A", 0), _tiny("A", 1)
    x = torch.rand(2, 3, 32, 32) * 255
    vgg = lambda y: [y[:, :, ::2, ::2]] * 3
    loss, parts = DistillObjective(teacher, None, vgg, w_feat=0.0, w_hard=3.0, w_hard_feat=1.0, context=8)(student, x, 0)
    assert float(parts["hard"].detach()) > float(parts["pix"].detach()) > 0 and float(parts["hard_feat"].detach()) > 0
    loss.backward()
    assert student.up2.conv.weight.grad.abs().sum() > 0
    off = DistillObjective(teacher, None, vgg, w_feat=0.0, context=8)(student, x, 0)[1]
    assert off["hard"] is None and off["hard_feat"] is None and off["ring"] is None
    x = torch.rand(1, 3, 64, 64) * 255
    loss, parts = DistillObjective(teacher, None, vgg, w_feat=0.0, w_ring=10.0, context=8)(student, x, 1)
    assert torch.isfinite(loss) and float(parts["ring"].detach()) >= 0


_OLD_REWRITES = ("output_conv_space_to_depth", "upsample_conv_phases")
_NORM_REWRITES = ("norm_one_pass_variance", "norm_affine")


@pytest.mark.parametrize("kind", ["A", "B"])
@pytest.mark.parametrize("rewrites", [None, (), _OLD_REWRITES, _NORM_REWRITES])
def test_onnx_import_reproduces_a_rewritten_export(tmp_path, kind, rewrites):
    """None: the export as shipped (every fastgraph rewrite); else a plain export with only these."""
    import onnx
    from pastiche_lab import fastgraph
    from pastiche_lab.export import export_pair
    from pastiche_lab.onnx_import import check, net_from_onnx
    net = _tiny(kind, 3)
    path = tmp_path / "m.onnx"
    export_pair(net, path, tmp_path / "m.tile.onnx", rewrite=rewrites is None)
    m = onnx.load(str(path))
    if rewrites is not None:
        for r in fastgraph.REWRITES:
            if r.__name__ in rewrites:
                # each applies (format A has ConvTranspose, not nearest upsampling)
                assert r(m) > 0 or (r.__name__, kind) == ("upsample_conv_phases", "A"), r.__name__
        onnx.save(m, str(path))
    ops = {n.op_type for n in m.graph.node}
    if rewrites is None:   # the shipped layout: every weight-moving rewrite is there to be inverted
        mark = next(p.value for p in m.metadata_props if p.key == fastgraph.MARK)
        assert all(r in mark for r in ("output_conv_space_to_depth", "norm_affine", "norm_one_pass_variance",
                                       "conv_transpose_phases" if kind == "A" else "upsample_conv_phases"))
        # the only ConvTransposes left are depth_to_space_conv_transpose's 2 x 2 copies
        assert all([a.ints for a in n.attribute if a.name == "kernel_shape"] == [[2, 2]]
                   for n in m.graph.node if n.op_type == "ConvTranspose") and "BatchNormalization" in ops
        assert "DepthToSpace" not in ops
    back = net_from_onnx(path, net.config())
    for a, b in zip(net.state_dict().values(), back.state_dict().values()):
        assert torch.allclose(a, b, atol=1e-6)
    assert check(back, path) < 0.05


SHIPPED = REPO / "models"


@pytest.mark.parametrize("style", ["wheatfield", "candy"])     # format A (ConvTranspose phases), format B
def test_onnx_import_of_a_shipped_model(tmp_path, style):
    """The shipped graph (every rewrite) read back: re-exported with the same rewrites it gives the shipped
    outputs (the inversion is exact); PyTorch itself differs from ONNX Runtime only by the one-pass
    variance's float rounding (wheatfield 0.0025, candy 0.0009 on 0..255)."""
    from pastiche_lab.export import export_pair, ort_session
    from pastiche_lab.onnx_import import check, config_of, net_from_onnx
    path = SHIPPED / f"{style}.onnx"
    if not path.is_file():
        pytest.skip(f"{path} not shipped")
    torch.set_num_threads(1)
    net = net_from_onnx(path, config_of(path))
    export_pair(net, tmp_path / "r.onnx", tmp_path / "r.tile.onnx")
    x = (np.random.default_rng(0).random((1, 3, 64, 80)) * 255).astype(np.float32)
    y0, y1 = (ort_session(p).run(["output"], {"input": x})[0] for p in (path, tmp_path / "r.onnx"))
    assert np.abs(y0 - y1).max() < 1e-3
    assert check(net, path, hw=(64, 80)) < 0.01


def test_format_a_reference_context_is_wide_enough():
    assert reference_context("B") == 0 and CONTEXT_A >= 48 and reference_context("A") == CONTEXT_A


def _teacher_ref(teacher, img, c):
    def run(x):
        return teacher(F.pad(x, (c,) * 4, mode="reflect"))[:, :, c:-c, c:-c] if c else teacher(x)
    with torch.no_grad():
        return E.pad_run(run, img)


@NEEDS_DATA
def test_la_muse_reference_band_goes_away_with_the_lab_context():
    """The cause of the La Muse student's edge band: its training target, the teacher on a 16-px
    reflection context, still carries the teacher's zero-padding frame (which the student learned);
    on CONTEXT_A px it is as clean at the borders as in the interior (against a 96-px context)."""
    from pastiche_lab.teachers import load_teacher
    torch.set_num_threads(1)
    teacher = load_teacher(DATA, STYLES["picasso"][0]).eval()
    img = resize_long(load_rgb(list_photos(DATA / "photos" / "val")[0]), 256)
    clean = _teacher_ref(teacher, img, 96)
    assert E.edge_band(_teacher_ref(teacher, img, 16), clean) > 3
    assert E.edge_band(_teacher_ref(teacher, img, CONTEXT_A), clean) < 1.6


def _shipped_vs_teacher(style, photo_index=91, size=768):
    """(student output, teacher reference) on a held-out val photo at `size`, the shipped ONNX model fed as
    the engine feeds it (on the catalog's mirrored margin, border_context and border_sides, where it has one)."""
    from pastiche_lab.teachers import load_teacher
    torch.set_num_threads(1)
    cat = {m["id"]: m for m in json.loads((REPO / "models" / "catalog.json").read_text())["models"]}
    img = resize_long(load_rgb(list_photos(DATA / "photos" / "val")[photo_index]), size)
    teacher = load_teacher(DATA, STYLES[style][0]).eval()
    ref = _teacher_ref(teacher, img, reference_context(STYLES[style][1]))
    out = E.pad_run(E.fed_on_context(E.onnx_fn(str(REPO / "models" / cat[style]["file"]), 1), *E.shipped_feed(style)), img)
    return out, ref


# On a held-out photo at 768 px (BSDS val 91, never trained on): the edge band (evaluate.edge_band) and
# checkerboard ratio (the student's 2x2-periodic energy over the teacher's) stay below what the La Muse
# and sunflowers students showed there before issue 11's repairs (edge band 2.59 and 2.59; checkerboard
# ratio 1.23 and 1.69; on the test:6 set at 768 px, 3.09 and 1.52 / 1.26 and 1.62,
# reports/test_set_before_ctx48.json).
EDGE_LIMIT, CHECKERBOARD_LIMIT = 2.0, 1.5


def _artifacts(style):
    out, ref = _shipped_vs_teacher(style)
    band, cb = E.edge_band(out, ref), E.checkerboard(out) / E.checkerboard(ref)
    print(style, "edge band", round(band, 2), "checkerboard ratio", round(cb, 2))
    return band, cb


@NEEDS_DATA
@pytest.mark.parametrize("style", ["starry-night", "wheatfield"])
def test_shipped_format_a_students_have_no_edge_band_or_checkerboard(style):
    band, cb = _artifacts(style)
    assert band < EDGE_LIMIT and cb < CHECKERBOARD_LIMIT


# The shipped La Muse (edge band) and sunflowers (checkerboard) students are still above EDGE_LIMIT and
# CHECKERBOARD_LIMIT (issue 11, open): measured by `python3 scripts/artifacts.py models --style picasso sunflowers`,
# not asserted here until repaired students ship.


def test_border_l1_sees_only_the_band():
    from pastiche_lab.finetune import border_l1
    ref = torch.zeros(2, 3, 40, 48)
    inner = ref.clone()
    inner[:, :, 8:-8, 8:-8] = 255.0                 # a difference inside only: no border term
    assert float(border_l1(inner, ref, 8)) == 0.0
    line = ref.clone()
    line[:, :, :, -2:] = 255.0                      # a 2-px line along the right edge
    band = 2 * 40 * 8 + 2 * 48 * 8 - 4 * 64         # pixels of the 8-px band, each once
    assert abs(float(border_l1(line, ref, 8)) - 2 * 40 / band) < 1e-6
    assert float(border_l1(line, ref, 2)) > float(border_l1(line, ref, 8))


def test_border_profile_finds_a_line_by_column():
    import importlib.util
    spec = importlib.util.spec_from_file_location("artifacts", Path(__file__).resolve().parents[1] / "scripts" / "artifacts.py")
    A = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(A)
    ref = np.full((80, 96, 3), 100.0)
    out = ref.copy()
    out[:, -3, 0] += 60                                  # a red line 3 px from the right edge
    prof = dict(A.border_profile(out, ref)["right columns"])
    assert prof["col -3"][0] == 60 and prof["col -3"][1] == 0 and prof["col -1"][3] == 0
    assert prof["interior"][3] == 0
    assert all(r[3] == 0 for _, r in A.border_profile(out, ref)["left columns"])
