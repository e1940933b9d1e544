"""The network of the 工农兵 poster style: the seed's transformer with a *colour head*, and the
optional palette-snap output layer.

Why a colour head. The transformer normalises every layer with instance norm. Its first conv is
linear in the input and its first norm removes each channel's image mean and scale, so the plain
network is exactly blind to absolute colour: adding any constant RGB offset to the photo, or
scaling it, leaves the output unchanged bit for bit (`colour_offset_change`; tested). That is
right for style transfer (the colours come from the style) but the poster renderer maps absolute
hue and tone onto a palette (a red coat -> vermilion, a green field -> green): a network that
cannot tell a red crop from a green one of the same structure learns the average answer, the
brown/tan/green fields of the first student. The head gives the layers after the last instance
norm the input's own colour: [u2 features, input / 127.5 - 1] -> 1x1 conv -> ReLU -> 1x1 conv ->
ReLU -> the 9x9 output conv. Pointwise, so tiles stay exact (no statistics of its own), and about
0.8 kMAC a pixel (0.005 of the classic net).

The palette snap (`snap_output`) replaces each output pixel by the nearest (RGB distance) palette
colour: ArgMin + Gather in the ONNX graph, nothing new for the engine; it sees one pixel at a time.
With `snap_blur` = k > 1 it first takes the k x k box mean of the network's output (reflection Pad
+ AveragePool in the graph): a pixel near a colour border then takes the colour its neighbourhood
is nearest to, instead of leaving a speck of the other side. The snap stays inside the exported
graphs (whole and tile model alike), so the engine's strength and keep-colours blend the snapped
poster with the photo as for any style, and tiling needs only that half the tile overlap covers the
output's reach (`output_reach`: 55 px for the shipped widths, 59 px with k = 5, the stride-2 stages
making it grow in steps; within the engine's 64, half its default 128 px overlap).
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from . import checkpoints
from .model import FULL, Conv, Geometry, TransformerNet, Widths, count_params, macs_per_pixel


def snap_to_palette(y, palette):
    """y [N,3,H,W], palette [K,3] (same dtype) -> each pixel replaced by its nearest palette colour."""
    d = ((y[:, None] - palette[None, :, :, None, None]) ** 2).sum(2)     # [N,K,H,W]
    return palette[d.argmin(1)].permute(0, 3, 1, 2)


class PosterNet(TransformerNet):
    """TransformerNet + colour head (`head` = (h1, h2) hidden widths; None: the plain output conv)
    + optional palette snap of the output (`palette` [K,3] 0..255, `snap_output`)."""

    def __init__(self, widths: Widths = None, geo: Geometry = None, head=(24, 16), palette=None):
        super().__init__(widths, geo or Geometry("B", "reflect"))
        self.head = tuple(int(h) for h in head) if head else None
        if self.head:
            h1, h2 = self.head
            self.head_a = nn.Conv2d(self.widths.u2 + 3, h1, 1)
            self.head_b = nn.Conv2d(h1, h2, 1)
            self.conv_out = Conv(h2, 3, 9, 1, self.geo)
        pal = np.zeros((0, 3)) if palette is None else np.asarray(palette)
        self.register_buffer("palette", torch.as_tensor(pal, dtype=torch.float32).reshape(-1, 3))
        self.snap_output = False
        self.snap_blur = 0

    def output_head(self, y, x):
        if not self.head:
            return self.conv_out(y)
        h = F.relu(self.head_a(torch.cat([y, x / 127.5 - 1.0], 1)))
        return self.conv_out(F.relu(self.head_b(h)))

    def forward(self, x, *args, **kw):
        out = super().forward(x, *args, **kw)
        if not self.snap_output or not len(self.palette):
            return out
        if isinstance(out, tuple):
            return (self._snap(out[0]),) + tuple(out[1:])
        return self._snap(out)

    def _snap(self, y):
        k = int(self.snap_blur)
        if k > 1:      # a k x k box mean first: pixels near a colour boundary follow their neighbours
            y = F.avg_pool2d(F.pad(y, (k // 2, k - 1 - k // 2) * 2, mode="reflect"), k, 1)
        return snap_to_palette(y, self.palette)

    def config(self):
        return {**super().config(), "poster_head": list(self.head) if self.head else None,
                "palette": self.palette.round().int().tolist()}

    @staticmethod
    def from_config(cfg):
        return PosterNet(Widths.from_dict(cfg["widths"]), Geometry(**cfg["geometry"]),
                         cfg.get("poster_head"), cfg.get("palette") or None)


def head_macs(widths: Widths, head):
    """The colour head's extra MACs per pixel over the plain output conv."""
    if not head:
        return 0
    h1, h2 = head
    return (widths.u2 + 3) * h1 + h1 * h2 + 81 * 3 * (h2 - widths.u2)


def poster_macs_per_pixel(widths, head):
    return macs_per_pixel(widths) + head_macs(widths, head)


def poster_mac_ratio(widths, head):
    return poster_macs_per_pixel(widths, head) / macs_per_pixel(FULL)


def poster_params(net):
    return count_params(net.widths) if not getattr(net, "head", None) else sum(
        p.numel() for p in net.parameters())


def load(path, device="cpu"):
    """A poster network from a checkpoint of any lab layout (the first students: plain
    TransformerNet configs) -> (net in eval mode, normalised checkpoint dict)."""
    ck = checkpoints.load(path, device)
    cfg = ck["config"]
    if cfg is None:
        raise ValueError(f"{path}: records no network config")
    net = PosterNet.from_config(cfg) if "poster_head" in cfg else PosterNet(
        Widths.from_dict(cfg["widths"]), Geometry(**cfg["geometry"]), head=None)
    missing, unexpected = net.load_state_dict(ck["state_dict"], strict=False)
    if [k for k in missing if k != "palette"] or unexpected:
        raise ValueError(f"{path}: weights do not fit the config (missing {missing}, unexpected {unexpected})")
    return net.to(device).eval(), ck


def with_snap(net, palette, blur=0):
    """A copy of `net` (PosterNet) whose output snaps to `palette` (after a blur x blur box mean of
    the output, blur > 1)."""
    import copy
    s = copy.deepcopy(net)
    s.palette = torch.as_tensor(np.asarray(palette), dtype=torch.float32).reshape(-1, 3).to(s.palette.device)
    s.snap_output = True
    s.snap_blur = int(blur)
    return s.eval()


def output_reach(net, size=192, tries=6):
    """How far (input pixels, the larger side) an output pixel sees with the statistics held fixed, as
    in a tile: the extent of the gradient of the centre 4 x 4 output pixels before the snap (after
    its box mean when `snap_blur` > 1), the union over `tries` random size x size images."""
    import copy
    n = copy.deepcopy(net).cpu().eval()
    n.clamp_output, n.snap_output = False, False
    torch.manual_seed(0)
    k = int(getattr(net, "snap_blur", 0) or 0) if getattr(net, "snap_output", False) else 0
    c = size // 2
    seen = torch.zeros(size, size, dtype=torch.bool)
    for _ in range(tries):      # a union over random images: a ReLU that is off hides a path in one of them
        x = torch.rand(1, 3, size, size) * 255
        with torch.no_grad():
            _, stats = n(x, return_stats=True)
        x.requires_grad_(True)
        y = n(x, stats=stats)
        if k > 1:
            y = F.avg_pool2d(F.pad(y, (k // 2, k - 1 - k // 2) * 2, mode="reflect"), k, 1)
        y[:, :, c:c + 4, c:c + 4].sum().backward()      # the 4 x 4 phases of the two stride-2 stages
        seen |= x.grad.abs().sum((0, 1)) > 0
    nz = seen.nonzero()
    lo, hi = nz.min(0).values, nz.max(0).values
    return int(max((c - lo).max(), (hi - (c + 3)).max()))


@torch.no_grad()
def colour_offset_change(net, x, offset=(40.0, -30.0, -30.0)):
    """Largest output change (0..255) when a constant colour is added to the input x [N,3,H,W]: 0
    for a network blind to absolute colour."""
    net = net.eval()
    clamp = net.clamp_output
    net.clamp_output = False
    try:
        y0 = net(x)
        y1 = net(x + torch.tensor(offset, dtype=x.dtype).view(1, 3, 1, 1))
    finally:
        net.clamp_output = clamp
    return float((y1 - y0).abs().max())
