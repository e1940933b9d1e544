"""Training from one style image (Johnson et al. 2016): the perceptual-loss objective, its
validation, and the figures of a run. The loop is the lab's Trainer; the command is scratch.py.
Loss terms: perceptual.PerceptualLoss; see training/SCRATCH.md."""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from . import perceptual
from .data import REPO, data_root, list_photos
from .model import Geometry, TransformerNet, Widths

# The shipping width: 0.238 of the unpruned net's MACs per megapixel (bar: 0.25).
DEFAULT_WIDTHS = "16,32,64,48,48,48,48,48,32,16"
FULL_WIDTHS = "32,64,128,128,128,128,128,128,64,32"   # the unpruned network


def load_image(path, max_side=None):
    """[3,H,W] float 0..255, the long side scaled to max_side (Lanczos) when given."""
    im = Image.open(path).convert("RGB")
    if max_side and max(im.size) != max_side:
        s = max_side / max(im.size)
        im = im.resize((max(1, round(im.size[0] * s)), max(1, round(im.size[1] * s))), Image.LANCZOS)
    return torch.from_numpy(np.asarray(im).copy()).permute(2, 0, 1).float()


def crop4(x):
    return x[:, :x.shape[1] - x.shape[1] % 4, :x.shape[2] - x.shape[2] % 4]


def init_net(widths: Widths, seed=0):
    torch.manual_seed(seed)
    return TransformerNet(widths, Geometry("B", "reflect"))


def load_lossnet(kind, data=None):
    """The loss network by layer name (perceptual.named_lossnet; replaced by a toy net in tests)."""
    return perceptual.named_lossnet(kind, data_root(data))


def build_loss(args, device):
    lossnet = load_lossnet(args.loss_net).to(device)
    d = perceptual.LOSSNET_DEFAULTS.get(args.loss_net, {})
    style_layers = (args.style_layers or d["style"]).split(",")
    content_layer = args.content_layer or d["content"]
    sp = Path(args.style_image)
    if not sp.exists() and (REPO / sp).exists():
        sp = REPO / sp                    # paths recorded relative to the repository root
    style = load_image(sp, args.style_size)[None].to(device) / 255.0
    lw = [float(v) for v in args.layer_weights.split(",")] if args.layer_weights else None
    return perceptual.PerceptualLoss(lossnet, style_layers, content_layer, style, softmax=args.softmax_gram,
                                     content_weight=args.content_weight, style_weight=args.style_weight,
                                     tv_weight=args.tv_weight, layer_weights=lw)


class JohnsonObjective:
    """objective(net, x, step) -> (loss, parts) for the Trainer: the perceptual loss of net(x)."""

    def __init__(self, loss):
        self.loss = loss

    def __call__(self, net, x, step):
        total, parts = self.loss(net(x) / 255.0, x / 255.0)
        return total, {k: v for k, v in parts.items() if k != "total"}


@torch.no_grad()
def validate(net, loss, photos, device):
    """Mean content / style / tv over validation photos (each at its own size) + the outputs."""
    was = net.training
    net.eval()
    acc, outs = {"content": 0.0, "style": 0.0, "tv": 0.0}, []
    for x in photos:
        xb = x[None].to(device)
        y = net(xb)
        _, parts = loss(y / 255.0, xb / 255.0)
        for k in acc:
            acc[k] += parts[k] / len(photos)
        outs.append(y[0].cpu())
    net.train(was)
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


def val_photos(photos_dir, n, side):
    return [load_image(p, side) for p in list_photos(Path(photos_dir) / "val")[:n]]


def rec_step(r):
    """A history record's iteration (the trainer writes `it`; the old trainer wrote `step`)."""
    return r.get("it", r.get("step"))


def run_args(history):
    a = history.get("args") or [{}]
    return a if isinstance(a, list) else [a]


def fidelity_from_history(history):
    va = history.get("val", [])
    if not va:
        return {}
    s, e = va[0], va[-1]
    a0 = run_args(history)[0]
    out = {"photos": a0.get("val_photos", 0),
           "eval_set": "first %d photos of ../shared/data/photos/val (BSDS500), long side %d px; losses relative "
                       "(see training/SCRATCH.md); start = the initialised network" % (
                           a0.get("val_photos", 0), a0.get("val_size", 0)),
           "loss_net": a0.get("loss_net"),
           "style_loss_start": round(s["style"], 5), "style_loss_end": round(e["style"], 5),
           "content_loss_start": round(s["content"], 5), "content_loss_end": round(e["content"], 5),
           "iterations": rec_step(e), "hours": round(history.get("seconds", 0) / 3600, 2)}
    if "identity" in history:
        out["style_loss_unstylized_photo"] = round(history["identity"]["style"], 5)
    return out


@torch.no_grad()
def evaluate_run(ck, n=20, size=384, device="cpu"):
    """Validation figures for the report and the catalog: mean relative style and content loss
    (the training's loss network and layers) on the first n val photos at long side `size`, for
    the unstylized photo, the network at the start (the same seeded initialisation) and at the end.
    ck: a checkpoint (checkpoints.load) of a scratch run."""
    a = argparse.Namespace(**ck["meta"]["args"])
    loss = build_loss(a, device)
    photos = [crop4(x) for x in val_photos(a.photos, n, size)]
    end = TransformerNet.from_config(ck["config"]); end.load_state_dict(ck["state_dict"])
    start = init_net(end.widths, a.seed)
    ident = identity_losses(loss, photos, device)
    v0, _ = validate(start.to(device), loss, photos, device)
    v1, _ = validate(end.to(device), loss, photos, device)

    def r(d):
        return {k: round(v, 5) for k, v in d.items()}
    return {"photos": len(photos), "size": size, "loss_net": a.loss_net,
            "unstylized": r(ident), "start": r(v0), "end": r(v1),
            "iterations": ck["step"], "hours": round(ck["elapsed"] / 3600, 2)}
