"""MicroAST fine-tuning on the lab's Trainer: a resumed run equals an uninterrupted one, the earlier
loop's checkpoints resume and load, the frozen style head stays frozen and the style encoder trains
at its scaled learning rate. Tiny random networks and images, no third-party data."""
import math
import random

import numpy as np
import pytest
import torch

from pastiche_lab import checkpoints
from pastiche_lab import microast as M
from pastiche_lab.lossnets import VGGRelu31
from pastiche_lab.microast_finetune import MicroASTDistill, PairSampler, make_trainer, trainable_groups
from pastiche_lab.microast_lab import load_student, student_from_teacher

torch.set_num_threads(1)


def teacher(seed=0):
    torch.manual_seed(seed)
    t = M.MicroAST(M.ContentNet(M.FULL), M.StyleNet())
    for p in t.parameters():
        p.data.normal_(0, 0.08)
        p.requires_grad_(False)
    return t.eval()


def code(seed=1):
    rng = random.Random(seed)
    c = [1 if rng.random() < 0.6 else 0 for _ in range(M.code_len())]
    for _g, (s, _e) in M.group_slices().items():
        c[s] = c[s + 1] = 1
    return c


def sampler(seed=0):
    rng = np.random.default_rng(0)
    img = lambda h, w: rng.integers(0, 256, (h, w, 3)).astype(np.float32)
    return PairSampler([img(40, 52), img(44, 40)], [img(36, 30), img(30, 44)], [img(32, 32)], crop=24, seed=seed,
                       style_sizes=(24, 32))


def vgg():
    torch.manual_seed(2)
    return VGGRelu31()


def run(tmp_path, name, iters, t, idx, net=None, validator=None, **kw):
    net = net or student_from_teacher(t, idx)
    return make_trainer(t, net, idx, vgg(), tmp_path / name, sampler(), max_iters=iters, iter_schedule=True,
                        lr=1e-3, batch=2, validator=validator, val_every=3, ckpt_every=2, log=lambda *a: None,
                        vgg_every=2, log_every=1, **kw)


def test_a_resumed_run_equals_an_uninterrupted_one(tmp_path, stop_during):
    t = teacher()
    idx = M.indices_from_code(code())
    whole = run(tmp_path, "a", 6, t, idx)
    whole.fit()
    stop_during(run(tmp_path, "b", 6, t, idx), 4)   # the job is stopped during its 5th iteration
    again = run(tmp_path, "b", 6, t, idx)        # a fresh student, resumed from the step-4 checkpoint
    assert again.resumed and again.step == 4
    again.fit()
    assert again.step == 6
    for (k, a), b in zip(whole.net.state_dict().items(), again.net.state_dict().values()):
        assert torch.equal(a, b), k
    assert [r["it"] for r in again.history["train"]] == list(range(1, 7))


def test_training_moves_the_student_towards_the_teacher(tmp_path):
    t = teacher()
    idx = M.indices_from_code(code())
    net = student_from_teacher(t, idx)
    obj = MicroASTDistill(t, idx, vgg(), vgg_every=1)
    batch = sampler(5).batch(2)
    before = float(obj(net, batch, 0)[0])
    tr = run(tmp_path, "m", 25, t, idx, net=net)
    tr.fit()
    after = float(obj(net.train(), batch, 0)[0])
    assert after < 0.8 * before
    assert {"pix", "low", "feat", "style", "content"} <= set(tr.history["train"][-1])


def test_style_head_frozen_style_tail_at_its_scaled_rate(tmp_path):
    t = teacher()
    idx = M.indices_from_code(code())
    net = student_from_teacher(t, idx)
    head0 = {k: v.clone() for k, v in net.style.enc.state_dict().items() if not k.startswith("r2.")}
    r2 = net.style.enc.r2.conv1.conv.weight.clone()
    tr = run(tmp_path, "f", 4, t, idx, net=net, style_lr_scale=0.25)
    tr.fit()
    for k, v in net.style.enc.named_parameters():
        if k in head0:
            assert torch.equal(v, head0[k]) and not v.requires_grad, k
    assert not torch.equal(net.style.enc.r2.conv1.conv.weight, r2)
    g = tr.opt.param_groups
    assert g[1]["lr"] == pytest.approx(0.25 * g[0]["lr"]) and g[0]["lr"] > 0


def _old_layout(t, idx, path):
    """A checkpoint of the loop before the Trainer: student, opt (two groups), it, elapsed, best."""
    net = student_from_teacher(t, idx)
    groups = trainable_groups(net)
    opt = torch.optim.Adam([{"params": g["params"], "lr": 1e-3} for g in groups])
    x = torch.rand(1, 3, 24, 24)
    net.content(x, net.style(torch.rand(1, 3, 24, 24))).mean().backward()
    opt.step()
    torch.save({"student": net.state_dict(), "opt": opt.state_dict(), "it": 40, "elapsed": 120.0,
                "best": {"score": 1.5, "it": 30}}, path)
    return net


def test_the_earlier_loops_state_resumes(tmp_path):
    t = teacher()
    idx = M.indices_from_code(code())
    (tmp_path / "o").mkdir()
    old = _old_layout(t, idx, tmp_path / "o" / "ft_state.pt")
    tr = run(tmp_path, "o", 42, t, idx, style_lr_scale=0.3)
    assert tr.resumed and tr.step == 40 and tr.elapsed == 120.0 and tr.best["score"] == 1.5
    for a, b in zip(old.state_dict().values(), tr.net.state_dict().values()):
        assert torch.equal(a, b)
    tr.fit()
    assert tr.step == 42
    g = tr.opt.param_groups
    assert g[1]["lr"] == pytest.approx(0.3 * g[0]["lr"])     # the scale survives the old optimiser state


def test_students_of_both_layouts_load(tmp_path):
    t = teacher()
    idx = M.indices_from_code(code())
    net = student_from_teacher(t, idx)
    for p in net.parameters():
        p.data += 0.01 * torch.randn_like(p)
    checkpoints.save(tmp_path / "new.pt", net, step=3, meta={"val": {"score": 1.0}})
    torch.save({"widths": net.content.w.to_dict(), "idx": idx, "content": net.content.state_dict(),
                "style": net.style.state_dict(), "val": None}, tmp_path / "old.pt")
    x, s = torch.rand(1, 3, 28, 32), torch.rand(1, 3, 30, 26)
    with torch.no_grad():
        ref = net.eval()(x, s)
        for f in ("new.pt", "old.pt"):
            back = load_student(tmp_path / f)
            assert back.content.w == net.content.w and back.style.t == len(idx["trunk"])
            assert torch.equal(back(x, s), ref), f
    with pytest.raises(ValueError):
        checkpoints.save(tmp_path / "other.pt", config={"c1": 4}, state_dict={})
        load_student(tmp_path / "other.pt")


def test_pair_sampler_stream_resumes():
    a = sampler(3)
    a.batch(2)
    st = a.state()
    x1, s1 = a.batch(2)
    b = sampler(99)
    b.set_state(st)
    x2, s2 = b.batch(2)
    assert torch.equal(x1, x2) and all(torch.equal(u, v) for u, v in zip(s1, s2))
    assert x1.shape == (2, 3, 24, 24) and 0 <= float(x1.min()) and float(x1.max()) <= 1
    assert all(max(s.shape[2:]) in (24, 32) for s in s1)


def test_validation_keeps_the_best_student(tmp_path):
    t = teacher()
    idx = M.indices_from_code(code())
    scores = iter([0.9, 0.4, 0.7])

    def validator(net, step):
        assert net.clamp_output and not net.training
        return {"score": next(scores), "style_distance_ratio": 0.3, "ssim_lum_4x": 0.9}
    tr = run(tmp_path, "v", 7, t, idx, validator=validator)
    best = tr.fit()
    assert best["it"] == 6 and best["score"] == 0.4
    assert not math.isinf(best["score"])
    assert load_student(tmp_path / "v" / "student.pt").content.w == tr.net.content.w


@pytest.mark.parametrize("groups", [("c1", "e2", "u1", "u2"), ("u2",), ("r1", "r2")])
def test_widening_keeps_the_students_function(groups):
    t = teacher(3)
    idx = M.indices_from_code(code(4))
    student = M.slim(t.content, idx)
    torch.manual_seed(5)
    for p in student.parameters():                  # a "fine-tuned" student: its own weights
        p.data += 0.03 * torch.randn_like(p)
    wide, new = M.widen(student, t.content, idx, groups)
    for g in M.GROUPS:
        assert getattr(wide.w, g) == (getattr(M.FULL, g) if g in groups else len(idx[g]))
        assert new[g] == (list(range(getattr(M.FULL, g))) if g in groups else idx[g])
    T = len(idx["trunk"])
    cc = torch.randn(8 * T) * 0.3 + torch.tensor([0.0, 1.0] * 4).repeat_interleave(T)
    x = torch.rand(1, 3, 36, 44)
    with torch.no_grad():
        a, b = student(x, cc), wide(x, cc)
    assert torch.allclose(a, b, atol=1e-5), float((a - b).abs().max())
    assert M.count_params(wide) > M.count_params(student)
    assert M.indices_from_code(M.code_from_indices(new)) == new and M.indices_from_code(M.code_from_indices(idx)) == idx
    with pytest.raises(ValueError):
        M.widen(student, t.content, idx, ("trunk",))


def test_the_ratio_term_is_the_evaluations_measure():
    from pastiche_lab.microast_finetune import style_ratio
    from pastiche_lab.perceptual import style_distance
    v = vgg()
    torch.manual_seed(7)
    p, t, o = (torch.rand(2, 3, 24, 24) * 255 for _ in range(3))
    fp, ft, fo = v(p), v(t), v(o)
    r = style_ratio(fo, ft, fp, floor=0.0)
    for i in range(2):
        sl = lambda f, i=i: [x[i:i + 1] for x in f]
        want = style_distance(sl(fo), sl(ft)) / style_distance(sl(fp), sl(ft))
        assert float(r[i]) == pytest.approx(float(want), rel=1e-5)
    assert torch.allclose(style_ratio(fp, ft, fp, floor=0.0), torch.ones(2))
    assert float(style_ratio(ft, ft, fp).max()) < 1e-3
    assert float(style_ratio(fo, ft, ft, floor=0.5).max()) == pytest.approx(float(style_distance(fo, ft, reduce=False).max() / 0.5), rel=1e-5)


def test_ship_only_when_style_improves_and_the_met_measures_stay_met(tmp_path):
    from pastiche_lab import catalog
    from pastiche_lab.microast_ship import ID, better_than, shipped_entry
    assert shipped_entry(tmp_path) is None and better_than({"style_distance_ratio": 9, "ssim_lum_4x": 0}, None)
    catalog.update(tmp_path / "catalog.json", {"id": ID, "file": "a.onnx",
                                                "fidelity": {"style_distance_ratio": 0.43, "ssim_lum_4x": 0.875,
                                                             "mac_ratio": 0.595}})
    e = shipped_entry(tmp_path)
    assert better_than({"style_distance_ratio": 0.30, "ssim_lum_4x": 0.88, "mac_ratio": 0.595}, e)
    assert better_than({"style_distance_ratio": 0.30, "ssim_lum_4x": 0.85, "mac_ratio": 0.595}, e)   # lower, in the goal
    assert not better_than({"style_distance_ratio": 0.30, "ssim_lum_4x": 0.849, "mac_ratio": 0.595}, e)
    assert not better_than({"style_distance_ratio": 0.30, "ssim_lum_4x": 0.88, "mac_ratio": 0.61}, e)
    assert not better_than({"style_distance_ratio": 0.43, "ssim_lum_4x": 0.90, "mac_ratio": 0.5}, e)


def test_curves_follow_a_run_started_from_another(tmp_path):
    import json
    from pastiche_lab.microast_ship import run_chain
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(); b.mkdir()
    (a / "search.json").write_text(json.dumps({"code": []}))
    torch.save({"widths": {}, "idx": {}, "content": {}, "style": {}, "val": {"it": 600}}, a / "student.pt")
    (b / "search.json").write_text(json.dumps({"init": {"from": str(a / "student.pt")}}))
    assert run_chain(b) == [(a, 0), (b, 600)]
    assert run_chain(a) == [(a, 0)]


def _fine_tuned_student(t, idx, seed=5):
    from pastiche_lab.microast_lab import student_from_teacher as sft
    st = sft(t, idx)
    torch.manual_seed(seed)
    for p in st.parameters():
        p.data += 0.03 * torch.randn_like(p)
    return st.eval()


def test_reshape_that_only_adds_channels_keeps_the_function_trunk_included():
    from pastiche_lab.microast_reshape import reshape_student
    t = teacher(3)
    idx = M.indices_from_code(code(4))
    st = _fine_tuned_student(t, idx)
    missing = lambda g, n: sorted(set(idx[g]) | set([c for c in range(getattr(M.FULL, g)) if c not in idx[g]][:n]))
    pairs = lambda g, n: sorted(set(idx[g]) | {c for k in [k for k in range(getattr(M.FULL, g) // 2)
                                                            if 2 * k not in idx[g]][:n] for c in (2 * k, 2 * k + 1)})
    new = {g: list(idx[g]) for g in M.GROUPS}
    new.update(trunk=pairs("trunk", 3), u1=pairs("u1", 2), r1=missing("r1", 5), c1=missing("c1", 2))
    assert len(new["trunk"]) == len(idx["trunk"]) + 6
    big, got = reshape_student(st, t, idx, new)
    assert got == new and big.style.t == len(new["trunk"])
    x, s = torch.rand(1, 3, 36, 44), torch.rand(1, 3, 40, 32)
    with torch.no_grad():
        a, b = st(x, s), big.eval()(x, s)
    assert torch.allclose(a, b, atol=1e-5), float((a - b).abs().max())
    assert M.count_params(big.content) > M.count_params(st.content)


def test_reshape_that_drops_channels_keeps_the_kept_weights():
    from pastiche_lab.microast_reshape import reshape
    t = teacher(3)
    idx = M.indices_from_code(code(4))
    plain = M.slim(t.content, idx)                      # a student that is the teacher's channels
    new = {g: list(idx[g]) for g in M.GROUPS}
    new["c1"], new["u2"] = idx["c1"][:-1], idx["u2"][1:]
    new["trunk"] = idx["trunk"][2:]
    net, _ = reshape(plain, t.content, idx, new)
    ref = M.slim(t.content, new)
    for (k, a), b in zip(net.state_dict().items(), ref.state_dict().values()):
        assert torch.equal(a, b), k
    st = _fine_tuned_student(t, idx).content             # its own weights survive for kept channels
    net, _ = reshape(st, t.content, idx, new)
    i = idx["c1"].index(new["c1"][0])
    assert torch.equal(net.enc.conv1.conv.weight[0], st.enc.conv1.conv.weight[i])
    assert torch.equal(net.out.conv.weight[:, 0], st.out.conv.weight[:, 1])
    T = idx["trunk"]
    assert torch.equal(net.dec1.conv1.conv.weight, st.dec1.conv1.conv.weight[2:, 2:])
    with pytest.raises(ValueError):
        reshape(st, t.content, idx, {**new, "trunk": T[1:]})     # half a pair


def test_plan_takes_widths_by_importance_and_refuses_bad_ones():
    from pastiche_lab.microast_reshape import parse_targets, plan
    idx = {g: list(range(0, getattr(M.FULL, g), 2)) if g not in M.PAIRED else list(range(getattr(M.FULL, g) // 2))
           for g in M.GROUPS}
    imp = [float(i % 7) for i in range(M.code_len())]
    sl = M.group_slices()
    new = plan(idx, {"c1": 4, "r1": 40, "trunk": 40}, imp)
    assert len(new["c1"]) == 4 and set(new["c1"]) <= set(idx["c1"])
    s = sl["c1"][0]
    dropped = set(idx["c1"]) - set(new["c1"])
    assert max(imp[s + c] for c in dropped) <= min(imp[s + c] for c in new["c1"])
    assert len(new["r1"]) == 40 and set(idx["r1"]) <= set(new["r1"])
    s = sl["r1"][0]
    others = set(range(64)) - set(new["r1"])
    added = set(new["r1"]) - set(idx["r1"])
    assert min(imp[s + c] for c in added) >= max(imp[s + c] for c in others)
    assert len(new["trunk"]) == 40 and all((c ^ 1) in new["trunk"] for c in new["trunk"])
    assert new["e2"] == idx["e2"]
    with pytest.raises(ValueError):
        plan(idx, {"trunk": 41}, imp)
    with pytest.raises(ValueError):
        plan(idx, {"c1": 17}, imp)
    assert parse_targets("c1=8, trunk=52") == {"c1": 8, "trunk": 52}
    with pytest.raises(ValueError):
        parse_targets("c9=3")
