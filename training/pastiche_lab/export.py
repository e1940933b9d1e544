"""ONNX export (opset 17, IR 8): `<id>.onnx` (input -> output, stats) and `<id>.tile.onnx`
(input, stats -> output)."""
from __future__ import annotations

import copy
import warnings

import numpy as np
import onnx
import torch
import torch.nn as nn

from .model import TransformerNet

OPSET = 17
IR_VERSION = 8


class _Whole(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net(x, return_stats=True)


class _Tile(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x, stats):
        return self.net(x, stats=stats)


def _export(module, args, path, input_names, output_names, dynamic_axes):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, args, str(path), input_names=input_names, output_names=output_names,
                          dynamic_axes=dynamic_axes, opset_version=OPSET, dynamo=False,
                          do_constant_folding=True)
    m = onnx.load(str(path))
    m.ir_version = IR_VERSION
    onnx.checker.check_model(m)
    onnx.save(m, str(path))


def export_pair(net: TransformerNet, path_whole, path_tile, sample_hw=(64, 64)):
    net = copy.deepcopy(net).cpu().eval()
    net.masks = None
    net.clamp_output = True
    x = torch.rand(1, 3, *sample_hw) * 255
    dyn = {2: "H", 3: "W"}
    with torch.no_grad():
        _, stats = net(x, return_stats=True)
    _export(_Whole(net), (x,), path_whole, ["input"], ["output", "stats"],
            {"input": dyn, "output": dyn})
    _export(_Tile(net), (x, stats), path_tile, ["input", "stats"], ["output"],
            {"input": dyn, "output": dyn})


def ort_session(path, threads=1):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])


def pad_to_multiple(img: np.ndarray, m=4):
    """img HxWx3 float -> reflection-padded (bottom/right) to multiples of m."""
    h, w = img.shape[:2]
    ph, pw = (-h) % m, (-w) % m
    if ph or pw:
        img = np.pad(img, ((0, ph), (0, pw), (0, 0)), mode="reflect")
    return img


def run_onnx_image(sess, img: np.ndarray, m=4):
    """Engine-equivalent single pass: reflection-pad bottom/right to a multiple of m, run, crop."""
    h, w = img.shape[:2]
    x = pad_to_multiple(img.astype(np.float32), m)
    x = np.ascontiguousarray(x.transpose(2, 0, 1)[None])
    out = sess.run(["output"], {"input": x})[0][0].transpose(1, 2, 0)
    return out[:h, :w]
