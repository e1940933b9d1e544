"""A shipped MicroAST student back into PyTorch, for students whose run folder is gone: its
`<id>.onnx` (content network: `input` + `style` -> `output`, `stats`; plain or rewritten by
`fastgraph`) and `<id>.style.onnx` (style encoder, it holds `net.trunk_idx`) read into the lab's
`microast.MicroAST`, checked against ONNX Runtime, written as a checkpoint (checkpoints format)
with the `search.json` that `microast_lab --init` reads next to it.

The export's initialisers are the state_dict keys prefixed `net.` (`microast_export._Whole` /
`_Style`), except the output conv once `fastgraph.output_conv_space_to_depth` and
`depth_to_space_conv_transpose` have rewritten it: SpaceToDepth -> conv [4 x 3, 4 C, 5, 5] (outputs in
CRD order) -> one-hot ConvTranspose; both are inverted. Every parameter must be found, and every
initialiser used, or the import fails.

`search.json` needs the teacher's channel indices of the kept channels (the code): the trunk's are
the style encoder's `trunk_idx`, a group at the teacher's width keeps all; the others (r1, r2, or
any pruned group) are recovered from the weights: each student filter matched to the teacher filter
(of the kept inputs) it is most like, in order (slimming keeps the teacher's order), by dynamic
programming on the cosine similarity; the mean similarity of the match is reported.

    cd training && python3 -m pastiche_lab.microast_import ../models/any-painting.onnx \
        --out runs/microast-import/student.pt
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from . import checkpoints
from . import microast as M
from .fastgraph import _consumers, _producers, dcr_to_crd, depth_to_space_weights
from .onnx_import import _inverse_space_to_depth

PREFIX = "net."


def _initialisers(path):
    g = onnx.load(str(path)).graph
    return g, {i.name: numpy_helper.to_array(i) for i in g.initializer}


def _load_prefixed(module, inits, path, extra=None):
    """module.state_dict() from the `net.`-prefixed initialisers (and `extra`: key -> array);
    returns the names of the initialisers used."""
    sd = module.state_dict()
    extra = extra or {}
    used, new = set(), {}
    for k, v in sd.items():
        if k in extra:
            a = extra[k]
        elif PREFIX + k in inits:
            a = inits[PREFIX + k]
            used.add(PREFIX + k)
        else:
            raise ValueError(f"{path}: no initialiser for {k}")
        if tuple(a.shape) != tuple(v.shape):
            raise ValueError(f"{path}: {k} has shape {a.shape}, the network {tuple(v.shape)}")
        new[k] = torch.from_numpy(np.array(a)).to(v.dtype)
    module.load_state_dict(new)
    return used


def _output_conv(g, inits, k):
    """The output conv's (weight [3, C, k, k], bias [3]) from fastgraph's SpaceToDepth form, and the
    initialisers it used; None where the graph has no such rewrite."""
    by_output, users = _producers(g), _consumers(g)
    for n in g.node:
        src = by_output.get(n.input[0]) if n.input else None
        if n.op_type != "Conv" or src is None or src.op_type != "SpaceToDepth" or n.input[1] not in inits:
            continue
        w, b = inits[n.input[1]], inits[n.input[2]]
        used = {n.input[1], n.input[2]}
        after = users.get(n.output[0], [])
        if len(after) == 1 and after[0].op_type == "ConvTranspose" and after[0].input[1] in inits:
            ct = after[0]
            group = next((a.i for a in ct.attribute if a.name == "group"), 1)
            if not np.array_equal(inits[ct.input[1]], depth_to_space_weights(group)):
                raise ValueError(f"ConvTranspose {ct.name}: not fastgraph's DepthToSpace")
            back = np.argsort(dcr_to_crd(w.shape[0] // 4))      # CRD outputs back to DepthToSpace's DCR
            w, b = w[back], b[back]
            used.add(ct.input[1])
        elif not (len(after) == 1 and after[0].op_type == "DepthToSpace"):
            raise ValueError(f"conv {n.name} after SpaceToDepth: its output is not a DepthToSpace")
        return (*_inverse_space_to_depth(w, b, k), used)
    return None


def student_from_onnx(path_content, path_style, widths) -> M.MicroAST:
    """The MicroAST student (content widths `widths`, MWidths or dict) whose export is the pair."""
    w = widths if isinstance(widths, M.MWidths) else M.MWidths(**widths)
    _, si = _initialisers(path_style)
    if PREFIX + "trunk_idx" not in si:
        raise ValueError(f"{path_style}: no net.trunk_idx")
    style = M.StyleNet(si[PREFIX + "trunk_idx"].astype(np.int64))
    used_s = _load_prefixed(style, si, path_style)
    style.unbiased = False
    gc, ci = _initialisers(path_content)
    content = M.ContentNet(w)
    k = content.out.conv.weight.shape[2]
    extra = {}
    oc = _output_conv(gc, ci, k)
    used_c = set()
    if oc is not None:
        ow, ob, used_c = oc
        extra = {"out.conv.weight": ow, "out.conv.bias": ob}
    used_c |= _load_prefixed(content, ci, path_content, extra)
    content.unbiased = False
    for p, inits, used in ((path_content, ci, used_c), (path_style, si, used_s)):
        left = sorted(set(inits) - used)
        if left:
            raise ValueError(f"{p}: initialisers not mapped to the network: {left}")
    if style.t != w.trunk:
        raise ValueError(f"{path_style}: trunk_idx has {style.t} channels, the content trunk {w.trunk}")
    return M.MicroAST(content, style).eval()


# ---------------- the kept channels (search.json) ----------------
def _cos(a, b):
    a = a.reshape(a.shape[0], -1).astype(np.float64)
    b = b.reshape(b.shape[0], -1).astype(np.float64)
    a /= np.linalg.norm(a, axis=1, keepdims=True) + 1e-12
    b /= np.linalg.norm(b, axis=1, keepdims=True) + 1e-12
    return a @ b.T


def _ordered_match(S):
    """Increasing indices j_0 < j_1 < ... (one per row of S [n, m], n <= m) maximising sum S[i, j_i]."""
    n, m = S.shape
    D = np.full((n + 1, m + 1), -np.inf)
    D[0, :] = 0.0
    take = np.zeros((n + 1, m + 1), bool)
    for i in range(1, n + 1):
        for j in range(i, m + 1):
            a, b = D[i, j - 1], D[i - 1, j - 1] + S[i - 1, j - 1]
            take[i, j] = b >= a
            D[i, j] = max(a, b)
    out, i, j = [], n, m
    while i > 0:
        if take[i, j]:
            out.append(j - 1)
            i -= 1
        j -= 1
    return out[::-1]


def recover_indices(student: M.MicroAST, teacher: M.MicroAST):
    """Teacher channel indices per group of the student's kept channels, and the match's mean
    cosine similarity per recovered group (1 for a group kept whole)."""
    sc, tc = student.content, teacher.content
    wv = lambda conv: conv.conv.weight.detach().numpy()
    T = [int(i) for i in student.style.trunk_idx]
    idx, sim = {"trunk": T}, {"trunk": None}
    w = sc.w
    for g in ("c1", "e2", "u1", "u2"):
        if getattr(w, g) != getattr(M.FULL, g):
            raise NotImplementedError(f"group {g} pruned ({getattr(w, g)} of {getattr(M.FULL, g)}): not recovered")
        idx[g], sim[g] = M.full_index(g), 1.0
    for g in ("r1", "r2"):
        blk_s, blk_t = getattr(sc.enc, g), getattr(tc.enc, g)
        # out filters of conv1 (over the kept trunk inputs) and in columns of conv2 (of the kept trunk outputs)
        s1 = wv(blk_s.conv1)
        t1 = wv(blk_t.conv1)[:, T]
        s2 = wv(blk_s.conv2).transpose(1, 0, 2, 3)
        t2 = wv(blk_t.conv2)[T].transpose(1, 0, 2, 3)
        S = 0.5 * (_cos(s1, t1) + _cos(s2, t2))
        if getattr(w, g) == getattr(M.FULL, g):
            j = M.full_index(g)
        else:
            j = _ordered_match(S)
        idx[g], sim[g] = j, float(np.mean(S[np.arange(len(j)), j]))
    return idx, sim


# ---------------- parity ----------------
def parity(student: M.MicroAST, path_content, path_style, photo=None, paint=None, seed=0):
    """Largest |PyTorch - ONNX Runtime| of the style code and of the output (0..255), on `photo`
    and `paint` (HxWx3 0..255 arrays; random ones when None). The content model runs on ONNX
    Runtime's own style code, PyTorch on its own."""
    from .export import ort_session
    rng = np.random.default_rng(seed)
    if photo is None:
        photo = rng.random((52, 76, 3)) * 255
    if paint is None:
        paint = rng.random((61, 47, 3)) * 255
    h, w = photo.shape[0] // 4 * 4, photo.shape[1] // 4 * 4
    x = np.ascontiguousarray(np.asarray(photo, np.float32)[:h, :w].transpose(2, 0, 1))[None]
    s = np.ascontiguousarray(np.asarray(paint, np.float32).transpose(2, 0, 1))[None]
    with torch.no_grad():
        code = student.style(torch.from_numpy(s) / 255.0)
        y = student.content(torch.from_numpy(x) / 255.0, code) * 255.0
    o_code = ort_session(path_style).run(["style"], {"input": s})[0]
    o_y = ort_session(path_content).run(["output"], {"input": x, "style": o_code})[0]
    return {"style_code_abs": float(np.abs(o_code - code.numpy()).max()),
            "style_code_rel": float(np.abs(o_code - code.numpy()).max() / np.abs(o_code).max()),
            "output_abs": float(np.abs(o_y - y.numpy()).max()),
            "output_mean_abs": float(np.abs(o_y - y.numpy()).mean())}


def widths_of(path_content):
    p = Path(path_content)
    cat = json.loads((p.parent / "catalog.json").read_text())
    ent = next((e for e in cat["models"] if e["file"] == p.name), None)
    if ent is None or "widths" not in (ent.get("lab") or {}):
        raise SystemExit(f"{p}: no catalog entry with lab.widths next to it")
    return ent["lab"]["widths"]


def main(argv=None):
    from .data import data_root, load_rgb, resize_long, list_photos
    from .microast_lab import code_widths, mac_ratio
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", help="a shipped <id>.onnx (its <id>.style.onnx and catalog.json next to it)")
    ap.add_argument("--style-model", help="default: <id>.style.onnx beside the model")
    ap.add_argument("--out", required=True, help="checkpoint to write; search.json goes next to it")
    ap.add_argument("--data")
    ap.add_argument("--tol", type=float, default=0.05, help="largest output difference allowed (0..255)")
    ap.add_argument("--search-record", default=str(Path(__file__).resolve().parent.parent / "reports" / "microast" / "search.json"),
                    help="the shipped student's search record (microast_ship's reports/microast/search.json): its "
                         "search history, arguments and lineage are carried into search.json when its widths match")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    pc = Path(a.model)
    ps = Path(a.style_model) if a.style_model else pc.with_name(pc.name[:-len(".onnx")] + ".style.onnx")
    widths = widths_of(pc)
    st = student_from_onnx(pc, ps, widths)
    droot = data_root(a.data)
    photo = resize_long(load_rgb(list_photos(droot / "photos" / "val")[0]), 256)
    paint = resize_long(load_rgb(droot / "styles" / "candy.jpg"), 256, multiple=1)
    checks = {"random": parity(st, pc, ps), "photo": parity(st, pc, ps, photo, paint)}
    for k, v in checks.items():
        print(f"parity ({k}): " + ", ".join(f"{n} {x:.2e}" for n, x in v.items()))
    if max(v["output_abs"] for v in checks.values()) > a.tol:
        raise SystemExit("the imported student does not reproduce the ONNX models")
    teacher = M.load_teacher(droot)
    idx, sim = recover_indices(st, teacher)
    code = M.code_from_indices(idx)
    if code_widths(code) != st.content.w:
        raise SystemExit(f"recovered widths {code_widths(code)} are not the student's {st.content.w}")
    print("recovered channels: " + ", ".join(f"{g} {len(idx[g])} (cos {s:.3f})" for g, s in sim.items() if s is not None))
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {"imported_from": [str(pc), str(ps)], "parity": checks, "recovered_similarity": sim}
    checkpoints.save(out, st, meta=meta)
    res = {"code": code, "widths": code_widths(code).as_list(), "mac_ratio": mac_ratio(code),
           "imported": {"from": [str(pc), str(ps)], "checkpoint": str(out), "recovered_similarity": sim,
                        "note": "trunk from the style model's trunk_idx; r1/r2 teacher indices recovered "
                                "by filter similarity; c1/e2/u1/u2 at the teacher's widths"}}
    rec = Path(a.search_record)
    if rec.is_file():
        r = json.loads(rec.read_text())
        if r.get("widths") == res["widths"]:
            res.update({k: r[k] for k in ("history", "args", "wall_s") if k in r})
            # the runs before the import: kept as a record only ("init"/"widened" would send microast_ship's
            # run_chain to run folders that are gone)
            res["imported"]["lineage"] = {k: r[k] for k in ("init", "widened") if k in r}
    (out.parent / "search.json").write_text(json.dumps(res))
    print(f"wrote {out} and {out.parent / 'search.json'}: widths {res['widths']} mac ratio {res['mac_ratio']:.3f}")


if __name__ == "__main__":
    sys.exit(main())
