"""Johnson et al. (2016) feed-forward style transformer with per-layer channel widths.

Two geometries:
  * "A" (Engstrom's TF layout): stride-2 convs padded (0,1) like TF SAME on even sizes,
    transposed-conv upsampling, 9x9 output conv followed by instance norm, tanh*150+127.5.
  * "B" (pytorch/examples): symmetric padding, nearest x2 upsampling + 3x3 conv,
    output conv with bias and no norm, output clamped.
Padding is "zero" (format-A teachers) or "reflect" (format-B teachers and every student).

Widths: c1 (conv1), c2 (conv2), trunk (conv3 and every residual block's output: they are
joined by the additions and share one code), res[5] (each block's inner width), u1, u2.
A pruned net is just a narrower instance.

Instance norms compute their own statistics, or, in tile mode, read them from a flat
``stats`` vector laid out like the ``stats`` output: for each norm in network order, its C means
then its C standard deviations sqrt(var + eps).

Moments (tile mode, for exact full-resolution statistics): given ``moments_box`` = (x0, y0, x1, y1)
in input pixels (multiples of 4), every norm also reports the mean and the population variance
(no eps) of its pre-norm activations over that box, mapped to the norm's resolution by its
``scale`` (1, 2 or 4); same layout as ``stats`` (C means, then C variances, norm after norm).
The engine combines the boxes of all tiles (a partition of the image) into whole-image statistics.
With ``mode`` 1 the norms use the box's own statistics corrected by ``stats`` read as (a, b):
mean + a, std * b (the engine's refinement solves for the statistics of the full image this way on
its downscaled copy; docs/engine.md).
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field, asdict

import torch
import torch.nn as nn
import torch.nn.functional as F

GROUPS = ["c1", "c2", "trunk", "res0", "res1", "res2", "res3", "res4", "u1", "u2"]


@dataclass
class Widths:
    c1: int = 32
    c2: int = 64
    trunk: int = 128
    res: list = field(default_factory=lambda: [128] * 5)
    u1: int = 64
    u2: int = 32

    def group(self, g):
        if g.startswith("res"):
            return self.res[int(g[3:])]
        return getattr(self, g)

    def as_list(self):
        return [self.group(g) for g in GROUPS]

    @staticmethod
    def from_list(v):
        v = [int(a) for a in v]
        return Widths(v[0], v[1], v[2], v[3:8], v[8], v[9])

    def to_dict(self):
        return asdict(self)

    @staticmethod
    def from_dict(d):
        return Widths(d["c1"], d["c2"], d["trunk"], list(d["res"]), d["u1"], d["u2"])

    def __str__(self):
        return f"{self.c1}/{self.c2}/{self.trunk}/res[{','.join(map(str, self.res))}]/{self.u1}/{self.u2}"


FULL = Widths()


@dataclass
class Geometry:
    kind: str = "B"          # "A" or "B"
    pad: str = "reflect"     # "reflect" or "zero"

    @property
    def eps(self):
        return 1e-3 if self.kind == "A" else 1e-5

    def to_dict(self):
        return asdict(self)


class InstanceNorm(nn.Module):
    def __init__(self, c, eps):
        super().__init__()
        self.c = c
        self.eps = eps
        self.scale = 1      # input pixels per activation pixel (set by TransformerNet)
        self.weight = nn.Parameter(torch.ones(c))
        self.bias = nn.Parameter(torch.zeros(c))

    def forward(self, x, ctx):
        box = ctx.get("box")
        if box is not None:
            b = torch.div(box, self.scale, rounding_mode="floor")
            r = x[:, :, b[1]:b[3], b[0]:b[2]]
            bm = r.mean(dim=(2, 3), keepdim=True)
            bv = ((r - bm) ** 2).mean(dim=(2, 3), keepdim=True)
            ctx["moments"].append(bm.reshape(-1))
            ctx["moments"].append(bv.reshape(-1))
        if ctx.get("stats_in") is not None:
            s = ctx["stats_in"]
            off = ctx["offset"]
            mean = s[off:off + self.c].view(1, self.c, 1, 1)
            std = s[off + self.c:off + 2 * self.c].view(1, self.c, 1, 1)
            ctx["offset"] = off + 2 * self.c
            mode = ctx.get("mode")
            if mode is not None:
                # mode 0: the given statistics; mode 1: the box's own, corrected: mean + a, std * b
                mean = mean + mode * bm
                std = std * (mode * torch.sqrt(bv + self.eps) + (1 - mode))
        else:
            mean = x.mean(dim=(2, 3), keepdim=True)
            var = ((x - mean) ** 2).mean(dim=(2, 3), keepdim=True)
            std = torch.sqrt(var + self.eps)
        if ctx.get("collect") is not None:
            ctx["collect"].append(mean.reshape(-1))
            ctx["collect"].append(std.reshape(-1))
        return (x - mean) / std * self.weight.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)


class Conv(nn.Module):
    """Padded conv; `pads` = (left, right, top, bottom)."""

    def __init__(self, cin, cout, k, stride, geo: Geometry):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride, padding=0, bias=True)
        p = k // 2
        if stride == 2 and geo.kind == "A":
            self.pads = (0, 1, 0, 1)  # TF SAME for k=3, s=2 on even sizes
        else:
            self.pads = (p, p, p, p)
        self.mode = "reflect" if geo.pad == "reflect" else "constant"

    def forward(self, x):
        x = F.pad(x, self.pads, mode=self.mode)
        return self.conv(x)


class Up(nn.Module):
    def __init__(self, cin, cout, geo: Geometry):
        super().__init__()
        self.kind = geo.kind
        if geo.kind == "A":
            # TF conv2d_transpose SAME, stride 2, k 3: y = 2i + k, output 2H (drop the last row/col)
            self.conv = nn.ConvTranspose2d(cin, cout, 3, 2, padding=0, bias=True)
        else:
            self.conv = Conv(cin, cout, 3, 1, geo)

    def forward(self, x):
        if self.kind == "A":
            y = self.conv(x)
            return y[:, :, :-1, :-1]
        x = F.interpolate(x, scale_factor=2.0, mode="nearest")
        return self.conv(x)

    @property
    def weight_conv(self):
        return self.conv if self.kind == "A" else self.conv.conv


class TransformerNet(nn.Module):
    def __init__(self, widths: Widths = None, geo: Geometry = None):
        super().__init__()
        self.widths = copy.deepcopy(widths or FULL)
        self.geo = copy.deepcopy(geo or Geometry())
        w, g, eps = self.widths, self.geo, self.geo.eps
        self.conv1 = Conv(3, w.c1, 9, 1, g); self.in1 = InstanceNorm(w.c1, eps)
        self.conv2 = Conv(w.c1, w.c2, 3, 2, g); self.in2 = InstanceNorm(w.c2, eps)
        self.conv3 = Conv(w.c2, w.trunk, 3, 2, g); self.in3 = InstanceNorm(w.trunk, eps)
        self.res_a = nn.ModuleList([Conv(w.trunk, r, 3, 1, g) for r in w.res])
        self.res_ia = nn.ModuleList([InstanceNorm(r, eps) for r in w.res])
        self.res_b = nn.ModuleList([Conv(r, w.trunk, 3, 1, g) for r in w.res])
        self.res_ib = nn.ModuleList([InstanceNorm(w.trunk, eps) for _ in w.res])
        self.up1 = Up(w.trunk, w.u1, g); self.in4 = InstanceNorm(w.u1, eps)
        self.up2 = Up(w.u1, w.u2, g); self.in5 = InstanceNorm(w.u2, eps)
        self.conv_out = Conv(w.u2, 3, 9, 1, g)
        self.in_out = InstanceNorm(3, eps) if g.kind == "A" else None
        for n, sc in zip(self.norms(), self.norm_scales()):
            n.scale = sc
        self.masks = None          # dict group -> float tensor [C] (pruning search / masked fine-tune)
        self.clamp_output = True

    # ----- bookkeeping -----
    def norms(self):
        out = [self.in1, self.in2, self.in3]
        for a, b in zip(self.res_ia, self.res_ib):
            out += [a, b]
        out += [self.in4, self.in5]
        if self.in_out is not None:
            out.append(self.in_out)
        return out

    def norm_scales(self):
        """Input pixels per activation pixel at each norm, in network order."""
        out = [1, 2, 4] + [4] * (2 * len(self.res_ia)) + [2, 1]
        if self.in_out is not None:
            out.append(1)
        return out

    def stats_len(self):
        return sum(2 * n.c for n in self.norms())

    def config(self):
        return {"widths": self.widths.to_dict(), "geometry": self.geo.to_dict()}

    @staticmethod
    def from_config(cfg):
        return TransformerNet(Widths.from_dict(cfg["widths"]), Geometry(**cfg["geometry"]))

    def output_head(self, y, x):
        """The layers after the last instance norm: the output conv (u2 features -> RGB). `x` is the
        network's input; a subclass may use it (the poster network's colour head does)."""
        return self.conv_out(y)

    def _m(self, x, g):
        if self.masks is None:
            return x
        return x * self.masks[g].view(1, -1, 1, 1)

    def forward(self, x, stats=None, return_stats=False, features=None, moments_box=None, mode=None):
        """x: [N,3,H,W] RGB 0..255. Returns output (and the stats vector when return_stats).
        features: optional list that receives the post-activation feature maps
        (c1, c2, trunk after conv3, after each res block, u1, u2).
        moments_box: int64 [4] (x0, y0, x1, y1); also returns the box moments (module docstring).
        mode (with stats and moments_box): 0 normalises with `stats`; 1 with the box's own statistics
        corrected by `stats` read as (a, b): mean + a, sqrt(var + eps) * b."""
        ctx = {"stats_in": stats, "offset": 0, "collect": [] if return_stats else None,
               "box": moments_box, "moments": [], "mode": mode}
        f = features
        y = self._m(F.relu(self.in1(self.conv1(x), ctx)), "c1")
        if f is not None: f.append(y)
        y = self._m(F.relu(self.in2(self.conv2(y), ctx)), "c2")
        if f is not None: f.append(y)
        y = self._m(F.relu(self.in3(self.conv3(y), ctx)), "trunk")
        if f is not None: f.append(y)
        for i in range(len(self.res_a)):
            h = self._m(F.relu(self.res_ia[i](self.res_a[i](y), ctx)), f"res{i}")
            y = y + self._m(self.res_ib[i](self.res_b[i](h), ctx), "trunk")
            if f is not None: f.append(y)
        y = self._m(F.relu(self.in4(self.up1(y), ctx)), "u1")
        if f is not None: f.append(y)
        y = self._m(F.relu(self.in5(self.up2(y), ctx)), "u2")
        if f is not None: f.append(y)
        y = self.output_head(y, x)
        if self.in_out is not None:
            y = torch.tanh(self.in_out(y, ctx)) * 150.0 + 127.5
        if self.clamp_output:
            y = torch.clamp(y, 0.0, 255.0)
        if return_stats:
            return y, torch.cat(ctx["collect"])
        if moments_box is not None:
            return y, torch.cat(ctx["moments"])
        return y


FEATURE_GROUPS = ["c1", "c2", "trunk"] + ["trunk"] * 5 + ["u1", "u2"]


# ----- parameter and MAC counts -----
def count_params(widths: Widths, kind="B"):
    w = widths
    def conv(cin, cout, k):
        return cin * cout * k * k + cout
    n = conv(3, w.c1, 9) + 2 * w.c1 + conv(w.c1, w.c2, 3) + 2 * w.c2 + conv(w.c2, w.trunk, 3) + 2 * w.trunk
    for r in w.res:
        n += conv(w.trunk, r, 3) + 2 * r + conv(r, w.trunk, 3) + 2 * w.trunk
    n += conv(w.trunk, w.u1, 3) + 2 * w.u1 + conv(w.u1, w.u2, 3) + 2 * w.u2 + conv(w.u2, 3, 9)
    if kind == "A":
        n += 6
    return n


def macs_per_pixel(widths: Widths, kind="B"):
    """Multiply-accumulates per input pixel (x 1e6 = MACs per megapixel), convs only."""
    w = widths
    m = 81 * 3 * w.c1                      # conv1, full res
    m += 9 * w.c1 * w.c2 / 4               # conv2, output at 1/2
    m += 9 * w.c2 * w.trunk / 16           # conv3, output at 1/4
    for r in w.res:
        m += 2 * 9 * w.trunk * r / 16
    if kind == "A":   # transposed convs: 9*cin*cout per input pixel
        m += 9 * w.trunk * w.u1 / 16 + 9 * w.u1 * w.u2 / 4
    else:             # nearest x2 then conv at the output resolution
        m += 9 * w.trunk * w.u1 / 4 + 9 * w.u1 * w.u2
    m += 81 * w.u2 * 3
    return m


def mac_ratio(widths: Widths, kind="B"):
    return macs_per_pixel(widths, kind) / macs_per_pixel(FULL, kind)


# ----- masks and slimming -----
def full_masks(net: TransformerNet, device=None):
    w = net.widths
    return {g: torch.ones(w.group(g), device=device) for g in GROUPS}


def masks_from_code(code, widths: Widths, device=None):
    """code: flat 0/1 sequence over all groups in GROUPS order."""
    out, i = {}, 0
    for g in GROUPS:
        c = widths.group(g)
        out[g] = torch.as_tensor(list(code[i:i + c]), dtype=torch.float32, device=device)
        i += c
    return out


def widths_from_masks(masks):
    return Widths.from_list([int(masks[g].sum().item()) for g in GROUPS])


def _sel_conv_out(conv: nn.Conv2d, idx):
    conv.weight.data = conv.weight.data[idx].clone(); conv.bias.data = conv.bias.data[idx].clone()


@torch.no_grad()
def slim(net: TransformerNet, masks) -> TransformerNet:
    """Physically remove the channels whose mask is 0. Exactly equivalent to the masked net."""
    idx = {g: torch.nonzero(masks[g] > 0.5).flatten().cpu() for g in GROUPS}
    new = TransformerNet(widths_from_masks(masks), net.geo)
    new = new.to(next(net.parameters()).device)
    src, dst = net, new

    def copy_conv(s: nn.Module, d: nn.Module, out_idx, in_idx, transposed=False):
        W = s.weight.data
        if transposed:        # [in, out, k, k]
            if in_idx is not None: W = W[in_idx]
            if out_idx is not None: W = W[:, out_idx]
        else:
            if out_idx is not None: W = W[out_idx]
            if in_idx is not None: W = W[:, in_idx]
        d.weight.data.copy_(W)
        b = s.bias.data
        d.bias.data.copy_(b[out_idx] if out_idx is not None else b)

    def copy_in(s, d, i):
        d.weight.data.copy_(s.weight.data[i]); d.bias.data.copy_(s.bias.data[i])

    copy_conv(src.conv1.conv, dst.conv1.conv, idx["c1"], None); copy_in(src.in1, dst.in1, idx["c1"])
    copy_conv(src.conv2.conv, dst.conv2.conv, idx["c2"], idx["c1"]); copy_in(src.in2, dst.in2, idx["c2"])
    copy_conv(src.conv3.conv, dst.conv3.conv, idx["trunk"], idx["c2"]); copy_in(src.in3, dst.in3, idx["trunk"])
    for i in range(5):
        r = idx[f"res{i}"]
        copy_conv(src.res_a[i].conv, dst.res_a[i].conv, r, idx["trunk"]); copy_in(src.res_ia[i], dst.res_ia[i], r)
        copy_conv(src.res_b[i].conv, dst.res_b[i].conv, idx["trunk"], r); copy_in(src.res_ib[i], dst.res_ib[i], idx["trunk"])
    tA = net.geo.kind == "A"
    copy_conv(src.up1.weight_conv, dst.up1.weight_conv, idx["u1"], idx["trunk"], tA); copy_in(src.in4, dst.in4, idx["u1"])
    copy_conv(src.up2.weight_conv, dst.up2.weight_conv, idx["u2"], idx["u1"], tA); copy_in(src.in5, dst.in5, idx["u2"])
    copy_conv(src.conv_out.conv, dst.conv_out.conv, None, idx["u2"])
    if src.in_out is not None:
        copy_in(src.in_out, dst.in_out, torch.arange(3))
    return new


def parse_widths(s: str) -> Widths:
    """'16/32/64/res[48,48,64,48,48]/32/16' (Widths' own str) or ten numbers separated by / or ,."""
    v = s.replace("res[", "").replace("]", "").replace(",", "/").split("/")
    if len(v) != 10:
        raise ValueError(f"widths {s!r}: ten numbers c1/c2/trunk/res[5]/u1/u2")
    return Widths.from_list(v)


def widen(net: TransformerNet, widths: Widths, seed=0) -> TransformerNet:
    """A wider copy of net computing exactly the same function: every group of `widths` holds at least
    as many channels as net's (a width 0 or smaller keeps net's). The old channels come first with their
    weights; each new channel gets random incoming weights (PyTorch's default init) and an instance norm
    of scale 1, shift 0, so it is active, and outgoing weights of 0 (every conv's weights reading it), so
    the output does not change; those weights get a gradient from its activation at the first step."""
    old = net.widths
    nw = Widths.from_list([max(a, b) for a, b in zip(old.as_list(), widths.as_list())])
    torch.manual_seed(seed)
    new = TransformerNet(nw, net.geo).to(next(net.parameters()).device)

    def copy_conv(s, d, transposed=False):
        W, D = s.weight.data, d.weight.data
        D[tuple(slice(0, n) for n in W.shape)] = W
        cin = W.shape[0] if transposed else W.shape[1]
        if transposed:
            D[cin:] = 0
        else:
            D[:, cin:] = 0
        d.bias.data[: s.bias.shape[0]] = s.bias.data

    def copy_in(s, d):
        d.weight.data[: s.c] = s.weight.data; d.bias.data[: s.c] = s.bias.data

    tA = net.geo.kind == "A"
    with torch.no_grad():
        copy_conv(net.conv1.conv, new.conv1.conv); copy_in(net.in1, new.in1)
        copy_conv(net.conv2.conv, new.conv2.conv); copy_in(net.in2, new.in2)
        copy_conv(net.conv3.conv, new.conv3.conv); copy_in(net.in3, new.in3)
        for i in range(len(net.res_a)):
            copy_conv(net.res_a[i].conv, new.res_a[i].conv); copy_in(net.res_ia[i], new.res_ia[i])
            copy_conv(net.res_b[i].conv, new.res_b[i].conv); copy_in(net.res_ib[i], new.res_ib[i])
        copy_conv(net.up1.weight_conv, new.up1.weight_conv, tA); copy_in(net.in4, new.in4)
        copy_conv(net.up2.weight_conv, new.up2.weight_conv, tA); copy_in(net.in5, new.in5)
        copy_conv(net.conv_out.conv, new.conv_out.conv)
        if net.in_out is not None:
            new.in_out.load_state_dict(net.in_out.state_dict())
    new.clamp_output = net.clamp_output
    return new


def kept_indices(masks):
    return {g: torch.nonzero(masks[g] > 0.5).flatten() for g in GROUPS}


def with_padding(net: TransformerNet, pad: str) -> TransformerNet:
    """Same weights, other padding mode (e.g. a reflect-padded student of a zero-padded teacher)."""
    new = TransformerNet(net.widths, Geometry(net.geo.kind, pad))
    new.load_state_dict(net.state_dict())
    return new.to(next(net.parameters()).device)
