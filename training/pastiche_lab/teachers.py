"""Import of the two teacher formats (see ../shared/data/teachers/FORMATS.md) into TransformerNet."""
from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import torch

from .model import TransformerNet, Geometry, FULL

TAG_B = 0x01306B47

# Reflection context (px) around a format-A teacher's input when it is the reference (training target,
# evaluation, sheets): its zero padding paints coloured frames along the image borders, wider on the
# right and bottom (TF SAME stride-2 convs pad there only). At 16 px (the lab's first choice) La Muse's
# frame still reached 30-90 grey levels of difference over the last 24 columns and rows (interior 8)
# and the students learned it (the band along their right and bottom edges); from 48 px on, the last
# columns differ from a 96-px context about as much as the interior does (`scripts/artifacts.py context`).
CONTEXT_A = 48


def reference_context(kind: str) -> int:
    """Reflection context for a teacher of geometry `kind` ("A" or "B"; B teachers pad by reflection)."""
    return CONTEXT_A if kind == "A" else 0


def _conv_shapes_full():
    """(out, in, k) for the 16 convs of the full net in network order."""
    s = [(32, 3, 9), (64, 32, 3), (128, 64, 3)]
    s += [(128, 128, 3)] * 10
    s += [(64, 128, 3), (32, 64, 3), (3, 32, 9)]
    return s


def _convs_in_order(net: TransformerNet):
    """(conv module, instance norm or None) in network order."""
    out = [(net.conv1.conv, net.in1), (net.conv2.conv, net.in2), (net.conv3.conv, net.in3)]
    for i in range(5):
        out += [(net.res_a[i].conv, net.res_ia[i]), (net.res_b[i].conv, net.res_ib[i])]
    out += [(net.up1.weight_conv, net.in4), (net.up2.weight_conv, net.in5), (net.conv_out.conv, net.in_out)]
    return out


# ---------------- format B: ncnn .bin (pytorch/examples TransformerNet, fp16) ----------------
def read_format_b(path) -> TransformerNet:
    buf = Path(path).read_bytes()
    net = TransformerNet(FULL, Geometry("B", "reflect"))
    off = 0
    with torch.no_grad():
        for i, ((conv, norm), (co, ci, k)) in enumerate(zip(_convs_in_order(net), _conv_shapes_full())):
            tag = struct.unpack_from("<I", buf, off)[0]
            if tag != TAG_B:
                raise ValueError(f"{path}: conv {i}: bad tag {tag:#x} at offset {off}")
            off += 4
            n = co * ci * k * k
            w = np.frombuffer(buf, "<f2", n, off).astype(np.float32).reshape(co, ci, k, k); off += 2 * n
            b = np.frombuffer(buf, "<f4", co, off); off += 4 * co
            conv.weight.copy_(torch.from_numpy(w.copy())); conv.bias.copy_(torch.from_numpy(b.copy()))
            if i < 15:
                g = np.frombuffer(buf, "<f4", co, off); off += 4 * co
                be = np.frombuffer(buf, "<f4", co, off); off += 4 * co
                norm.weight.copy_(torch.from_numpy(g.copy())); norm.bias.copy_(torch.from_numpy(be.copy()))
    if off != len(buf):
        raise ValueError(f"{path}: {len(buf) - off} trailing bytes")
    return net.eval()


def write_format_b(net: TransformerNet, path):
    """Writer (for tests: synthetic files)."""
    parts = []
    for i, (conv, norm) in enumerate(_convs_in_order(net)):
        parts.append(struct.pack("<I", TAG_B))
        parts.append(conv.weight.detach().numpy().astype("<f2").tobytes())
        parts.append(conv.bias.detach().numpy().astype("<f4").tobytes())
        if i < 15:
            parts.append(norm.weight.detach().numpy().astype("<f4").tobytes())
            parts.append(norm.bias.detach().numpy().astype("<f4").tobytes())
    Path(path).write_bytes(b"".join(parts))


# ---------------- format A: tfjs raw variables (Engstrom layout) ----------------
def _var(i):
    return "Variable" if i == 0 else f"Variable_{i}"


def read_format_a(folder) -> TransformerNet:
    folder = Path(folder)
    man = json.loads((folder / "manifest.json").read_text())

    def get(i):
        e = man[_var(i)]
        a = np.fromfile(folder / e["filename"], dtype="<f4")
        return a.reshape(e["shape"])

    net = TransformerNet(FULL, Geometry("A", "zero"))
    kernels = [0, 3, 6] + [9 + 3 * j for j in range(10)] + [39, 42, 45]
    with torch.no_grad():
        for idx, (k, (conv, norm)) in enumerate(zip(kernels, _convs_in_order(net))):
            W = get(k)
            if idx in (13, 14):      # transposed: [kh, kw, out, in] -> torch [in, out, kh, kw]
                t = W.transpose(3, 2, 0, 1)
            else:                    # HWIO -> OIHW
                t = W.transpose(3, 2, 0, 1)
            if tuple(t.shape) != tuple(conv.weight.shape):
                raise ValueError(f"{folder}: {_var(k)} has shape {W.shape}, expected {tuple(conv.weight.shape)}")
            conv.weight.copy_(torch.from_numpy(np.ascontiguousarray(t)))
            conv.bias.zero_()
            norm.bias.copy_(torch.from_numpy(get(k + 1).copy()))    # shift (beta)
            norm.weight.copy_(torch.from_numpy(get(k + 2).copy()))  # scale (gamma)
    return net.eval()


def write_format_a(net: TransformerNet, folder):
    """Writer (for tests: synthetic files)."""
    folder = Path(folder); folder.mkdir(parents=True, exist_ok=True)
    man = {}
    kernels = [0, 3, 6] + [9 + 3 * j for j in range(10)] + [39, 42, 45]

    def put(i, a):
        a = np.ascontiguousarray(a, dtype="<f4")
        (folder / _var(i)).write_bytes(a.tobytes())
        man[_var(i)] = {"filename": _var(i), "shape": list(a.shape)}

    for k, (conv, norm) in zip(kernels, _convs_in_order(net)):
        W = conv.weight.detach().numpy()
        put(k, W.transpose(2, 3, 1, 0))   # inverse of transpose(3,2,0,1)
        put(k + 1, norm.bias.detach().numpy())
        put(k + 2, norm.weight.detach().numpy())
    (folder / "manifest.json").write_text(json.dumps(man, indent=1))


def load_teacher(data_root, rel: str) -> TransformerNet:
    """The teacher `rel` (STYLES' path under teachers/): format A (a folder), format B (a file), or, in
    a GPU bundle (scripts/gpu_bundle.py), its compact copy `<rel>.pt` (a checkpoint, convolution
    weights in float16 as format B stores them)."""
    p = Path(data_root) / "teachers" / rel
    if p.is_dir():
        return read_format_a(p)
    compact = p.with_name(p.name + ".pt")
    if not p.exists() and compact.exists():
        from .checkpoints import load_net
        return load_net(compact)
    return read_format_b(p)
