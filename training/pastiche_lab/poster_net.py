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

The smoothed input colour (`smooth` = box sizes, e.g. (7, 15); config `poster_smooth`): the renderer
decides each field's colour on an edge-preserving-smoothed photo, the head above sees only the raw
pixel (noisy, textured: a face flips between skin, skin shadow and tan from pixel to pixel). With
`smooth` the head also reads, for each k, the k x k box mean of the input (reflection Pad + two
separable AveragePools in the graph, (1, k) then (k, 1): the same mean), scaled like the input.
Still no statistics of its own, so tiles stay exact; the reach grows by k // 2 only where it is
larger than the trunk's (it is not: 7 + 4 + 2 px against 59). `with_smooth` adds the channels to
a trained net with zero weights, so it starts as that net.
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

    def __init__(self, widths: Widths = None, geo: Geometry = None, head=(24, 16), palette=None, smooth=()):
        super().__init__(widths, geo or Geometry("B", "reflect"))
        self.head = tuple(int(h) for h in head) if head else None
        self.smooth = tuple(int(k) for k in smooth or ())
        if self.smooth and not self.head:
            raise ValueError("the smoothed input colour feeds the colour head: give a head")
        if any(k < 3 or k % 2 == 0 for k in self.smooth):
            raise ValueError(f"smooth {self.smooth}: odd box sizes >= 3")
        if self.head:
            h1, h2 = self.head
            self.head_a = nn.Conv2d(self.widths.u2 + 3 + 3 * len(self.smooth), h1, 1)
            self.head_b = nn.Conv2d(h1, h2, 1)
            self.conv_out = Conv(h2, 3, 9, 1, self.geo)
        pal = np.zeros((0, 3)) if palette is None else np.asarray(palette)
        self.register_buffer("palette", torch.as_tensor(pal, dtype=torch.float32).reshape(-1, 3))
        self.snap_output = False
        self.snap_blur = 0
        self.snap_lut = 0          # L > 0: the snap is the renderer's colour rule as an L^3 lookup table
        self.snap_mode = 0         # m > 1 (with the table): then an m x m mode filter of the labels, 2 passes
        self.register_buffer("lut", torch.zeros(0, dtype=torch.uint8))
        self.lut_ink = -1          # the table's ink label: a pixel whose own (unblurred) label is ink stays ink
        self.target_kind = "poster"   # what the network draws: "poster" (palette colours) or "smooth" (the
        #                               renderer's pre-palette image, to be snapped by the lookup table)

    def output_head(self, y, x):
        if not self.head:
            return self.conv_out(y)
        h = F.relu(self.head_a(torch.cat([y, x / 127.5 - 1.0] + [box_mean(x, k) / 127.5 - 1.0
                                                                  for k in self.smooth], 1)))
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
        if self.snap_lut:
            return lut_snap(y, self.lut, self.palette, self.snap_lut, k, self.lut_ink, self.snap_mode)
        if k > 1:      # a k x k box mean first: pixels near a colour boundary follow their neighbours
            y = box_mean_pad(y, k)
        return snap_to_palette(y, self.palette)

    def config(self):
        return {**super().config(), "poster_head": list(self.head) if self.head else None,
                **({"poster_lut": int(self.snap_lut)} if self.snap_lut else {}),
                **({"poster_lut_mode": int(self.snap_mode)} if self.snap_lut and self.snap_mode else {}),
                **({"poster_target": self.target_kind} if self.target_kind != "poster" else {}),
                "palette": self.palette.round().int().tolist(),
                **({"poster_smooth": list(self.smooth)} if self.smooth else {})}

    @staticmethod
    def from_config(cfg):
        net = PosterNet(Widths.from_dict(cfg["widths"]), Geometry(**cfg["geometry"]),
                        cfg.get("poster_head"), cfg.get("palette") or None, cfg.get("poster_smooth") or ())
        net.target_kind = cfg.get("poster_target", "poster")
        return net


def box_mean(x, k):
    """The k x k box mean of x [N,C,H,W] (k odd), reflection at the borders: a (1, k) then a (k, 1) mean."""
    p = k // 2
    x = F.pad(x, (p, p, p, p), mode="reflect")
    return F.avg_pool2d(F.avg_pool2d(x, (1, k), 1), (k, 1), 1)


@torch.no_grad()
def with_smooth(net, smooth):
    """A PosterNet like `net` whose colour head also reads the k x k box means of the input for each k
    of `smooth` (`net`'s own smooth sizes first, kept): the new input channels' weights are 0, so it
    computes exactly what `net` does."""
    smooth = tuple(int(k) for k in smooth)
    if smooth[:len(net.smooth)] != net.smooth:
        raise ValueError(f"smooth {smooth} does not extend the net's {net.smooth}")
    new = PosterNet(net.widths, net.geo, net.head, net.palette.numpy() if len(net.palette) else None, smooth)
    new = new.to(net.palette.device)
    sd = net.state_dict()
    w = sd["head_a.weight"]
    grown = torch.zeros_like(new.head_a.weight)
    grown[:, :w.shape[1]] = w
    sd["head_a.weight"] = grown
    new.load_state_dict(sd)
    new.snap_output, new.snap_blur, new.clamp_output = net.snap_output, net.snap_blur, net.clamp_output
    new.target_kind = net.target_kind
    return new.train(net.training)


def head_macs(widths: Widths, head, smooth=()):
    """The colour head's extra MACs per pixel over the plain output conv; the box means of `smooth`
    count 2 k additions per channel (the two separable AveragePools) as MACs."""
    if not head:
        return 0
    h1, h2 = head
    return (widths.u2 + 3 + 3 * len(smooth)) * h1 + h1 * h2 + 81 * 3 * (h2 - widths.u2) + sum(6 * k for k in smooth)


def poster_macs_per_pixel(widths, head, smooth=()):
    return macs_per_pixel(widths) + head_macs(widths, head, smooth)


def poster_mac_ratio(widths, head, smooth=()):
    return poster_macs_per_pixel(widths, head, smooth) / macs_per_pixel(FULL)


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
    if [k for k in missing if k not in ("palette", "lut")] or unexpected:
        raise ValueError(f"{path}: weights do not fit the config (missing {missing}, unexpected {unexpected})")
    return net.to(device).eval(), ck


def with_snap(net, palette, blur=0, lut=0, mode=0):
    """A copy of `net` (PosterNet) whose output snaps to `palette` (after a blur x blur box mean of
    the output, blur > 1): to the nearest palette colour, or with lut = L > 0 by the renderer's own
    colour rule (`poster_render.palette_labels`) as an L^3 lookup table (`lut_table`, `lut_snap`;
    the network then draws the renderer's pre-palette image, `train --target smooth`)."""
    import copy
    s = copy.deepcopy(net)
    s.palette = torch.as_tensor(np.asarray(palette), dtype=torch.float32).reshape(-1, 3).to(s.palette.device)
    s.snap_output = True
    s.snap_blur = int(blur)
    s.snap_lut = int(lut)
    s.snap_mode = int(mode) if lut else 0
    if lut:
        from . import poster_render as PR
        if not np.array_equal(np.asarray(palette), PR.COLOURS):
            raise ValueError("the lookup table's labels index the renderer's palette: give poster_render.COLOURS")
        s.lut = torch.from_numpy(lut_table(int(lut))).to(s.palette.device)
        s.lut_ink = PR.INK
    return s.eval()


# ----------------------------------------------------------------- the renderer's colour rule as a table
def lut_cells(levels):
    """The L^3 cell centres (0..1 RGB, [L^3, 3], r slowest): cell q of a channel holds the 0..255 values
    [q, q + 1) * 256 / L."""
    c = (np.arange(levels, dtype=np.float64) + 0.5) * (256.0 / levels) / 255.0
    r, g, b = np.meshgrid(c, c, c, indexing="ij")
    return np.stack([r.ravel(), g.ravel(), b.ravel()], 1)


def lut_table(levels):
    """[L^3] uint8: `poster_render.palette_labels` at each cell's centre (the index r*L*L + g*L + b)."""
    from . import poster_render as PR
    if levels < 2 or levels & (levels - 1) or levels > 256:
        raise ValueError(f"levels {levels}: a power of two, 2..256 (the quantisation must be exact arithmetic)")
    return PR.palette_labels(lut_cells(levels)[None])[0].astype(np.uint8)


def lut_index(y, levels):
    """y [N,3,H,W] 0..255 float -> [N,H,W] int64 cell index. y * (L / 256) is exact in float32 (L a power
    of two), then Floor and a clip to 0..L-1: the same integers in PyTorch and ONNX Runtime."""
    q = torch.clamp(torch.floor(y * (levels / 256.0)), 0, levels - 1).to(torch.int64)
    return q[:, 0] * (levels * levels) + q[:, 1] * levels + q[:, 2]


def lut_labels(y, table, levels):
    return table[lut_index(y, levels)].to(torch.int64)


def box_mean_pad(y, k):
    """The k x k box mean of the snap (reflection Pad + AveragePool; k even: the extra row/column after)."""
    return F.avg_pool2d(F.pad(y, (k // 2, k - 1 - k // 2) * 2, mode="reflect"), k, 1)


def mode_labels(lab, n, size, passes, skip=None):
    """The renderer's mode filter in the graph: the majority label over size x size windows (reflection
    at the borders; ties: the lowest index, as `poster_render.mode_filter`), `passes` times; pixels of
    `skip` ([N,H,W] bool: the ink) are left out of the votes. Counts are box means of one-hot planes
    (sums of 0/1 over the window divided by size^2: the same floats in PyTorch and ONNX Runtime)."""
    ks = torch.arange(n, device=lab.device).view(1, n, 1, 1)
    for _ in range(passes):
        votes = (lab[:, None] == ks).to(torch.float32)
        if skip is not None:
            votes = votes * (~skip)[:, None].to(torch.float32)
        lab = torch.argmax(box_mean_pad(votes, size), 1)
    return lab


def lut_snap(y, table, palette, levels, blur=0, ink=-1, mode=0, mode_passes=2):
    """[N,3,H,W] 0..255 -> the palette colour of each pixel's label in `table` (the renderer's rule on
    its cell). With blur = k > 1 (and the table's `ink` label), the label is taken on a k x k box mean
    that leaves out the ink pixels (those whose own label is ink: sum of the others / their count), and
    an ink pixel stays ink: the mean takes out specks but neither dissolves the 3 px outlines nor
    spreads them into a dark halo on the fields beside them. mode = m > 1: then the renderer's m x m mode
    filter, `mode_passes` times, on the labels of the fields (`mode_labels`, the ink left out), the ink
    kept."""
    if blur > 1 and ink >= 0:
        is_ink = lut_labels(y, table, levels) == ink
        keep = (~is_ink).to(y.dtype)[:, None]
        yb = box_mean_pad(y * keep, blur) / torch.clamp(box_mean_pad(keep, blur), min=1e-6)
        lab = lut_labels(yb, table, levels)
        if mode > 1:
            lab = mode_labels(lab, len(palette), mode, mode_passes, is_ink)
        lab = torch.where(is_ink, torch.full_like(is_ink, ink, dtype=torch.int64), lab)
    else:
        lab = lut_labels(box_mean_pad(y, blur) if blur > 1 else y, table, levels)
    return palette[lab].permute(0, 3, 1, 2)


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
