"""The lab's shared pieces: the Trainer (resume = uninterrupted run, best model, schedules), the
checkpoint format (and the older layouts), the catalog writer, the crop sampler and photo sets.
Tiny sizes, no third-party data."""
import json
import math
import os
import random

import numpy as np
import pytest
import torch
from PIL import Image

from pastiche_lab import catalog, checkpoints, data
from pastiche_lab.data import CropSampler, photo_set, photometric
from pastiche_lab.model import Geometry, TransformerNet, Widths
from pastiche_lab.trainer import Schedule, Trainer

torch.set_num_threads(1)
TINY = Widths(4, 8, 8, [4] * 5, 8, 4)


def photos(tmp_path, n=3, hw=(40, 56)):
    d = tmp_path / "photos"
    d.mkdir(exist_ok=True)
    rng = np.random.default_rng(0)
    for i in range(n):
        Image.fromarray(rng.integers(0, 256, (*hw, 3), dtype=np.uint8)).save(d / f"p{i}.png")
    return d


def net(seed=0):
    torch.manual_seed(seed)
    return TransformerNet(TINY, Geometry("B", "reflect"))


def l1_objective(target=100.0):
    def f(n, x, step):
        out = n(x)
        return (out - target).abs().mean() / 255.0, {"l1": (out - target).abs().mean() / 255.0,
                                                     "odd": 1.0 if step % 2 else None}
    return f


def trainer(tmp_path, run, max_iters, validator=None, **kw):
    s = CropSampler(photos(tmp_path), 16, scales=(0.5, 1.0), seed=3)
    return Trainer(net(), l1_objective(), s, tmp_path / run, batch=2, schedule=Schedule("cosine-iters", 1e-2),
                   max_iters=max_iters, validator=validator, val_every=3, ckpt_every=2, log_every=1,
                   log=lambda *a: None, **kw)


# ----- Trainer -----
def test_a_resumed_run_equals_an_uninterrupted_one(tmp_path, stop_during):
    whole = trainer(tmp_path, "a", 6)
    whole.fit()
    stop_during(trainer(tmp_path, "b", 6), 4)   # the job is stopped during its 5th iteration
    again = trainer(tmp_path, "b", 6)         # same run folder: resumes at the step-4 checkpoint
    assert again.resumed and again.step == 4
    again.fit()
    assert again.step == 6
    for a, b in zip(whole.net.state_dict().values(), again.net.state_dict().values()):
        assert torch.equal(a, b)
    assert [r["it"] for r in again.history["train"]] == list(range(1, 7))


def test_training_lowers_the_loss_and_logs_the_terms(tmp_path):
    t = trainer(tmp_path, "r", 30)
    t.fit()
    tr = t.history["train"]
    assert tr[-1]["loss"] < 0.8 * tr[0]["loss"]
    assert "odd" in tr[1] and "odd" not in tr[0]          # None terms are left out of the mean
    lines = [json.loads(x) for x in (tmp_path / "r" / "ft_log.jsonl").read_text().splitlines()]
    assert [r["it"] for r in lines] == list(range(1, 31))


def test_validation_keeps_the_best_network(tmp_path):
    scores = iter([0.9, 0.5, 0.7, 0.8])

    def validator(n, step):
        return {"score": next(scores), "step_seen": step}
    t = trainer(tmp_path, "v", 10, validator=validator, best_name="best.pt")
    t.fit()
    vals = [r for r in t.history["val"]]
    assert [v["it"] for v in vals] == [3, 6, 9, 10]        # every val_every, and the last step
    assert t.best["score"] == 0.5 and t.best["it"] == 6
    best = checkpoints.load(tmp_path / "v" / "best.pt")
    assert best["step"] == 6 and best["meta"]["val"]["score"] == 0.5
    assert checkpoints.load(tmp_path / "v" / "ft_state.pt")["best"]["it"] == 6


def test_schedules():
    c = Schedule("cosine-iters", 1.0, floor=0.05)
    assert c.at(0, 0, math.inf, 10) == pytest.approx(1.0)
    assert c.at(5, 0, math.inf, 10) == pytest.approx(0.05 + 0.95 * 0.5)
    assert c.at(10, 0, math.inf, 10) == pytest.approx(0.05)
    t = Schedule("cosine-time", 2.0, floor=0.0)
    assert t.at(99, 30.0, 60.0, None) == pytest.approx(1.0)
    assert Schedule("constant", 0.3).at(7, 1e9, 1.0, 1) == 0.3
    with pytest.raises(ValueError):
        Schedule("linear")


def test_a_time_budget_stops_the_run(tmp_path):
    s = CropSampler(photos(tmp_path), 16, seed=0)
    t = Trainer(net(), l1_objective(), s, tmp_path / "t", batch=1, schedule=Schedule("cosine-time", 1e-3),
                minutes=1e-9, log=lambda *a: None)
    t.fit()
    assert t.step == 1


# ----- checkpoints -----
def test_checkpoint_roundtrip_is_atomic_and_complete(tmp_path):
    n = net()
    opt = torch.optim.Adam(n.parameters(), 1e-3)
    n(torch.rand(1, 3, 16, 16) * 255).mean().backward(); opt.step()
    p = tmp_path / "c.pt"
    checkpoints.save(p, n, opt=opt.state_dict(), step=7, elapsed=12.5, meta={"args": {"x": 1}})
    assert not (tmp_path / "c.pt.tmp").exists()
    ck = checkpoints.load(p)
    assert ck["format"] == checkpoints.FORMAT and ck["step"] == 7 and ck["elapsed"] == 12.5
    assert ck["meta"]["args"] == {"x": 1}
    back = checkpoints.load_net(p)
    for a, b in zip(n.state_dict().values(), back.state_dict().values()):
        assert torch.equal(a, b)
    assert int(ck["opt"]["state"][0]["step"]) == 1


def test_older_checkpoint_layouts_load_and_convert(tmp_path):
    n = net()
    sd, cfg = n.state_dict(), n.config()
    torch.save({"student": sd, "opt": None, "it": 40, "elapsed": 90.0, "best": {"score": 1.2, "it": 30},
                "val_def": "val_candy_384"}, tmp_path / "ft_state.pt")
    torch.save({"config": cfg, "state_dict": sd, "val": {"it": 30, "score": 1.2}}, tmp_path / "student.pt")
    torch.save({"step": 9, "net": sd, "config": cfg, "opt": None, "args": {"style_image": "s.png"},
                "history": {"train": [{"step": 1}], "val": [], "seconds": 33.0}, "sampler": None,
                "torch_rng": None, "extra": {}}, tmp_path / "ckpt.pt")
    ft = checkpoints.load(tmp_path / "ft_state.pt")
    assert (ft["step"], ft["elapsed"], ft["best"]["it"], ft["meta"]["val_def"]) == (40, 90.0, 30, "val_candy_384")
    with pytest.raises(ValueError):
        checkpoints.load_net(tmp_path / "ft_state.pt")        # no config recorded
    st = checkpoints.load(tmp_path / "student.pt")
    assert st["step"] == 30 and st["meta"]["val"]["score"] == 1.2
    sc = checkpoints.load(tmp_path / "ckpt.pt")
    assert sc["step"] == 9 and sc["elapsed"] == 33.0 and sc["meta"]["args"]["style_image"] == "s.png"
    for name in ("student.pt", "ckpt.pt"):
        ref = checkpoints.load_net(tmp_path / name)
        checkpoints.convert(tmp_path / name)
        raw = torch.load(tmp_path / name, weights_only=False)
        assert raw["format"] == checkpoints.FORMAT
        for a, b in zip(ref.state_dict().values(), checkpoints.load_net(tmp_path / name).state_dict().values()):
            assert torch.equal(a, b)
    with pytest.raises(ValueError):
        checkpoints.normalise({"weights": 1})


def test_a_failed_save_leaves_the_previous_checkpoint(tmp_path, monkeypatch):
    p = tmp_path / "c.pt"
    checkpoints.save(p, net(1), step=3)

    def broken(obj, f, *a, **k):              # the disk fills up half-way through the write
        with open(f, "wb") as fh:
            fh.write(b"partial")
        raise OSError("no space left")
    monkeypatch.setattr(torch, "save", broken)
    with pytest.raises(OSError):
        checkpoints.save(p, net(2), step=9)
    monkeypatch.undo()
    assert checkpoints.load(p)["step"] == 3


def test_a_trainer_resumes_an_old_fine_tuning_state(tmp_path):
    run = tmp_path / "old"; run.mkdir()
    n = net(5)
    torch.save({"student": n.state_dict(), "opt": None, "it": 4, "elapsed": 1.0, "best": {"score": 0.7}},
               run / "ft_state.pt")
    s = CropSampler(photos(tmp_path), 16, seed=0)
    t = Trainer(net(0), l1_objective(), s, run, batch=1, schedule=Schedule("cosine-iters", 1e-3), max_iters=6,
                log=lambda *a: None)
    assert t.step == 4 and t.best == {"score": 0.7}
    for a, b in zip(n.state_dict().values(), t.net.state_dict().values()):
        assert torch.equal(a, b)
    t.fit()
    assert checkpoints.load(run / "ft_state.pt")["step"] == 6


# ----- catalog -----
def test_catalog_update_replaces_by_id_keeps_order_and_is_atomic(tmp_path, monkeypatch):
    p = tmp_path / "catalog.json"
    catalog.update(p, {"id": "mine", "file": "mine.onnx"})
    catalog.update(p, {"id": "udnie", "file": "udnie.onnx"})
    catalog.update(p, {"id": "candy", "file": "candy.onnx"})
    catalog.update(p, {"id": "udnie", "file": "udnie2.onnx"})
    cat = json.loads(p.read_text())
    assert [m["id"] for m in cat["models"]] == ["candy", "udnie", "mine"]
    assert cat["models"][1]["file"] == "udnie2.onnx"
    before = p.read_bytes()
    with pytest.raises(TypeError):
        catalog.update(p, {"id": "bad", "file": "b.onnx", "x": object()})   # not serialisable
    assert p.read_bytes() == before and not (tmp_path / "catalog.json.tmp").exists()
    with pytest.raises(ValueError):
        catalog.update(p, {"id": "nofile"})
    assert p.read_bytes() == before

    def fail(*a, **k):                        # the rename into place fails: the old file stays whole
        raise OSError("read-only")
    monkeypatch.setattr(catalog.os, "replace", fail)
    with pytest.raises(OSError):
        catalog.update(p, {"id": "candy", "file": "other.onnx"})
    assert p.read_bytes() == before and not (tmp_path / "catalog.json.tmp").exists()


# ----- data -----
def test_crop_sampler_is_seeded_resumable_and_in_range(tmp_path):
    d = photos(tmp_path, hw=(60, 80))
    a, b = CropSampler(d, 24, scales=(0.5, 2.0), seed=1), CropSampler(d, 24, scales=(0.5, 2.0), seed=1)
    x = a.batch(3)
    assert x.shape == (3, 3, 24, 24) and x.dtype == torch.float32
    assert 0 <= float(x.min()) and float(x.max()) <= 255
    assert torch.equal(x, b.batch(3))
    st = a.state()
    nxt = a.batch(2)
    a.set_state(st)
    assert torch.equal(a.batch(2), nxt)
    assert not torch.equal(CropSampler(d, 24, seed=2).batch(3), x)


def test_crop_sampler_zoom_range_holds_the_crop():
    s = CropSampler.__new__(CropSampler)
    s.crop, s.scales = 100, (0.25, 1.0)
    lo, hi = s.zoom_range(300, 600)
    assert lo == pytest.approx(101 / 300) and hi == 1.0
    s.scales = (0.0, 1.0)
    assert s.zoom_range(100, 400)[0] == pytest.approx(1.01)


def test_crop_sampler_covers_scales(tmp_path):
    """A photo with one bright pixel block: small zooms show the whole photo, large ones a part."""
    d = tmp_path / "ph"; d.mkdir()
    img = np.zeros((200, 200, 3), np.uint8); img[:100] = 255
    Image.fromarray(img).save(d / "half.png")
    far = CropSampler(d, 20, scales=(0.1, 0.1001), seed=0).batch(20)
    near = CropSampler(d, 20, scales=(4.0, 4.0001), seed=0).batch(20)
    mixed = lambda b: float(((b.mean(dim=(1, 2, 3)) > 5) & (b.mean(dim=(1, 2, 3)) < 250)).float().mean())
    assert mixed(far) == 1.0                    # the whole photo: both halves in every crop
    assert mixed(near) < 0.5                    # 5 px windows: mostly one half


def test_photometric_augmentation():
    rng = random.Random(0)
    a = np.random.default_rng(0).uniform(0, 255, (8, 8, 3)).astype(np.float32)
    assert np.array_equal(photometric(a, rng, 0.0), a)
    outs = [photometric(a, random.Random(i), 1.0) for i in range(60)]
    assert all(o.shape == a.shape and o.min() >= 0 and o.max() <= 255 for o in outs)
    means = [o.mean() for o in outs]
    assert min(means) < 0.6 * a.mean() and max(means) > 1.05 * a.mean()   # dark frames and brighter ones


def test_the_test_set_is_held_out_of_training(tmp_path):
    root = tmp_path / "data"
    for sub, n in (("train", 3), ("val", 95), ("kodak", 2)):
        (root / "photos" / sub).mkdir(parents=True)
        for i in range(n):
            (root / "photos" / sub / f"{i:03d}.png").write_bytes(b"")
    test = data.test_photos(root)
    assert len(test) == 2 + 5 and test[-1].name == "094.png"
    assert not set(test) & set(data.val_photos(root)) and len(data.val_photos(root)) == data.TEST_VAL_FROM
    assert not set(test) & set(data.train_photos(root, pool=False))
    paths, tag = photo_set(["3", "test"], root)
    assert len(paths) == 3 + 7 and tag == "val3+test"
    paths, tag = photo_set([str(root / "photos" / "kodak")], root)
    assert len(paths) == 2 and tag.startswith("kodak-")
    with pytest.raises(SystemExit):
        photo_set([str(root / "nope")], root)
    assert os.path.isdir(root)


def test_crop_sampler_applies_photometric_augmentation(tmp_path):
    d = tmp_path / "grey"; d.mkdir()
    Image.fromarray(np.full((64, 64, 3), 128, np.uint8)).save(d / "g.png")
    plain = CropSampler(d, 16, seed=0).batch(12)
    assert float((plain - 128).abs().max()) < 1.0
    aug = CropSampler(d, 16, seed=0, photometric=1.0).batch(12)
    means = aug.mean(dim=(1, 2, 3))
    assert float(means.std()) > 5 and float(means.min()) < 100


def test_paired_batches_reach_the_objective(tmp_path):
    class Pairs:                                   # (crops, targets), as a paired-data method samples
        def __init__(self):
            self.rng = random.Random(0)

        def batch(self, n):
            x = torch.full((n, 3, 16, 16), float(self.rng.randrange(50, 200)))
            return x, 255.0 - x

        def state(self):
            return self.rng.getstate()

        def set_state(self, s):
            self.rng.setstate(s)
    seen = []

    def objective(n, batch, step):
        x, t = batch
        seen.append(float((x + t).mean()))
        return (n(x) - t).abs().mean() / 255.0, {}
    Trainer(net(), objective, Pairs(), tmp_path / "p", batch=2, schedule=Schedule("constant", 1e-2), max_iters=3,
            log=lambda *a: None).fit()
    assert seen == [255.0] * 3


def test_a_non_finite_step_is_skipped_and_the_weights_stay(tmp_path):
    t = trainer(tmp_path, "nan", 4)
    inner = t.objective

    def sometimes_nan(n, x, step):      # step 1's loss is NaN (as a flat crop made it once)
        loss, parts = inner(n, x, step)
        return (loss * float("nan"), parts) if step == 1 else (loss, parts)
    t.objective = sometimes_nan
    t.fit()
    assert t.skipped == 1 and t.step == 4
    assert all(torch.isfinite(p).all() for p in t.net.parameters())
    recs = [json.loads(l) for l in (tmp_path / "nan" / "ft_log.jsonl").read_text().splitlines()]
    assert [r.get("skipped") for r in recs] == [None, 1.0, None, None]
    assert all(math.isfinite(r["loss"]) for r in recs if "loss" in r)
