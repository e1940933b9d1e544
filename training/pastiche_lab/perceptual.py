"""The lab's one perceptual-loss module: Gram matrices, the style and content distances that the
search, the fine-tuning and the evaluation measure, total variation, the loss networks behind one
named-layer interface, and Johnson et al.'s perceptual loss for training from a style image."""
from __future__ import annotations

import torch
import torch.nn as nn

from . import lossnets


def gram(f: torch.Tensor, softmax=False) -> torch.Tensor:
    """Gram matrix F F^T / (C H W) per batch item: [N,C,H,W] -> [N,C,C] (optionally after a softmax
    over channels, Wang et al. CVPR 2021)."""
    if softmax:
        f = torch.softmax(f, dim=1)
    n, c, h, w = f.shape
    f = f.reshape(n, c, h * w)
    return torch.bmm(f, f.transpose(1, 2)) / (c * h * w)


def style_distance(fs, ft, reduce=True):
    """mean over layers of ||G(s)-G(t)||_F / ||G(t)||_F, per image (or averaged)."""
    ds = []
    for a, b in zip(fs, ft):
        ga, gb = gram(a), gram(b)
        ds.append(torch.linalg.norm((ga - gb).flatten(1), dim=1) / torch.linalg.norm(gb.flatten(1), dim=1).clamp_min(1e-12))
    d = torch.stack(ds, 0).mean(0)
    return d.mean() if reduce else d


def content_distance(a, b, reduce=True):
    d = torch.linalg.norm((a - b).flatten(1), dim=1) / torch.linalg.norm(b.flatten(1), dim=1).clamp_min(1e-12)
    return d.mean() if reduce else d


def tv_loss(y):
    """Anisotropic total variation, mean absolute neighbour difference (y in 0..1)."""
    return (y[:, :, 1:, :] - y[:, :, :-1, :]).abs().mean() + (y[:, :, :, 1:] - y[:, :, :, :-1]).abs().mean()


# ----- loss networks by layer name: net(x) with x RGB 0..1 -> {layer: feature map} -----
LOSSNET_DEFAULTS = {
    "vgg": {"style": "relu1_1,relu2_1,relu3_1", "content": "relu2_2"},
    "darknet": {"style": "lrelu1,lrelu2,lrelu4,lrelu6,lrelu8,lrelu10", "content": "lrelu8"},
}


class NamedVGG(nn.Module):
    """lossnets.VGGRelu31 (input 0..255, list of features) by layer name."""
    LAYERS = ["relu1_1", "relu1_2", "relu2_1", "relu2_2", "relu3_1"]

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, x, upto=None):
        return dict(zip(self.LAYERS, self.m(x * 255.0, all_layers=True)))


class NamedDarknet(nn.Module):
    """lossnets.TinyDarknet (input 0..255, taps) by layer name lrelu1..lreluN."""

    def __init__(self, m, n=10):
        super().__init__()
        self.m, self.n = m, n

    def forward(self, x, upto=None):
        n = int(upto[len("lrelu"):]) if upto else self.n
        feats = self.m(x * 255.0, taps=tuple(range(1, n + 1)))
        return {f"lrelu{i + 1}": f for i, f in enumerate(feats)}


def named_lossnet(kind, data_root):
    if kind == "vgg":
        return NamedVGG(lossnets.load_vgg(data_root))
    if kind == "darknet":
        return NamedDarknet(lossnets.load_darknet(data_root))
    raise ValueError(kind)


def layer_index(net, name):
    names = getattr(net, "LAYERS", None)
    if names and name in names:
        return names.index(name)
    return int("".join(ch for ch in name if ch.isdigit()) or 0)


class PerceptualLoss(nn.Module):
    """Johnson et al. (2016), every term relative so that weights mean the same on either net:
    content = ||phi_c(y) - phi_c(x)||^2 / ||phi_c(x)||^2, style = mean_l ||G_l(y) - G_l(s)||^2 /
    ||G_l(s)||^2 (Grams of the style image cached), tv on 0..1 images."""

    def __init__(self, lossnet, style_layers, content_layer, style_img01, softmax=False,
                 content_weight=1.0, style_weight=10.0, tv_weight=1.0, layer_weights=None):
        super().__init__()
        self.net = lossnet
        self.style_layers = list(style_layers)
        self.content_layer = content_layer
        self.softmax = softmax
        self.cw, self.sw, self.tw = content_weight, style_weight, tv_weight
        self.layer_weights = layer_weights or [1.0] * len(self.style_layers)
        self.upto = max(self.style_layers + [content_layer], key=lambda n: layer_index(self.net, n))
        with torch.no_grad():
            fs = self.net(style_img01, upto=self.upto)
            self.style_grams = [gram(fs[l], softmax) for l in self.style_layers]   # cached, [1,C,C]
            self.style_norms = [float((g ** 2).sum()) for g in self.style_grams]

    def forward(self, y01, x01, content_feats=None):
        fy = self.net(y01, upto=self.upto)
        if content_feats is None:
            with torch.no_grad():
                content_feats = self.net(x01, upto=self.content_layer)[self.content_layer]
        fc = fy[self.content_layer]
        content = ((fc - content_feats) ** 2).mean() / (content_feats ** 2).mean().clamp_min(1e-8)
        style = 0.0
        for w, l, gs, ns in zip(self.layer_weights, self.style_layers, self.style_grams, self.style_norms):
            g = gram(fy[l], self.softmax)
            style = style + w * ((g - gs) ** 2).sum(dim=(1, 2)).mean() / max(ns, 1e-12)
        style = style / sum(self.layer_weights)
        tv = tv_loss(y01)
        total = self.cw * content + self.sw * style + self.tw * tv
        return total, {"content": float(content.detach()), "style": float(style.detach()),
                       "tv": float(tv.detach()), "total": float(total.detach())}
