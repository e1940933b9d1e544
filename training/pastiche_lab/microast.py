"""MicroAST (Wang et al., AAAI 2023; MIT, (c) 2022 Zhizhong Wang): an arbitrary-style network, our
own implementation from `teachers/FORMATS.md`, format C, with per-group channel widths so that the
lab can prune it like the TransformerNet.

Images are RGB 0..1 inside (the ONNX wrappers of `microast_export` take 0..255). Every conv is
preceded by reflection padding of k // 2 and has a bias.

Channel groups (prunable widths; `FULL` is the teacher):

  c1     conv 9x9 3->c1; a depthwise stride-2 conv with 2 outputs per group follows (2*c1 outputs)
  e2     1x1 (2*c1)->e2; a depthwise stride-2 conv with 2 outputs per group follows (2*e2 outputs)
  trunk  1x1 (2*e2)->T, the encoder's residual blocks R1, R2 (their outputs f1, f2), both AdaINs and
         the modulated decoder blocks (their inner width is the trunk too: the modulation
         w * conv(x) + b * x joins them channel by channel). The decoder's first depthwise conv
         takes 2 trunk channels per group, so the trunk is kept in pairs (code bit k = channels
         2k, 2k+1) and that conv keeps T/2 groups.
  r1, r2 the encoder residual blocks' inner widths (free: no modulation there)
  u1     1x1 (T/2)->u1, kept in pairs (the next depthwise conv takes 2 per group): u1/2 groups
  u2     1x1 (u1/2)->u2, then conv 9x9 u2->3

The style encoder keeps the teacher's architecture (it runs once per painting); its f1 and f2 are
reduced to the kept trunk channels (`trunk_idx`) before the modulator (depthwise, per channel).

Style code (fixed size 8*T, `code_layout`): s1 mean, s1 std, s2 mean, s2 std, w1, b1, w2, b2.

The content network has two global normalisations (AdaIN: c2, then the output of dec1), both at
1/4 resolution, with the instance-norm tile protocol of `model.py`: `stats` = per norm T means then
T deviations sqrt(var + eps); tile mode reads them, reports box `moments` and supports mode 1.
The teacher uses the unbiased variance (`unbiased=True`, for the goldens); the exported students use
the population variance, as the engine's moments contract assumes (1/n relative difference:
3e-5 at 512 px).
"""
from __future__ import annotations

from dataclasses import dataclass, asdict
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

EPS = 1e-5
GROUPS = ["c1", "e2", "trunk", "r1", "r2", "u1", "u2"]
PAIRED = {"trunk", "u1"}   # code bits per group: one per pair of channels
TEACHER_FILES = {"content": "content_encoder_iter_160000.pth.tar", "style": "style_encoder_iter_160000.pth.tar",
                 "modulator": "modulator_iter_160000.pth.tar", "decoder": "decoder_iter_160000.pth.tar"}


@dataclass
class MWidths:
    c1: int = 16
    e2: int = 32
    trunk: int = 64
    r1: int = 64
    r2: int = 64
    u1: int = 32
    u2: int = 16

    def as_list(self):
        return [getattr(self, g) for g in GROUPS]

    @staticmethod
    def from_list(v):
        return MWidths(*[int(a) for a in v])

    def to_dict(self):
        return asdict(self)


FULL = MWidths()


class PConv(nn.Module):
    """Reflection padding k//2 + conv (groups allowed)."""

    def __init__(self, cin, cout, k, stride=1, groups=1):
        super().__init__()
        self.pad = k // 2
        self.conv = nn.Conv2d(cin, cout, k, stride, groups=groups)

    def forward(self, x):
        if self.pad:
            x = F.pad(x, (self.pad,) * 4, mode="reflect")
        return self.conv(x)


class ResBlock(nn.Module):
    def __init__(self, c, inner):
        super().__init__()
        self.conv1 = PConv(c, inner, 3)
        self.conv2 = PConv(inner, c, 3)

    def forward(self, x, w=None, b=None):
        if w is None:
            return x + self.conv2(F.relu(self.conv1(x)))
        y1 = self.conv1(x)
        y2 = w * y1 + b * x
        y3 = F.relu(y2)
        y4 = self.conv2(y3)
        return x + (w * y4 + b * y3)


class Encoder(nn.Module):
    """conv9 -> dw s2 -> 1x1 -> dw s2 -> 1x1 -> R1 (f1) -> R2 (f2)."""

    def __init__(self, w: MWidths = FULL):
        super().__init__()
        self.w = w
        self.conv1 = PConv(3, w.c1, 9)
        self.dw1 = PConv(w.c1, 2 * w.c1, 3, 2, groups=w.c1)
        self.pw1 = PConv(2 * w.c1, w.e2, 1)
        self.dw2 = PConv(w.e2, 2 * w.e2, 3, 2, groups=w.e2)
        self.pw2 = PConv(2 * w.e2, w.trunk, 1)
        self.r1 = ResBlock(w.trunk, w.r1)
        self.r2 = ResBlock(w.trunk, w.r2)

    def forward(self, x):
        f1 = self.head(x)
        return f1, self.r2(f1)

    def head(self, x):
        """Up to f1 (the output of R1)."""
        y = F.relu(self.conv1(x))
        y = F.relu(self.dw1(y))
        y = F.relu(self.pw1(y))
        y = F.relu(self.dw2(y))
        y = F.relu(self.pw2(y))
        return self.r1(y)

    def load_teacher(self, sd):
        m = {"enc1.0": "conv1", "enc1.2": "dw1", "enc1.4": "pw1", "enc1.6": "dw2", "enc1.8": "pw2",
             "enc1.10.conv1": "r1.conv1", "enc1.10.conv2": "r1.conv2",
             "enc2.0.conv1": "r2.conv1", "enc2.0.conv2": "r2.conv2"}
        own = {}
        for k, v in sd.items():
            pre, leaf = k.rsplit(".conv_layer.", 1)
            own[f"{m[pre]}.conv.{leaf}"] = v
        self.load_state_dict(own)


def calc_mean_std(x, unbiased):
    n = x.shape[2] * x.shape[3]
    mean = x.mean(dim=(2, 3), keepdim=True)
    var = ((x - mean) ** 2).sum(dim=(2, 3), keepdim=True) / (n - 1 if unbiased else n)
    return mean, torch.sqrt(var + EPS)


class StyleNet(nn.Module):
    """Painting (0..1) -> style code [8*T] (see module docstring)."""

    def __init__(self, trunk_idx=None):
        super().__init__()
        self.enc = Encoder(FULL)
        self.mod = nn.ModuleDict({k: PConv(64, 64, 3, groups=64) for k in ("weight1", "bias1", "weight2", "bias2")})
        idx = torch.arange(64) if trunk_idx is None else torch.as_tensor(trunk_idx, dtype=torch.long)
        self.register_buffer("trunk_idx", idx)
        self.unbiased = True

    @property
    def t(self):
        return int(self.trunk_idx.numel())

    def forward(self, s):
        return self.code_from_f1(self.enc.head(s))

    def code_from_f1(self, f1):
        f2 = self.enc.r2(f1)
        idx = self.trunk_idx
        out = []
        for f in (f1, f2):
            m, sd = calc_mean_std(f, self.unbiased)
            out += [m.flatten()[idx], sd.flatten()[idx]]
        for k, f in (("weight1", f1), ("bias1", f1), ("weight2", f2), ("bias2", f2)):
            out.append(self.mod[k](f).mean(dim=(2, 3)).flatten()[idx])
        return torch.cat(out)

    def load_teacher(self, enc_sd, mod_sd):
        self.enc.load_teacher(enc_sd)
        self.mod.load_state_dict({k.replace(".0.conv_layer.", ".conv."): v for k, v in mod_sd.items()})


def code_layout(t):
    names = ["s1_mean", "s1_std", "s2_mean", "s2_std", "w1", "b1", "w2", "b2"]
    return {n: slice(i * t, (i + 1) * t) for i, n in enumerate(names)}


class ContentNet(nn.Module):
    """Content encoder + decoder: (photo 0..1, style code) -> stylized 0..1 (clamped)."""

    def __init__(self, w: MWidths = FULL):
        super().__init__()
        self.w = w
        t = w.trunk
        assert t % 2 == 0 and w.u1 % 2 == 0
        self.enc = Encoder(w)
        self.dec1 = ResBlock(t, t)
        self.dec2 = ResBlock(t, t)
        self.dw3 = PConv(t, t // 2, 3, groups=t // 2)
        self.pw3 = PConv(t // 2, w.u1, 1)
        self.dw4 = PConv(w.u1, w.u1 // 2, 3, groups=w.u1 // 2)
        self.pw4 = PConv(w.u1 // 2, w.u2, 1)
        self.out = PConv(w.u2, 3, 9)
        self.unbiased = False
        self.clamp_output = True

    def stats_len(self):
        return 4 * self.w.trunk

    def norm_channels(self):
        return [self.w.trunk, self.w.trunk]

    def _norm(self, x, ctx):
        """Instance normalisation with the tile protocol of model.InstanceNorm (scale 4)."""
        c = x.shape[1]
        box = ctx.get("box")
        if box is not None:
            b = torch.div(box, 4, rounding_mode="floor")
            r = x[:, :, b[1]:b[3], b[0]:b[2]]
            bm = r.mean(dim=(2, 3), keepdim=True)
            bv = ((r - bm) ** 2).mean(dim=(2, 3), keepdim=True)
            ctx["moments"] += [bm.reshape(-1), bv.reshape(-1)]
        if ctx.get("stats_in") is not None:
            s, off = ctx["stats_in"], ctx["offset"]
            mean = s[off:off + c].view(1, c, 1, 1)
            std = s[off + c:off + 2 * c].view(1, c, 1, 1)
            ctx["offset"] = off + 2 * c
            mode = ctx.get("mode")
            if mode is not None:
                mean = mean + mode * bm
                std = std * (mode * torch.sqrt(bv + EPS) + (1 - mode))
        else:
            mean, std = calc_mean_std(x, self.unbiased)
        if ctx.get("collect") is not None:
            ctx["collect"] += [mean.reshape(-1), std.reshape(-1)]
        return (x - mean) / std

    def forward(self, x, code, stats=None, return_stats=False, moments_box=None, mode=None, features=None):
        """x [N,3,H,W] 0..1 (H, W multiples of 4), code [8T] (or [N,8T]). Returns the output (and
        the stats vector when return_stats, or the box moments when moments_box is given)."""
        t = self.w.trunk
        if code.dim() == 1:
            code = code.unsqueeze(0)
        L = code_layout(t)
        g = {k: code[:, v].reshape(code.shape[0], t, 1, 1) for k, v in L.items()}
        ctx = {"stats_in": stats, "offset": 0, "collect": [] if return_stats else None,
               "box": moments_box, "moments": [], "mode": mode}
        _, c2 = self.enc(x)
        y = self._norm(c2, ctx) * g["s2_std"] + g["s2_mean"]
        y = self.dec1(y, g["w2"], g["b2"])
        if features is not None: features.append(y)
        y = self._norm(y, ctx) * g["s1_std"] + g["s1_mean"]
        y = self.dec2(y, g["w1"], g["b1"])
        if features is not None: features.append(y)
        y = F.interpolate(y, scale_factor=2.0, mode="bilinear", align_corners=False)
        y = F.relu(self.dw3(y))
        y = F.relu(self.pw3(y))
        if features is not None: features.append(y)
        y = F.interpolate(y, scale_factor=2.0, mode="bilinear", align_corners=False)
        y = F.relu(self.dw4(y))
        y = F.relu(self.pw4(y))
        if features is not None: features.append(y)
        y = self.out(y)
        if self.clamp_output:
            y = torch.clamp(y, 0.0, 1.0)
        if return_stats:
            return y, torch.cat(ctx["collect"])
        if moments_box is not None:
            return y, torch.cat(ctx["moments"])
        return y

    def load_teacher(self, enc_sd, dec_sd):
        self.enc.load_teacher(enc_sd)
        m = {"dec3.1": "dw3", "dec3.3": "pw3", "dec3.6": "dw4", "dec3.8": "pw4", "dec3.10": "out"}
        own = {}
        for k, v in dec_sd.items():
            pre, leaf = k.rsplit(".conv_layer.", 1)
            own[f"{m.get(pre, pre)}.conv.{leaf}"] = v
        own.update({f"enc.{k}": v for k, v in self.enc.state_dict().items()})
        self.load_state_dict(own)

    def config(self):
        return {"widths": self.w.to_dict()}


class MicroAST(nn.Module):
    def __init__(self, content: ContentNet, style: StyleNet):
        super().__init__()
        self.content, self.style = content, style

    def forward(self, photo, painting):
        return self.content(photo, self.style(painting))

    @property
    def clamp_output(self):
        """The content network's output clamp (the Trainer turns it off while training)."""
        return self.content.clamp_output

    @clamp_output.setter
    def clamp_output(self, v):
        self.content.clamp_output = v

    def config(self):
        """What a checkpoint records to rebuild the network (`checkpoints.save`)."""
        return {"kind": "microast", "widths": self.content.w.to_dict(),
                "trunk_idx": [int(i) for i in self.style.trunk_idx]}

    @staticmethod
    def from_config(cfg) -> "MicroAST":
        content = ContentNet(MWidths(**cfg["widths"]))
        content.unbiased = False
        style = StyleNet(cfg["trunk_idx"])
        style.unbiased = False
        return MicroAST(content, style)


def load_teacher(data_root) -> MicroAST:
    d = Path(data_root) / "teachers" / "microast"
    sd = {k: torch.load(d / f, map_location="cpu", weights_only=False) for k, f in TEACHER_FILES.items()}
    content = ContentNet(FULL)
    content.load_teacher(sd["content"], sd["decoder"])
    content.unbiased = True
    style = StyleNet()
    style.load_teacher(sd["style"], sd["modulator"])
    return MicroAST(content, style).eval()


# ----- channel indices, slimming, MACs -----
def full_index(g, w: MWidths = FULL):
    return list(range(getattr(w, g)))


def code_len(w: MWidths = FULL):
    return sum(getattr(w, g) // (2 if g in PAIRED else 1) for g in GROUPS)


def group_slices(w: MWidths = FULL):
    out, i = {}, 0
    for g in GROUPS:
        n = getattr(w, g) // (2 if g in PAIRED else 1)
        out[g] = (i, i + n)
        i += n
    return out


def indices_from_code(code, w: MWidths = FULL):
    """Binary code -> kept channel indices per group (paired groups expand bit k to 2k, 2k+1)."""
    out = {}
    for g, (s, e) in group_slices(w).items():
        bits = code[s:e]
        if g in PAIRED:
            out[g] = [c for k, b in enumerate(bits) if b for c in (2 * k, 2 * k + 1)]
        else:
            out[g] = [k for k, b in enumerate(bits) if b]
    return out


def code_from_indices(idx, w: MWidths = FULL):
    """The inverse of indices_from_code."""
    code = []
    for g in GROUPS:
        kept = set(idx[g])
        n = getattr(w, g) // (2 if g in PAIRED else 1)
        code += [int((2 * k if g in PAIRED else k) in kept) for k in range(n)]
    return code


def widths_from_indices(idx) -> MWidths:
    return MWidths(**{g: len(idx[g]) for g in GROUPS})


def masks_from_indices(idx, w: MWidths = FULL):
    """Float masks per group (1 kept, 0 pruned) over the full widths."""
    out = {}
    for g in GROUPS:
        m = torch.zeros(getattr(w, g))
        m[idx[g]] = 1
        out[g] = m
    return out


def _take(conv: PConv, out_idx=None, in_idx=None, groups=None):
    """A new PConv with the given output channels and (for full convs) input channels."""
    W, b = conv.conv.weight.data, conv.conv.bias.data
    if out_idx is not None:
        W, b = W[out_idx], b[out_idx]
    if in_idx is not None:
        W = W[:, in_idx]
    k = conv.conv.kernel_size[0]
    g = groups or 1
    n = PConv(W.shape[1] * g, W.shape[0], k, conv.conv.stride[0], groups=g)
    n.conv.weight.data.copy_(W)
    n.conv.bias.data.copy_(b)
    return n


def _pairs(idx):
    return sorted({c // 2 for c in idx})


def slim_encoder(enc: Encoder, idx) -> Encoder:
    c1, e2, T = idx["c1"], idx["e2"], idx["trunk"]
    dw1_out = [c for k in c1 for c in (2 * k, 2 * k + 1)]
    dw2_out = [c for k in e2 for c in (2 * k, 2 * k + 1)]
    n = Encoder(MWidths(len(c1), len(e2), len(T), len(idx["r1"]), len(idx["r2"]), 2, 2))
    n.conv1 = _take(enc.conv1, c1)
    n.dw1 = _take(enc.dw1, dw1_out, groups=len(c1))
    n.pw1 = _take(enc.pw1, e2, dw1_out)
    n.dw2 = _take(enc.dw2, dw2_out, groups=len(e2))
    n.pw2 = _take(enc.pw2, T, dw2_out)
    for name, r in (("r1", idx["r1"]), ("r2", idx["r2"])):
        blk = getattr(enc, name)
        nb = ResBlock(2, 2)
        nb.conv1 = _take(blk.conv1, r, T)
        nb.conv2 = _take(blk.conv2, T, r)
        setattr(n, name, nb)
    return n


def slim(net: ContentNet, idx) -> ContentNet:
    """The physically narrower content network keeping the channels `idx` (exactly equivalent to
    masking them: tested)."""
    T, u1, u2 = idx["trunk"], idx["u1"], idx["u2"]
    assert all(len(idx[g]) > 0 for g in GROUPS)
    w = widths_from_indices(idx)
    n = ContentNet(w)
    n.enc = slim_encoder(net.enc, idx)
    n.enc.w = w
    for name in ("dec1", "dec2"):
        blk = getattr(net, name)
        nb = ResBlock(2, 2)
        nb.conv1 = _take(blk.conv1, T, T)
        nb.conv2 = _take(blk.conv2, T, T)
        setattr(n, name, nb)
    g3 = _pairs(T)                       # dw3: 2 trunk channels per group, one output each
    n.dw3 = _take(net.dw3, g3, groups=len(g3))
    n.pw3 = _take(net.pw3, u1, g3)
    g4 = _pairs(u1)
    n.dw4 = _take(net.dw4, g4, groups=len(g4))
    n.pw4 = _take(net.pw4, u2, g4)
    n.out = _take(net.out, None, u2)
    n.unbiased = net.unbiased
    n.clamp_output = net.clamp_output
    return n


class MaskedContentNet(nn.Module):
    """The full content network with channels zeroed by masks (the reference for `slim`). A pruned
    trunk channel is removed from the style code as well: its AdaIN output and the modulation
    (zeroed w, b) vanish, which is what the slimmed net computes without the channel."""

    def __init__(self, net: ContentNet, idx):
        super().__init__()
        self.net = net
        self.m = masks_from_indices(idx, net.w)

    def forward(self, x, code_full):
        net, m = self.net, self.m
        mk = lambda y, g: y * m[g].view(1, -1, 1, 1)
        e = net.enc
        y = mk(F.relu(e.conv1(x)), "c1")
        y = F.relu(e.dw1(y))          # outputs of pruned groups see only zeros: relu(bias)
        y = y * m["c1"].repeat_interleave(2).view(1, -1, 1, 1)
        y = mk(F.relu(e.pw1(y)), "e2")
        y = F.relu(e.dw2(y)) * m["e2"].repeat_interleave(2).view(1, -1, 1, 1)
        y = mk(F.relu(e.pw2(y)), "trunk")
        f1 = y + mk(e.r1.conv2(mk(F.relu(e.r1.conv1(y)), "r1")), "trunk")
        c2 = f1 + mk(e.r2.conv2(mk(F.relu(e.r2.conv1(f1)), "r2")), "trunk")
        t = net.w.trunk
        L = code_layout(t)
        mt = m["trunk"]
        g = {k: (code_full[v] * mt).view(1, t, 1, 1) for k, v in L.items()}
        mean, std = calc_mean_std(c2, net.unbiased)
        y = ((c2 - mean) / std) * g["s2_std"] + g["s2_mean"]
        y = mk(net.dec1(y, g["w2"], g["b2"]), "trunk")
        mean, std = calc_mean_std(y, net.unbiased)
        y = ((y - mean) / std) * g["s1_std"] + g["s1_mean"]
        y = mk(net.dec2(y, g["w1"], g["b1"]), "trunk")
        y = F.interpolate(y, scale_factor=2.0, mode="bilinear", align_corners=False)
        m3 = m["trunk"].view(-1, 2).amax(1)
        y = F.relu(net.dw3(y)) * m3.view(1, -1, 1, 1)
        y = mk(F.relu(net.pw3(y)), "u1")
        y = F.interpolate(y, scale_factor=2.0, mode="bilinear", align_corners=False)
        m4 = m["u1"].view(-1, 2).amax(1)
        y = F.relu(net.dw4(y)) * m4.view(1, -1, 1, 1)
        y = mk(F.relu(net.pw4(y)), "u2")
        y = net.out(y)
        return torch.clamp(y, 0, 1) if net.clamp_output else y


def content_macs_per_pixel(w: MWidths) -> float:
    """Multiply-accumulates per input pixel of the content path (encoder + decoder)."""
    T = w.trunk
    full_res = 81 * 3 * w.c1 + 9 * 2 * (w.u1 // 2) + w.u2 * (w.u1 // 2) + 81 * w.u2 * 3
    half = 9 * 2 * w.c1 + 2 * w.c1 * w.e2 + 9 * 2 * (T // 2) + (T // 2) * w.u1
    quarter = 9 * 2 * w.e2 + 2 * w.e2 * T + 9 * 2 * T * (w.r1 + w.r2) + 4 * 9 * T * T
    return full_res + half / 4 + quarter / 16


def count_params(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


# ----- widening a (fine-tuned) slimmed network back towards the teacher -----
_CONVS = [  # (module path, output channel list, input channel list; None = RGB/3, "g" = grouped)
    ("enc.conv1", "c1", None), ("enc.dw1", "d1", "g"), ("enc.pw1", "e2", "d1"), ("enc.dw2", "d2", "g"),
    ("enc.pw2", "trunk", "d2"), ("enc.r1.conv1", "r1", "trunk"), ("enc.r1.conv2", "trunk", "r1"),
    ("enc.r2.conv1", "r2", "trunk"), ("enc.r2.conv2", "trunk", "r2"), ("dec1.conv1", "trunk", "trunk"),
    ("dec1.conv2", "trunk", "trunk"), ("dec2.conv1", "trunk", "trunk"), ("dec2.conv2", "trunk", "trunk"),
    ("dw3", "g3", "g"), ("pw3", "u1", "g3"), ("dw4", "g4", "g"), ("pw4", "u2", "g4"), ("out", None, "u2")]


def _channel_lists(idx):
    d = {g: list(idx[g]) for g in GROUPS}
    d["d1"] = [c for k in idx["c1"] for c in (2 * k, 2 * k + 1)]
    d["d2"] = [c for k in idx["e2"] for c in (2 * k, 2 * k + 1)]
    d["g3"], d["g4"] = _pairs(idx["trunk"]), _pairs(idx["u1"])
    return d


def widen(student: ContentNet, teacher: ContentNet, idx, groups):
    """The student with the groups `groups` widened to all of the teacher's channels, computing
    exactly the student's function: the added channels start as the teacher's filters and their
    outgoing weights as zeros, the student's own weights are kept. Returns (network, new idx).
    The trunk cannot be widened (its channels are also the style code's)."""
    if "trunk" in groups:
        raise ValueError("the trunk cannot be widened (the style code has its width)")
    new = {g: (full_index(g, teacher.w) if g in groups else list(idx[g])) for g in GROUPS}
    net = slim(teacher, new)
    net.unbiased, net.clamp_output = student.unbiased, student.clamp_output
    old_l, new_l = _channel_lists(idx), _channel_lists(new)
    pos = {k: [new_l[k].index(c) for c in old_l[k]] for k in old_l}
    added = {k: [i for i in range(len(new_l[k])) if i not in set(pos[k])] for k in new_l}
    with torch.no_grad():
        for path, o, i in _CONVS:
            s, n = student.get_submodule(path).conv, net.get_submodule(path).conv
            po = pos[o] if o else list(range(n.weight.shape[0]))
            if i in (None, "g"):
                n.weight[po] = s.weight
            else:
                n.weight[torch.tensor(po)[:, None], torch.tensor(pos[i])[None, :]] = s.weight
                if added[i]:
                    n.weight[torch.tensor(po)[:, None], torch.tensor(added[i])[None, :]] = 0
            n.bias[po] = s.bias
    return net, new
