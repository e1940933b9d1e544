"""scripts/gpu_bundle.py (issue 11's GPU path): the compact teacher that travels, the folder's photo sets
and size limit, and the checkpoints' round trip back. Small synthetic data; no ../shared/data needed."""
import importlib.util
import tarfile
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from pastiche_lab import checkpoints
from pastiche_lab.data import TEST_VAL_FROM
from pastiche_lab.model import FULL, Geometry, TransformerNet, Widths
from pastiche_lab.teachers import load_teacher, read_format_a, write_format_a

LAB = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("gpu_bundle", LAB / "scripts" / "gpu_bundle.py")
gb = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gb)

SMALL = Widths(8, 8, 8, [8] * 5, 8, 8)


def _net(kind="A", seed=0, widths=SMALL):
    torch.manual_seed(seed)
    net = TransformerNet(widths, Geometry(kind, "reflect"))
    with torch.no_grad():
        for p in net.parameters():
            p.add_(0.1 * torch.randn_like(p))
    return net.eval()


def test_compact_teacher_is_read_where_the_original_is_absent(tmp_path):
    net = _net()
    dst = tmp_path / "teachers" / "tfjs-vars" / "x.pt"
    dst.parent.mkdir(parents=True)
    gb.compact_teacher(net, dst)
    sd = torch.load(dst, weights_only=False)["state_dict"]
    assert {v.dtype for k, v in sd.items() if v.dim() == 4} == {torch.float16}
    assert {v.dtype for k, v in sd.items() if v.dim() < 4} == {torch.float32}
    back = load_teacher(tmp_path, "tfjs-vars/x")
    x = torch.rand(1, 3, 32, 32) * 255
    with torch.no_grad():
        a, b = net(x), back(x)
    assert (a - b).abs().max() < 0.05 * a.abs().max()      # float16 weights: close, not equal
    assert not torch.equal(a, b)


def test_the_original_teacher_wins_over_a_compact_copy(tmp_path):
    orig, other = _net(seed=1, widths=FULL), _net(seed=2, widths=FULL)
    base = tmp_path / "teachers" / "tfjs-vars"
    base.mkdir(parents=True)
    write_format_a(orig, base / "x")
    gb.compact_teacher(other, base / "x.pt")
    got, want = load_teacher(tmp_path, "tfjs-vars/x"), read_format_a(base / "x")
    x = torch.rand(1, 3, 32, 32) * 255
    with torch.no_grad():
        assert torch.equal(got(x), want(x))
        assert not torch.allclose(got(x), other(x), atol=1.0)


def _photos(folder, n, size=(40, 30)):
    folder.mkdir(parents=True)
    rng = np.random.default_rng(n)
    for i in range(n):
        Image.fromarray(rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)).save(folder / f"p{i:03d}.png")


def _root(tmp_path):
    root = tmp_path / "data"
    _photos(root / "photos" / "train", 3)
    _photos(root / "photos" / "val", TEST_VAL_FROM + 3)
    _photos(root / "photos" / "kodak", 2)
    (root / "lossnets" / "vgg").mkdir(parents=True)
    (root / "lossnets" / "vgg" / "w.bin").write_bytes(b"\0" * 1000)
    pool = tmp_path / "pool"
    _photos(pool, 2, size=(2000, 1000))
    return root, pool


def test_build_takes_training_and_early_val_photos_never_the_test_set(tmp_path):
    root, pool = _root(tmp_path)
    out = tmp_path / "bundle"
    gb.build(out, root, [], val_n=4, pool=pool, log=lambda *a: None)
    train = sorted(p.name for p in (out / "data" / "photos" / "train").iterdir())
    assert train == ["p000.jpg", "p001.jpg", "p002.jpg"]
    assert sorted(p.name for p in (out / "data" / "photos" / "val").iterdir()) == [f"p{i:03d}.png" for i in range(4)]
    assert not (out / "data" / "photos" / "kodak").exists()
    assert (out / "data" / "lossnets" / "vgg" / "w.bin").stat().st_size == 1000
    assert [Image.open(p).size for p in sorted((out / "pool").iterdir())] == [(768, 384)] * 2
    with pytest.raises(SystemExit, match="held-out test set"):
        gb.build(tmp_path / "b2", root, [], val_n=TEST_VAL_FROM + 1, pool=pool, log=lambda *a: None)


def test_build_refuses_a_folder_over_the_limit(tmp_path):
    root, pool = _root(tmp_path)
    with pytest.raises(SystemExit, match="over"):
        gb.build(tmp_path / "bundle", root, [], val_n=2, pool=pool, limit=5000, log=lambda *a: None)


def test_pack_and_unpack_bring_back_the_best_and_the_last_weights(tmp_path):
    runs = tmp_path / "runs"
    best, last = _net("B", 3), _net("B", 4)
    for job in ("candy", "candy-trunk"):
        (runs / job).mkdir(parents=True)
        checkpoints.save(runs / job / "student.pt", best)
        checkpoints.save(runs / job / "ft_state.pt", last, step=77, elapsed=12.0)
        (runs / job / "ft_log.jsonl").write_text("{}\n")
    (runs / "candy" / "junk.bin").write_bytes(b"x")
    gb.pack(runs, tmp_path / "back")
    with tarfile.open(tmp_path / "back" / "last.tar") as tf:
        assert sorted(tf.getnames()) == ["candy-trunk/last.pt", "candy/last.pt"]
    with tarfile.open(tmp_path / "back" / "students.tar") as tf:
        assert "candy/junk.bin" not in tf.getnames() and "candy/ft_state.pt" not in tf.getnames()
    here = tmp_path / "here"
    gb.unpack(tmp_path / "back" / "students.tar", here)
    gb.unpack(tmp_path / "back" / "last.tar", here)
    x = torch.rand(1, 3, 16, 16) * 255
    with torch.no_grad():
        assert torch.equal(checkpoints.load_net(here / "candy-trunk-gpu" / "student.pt")(x), best(x))
        assert torch.equal(checkpoints.load_net(here / "candy-gpu" / "last.pt")(x), last(x))
    assert checkpoints.load(here / "candy-gpu" / "last.pt")["step"] == 77


def test_unpack_refuses_members_outside_a_run(tmp_path):
    bad = tmp_path / "bad.tar"
    (tmp_path / "f").write_bytes(b"x")
    with tarfile.open(bad, "w") as tf:
        tf.add(tmp_path / "f", arcname="../../etc/student.pt")
    with pytest.raises(SystemExit, match="unexpected member"):
        gb.unpack(bad, tmp_path / "here")
    assert not (tmp_path / "here").exists()
