"""microast_import: an exported MicroAST student read back into PyTorch is the same network (every
weight, through fastgraph's output-conv rewrite), a wrong or missing mapping fails, the kept
teacher channels are recovered, and the shipped any-painting student imports with parity."""
import json
import random
from pathlib import Path

import numpy as np
import onnx
import pytest
import torch
from onnx import numpy_helper

from pastiche_lab import microast as M
from pastiche_lab.data import data_root
from pastiche_lab.microast_import import _ordered_match, parity, recover_indices, student_from_onnx

pytest.importorskip("onnxruntime")
REPO = Path(__file__).resolve().parents[2]
DATA = data_root()
HAVE_TEACHER = (DATA / "teachers" / "microast" / M.TEACHER_FILES["decoder"]).is_file()
need_data = pytest.mark.skipif(not HAVE_TEACHER, reason=f"MicroAST teacher not found under {DATA} (../shared/data)")


def _student(seed=5):
    rng = random.Random(seed)
    code = [1 if rng.random() < 0.6 else 0 for _ in range(M.code_len())]
    for _g, (s, _e) in M.group_slices().items():
        code[s] = 1
    idx = M.indices_from_code(code)
    torch.manual_seed(seed)
    full = M.ContentNet(M.FULL)
    for p in full.parameters():
        p.data.normal_(0, 0.09)
    content = M.slim(full.eval(), idx)
    w = content.out.conv.weight.data          # outputs spread over 0..1 (else within ~5 grey levels)
    w.sub_(w.mean(dim=(1, 2, 3), keepdim=True))
    content.out.conv.bias.data.fill_(0.5)
    content.unbiased = False
    style = M.StyleNet(idx["trunk"])
    for p in style.parameters():
        p.data.normal_(0, 0.1)
    style.unbiased = False
    return M.MicroAST(content, style).eval()


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    from pastiche_lab.microast_export import export_all
    torch.set_num_threads(1)
    d = tmp_path_factory.mktemp("mast")
    st = _student()
    paths = d / "a.onnx", d / "a.tile.onnx", d / "a.style.onnx"
    export_all(st, *paths)
    return st, paths[0], paths[2]


def test_every_weight_comes_back(exported):
    st, pc, ps = exported
    ops = {n.op_type for n in onnx.load(str(pc)).graph.node}
    assert "SpaceToDepth" in ops and "ConvTranspose" in ops     # fastgraph's output conv: the inverted path
    back = student_from_onnx(pc, ps, st.content.w)
    a, b = st.state_dict(), back.state_dict()
    assert set(a) == set(b)
    for k in a:
        assert torch.allclose(a[k].float(), b[k].float(), atol=1e-6, rtol=0), k
    r = parity(back, pc, ps)
    assert r["style_code_abs"] < 1e-4 and r["output_abs"] < 0.02, r


def _save_with(model, path, edit):
    edit(model.graph)
    onnx.save(model, str(path))
    return path


SHIPPED = REPO / "models" / "any-painting.onnx"
SHIPPED_STYLE = SHIPPED.with_name("any-painting.style.onnx")
need_shipped = pytest.mark.skipif(not SHIPPED.is_file(), reason="no shipped any-painting student")


def _shipped_widths():
    cat = json.loads((REPO / "models" / "catalog.json").read_text())
    return next(e for e in cat["models"] if e["file"] == SHIPPED.name)["lab"]["widths"]


@need_shipped
def test_the_shipped_student_imports():
    widths = _shipped_widths()
    st = student_from_onnx(SHIPPED, SHIPPED_STYLE, widths)
    assert st.content.w.as_list() == [widths[g] for g in M.GROUPS]
    r = parity(st, SHIPPED, SHIPPED_STYLE, seed=1)
    assert r["style_code_abs"] < 1e-4 and r["output_abs"] < 0.02, r


@need_shipped
def test_a_swapped_weight_is_caught(tmp_path):
    """Two initialisers of the same shape exchanged in the shipped model: the import takes them as
    they are and the parity against the original model fails, so the parity checks can see a
    wrong mapping."""
    m = onnx.load(str(SHIPPED))
    inits = {i.name: i for i in m.graph.initializer}
    a, b = inits["net.dec1.conv1.conv.weight"], inits["net.dec2.conv1.conv.weight"]
    wa, wb = numpy_helper.to_array(a).copy(), numpy_helper.to_array(b).copy()
    a.CopyFrom(numpy_helper.from_array(wb, a.name))
    b.CopyFrom(numpy_helper.from_array(wa, b.name))
    bad = tmp_path / "swapped.onnx"
    onnx.save(m, str(bad))
    wrong = student_from_onnx(bad, SHIPPED_STYLE, _shipped_widths())
    assert torch.equal(wrong.content.dec1.conv1.conv.weight, torch.from_numpy(wb))
    assert parity(wrong, SHIPPED, SHIPPED_STYLE, seed=1)["output_abs"] > 5.0


def test_unused_or_missing_initialisers_fail(exported, tmp_path):
    st, pc, ps = exported

    def extra(g):
        g.initializer.append(numpy_helper.from_array(np.zeros(3, np.float32), "net.spare"))
    with pytest.raises(ValueError, match="not mapped"):
        student_from_onnx(_save_with(onnx.load(str(pc)), tmp_path / "extra.onnx", extra), ps, st.content.w)

    def rename(g):
        old, new = "net.dec2.conv1.conv.bias", "renamed_bias"
        next(i for i in g.initializer if i.name == old).name = new
        for n in g.node:
            for j, x in enumerate(n.input):
                if x == old:
                    n.input[j] = new
    with pytest.raises(ValueError, match="no initialiser for dec2.conv1.conv.bias"):
        student_from_onnx(_save_with(onnx.load(str(pc)), tmp_path / "renamed.onnx", rename), ps, st.content.w)
    w = M.MWidths(**{**st.content.w.to_dict(), "r1": st.content.w.r1 + 2})
    with pytest.raises(ValueError, match="shape"):
        student_from_onnx(pc, ps, w)


def test_ordered_match():
    S = np.full((3, 6), 0.1)
    S[0, 1], S[1, 3], S[2, 4] = 0.9, 0.8, 0.95
    S[1, 0] = 1.0            # better alone, but out of order with row 0's match
    assert _ordered_match(S) == [1, 3, 4]


@need_data
def test_recovers_the_kept_teacher_channels():
    """A slimmed teacher, its weights disturbed (as fine-tuning does): r1 and r2's teacher indices
    come back from the weights, the trunk from trunk_idx."""
    torch.set_num_threads(1)
    teacher = M.load_teacher(DATA)
    rng = random.Random(3)
    code = [1 if rng.random() < 0.6 else 0 for _ in range(M.code_len())]
    sl = M.group_slices()
    for g in ("c1", "e2", "u1", "u2"):
        s, e = sl[g]
        code[s:e] = [1] * (e - s)
    idx = M.indices_from_code(code)
    content = M.slim(teacher.content, idx)
    torch.manual_seed(0)
    for p in content.parameters():
        p.data += 0.3 * p.data.std() * torch.randn_like(p)
    st = M.MicroAST(content, M.StyleNet(idx["trunk"]))
    got, sim = recover_indices(st, teacher)
    for g in M.GROUPS:
        assert got[g] == idx[g], g
    assert sim["r1"] > 0.8 and sim["r2"] > 0.8



@need_data
def test_cli_writes_what_init_reads(tmp_path):
    """The checkpoint and search.json are what `microast_lab --init` checks: the same widths."""
    from pastiche_lab.microast_import import main
    from pastiche_lab.microast_lab import load_student
    out = tmp_path / "imp" / "student.pt"
    main([str(SHIPPED), "--out", str(out)])
    st = load_student(out)
    res = json.loads((out.parent / "search.json").read_text())
    assert st.content.w == M.widths_from_indices(M.indices_from_code(res["code"]))
    assert M.indices_from_code(res["code"])["trunk"] == [int(i) for i in st.style.trunk_idx]
    assert res["mac_ratio"] < 0.6
