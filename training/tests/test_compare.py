"""Controlled-comparison support: fine-tuning on an iteration schedule, the discriminator term's
record in the search history, and scripts/compare_runs.py. Small sizes, no data needed."""
import importlib.util
import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

from pastiche_lab import checkpoints, prune
from pastiche_lab.finetune import train
from pastiche_lab.model import Geometry, TransformerNet, Widths, kept_indices, masks_from_code, slim

torch.set_num_threads(1)
TINY = Widths(8, 8, 16, [16] * 5, 8, 8)
LAB = Path(__file__).resolve().parent.parent


class TinyLoss(nn.Module):
    def forward(self, x):
        return [F.avg_pool2d(x, 2), F.avg_pool2d(x, 4), F.avg_pool2d(x, 8)]


def tiny_net(seed=0):
    torch.manual_seed(seed)
    net = TransformerNet(TINY, Geometry("B", "reflect")).eval()
    with torch.no_grad():
        for n in net.norms():
            n.weight.uniform_(0.5, 1.5); n.bias.uniform_(-0.5, 0.5)
    return net


def photos_dir(tmp_path):
    d = tmp_path / "photos"
    d.mkdir()
    rng = np.random.default_rng(0)
    for i in range(2):
        Image.fromarray(rng.integers(0, 256, (40, 48, 3), dtype=np.uint8)).save(d / f"p{i}.png")
    return d


def dummy_validator(net):
    return {"style_distance_ratio": 0.5, "ssim_lum_4x": 0.5, "ssim": 0.4, "psnr_db": 15.0}


def setup_student():
    teacher = tiny_net()
    code = [1 if i % 3 else 0 for i in range(sum(TINY.as_list()))]
    masks = masks_from_code(code, TINY, "cpu")
    return slim(teacher, masks), teacher, kept_indices(masks)


def test_iteration_schedule_runs_exactly_and_decays_over_iterations(tmp_path):
    student, teacher, kept = setup_student()
    run = tmp_path / "run"; run.mkdir()
    lr = 1e-3
    train(student, teacher, kept, TinyLoss(), run, photos_dir=photos_dir(tmp_path), crop=16, batch=2,
          minutes=1e9, lr=lr, val_every=100, validator=dummy_validator, max_iters=10, iter_schedule=True,
          log=lambda *a: None)
    recs = [json.loads(l) for l in (run / "ft_log.jsonl").read_text().splitlines()]
    train_recs = [r for r in recs if "val" not in r]
    vals = [r for r in recs if r.get("val")]
    assert [r["it"] for r in vals] == [10]          # the last iteration is validated
    assert train_recs[-1]["it"] == 10
    # cosine over iterations: the 10th step ran at frac 9/10, whatever the elapsed time
    assert train_recs[-1]["lr"] == pytest.approx(lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * 0.9))))
    assert checkpoints.load(run / "ft_state.pt")["step"] == 10
    # a rerun resumes and trains no further
    student2, _, _ = setup_student()
    train(student2, teacher, kept, TinyLoss(), run, photos_dir=tmp_path / "photos", crop=16, batch=2,
          minutes=1e9, lr=lr, validator=dummy_validator, max_iters=10, iter_schedule=True, log=lambda *a: None)
    assert checkpoints.load(run / "ft_state.pt")["step"] == 10
    for a, b in zip(student.state_dict().values(), student2.state_dict().values()):
        assert torch.equal(a, b)


def test_iteration_schedule_needs_max_iters(tmp_path):
    student, teacher, kept = setup_student()
    with pytest.raises(ValueError):
        train(student, teacher, kept, TinyLoss(), tmp_path, photos_dir=tmp_path, iter_schedule=True)


def test_search_records_discriminator_term():
    net = tiny_net()
    photos = torch.rand(2, 3, 32, 32) * 255
    res = prune.search(net, photos, TinyLoss(), population=5, generations=2, max_mac=0.5, disc_weight=0.5,
                       gamma=0.3, log=lambda *a: None)
    assert res["wall_s"] >= 0
    for h in res["history"]:
        assert 0 <= h["p_fake_min"] <= h["best_p_fake"] <= h["p_fake_max"] <= 1
        assert h["p_fake_min"] <= h["p_fake_mean"] <= h["p_fake_max"]
        assert h["best_fitness"] == pytest.approx(h["best_fitness_no_disc"] + 0.5 * h["best_p_fake"])
        assert h["best_fitness_no_disc"] == pytest.approx(h["best_err"] + 0.3 * h["best_params"] / 1e6)
    # without the discriminator: no such fields, same initial population (same seed)
    res0 = prune.search(net, photos, TinyLoss(), population=5, generations=0, max_mac=0.5, gamma=0.3,
                        log=lambda *a: None)
    assert "best_p_fake" not in res0["history"][0]
    assert [p["err"] for p in res0["points"]] == [p["err"] for p in res["points"][:5]]


def load_compare():
    spec = importlib.util.spec_from_file_location("compare_runs", LAB / "scripts" / "compare_runs.py")
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


def fake_run(d, disc_weight, vals, eval_ratio):
    d.mkdir(parents=True)
    res = prune.search(tiny_net(), torch.rand(2, 3, 24, 24) * 255, TinyLoss(), population=4, generations=1,
                       max_mac=0.5, disc_weight=disc_weight, log=lambda *a: None)
    (d / "search.json").write_text(json.dumps(res))
    lines = [json.dumps({"it": 10, "lr": 1e-3, "loss": 1.0})]
    for it, r in vals:
        lines.append(json.dumps({"it": it, "min": it / 10, "style_distance_ratio": r, "ssim_lum_4x": 0.7,
                                 "ssim": 0.5, "psnr_db": 16.0, "score": 1.0, "val": True}))
    (d / "ft_log.jsonl").write_text("\n".join(lines) + "\n")
    (d / "eval.json").write_text(json.dumps({"photos": 25, "style_distance_ratio": eval_ratio, "ssim_lum_4x": 0.81,
                                             "ssim": 0.55, "psnr_db": 17.0, "iterations": 100,
                                             "minutes_trained": 5.0, "model": "student_last.pt"}))


def test_compare_runs_table_and_curves(tmp_path, capsys):
    cr = load_compare()
    fake_run(tmp_path / "with", 0.5, [(50, 0.4), (100, 0.3)], 0.25)
    fake_run(tmp_path / "without", 0.0, [(50, 0.45), (100, 0.31), (150, 0.29)], 0.27)
    png = tmp_path / "curves.png"
    runs = cr.main([str(tmp_path / "with"), str(tmp_path / "without"), "--labels", "with", "without",
                    "--png", str(png)])
    out = capsys.readouterr().out
    assert png.exists() and png.stat().st_size > 1000
    assert cr.common_iterations(runs) == [50, 100]          # only iterations both runs validated
    assert "| 100 | 0.300 / 0.700" in out and "| 150 |" not in out
    assert "| with | student_last.pt | 100 | 25 | 0.2500 |" in out
    s_with = cr.search_summary(runs[0]["search"])
    s_wo = cr.search_summary(runs[1]["search"])
    # the compared fitness leaves the discriminator term out
    h = runs[0]["search"]["history"][-1]
    assert s_with["fitness"] == pytest.approx(h["best_fitness_no_disc"])
    assert s_with["fitness_with_disc"] > s_with["fitness"]
    assert s_wo["fitness"] == pytest.approx(s_wo["fitness_with_disc"])
    assert s_with["disc_weight"] == 0.5 and s_wo["p_fake"] is None


def test_compare_runs_paired_differences(tmp_path, capsys):
    cr = load_compare()
    fake_run(tmp_path / "a1", 0.5, [(50, 0.40)], 0.25)
    fake_run(tmp_path / "b1", 0.0, [(50, 0.45)], 0.27)
    fake_run(tmp_path / "a2", 0.5, [(50, 0.30)], 0.24)
    fake_run(tmp_path / "b2", 0.0, [(50, 0.31)], 0.28)
    runs = [cr.load_run(tmp_path / n) for n in ("a1", "b1", "a2", "b2")]
    rows, keys, summary = cr.paired(runs, ["a1", "b1", "a2", "b2"])
    assert [r["style_distance_ratio"] for r in rows] == pytest.approx([-0.02, -0.04])
    assert summary["style_distance_ratio"][0] == pytest.approx(-0.03)
    assert summary["style_distance_ratio"][1] == pytest.approx(0.02 ** 0.5 * 0.1)   # sample sd of -0.02, -0.04
    assert summary["val_style_distance_ratio"][0] == pytest.approx(-0.03)
    assert summary["ssim_lum_4x"] == pytest.approx((0.0, 0.0))
    cr.main([str(tmp_path / n) for n in ("a1", "b1", "a2", "b2")] + ["--paired"])
    assert "| mean (sd) | -0.0300 (0.0141)" in capsys.readouterr().out
    with pytest.raises(ValueError):
        cr.paired(runs[:3], ["a1", "b1", "a2"])


def test_distill_objective_weighs_its_terms_and_is_zero_for_the_teacher_itself():
    from pastiche_lab.finetune import DistillObjective
    teacher = tiny_net()
    code = [1] * sum(TINY.as_list())
    masks = masks_from_code(code, TINY, "cpu")
    kept = kept_indices(masks)
    x = torch.rand(2, 3, 16, 16) * 255
    w = dict(w_pix=1.0, w_low=2.0, w_feat=3.0, w_content=4.0, w_style=5.0)
    obj = DistillObjective(teacher, kept, TinyLoss(), vgg_every=2, **w)
    same = slim(teacher, masks)
    loss0, _ = obj(same, x, 0)
    assert float(loss0) < 1e-5                     # the teacher's own channels: nothing to learn
    other = tiny_net(seed=1)
    loss, p = obj(other, x, 0)
    assert all(float(p[k]) > 1e-4 for k in ("pix", "low", "feat", "style", "content"))
    expect = sum(wv * float(p[k]) for k, wv in zip(("pix", "low", "feat", "content", "style"), w.values()))
    assert float(loss) == pytest.approx(expect, rel=1e-5)
    with torch.no_grad():                          # the low-pass term: L1 of the 4x average-pooled outputs
        t, o = teacher(x), other(x)
    assert float(p["low"]) == pytest.approx(float((F.avg_pool2d(o, 4) - F.avg_pool2d(t, 4)).abs().mean() / 255), rel=1e-5)
    assert float(p["pix"]) == pytest.approx(float((o - t).abs().mean() / 255), rel=1e-5)
    _, p1 = obj(other, x, 1)                       # VGG terms only every vgg_every-th step
    assert p1["style"] is None and p1["content"] is None
