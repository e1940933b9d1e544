#!/usr/bin/env python3
"""A shipped Johnson student with its channel groups zero-padded to wider counts (the same function: every new
channel's incoming weights, bias and norm shift are 0, so it stays 0 through conv, instance norm (0 / sqrt(eps)),
Relu and the residual adds, and its outgoing weights are 0), exported through the lab's path (export_pair, every
fastgraph rewrite), to measure whether ONNX Runtime's NCHWc kernels pay for the wider convs (docs/engine.md,
"Sixth round": they did not). Also writes the unpadded re-export (widths all 0) as the fair baseline.

    cd training && python3 scripts/pad_channels.py ../models/candy.onnx 16/48/64/res[64,48,48,80,48]/48/20 /tmp/pad/m1/candy
    python3 scripts/pad_channels.py ../models/candy.onnx 0/0/0/0/0/0/0/0/0/0 /tmp/pad/m2/candy
    cp ../models/catalog.json /tmp/pad/m1/; cp ../models/catalog.json /tmp/pad/m2/
    python3 scripts/graph_compare.py /tmp/pad/m2 /tmp/pad/m1 --style candy --runs 7 --size 1632x1224
"""
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from pastiche_lab.export import export_pair  # noqa: E402
from pastiche_lab.model import parse_widths, widen  # noqa: E402
from pastiche_lab.onnx_import import check, config_of, net_from_onnx  # noqa: E402


def zero_padded(net, widths):
    wide = widen(net, parse_widths(widths)).eval()
    tA = net.geo.kind == "A"

    def conv(s, d, transposed=False):
        o = s.weight.shape[1] if transposed else s.weight.shape[0]
        if transposed:
            d.weight.data[:, o:] = 0
        else:
            d.weight.data[o:] = 0
        d.bias.data[o:] = 0

    def norm(s, d):
        d.weight.data[s.c:] = 1
        d.bias.data[s.c:] = 0

    with torch.no_grad():
        for a, b in (("conv1", "in1"), ("conv2", "in2"), ("conv3", "in3")):
            conv(getattr(net, a).conv, getattr(wide, a).conv); norm(getattr(net, b), getattr(wide, b))
        for i in range(len(net.res_a)):
            conv(net.res_a[i].conv, wide.res_a[i].conv); norm(net.res_ia[i], wide.res_ia[i])
            conv(net.res_b[i].conv, wide.res_b[i].conv); norm(net.res_ib[i], wide.res_ib[i])
        conv(net.up1.weight_conv, wide.up1.weight_conv, tA); norm(net.in4, wide.in4)
        conv(net.up2.weight_conv, wide.up2.weight_conv, tA); norm(net.in5, wide.in5)
    return wide


def main():
    src, widths, out = sys.argv[1:4]
    torch.set_num_threads(1)
    net = net_from_onnx(src, config_of(src)).eval()
    wide = zero_padded(net, widths)
    x = torch.rand(1, 3, 68, 92) * 255
    with torch.no_grad():
        d = (net(x) - wide(x)).abs().max().item()
    print(f"{net.widths} -> {wide.widths}: PyTorch max |diff| {d:.3g}")
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    export_pair(wide, out + ".onnx", out + ".tile.onnx")
    print(f"{out}.onnx against the student: max |diff| {check(net, out + '.onnx'):.3g} (0..255)")


if __name__ == "__main__":
    main()
