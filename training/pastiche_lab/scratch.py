"""Train a style from scratch: Johnson et al. (2016) perceptual-loss training of the feed-forward
transformer from one style image and random crops of training photos.

    python training/pastiche_lab/scratch.py train --style-image my.jpg --id my-style
    python training/pastiche_lab/scratch.py export --id my-style            # ONNX + catalog entry
    python training/pastiche_lab/scratch.py sheet  --id my-style            # contact sheet, thumbnail

Losses (all relative, so that weights mean the same on either loss network):
  content = ||phi_c(y) - phi_c(x)||^2 / ||phi_c(x)||^2          (one mid-level layer)
  style   = mean_l ||G_l(y) - G_l(s)||_F^2 / ||G_l(s)||_F^2     (G = F F^T / (C H W), cached for s)
  tv      = mean |y[i+1,j]-y[i,j]| + |y[i,j+1]-y[i,j]|           (on 0..1 images)
  total   = content_weight*content + style_weight*style + tv_weight*tv
Loss networks: `vgg` (VGG-19 normalised, relu1_1, relu2_1, relu3_1) or `darknet` (Tiny Darknet,
LeakyReLU outputs), optionally with a softmax over channels before the Gram matrices (Wang et al.,
CVPR 2021). See training/SCRATCH.md.
"""
from __future__ import annotations

import argparse
import glob
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)
TRAINING = os.path.dirname(HERE)
REPO = os.path.dirname(TRAINING)
DATA = os.path.join(os.path.dirname(REPO), "shared", "data")

try:                                    # python -m pastiche_lab.scratch (from training/)
    from .model import TransformerNet, Widths, Geometry, mac_ratio, macs_per_pixel, count_params
    from . import lossnets as _lab_lossnets
    from . import export as _lab_export
except ImportError:                     # python training/pastiche_lab/scratch.py
    from model import TransformerNet, Widths, Geometry, mac_ratio, macs_per_pixel, count_params  # noqa: E402
    _lab_lossnets = _lab_export = None
    try:
        import pastiche_lab.lossnets as _lab_lossnets   # noqa: F811
        import pastiche_lab.export as _lab_export       # noqa: F811
    except Exception:
        sys.path.insert(0, TRAINING)
        try:
            import pastiche_lab.lossnets as _lab_lossnets   # noqa: F811
            import pastiche_lab.export as _lab_export       # noqa: F811
        except Exception:
            _lab_lossnets = _lab_export = None

# The shipping width: 0.238 of the unpruned net's MACs per megapixel (bar: 0.25).
DEFAULT_WIDTHS = "16,32,64,48,48,48,48,48,32,16"
FULL_WIDTHS = "32,64,128,128,128,128,128,128,64,32"   # the unpruned network


# ============================================================== loss networks
# Interface: net(x) with x RGB in 0..1, [N,3,H,W] -> dict layer name -> feature map.
# The lab's loaders (pastiche_lab.lossnets) are used when present; these are the fallbacks.

class VGGFeatures(nn.Module):
    """VGG-19 'normalised' encoder up to relu3_1 (see ../shared/data/lossnets/LOSSNETS.md)."""
    LAYERS = ["relu1_1", "relu1_2", "relu2_1", "relu2_2", "relu3_1"]

    def __init__(self, path=None):
        super().__init__()
        path = path or os.path.join(DATA, "lossnets", "vgg19-normalised-relu3_1", "vgg_normalised_conv3_1.pth")
        sd = torch.load(path, map_location="cpu", weights_only=False)
        def conv(k):
            w, b = sd[f"{k}.weight"], sd[f"{k}.bias"]
            c = nn.Conv2d(w.shape[1], w.shape[0], w.shape[2])
            c.weight.data.copy_(w); c.bias.data.copy_(b)
            return c
        self.c0 = conv(0)
        self.convs = nn.ModuleList([conv(k) for k in (2, 5, 9, 12, 16)])
        for p in self.parameters():
            p.requires_grad_(False)
        self.eval()

    def forward(self, x, upto="relu3_1"):
        out = {}
        h = self.c0(x)
        for i, (name, c) in enumerate(zip(self.LAYERS, self.convs)):
            h = F.relu(c(F.pad(h, (1, 1, 1, 1), mode="reflect")))
            out[name] = h
            if name == upto:
                break
            if i in (1, 3):
                h = F.max_pool2d(h, 2, 2, ceil_mode=True)
        return out


class DarknetFeatures(nn.Module):
    """Tiny Darknet (tfjs layers model) up to LeakyReLU 10, batch norm folded into the convs.
    Feature names: lrelu1 .. lrelu10."""

    def __init__(self, folder=None, upto=10):
        super().__init__()
        folder = folder or os.path.join(DATA, "lossnets", "tiny-darknet")
        m = json.load(open(os.path.join(folder, "model.json")))
        weights = {}
        for g in m["weightsManifest"]:
            buf = b"".join(open(os.path.join(folder, p), "rb").read() for p in g["paths"])
            off = 0
            for w in g["weights"]:
                n = int(np.prod(w["shape"]))
                weights[w["name"]] = torch.from_numpy(np.frombuffer(buf, np.float32, n, off).copy()).reshape(w["shape"])
                off += 4 * n
        layers = m["modelTopology"]["model_config"]["config"]["layers"]
        self.ops = nn.ModuleList()
        self.kinds = []
        k = 0
        for L in layers:
            cls, cfg = L["class_name"], L["config"]
            if cls == "Conv2D":
                k += 1
                if k > upto:
                    break
                W = weights[f"{cfg['name']}/kernel"].permute(3, 2, 0, 1)  # HWIO -> OIHW
                bn = f"batch_normalization_{k}"
                g, b = weights[f"{bn}/gamma"], weights[f"{bn}/beta"]
                mu, var = weights[f"{bn}/moving_mean"], weights[f"{bn}/moving_variance"]
                s = g / torch.sqrt(var + 1e-3)
                c = nn.Conv2d(W.shape[1], W.shape[0], W.shape[2], padding=W.shape[2] // 2)
                c.weight.data.copy_(W * s.view(-1, 1, 1, 1)); c.bias.data.copy_(b - mu * s)
                self.ops.append(c); self.kinds.append("conv")
            elif cls == "MaxPooling2D":
                self.ops.append(nn.Identity()); self.kinds.append("pool")
        for p in self.parameters():
            p.requires_grad_(False)
        self.n = min(upto, k)
        self.eval()

    def forward(self, x, upto=None):
        out, k = {}, 0
        upto = upto or f"lrelu{self.n}"
        h = x
        for op, kind in zip(self.ops, self.kinds):
            if kind == "pool":
                h = F.max_pool2d(h, 2, 2, ceil_mode=True)
            else:
                k += 1
                h = F.leaky_relu(op(h), 0.1)
                out[f"lrelu{k}"] = h
                if f"lrelu{k}" == upto:
                    break
        return out


LOSSNET_DEFAULTS = {
    "vgg": {"style": "relu1_1,relu2_1,relu3_1", "content": "relu2_2"},
    "darknet": {"style": "lrelu1,lrelu2,lrelu4,lrelu6,lrelu8,lrelu10", "content": "lrelu8"},
}


class LabVGG(nn.Module):
    """Adapter: the lab's VGGRelu31 (input 0..255, list of features) -> our interface."""
    LAYERS = VGGFeatures.LAYERS

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, x, upto=None):
        return dict(zip(self.LAYERS, self.m(x * 255.0, all_layers=True)))


class LabDarknet(nn.Module):
    """Adapter: the lab's TinyDarknet (input 0..255, taps) -> our interface."""

    def __init__(self, m, n=10):
        super().__init__()
        self.m, self.n = m, n

    def forward(self, x, upto=None):
        n = int(upto[len("lrelu"):]) if upto else self.n
        feats = self.m(x * 255.0, taps=tuple(range(1, n + 1)))
        return {f"lrelu{i + 1}": f for i, f in enumerate(feats)}


def load_lossnet(kind, data=DATA):
    """The lab's loaders (pastiche_lab.lossnets) when present, behind a small adapter; else ours
    (same weights, same layers)."""
    if _lab_lossnets is not None:
        if kind == "vgg":
            return LabVGG(_lab_lossnets.load_vgg(data))
        if kind == "darknet":
            return LabDarknet(_lab_lossnets.load_darknet(data))
    if kind == "vgg":
        return VGGFeatures()
    if kind == "darknet":
        return DarknetFeatures()
    raise ValueError(kind)


# ============================================================== loss terms
def gram(f, softmax=False):
    """Gram matrix F F^T / (C H W) per batch item: [N,C,H,W] -> [N,C,C]."""
    if softmax:
        f = torch.softmax(f, dim=1)
    n, c, h, w = f.shape
    x = f.reshape(n, c, h * w)
    return torch.bmm(x, x.transpose(1, 2)) / (c * h * w)


def tv_loss(y):
    """Anisotropic total variation, mean absolute neighbour difference (y in 0..1)."""
    return (y[:, :, 1:, :] - y[:, :, :-1, :]).abs().mean() + (y[:, :, :, 1:] - y[:, :, :, :-1]).abs().mean()


class PerceptualLoss(nn.Module):
    def __init__(self, lossnet, style_layers, content_layer, style_img01, softmax=False,
                 content_weight=1.0, style_weight=10.0, tv_weight=1.0, layer_weights=None):
        super().__init__()
        self.net = lossnet
        self.style_layers = list(style_layers)
        self.content_layer = content_layer
        self.softmax = softmax
        self.cw, self.sw, self.tw = content_weight, style_weight, tv_weight
        self.layer_weights = layer_weights or [1.0] * len(self.style_layers)
        order = self.style_layers + [content_layer]
        self.upto = max(order, key=lambda n: self._index(n))
        with torch.no_grad():
            fs = self.net(style_img01, upto=self.upto)
            self.style_grams = [gram(fs[l], softmax) for l in self.style_layers]   # cached, [1,C,C]
            self.style_norms = [float((g ** 2).sum()) for g in self.style_grams]

    def _index(self, name):
        names = getattr(self.net, "LAYERS", None)
        if names and name in names:
            return names.index(name)
        return int("".join(ch for ch in name if ch.isdigit()) or 0)

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


# ============================================================== data
def load_image(path, max_side=None):
    im = Image.open(path).convert("RGB")
    if max_side and max(im.size) != max_side:
        s = max_side / max(im.size)
        im = im.resize((max(1, round(im.size[0] * s)), max(1, round(im.size[1] * s))), Image.LANCZOS)
    return torch.from_numpy(np.asarray(im).copy()).permute(2, 0, 1).float()   # [3,H,W] 0..255


def list_photos(folder):
    return sorted(glob.glob(os.path.join(folder, "*.png")) + glob.glob(os.path.join(folder, "*.jpg")))


class CropSampler:
    """Random crops (random scale, flip) of photos held in memory as uint8."""

    def __init__(self, paths, crop, seed=0):
        self.imgs = [load_image(p).to(torch.uint8) for p in paths]
        self.crop = crop
        self.rng = random.Random(seed)

    def state(self):
        return self.rng.getstate()

    def set_state(self, s):
        self.rng.setstate(s)

    def sample(self, n):
        out = []
        for _ in range(n):
            im = self.imgs[self.rng.randrange(len(self.imgs))].float()
            h, w = im.shape[1:]
            short = min(h, w)
            target = self.rng.uniform(self.crop, max(self.crop, short))   # crop covers crop..short px
            s = self.crop / target
            if abs(s - 1) > 1e-3:
                im = F.interpolate(im[None], size=(max(self.crop, round(h * s)), max(self.crop, round(w * s))),
                                   mode="bilinear", align_corners=False, antialias=True)[0]
            h, w = im.shape[1:]
            y0, x0 = self.rng.randrange(h - self.crop + 1), self.rng.randrange(w - self.crop + 1)
            c = im[:, y0:y0 + self.crop, x0:x0 + self.crop]
            if self.rng.random() < 0.5:
                c = c.flip(2)
            out.append(c)
        return torch.stack(out).clamp(0, 255)


def init_net(widths: Widths, seed=0):
    torch.manual_seed(seed)
    net = TransformerNet(widths, Geometry("B", "reflect"))
    return net


# ============================================================== checkpoints
def save_checkpoint(path, net, opt, step, args, history, sampler, extra=None):
    tmp = path + ".tmp"
    torch.save({"step": step, "net": net.state_dict(), "config": net.config(),
                "opt": opt.state_dict() if opt is not None else None, "args": args,
                "history": history, "sampler": sampler.state() if sampler is not None else None,
                "torch_rng": torch.get_rng_state(), "extra": extra or {}}, tmp)
    os.replace(tmp, path)


def load_checkpoint(path, device="cpu"):
    ck = torch.load(path, map_location=device, weights_only=False)
    net = TransformerNet.from_config(ck["config"]).to(device)
    net.load_state_dict(ck["net"])
    return net, ck


# ============================================================== validation
def val_batch(paths, side):
    return [load_image(p, side) for p in paths]


@torch.no_grad()
def validate(net, loss, photos, device):
    """Mean content / style / tv over validation photos (each at its own size) + the outputs."""
    net.eval()
    acc, outs = {"content": 0.0, "style": 0.0, "tv": 0.0}, []
    for x in photos:
        xb = x[None].to(device)
        y = net(xb)
        _, parts = loss(y / 255.0, xb / 255.0)
        for k in acc:
            acc[k] += parts[k] / len(photos)
        outs.append(y[0].cpu())
    net.train()
    return acc, outs


@torch.no_grad()
def identity_losses(loss, photos, device):
    """The losses of the unstylized photo itself (the output = the input): a reference point."""
    acc = {"content": 0.0, "style": 0.0, "tv": 0.0}
    for x in photos:
        xb = x[None].to(device) / 255.0
        _, parts = loss(xb, xb)
        for k in acc:
            acc[k] += parts[k] / len(photos)
    return acc


def to_pil(t):
    return Image.fromarray(t.clamp(0, 255).round().byte().permute(1, 2, 0).numpy())


def grid(rows, pad=4, bg=(255, 255, 255)):
    """rows: list of lists of PIL images -> one PIL image."""
    hs = [max(im.size[1] for im in r) for r in rows]
    ws = [sum(im.size[0] for im in r) + pad * (len(r) - 1) for r in rows]
    G = Image.new("RGB", (max(ws), sum(hs) + pad * (len(rows) - 1)), bg)
    y = 0
    for r, h in zip(rows, hs):
        x = 0
        for im in r:
            G.paste(im, (x, y)); x += im.size[0] + pad
        y += h + pad
    return G


def plot_curves(history, path, title=""):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    tr, va = history.get("train", []), history.get("val", [])
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
    for ax, key in zip(axes, ["style", "content", "tv"]):
        if tr:
            s = np.array([h["step"] for h in tr]); v = np.array([h[key] for h in tr])
            k = max(1, len(v) // 50)
            if k > 1:
                v = np.convolve(v, np.ones(k) / k, mode="valid"); s = s[k - 1:]
            ax.plot(s, v, lw=1, label="train (smoothed)")
        if va:
            ax.plot([h["step"] for h in va], [h[key] for h in va], "o-", ms=3, label="validation")
        ax.set_title(f"{key} loss"); ax.set_xlabel("iteration"); ax.set_yscale("log"); ax.grid(alpha=.3)
        ax.legend(fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


# ============================================================== train
def progress(step, total, t0, start_step, parts, width=30):
    done = step - start_step
    el = time.time() - t0
    rate = el / max(done, 1)
    eta = rate * (total - step)
    f = step / max(total, 1)
    bar = "#" * int(width * f) + "-" * (width - int(width * f))
    return (f"[{bar}] {step}/{total} {rate:.2f}s/it eta {eta / 60:.0f}min "
            f"style {parts['style']:.4f} content {parts['content']:.4f} tv {parts['tv']:.4f}")


def build_loss(args, device):
    lossnet = load_lossnet(args.loss_net).to(device)
    d = LOSSNET_DEFAULTS[args.loss_net]
    style_layers = (args.style_layers or d["style"]).split(",")
    content_layer = args.content_layer or d["content"]
    sp = args.style_image
    if not os.path.exists(sp) and os.path.exists(os.path.join(REPO, sp)):
        sp = os.path.join(REPO, sp)          # paths recorded relative to the repository root
    style = load_image(sp, args.style_size)[None].to(device) / 255.0
    lw = [float(v) for v in args.layer_weights.split(",")] if args.layer_weights else None
    return PerceptualLoss(lossnet, style_layers, content_layer, style, softmax=args.softmax_gram,
                          content_weight=args.content_weight, style_weight=args.style_weight,
                          tv_weight=args.tv_weight, layer_weights=lw)


def cmd_train(args):
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    run = args.run_dir or os.path.join(TRAINING, "runs", args.id)
    os.makedirs(run, exist_ok=True)
    ck_path = os.path.join(run, "ckpt.pt")
    widths = Widths.from_list(args.widths.split(","))
    print(f"widths {widths}  MACs {macs_per_pixel(widths) / 1e3:.1f} GMAC/MP = {mac_ratio(widths):.3f} of the unpruned net, "
          f"params {count_params(widths)}", flush=True)
    train_paths = list_photos(os.path.join(args.photos, "train"))
    val_paths = list_photos(os.path.join(args.photos, "val"))[:args.val_photos]
    if not train_paths:
        sys.exit(f"no training photos under {args.photos}/train")
    sampler = CropSampler(train_paths, args.crop, seed=args.seed)
    loss = build_loss(args, device)
    val_photos = val_batch(val_paths, args.val_size)

    if os.path.exists(ck_path) and not args.restart:
        net, ck = load_checkpoint(ck_path, device)
        step, history = ck["step"], ck["history"]
        opt = torch.optim.Adam(net.parameters(), lr=args.lr)
        if ck["opt"] is not None:
            opt.load_state_dict(ck["opt"])
            for g in opt.param_groups:
                g["lr"] = args.lr
        if ck["sampler"] is not None:
            sampler.set_state(ck["sampler"])
        torch.set_rng_state(ck["torch_rng"])
        print(f"resumed {ck_path} at step {step}", flush=True)
    else:
        net = init_net(widths, args.seed).to(device)
        opt = torch.optim.Adam(net.parameters(), lr=args.lr)
        step, history = 0, {"train": [], "val": [], "seconds": 0.0, "args": []}
        ident = identity_losses(loss, val_photos, device)
        v, outs = validate(net, loss, val_photos, device)
        history["val"].append({"step": 0, **v})
        history["identity"] = ident
        print(f"unstylized photo: {ident}\nstep 0 (init): {v}", flush=True)
    history.setdefault("args", []).append({"from_step": step, **{k: v for k, v in vars(args).items() if k != "func"}})
    net.train()
    t0, t_ck, start_step = time.time(), time.time(), step
    t_acc = history.get("seconds", 0.0)
    last = {"style": 0, "content": 0, "tv": 0}
    while step < args.iters:
        x = sampler.sample(args.batch).to(device)
        y = net(x)
        total, parts = loss(y / 255.0, x / 255.0)
        opt.zero_grad(set_to_none=True)
        total.backward()
        opt.step()
        step += 1
        last = parts
        history["train"].append({"step": step, **parts})
        if step % args.log_every == 0 or step == args.iters:
            print(progress(step, args.iters, t0, start_step, parts), flush=True)
        do_val = step % args.val_every == 0 or step == args.iters
        do_ck = do_val or time.time() - t_ck > args.ckpt_seconds
        if do_val:
            v, outs = validate(net, loss, val_photos, device)
            history["val"].append({"step": step, **v})
            print(f"val step {step}: {v}", flush=True)
            rows = [[to_pil(x) for x in val_photos[:4]], [to_pil(o) for o in outs[:4]]]
            grid(rows).save(os.path.join(run, f"val_{step:06d}.jpg"), quality=90)
            grid(rows).save(os.path.join(run, "val_latest.jpg"), quality=90)
        if do_ck:
            history["seconds"] = t_acc + time.time() - t0
            save_checkpoint(ck_path, net, opt, step, vars_clean(args), history, sampler)
            plot_curves(history, os.path.join(run, "curves.png"), args.id)
            t_ck = time.time()
    history["seconds"] = t_acc + time.time() - t0
    save_checkpoint(ck_path, net, opt, step, vars_clean(args), history, sampler)
    plot_curves(history, os.path.join(run, "curves.png"), args.id)
    print(f"done: {step} iterations, {history['seconds'] / 3600:.2f} h", flush=True)
    if args.export:
        export_args = argparse.Namespace(id=args.id, run_dir=run, out_dir=args.out_dir, names_en=args.names_en,
                                         names_zh=args.names_zh, desc_en=args.desc_en, desc_zh=args.desc_zh,
                                         license=args.license, attribution=args.attribution, thumbnail_photo=None,
                                         no_tile=False, no_eval=False, device=args.device)
        cmd_export(export_args)
    return net


def cmd_bench(args):
    """Seconds per training iteration of the shipping-width net against the full-width one, side by side."""
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    sampler = CropSampler(list_photos(os.path.join(args.photos, "train")), args.crop, seed=0)
    loss = build_loss(args, device)
    print(f"{'widths':40s} {'MAC ratio':>9s} {'s/iter (median of ' + str(args.iters) + ')':>24s}")
    medians = {}
    for label in (args.widths, FULL_WIDTHS):
        widths = Widths.from_list(label.split(","))
        net = init_net(widths, 0).to(device)
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        times = []
        for i in range(args.iters + 1):                  # the first iteration is a warm-up
            x = sampler.sample(args.batch).to(device)
            t0 = time.perf_counter()
            total, _ = loss(net(x) / 255.0, x / 255.0)
            opt.zero_grad(set_to_none=True)
            total.backward()
            opt.step()
            if i:
                times.append(time.perf_counter() - t0)
        medians[label] = float(np.median(times))
        print(f"{label:40s} {mac_ratio(widths):9.3f} {medians[label]:24.2f}", flush=True)
    print(f"full width / shipping width: {medians[FULL_WIDTHS] / medians[args.widths]:.2f}x")


def vars_clean(args):
    return {k: v for k, v in vars(args).items() if k != "func"}


# ============================================================== export / catalog / sheet
def fidelity_from_history(history):
    va = history.get("val", [])
    if not va:
        return {}
    s, e = va[0], va[-1]
    out = {"photos": history["args"][0].get("val_photos", 0),
           "eval_set": "first %d photos of ../shared/data/photos/val (BSDS500), long side %d px; losses relative "
                       "(see training/SCRATCH.md); start = the initialised network" % (
                           history["args"][0].get("val_photos", 0), history["args"][0].get("val_size", 0)),
           "loss_net": history["args"][0].get("loss_net"),
           "style_loss_start": round(s["style"], 5), "style_loss_end": round(e["style"], 5),
           "content_loss_start": round(s["content"], 5), "content_loss_end": round(e["content"], 5),
           "iterations": e["step"], "hours": round(history.get("seconds", 0) / 3600, 2)}
    if "identity" in history:
        out["style_loss_unstylized_photo"] = round(history["identity"]["style"], 5)
    return out


def export_onnx(net, path, tile=True):
    """Through the lab's exporter (export_pair: main + tile variant) when present; else a local
    fallback with the same contract. Returns {"file", "tile_file"} basenames."""
    tp = path[:-len(".onnx")] + ".tile.onnx"
    if _lab_export is not None and hasattr(_lab_export, "export_pair"):
        _lab_export.export_pair(net, path, tp)
        if not tile:
            os.remove(tp)
        return {"file": os.path.basename(path), **({"tile_file": os.path.basename(tp)} if tile else {})}
    return _export_fallback(net, path, tile)


class _Main(nn.Module):
    def __init__(self, net):
        super().__init__(); self.net = net
    def forward(self, x):
        return self.net(x, return_stats=True)


class _Tile(nn.Module):
    def __init__(self, net):
        super().__init__(); self.net = net
    def forward(self, x, stats):
        return self.net(x, stats=stats)


def _export_fallback(net, path, tile=True):
    net = net.cpu().eval()
    x = torch.rand(1, 3, 64, 96) * 255
    torch.onnx.export(_Main(net), (x,), path, input_names=["input"], output_names=["output", "stats"],
                      dynamic_axes={"input": {2: "H", 3: "W"}, "output": {2: "H", 3: "W"}}, opset_version=17,
                      dynamo=False)
    files = {"file": os.path.basename(path)}
    if tile:
        tp = path[:-5] + ".tile.onnx"
        _, st = net(x, return_stats=True)
        torch.onnx.export(_Tile(net), (x, st), tp, input_names=["input", "stats"], output_names=["output"],
                          dynamic_axes={"input": {2: "H", 3: "W"}, "output": {2: "H", 3: "W"}}, opset_version=17,
                          dynamo=False)
        files["tile_file"] = os.path.basename(tp)
    import onnx
    for p in [path] + ([path[:-5] + ".tile.onnx"] if tile else []):
        m = onnx.load(p)
        m.ir_version = 8
        onnx.save(m, p)
    return files


def write_catalog_entry(catalog_path, entry):
    """Insert or replace an entry by id in a catalog.json (the user models folder)."""
    cat = {"models": []}
    if os.path.exists(catalog_path):
        cat = json.load(open(catalog_path, encoding="utf-8"))
    cat["models"] = [m for m in cat["models"] if m.get("id") != entry["id"]] + [entry]
    tmp = catalog_path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(cat, f, ensure_ascii=False, indent=2)
        f.write("\n")
    os.replace(tmp, catalog_path)


def sample_photo():
    """A photo that may ship: the lab's assets/samples, else skimage's astronaut (NASA, PD)."""
    cands = sorted(glob.glob(os.path.join(REPO, "assets", "samples", "*.jpg")) +
                   glob.glob(os.path.join(REPO, "assets", "samples", "*.png")))
    if cands:
        return cands
    return []


def sample_images(side=384):
    paths = sample_photo()
    if paths:
        return [(os.path.basename(p), load_image(p, side)) for p in paths]
    from skimage import data
    im = Image.fromarray(data.astronaut())
    im = im.resize((side, side), Image.LANCZOS)
    return [("astronaut (NASA, public domain)", torch.from_numpy(np.asarray(im).copy()).permute(2, 0, 1).float())]


@torch.no_grad()
def stylize(net, x, multiple=4):
    h, w = x.shape[1:]
    H, W = h - h % multiple, w - w % multiple
    return net.eval()(x[None, :, :H, :W])[0]


def _lab_ship():
    try:
        from . import ship    # the lab's shipping helpers (parity check, catalog writer)
        return ship
    except Exception:
        try:
            import pastiche_lab.ship as ship
            return ship
        except Exception:
            return None


def thumbnail_photo():
    """The lab's thumbnail photo (assets/samples/chelsea.jpg, CC0), else the first sample, else
    skimage's astronaut (NASA, public domain)."""
    p = os.path.join(REPO, "assets", "samples", "chelsea.jpg")
    if os.path.exists(p):
        return load_image(p, 256)
    return sample_images(256)[0][1]


def onnx_run(path, x):
    """x [3,H,W] 0..255 -> ONNX Runtime output [3,H',W'] (H, W cropped to multiples of 4)."""
    import onnxruntime as ort
    so = ort.SessionOptions(); so.intra_op_num_threads = 1
    sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    h, w = x.shape[1:]
    xi = x[None, :, :h - h % 4, :w - w % 4].numpy().astype(np.float32)
    return torch.from_numpy(sess.run(["output"], {"input": xi})[0][0])


def cmd_export(args):
    run = args.run_dir or os.path.join(TRAINING, "runs", args.id)
    net, ck = load_checkpoint(os.path.join(run, "ckpt.pt"))
    net.eval()
    out = os.path.expanduser(args.out_dir)
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, f"{args.id}.onnx")
    files = export_onnx(net, path, tile=not args.no_tile)
    # ONNX Runtime against PyTorch (contract: within 1e-3 relative)
    torch.manual_seed(0)
    x = torch.rand(3, 60, 84) * 255
    with torch.no_grad():
        ref = net(x[None])[0]
    rel = float((onnx_run(path, x) - ref).abs().max() / 255.0)
    print(f"ORT vs PyTorch: max abs diff / 255 = {rel:.2e}", flush=True)
    assert rel < 1e-3, rel
    # thumbnail next to the catalog (assets/thumbnails for the repository's models folder)
    repo_models = os.path.realpath(out) == os.path.realpath(os.path.join(REPO, "models"))
    if repo_models:
        thumb_dir = os.path.join(REPO, "assets", "thumbnails"); thumb_rel = f"../assets/thumbnails/{args.id}.png"
    else:
        thumb_dir = os.path.join(out, "thumbnails"); thumb_rel = f"thumbnails/{args.id}.png"
    os.makedirs(thumb_dir, exist_ok=True)
    to_pil(onnx_run(path, thumbnail_photo())).save(os.path.join(thumb_dir, f"{args.id}.png"))
    w = net.widths
    a0 = ck["args"]
    fid = fidelity_from_history(ck["history"])
    if not args.no_eval:
        ev = evaluate_run(ck, 20, 384)
        fid = {"photos": ev["photos"], "eval_size": ev["size"], "loss_net": ev["loss_net"],
               "eval_set": f"BSDS500 val, first {ev['photos']} of 100 photos (sorted), long side {ev['size']} px; "
                           "relative VGG losses (training/SCRATCH.md); start = the seeded initial network",
               "style_loss_start": ev["start"]["style"], "style_loss_end": ev["end"]["style"],
               "content_loss_start": ev["start"]["content"], "content_loss_end": ev["end"]["content"],
               "style_loss_unstylized_photo": ev["unstylized"]["style"],
               "iterations": ev["iterations"], "hours": ev["hours"]}
    entry = {
        "id": args.id,
        "names": {"en": args.names_en or args.id, "zh": args.names_zh or args.names_en or args.id},
        "descriptions": {"en": args.desc_en or f"Trained from {os.path.basename(a0['style_image'])}.",
                         "zh": args.desc_zh or args.desc_en or f"由 {os.path.basename(a0['style_image'])} 训练。"},
        "file": files["file"],
        **({"tile_file": files["tile_file"]} if files.get("tile_file") else {}),
        "thumbnail": thumb_rel,
        "teacher": None,
        "license": args.license or "the style image's terms apply; check them before sharing this model",
        "attribution": args.attribution or f"trained from scratch with Pastiche's scratch trainer from {os.path.basename(a0['style_image'])}",
        "params": count_params(w),
        "macs_per_megapixel": int(round(macs_per_pixel(w) * 1e6)),
        "size_multiple": 4,
        "fidelity": {"psnr_db": None, "ssim": None, **fid},
        "stats_length": net.stats_len(),
        "lab": {"config": net.config(), "method": "scratch (Johnson et al. perceptual loss)",
                "minutes_trained": round(ck["history"].get("seconds", 0) / 60, 1), "iterations": ck["step"],
                "mac_ratio": round(mac_ratio(w), 4)},
    }
    ship = _lab_ship() if repo_models else None
    if ship is not None and hasattr(ship, "update_catalog"):
        ship.update_catalog(entry)              # the lab's catalog writer (models/catalog.json)
    else:
        write_catalog_entry(os.path.join(out, "catalog.json"), entry)
    print(json.dumps(entry, ensure_ascii=False, indent=1))
    return entry


@torch.no_grad()
def evaluate_run(ck, n=20, size=384, device="cpu"):
    """Validation figures for the report and the catalog: mean relative style and content loss
    (the training's loss network and layers) on the first n val photos at long side `size`, for
    the unstylized photo, the network at the start (the same seeded initialisation) and at the end."""
    a = argparse.Namespace(**ck["args"])
    loss = build_loss(a, device)
    photos = val_batch(list_photos(os.path.join(a.photos, "val"))[:n], size)
    photos = [x[:, :x.shape[1] - x.shape[1] % 4, :x.shape[2] - x.shape[2] % 4] for x in photos]
    end = TransformerNet.from_config(ck["config"]); end.load_state_dict(ck["net"])
    start = init_net(end.widths, a.seed)
    ident = identity_losses(loss, photos, device)
    v0, _ = validate(start.to(device), loss, photos, device)
    v1, _ = validate(end.to(device), loss, photos, device)
    r = lambda d: {k: round(v, 5) for k, v in d.items()}
    return {"photos": len(photos), "size": size, "loss_net": a.loss_net,
            "unstylized": r(ident), "start": r(v0), "end": r(v1),
            "iterations": ck["step"], "hours": round(ck["history"].get("seconds", 0) / 3600, 2)}


def cmd_evaluate(args):
    run = args.run_dir or os.path.join(TRAINING, "runs", args.id)
    _, ck = load_checkpoint(os.path.join(run, "ckpt.pt"))
    ev = evaluate_run(ck, args.photos_n, args.size)
    if getattr(args, "poster", False):      # issue 10's poster measures (pastiche_lab/poster_metrics.py)
        ev["poster"] = _poster_measures(ck, args.photos_dir, args.photos_n, args.size)
    rep = args.report_dir or os.path.join(TRAINING, "reports", args.id)
    os.makedirs(rep, exist_ok=True)
    with open(os.path.join(rep, "eval.json"), "w") as f:
        json.dump(ev, f, indent=1)
    print(json.dumps(ev))
    return ev


def _poster_measures(ck, photos_dir, n, size):
    """palette90 / flat gain / edge recall of the checkpoint's network and of the unstylized photo."""
    if TRAINING not in sys.path:
        sys.path.insert(0, TRAINING)
    from pastiche_lab import poster_train
    net = TransformerNet.from_config(ck["config"]); net.load_state_dict(ck["net"])
    folder = photos_dir or os.path.join(ck["args"].get("photos", os.path.join(DATA, "photos")), "val")
    res = poster_train.evaluate({"photo (unstylized)": lambda x: x,
                                 "network": lambda x: poster_train.run_net(net, x)}, folder, n, size)
    return {k: {"mean": v["mean"], "meets_goals": v["meets_goals"]} for k, v in res["systems"].items()}


def cmd_sheet(args):
    run = args.run_dir or os.path.join(TRAINING, "runs", args.id)
    net, ck = load_checkpoint(os.path.join(run, "ckpt.pt"))
    rep = args.report_dir or os.path.join(TRAINING, "reports", args.id)
    os.makedirs(rep, exist_ok=True)
    ims = sample_images(args.side)
    rows = [[to_pil(x[:, :x.shape[1] - x.shape[1] % 4, :x.shape[2] - x.shape[2] % 4]) for _, x in ims],
            [to_pil(stylize(net, x)) for _, x in ims]]
    grid(rows).save(os.path.join(rep, "contact.png"))
    plot_curves(ck["history"], os.path.join(rep, "curves.png"), args.id)
    with open(os.path.join(rep, "figures.json"), "w") as f:
        json.dump({"fidelity": fidelity_from_history(ck["history"]), "widths": str(net.widths),
                   "mac_ratio": round(mac_ratio(net.widths), 4), "params": count_params(net.widths),
                   "val": ck["history"]["val"], "identity": ck["history"].get("identity"),
                   "args": ck["history"]["args"]}, f, indent=1)
    print("wrote", rep)


# ============================================================== CLI
def parser():
    ap = argparse.ArgumentParser(description="Train a style from scratch (Johnson et al. perceptual loss).")
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train", help="train (resumes from <run-dir>/ckpt.pt when present)")
    t.add_argument("--style-image", required=True)
    t.add_argument("--id", required=True)
    t.add_argument("--style-size", type=int, default=384, help="longest side of the style image, px")
    t.add_argument("--photos", default=os.path.join(DATA, "photos"), help="folder with train/ and val/")
    t.add_argument("--run-dir", default=None, help="default training/runs/<id>")
    t.add_argument("--restart", action="store_true", help="ignore an existing checkpoint")
    t.add_argument("--loss-net", choices=["vgg", "darknet"], default="vgg")
    t.add_argument("--style-layers", default=None, help="comma list; default per loss net")
    t.add_argument("--layer-weights", default=None, help="comma list, one per style layer")
    t.add_argument("--content-layer", default=None)
    t.add_argument("--softmax-gram", action="store_true", help="softmax over channels before the Gram (Wang et al. 2021)")
    t.add_argument("--content-weight", type=float, default=1.0)
    t.add_argument("--style-weight", type=float, default=10.0)
    t.add_argument("--tv-weight", type=float, default=0.5)
    t.add_argument("--widths", default=DEFAULT_WIDTHS, help="c1,c2,trunk,res0..res4,u1,u2")
    t.add_argument("--crop", type=int, default=160)
    t.add_argument("--batch", type=int, default=2)
    t.add_argument("--iters", type=int, default=20000)
    t.add_argument("--lr", type=float, default=1e-3)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--val-photos", type=int, default=6)
    t.add_argument("--val-size", type=int, default=256)
    t.add_argument("--val-every", type=int, default=250)
    t.add_argument("--log-every", type=int, default=10)
    t.add_argument("--ckpt-seconds", type=float, default=180)
    t.add_argument("--threads", type=int, default=1)
    t.add_argument("--device", default="cpu", help="cpu or cuda")
    t.add_argument("--export", action="store_true", help="export ONNX + catalog entry into --out-dir when done")
    e = sub.add_parser("export", help="export a run's checkpoint: ONNX (+ tile variant), thumbnail, catalog entry")
    e.add_argument("--id", required=True)
    e.add_argument("--run-dir", default=None)
    e.add_argument("--no-tile", action="store_true")
    e.add_argument("--no-eval", action="store_true", help="skip the 20-photo validation figures")
    e.add_argument("--device", default="cpu")
    for p in (t, e):
        p.add_argument("--out-dir", default="~/.pastiche/models", help="the user models folder the app reads")
        p.add_argument("--names-en", default=None); p.add_argument("--names-zh", default=None)
        p.add_argument("--desc-en", default=None); p.add_argument("--desc-zh", default=None)
        p.add_argument("--license", default=None); p.add_argument("--attribution", default=None)
    s = sub.add_parser("sheet", help="contact sheet on shippable sample photos + curves + figures")
    s.add_argument("--id", required=True)
    s.add_argument("--run-dir", default=None)
    s.add_argument("--report-dir", default=None)
    s.add_argument("--side", type=int, default=384)
    v = sub.add_parser("evaluate", help="validation style/content loss: unstylized, start, end -> reports/<id>/eval.json")
    v.add_argument("--id", required=True)
    v.add_argument("--run-dir", default=None)
    v.add_argument("--report-dir", default=None)
    v.add_argument("--photos-n", type=int, default=20)
    v.add_argument("--size", type=int, default=384)
    v.add_argument("--poster", action="store_true", help="also the poster measures of issue 10 (palette90, flat gain, edge recall)")
    v.add_argument("--photos-dir", default=None, help="photo folder for the poster measures (default: the run's photos/val)")
    b = sub.add_parser("bench", help="s/iteration of the shipping width vs the full width, measured side by side")
    b.add_argument("--style-image", required=True)
    b.add_argument("--style-size", type=int, default=384)
    b.add_argument("--photos", default=os.path.join(DATA, "photos"))
    b.add_argument("--loss-net", choices=["vgg", "darknet"], default="vgg")
    b.add_argument("--style-layers", default=None); b.add_argument("--layer-weights", default=None)
    b.add_argument("--content-layer", default=None); b.add_argument("--softmax-gram", action="store_true")
    b.add_argument("--content-weight", type=float, default=1.0)
    b.add_argument("--style-weight", type=float, default=10.0)
    b.add_argument("--tv-weight", type=float, default=0.5)
    b.add_argument("--widths", default=DEFAULT_WIDTHS)
    b.add_argument("--crop", type=int, default=160); b.add_argument("--batch", type=int, default=2)
    b.add_argument("--iters", type=int, default=5)
    b.add_argument("--threads", type=int, default=1); b.add_argument("--device", default="cpu")
    b.set_defaults(func=cmd_bench)
    t.set_defaults(func=cmd_train); e.set_defaults(func=cmd_export); s.set_defaults(func=cmd_sheet)
    v.set_defaults(func=cmd_evaluate)
    return ap


def main(argv=None):
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    main()
